#!/usr/bin/env bash
# JMH: decode + resize to 128 px of 1, 4 and 12 MP JPEGs — ImageIO full resolution, ImageIO subsampled (the service),
# libjpeg DCT-scaled (OpenCV). Prints JMH's table; pass extra JMH options after the photo, e.g. -f 1 -i 2.
#   bench-decode.sh [PHOTO.jpg] [jmh options...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
photo=()
if [[ $# -gt 0 && -f $1 ]]; then photo=(-jvmArgsAppend "-Dlepistream.bench.photo=$(realpath "$1")"); shift; fi
./mvnw -B -q -o -pl vision test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
cp="vision/target/test-classes:vision/target/classes:$(cat vision/target/test-classpath.txt)"
java -cp "$cp" org.openjdk.jmh.Main PhotoDecodeBenchmark "${photo[@]}" "$@"
