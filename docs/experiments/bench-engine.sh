#!/usr/bin/env bash
# JMH: a bundle's classifier.onnx and segmenter.onnx on ONNX Runtime's own Java API at batch 1, 8, 32 (the raw
# engine's limit, the floor for `bench-inference` and the service).  bench-engine.sh BUNDLE [jmh options...]
set -euo pipefail
bundle=$(realpath "$1"); shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
./mvnw -B -q -o -pl vision test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
cp="vision/target/test-classes:vision/target/classes:$(cat vision/target/test-classpath.txt)"
side=$(python3 -c "import json,sys;d=json.load(open(sys.argv[1]+'/bundle.json'));print(d['preprocessing']['inputSize'],d['segmenter']['inputSize'])" "$bundle")
read -r cls seg <<< "$side"
java -cp "$cp" org.openjdk.jmh.Main RawEngineBenchmark -p bundle="$bundle" -p classifierSide="$cls" \
  -p segmenterSide="$seg" "$@"
