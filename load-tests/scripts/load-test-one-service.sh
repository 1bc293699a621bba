#!/usr/bin/env bash
# The load-test figure of docs/PERFORMANCE.md: a fresh local stack, one `serve` instance with the given bundle, a short
# unmeasured warm-up, then `load-test` with real photos at a fixed rate. Run from the repository root:
#   load-tests/scripts/load-test-one-service.sh BUNDLE_DIR [PHOTOS_DIR] [RATE] [COUNT] [OUT_DIR]
# Uses its own LEPISTREAM_HOME, so a developer's running `./lepistream stack` is neither used nor disturbed.
set -euo pipefail
MODEL=${1:?usage: $0 BUNDLE_DIR [PHOTOS_DIR] [RATE] [COUNT] [OUT_DIR]}
PHOTOS=${2:-../shared/data/leeds-butterflies/images}
RATE=${3:-5}
COUNT=${4:-300}
OUT=${5:-docs/load-test}
HOME_DIR=$(mktemp -d -t lepistream-load-XXXXXX)
export LEPISTREAM_HOME=$HOME_DIR
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

./lepistream stack --data-dir "$HOME_DIR/stack" > "$HOME_DIR/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do [[ -f "$HOME_DIR/stack.properties" ]] && break; sleep 1; done
[[ -f "$HOME_DIR/stack.properties" ]] || { echo "stack did not start; see $HOME_DIR/stack.log" >&2; exit 1; }

LEPISTREAM_JAVA_OPTS="-Xmx1g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1" \
  ./lepistream serve --model "$MODEL" --http-port 0 > "$HOME_DIR/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do grep -q "identification service .* started" "$HOME_DIR/serve.log" && break; sleep 1; done

echo "warm-up (not measured)..." >&2
./lepistream load-test --photos "$PHOTOS" --count 30 --out "$HOME_DIR/warmup" > /dev/null
echo "measuring: uptime $(uptime)" >&2
./lepistream load-test --photos "$PHOTOS" --rate "$RATE" --count "$COUNT" --out "$OUT"
