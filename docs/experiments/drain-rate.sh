#!/usr/bin/env bash
# The service alone, end to end through the real broker, with no load generator competing for the cores: N sightings
# are produced first (while no service runs), then one service starts at the beginning of the topic and drains them.
# Its /metrics output count is read every second; the rate is taken between 10% and 90% of the backlog (start-up
# and the tail left out).
#
#   docs/experiments/drain-rate.sh MODEL_DIR OUT_DIR [N] [BATCH]   (defaults: 6000 sightings, batch 32)
#
# PHOTOS (default ../shared/data/leeds-butterflies/images) are read in place; EXTRA_PROPS (lines of service properties,
# e.g. lepistream.stream.threads=2) go into the service's configuration; a fresh LEPISTREAM_HOME keeps this stack
# apart from any other.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
model="$(readlink -f "$1")" out="$(mkdir -p "$2" && readlink -f "$2")" n="${3:-6000}" batch="${4:-32}"
photos="${PHOTOS:-$repo/../shared/data/leeds-butterflies/images}"
lepi="$repo/lepistream"
export LEPISTREAM_HOME="$out/home"
mkdir -p "$LEPISTREAM_HOME"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/run.log"; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for c in serve stack load-test; do "$lepi" "$c" --help > /dev/null 2>&1; done
"$lepi" stack > "$out/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do grep -q "ready" "$out/stack.log" 2>/dev/null && break; sleep 1; done
grep -q "ready" "$out/stack.log" || { log "stack did not start"; exit 1; }

log "filling sightings with $n photos (no service running: load-test reports them all missing, as it should)"
"$lepi" load-test --photos "$photos" --count "$n" --rate 0 --drain-timeout 1 --out "$out/fill" > "$out/fill.log" 2>&1 \
  || true

port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
cat > "$out/drain.properties" <<PROPS
lepistream.application.id=drain-$(date +%s)
lepistream.batch.max-size=$batch
lepistream.batch.max-queue-delay-ms=20
lepistream.http.port=$port
lepistream.state.dir=$out/state
auto.offset.reset=earliest
${EXTRA_PROPS:-}
PROPS
"$lepi" serve --config "$out/drain.properties" --model "$model" > "$out/serve.log" 2>&1 &
pid=$!
pids+=("$pid")
log "service started (batch $batch, metrics on port $port); load average $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$out/outputs.txt"
for _ in $(seq 1 1200); do
  done_=$(curl -s "http://127.0.0.1:$port/metrics" 2>/dev/null \
    | awk '/^lepistream_outputs_total/ {s += $NF} END {printf "%d", s}' || echo 0)
  echo "$(date +%s.%N) ${done_:-0}" >> "$out/outputs.txt"
  [ "${done_:-0}" -ge "$n" ] && break
  sleep 1
done
log "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/outputs.txt" "$n" <<'PY' | tee -a "$out/run.log"
import sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
n = int(sys.argv[2])
lo = next(r for r in rows if r[1] >= 0.1 * n)
hi = next(r for r in rows if r[1] >= 0.9 * n)
print(f"drain: {n} sightings; {hi[1] - lo[1]:.0f} outputs from {lo[1]:.0f} to {hi[1]:.0f} in {hi[0] - lo[0]:.1f} s:"
      f" {(hi[1] - lo[1]) / (hi[0] - lo[0]):.1f} results/s")
PY
