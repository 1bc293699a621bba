#!/usr/bin/env bash
# The streaming service's performance in one run (issue 4): the model's offline batched throughput (the limit) vs
# the end-to-end service throughput through the real broker; batch-1 vs batched service; p50/p99 latency at 50% and
# 90% of the measured peak; the service's RSS over a soak at 50% of peak.
#
#   docs/experiments/streaming-perf.sh MODEL_DIR OUT_DIR [SOAK_MINUTES]   (defaults: 20-minute soak)
#
# PHOTOS (default ../shared/data/leeds-butterflies/images) are read in place. Everything runs on this machine: the
# local stack (broker + registry), one `serve` process and the load generator; a fresh LEPISTREAM_HOME keeps this
# stack apart from any other.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
model="$(readlink -f "$1")" out="$(mkdir -p "$2" && readlink -f "$2")" soak_min="${3:-20}"
data="${DATA:-$repo/../shared/data/leeds-butterflies}"
peak_count="${PEAK_COUNT:-1500}" rate_seconds="${RATE_SECONDS:-90}" offline_seconds="${OFFLINE_SECONDS:-30}"
photos="${PHOTOS:-$data/images}"
lepi="$repo/lepistream"
export LEPISTREAM_HOME="$out/home"
mkdir -p "$LEPISTREAM_HOME"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/run.log"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Build every module used before anything is timed (the launcher builds on first use).
for c in bench-inference serve stack load-test; do "$lepi" "$c" --help > /dev/null 2>&1; done

log "1. offline limit: bench-inference (load $(load))"
# Both engines, taking turns; the service below runs on the default engine (onnxruntime).
"$lepi" bench-inference --model "$model" --data "$data" --batch-sizes 1,32 --seconds-per-size "$offline_seconds" \
  --engine pytorch,onnxruntime --rounds 2 --soak-inferences 0 --out "$out/offline.md" > "$out/offline.log" 2>&1
cat "$out/offline.md" >> "$out/run.log"

log "2. local stack"
"$lepi" stack > "$out/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do grep -q "ready" "$out/stack.log" 2>/dev/null && break; sleep 1; done
grep -q "ready" "$out/stack.log" || { log "stack did not start"; exit 1; }

serve() { # $1 = name, $2 = batch max size → starts a service, echoes its pid
  cat > "$out/$1.properties" <<PROPS
lepistream.application.id=perf-$1-$(date +%s)
lepistream.batch.max-size=$2
lepistream.batch.max-queue-delay-ms=20
lepistream.http.port=-1
lepistream.state.dir=$out/state-$1
# A new application id would otherwise start from the topic's beginning: each phase measures only its own load.
auto.offset.reset=latest
PROPS
  "$lepi" serve --config "$out/$1.properties" --model "$model" > "$out/serve-$1.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 180); do grep -q "Serving" "$out/serve-$1.log" 2>/dev/null && break; sleep 1; done
  sleep 5
  echo "$pid"
}
loadtest() { # $1 = name, $2 = count, $3 = rate (0 = flat out); prints the summary line
  "$lepi" load-test --photos "$photos" --count "$2" --rate "$3" --out "$out/$1" > "$out/$1.log" 2>&1 || true
  grep -E "^sent" "$out/$1.log" | tail -1
}
results_per_s() { sed -E 's/.*; ([0-9.]+) results\/s.*/\1/' <<< "$1"; }

log "3. service batch 32, warm-up then flat out (load $(load))"
pid=$(serve batch32 32)
loadtest warmup 200 0 > /dev/null
line=$(loadtest peak-batch32 "$peak_count" 0); log "flat out, batch 32: $line (load $(load))"
peak=$(results_per_s "$line")
for share in 50 90; do
  rate=$(python3 -c "print(round($peak*$share/100, 2))")
  line=$(loadtest "rate$share" "$(python3 -c "print(int($rate*$rate_seconds))")" "$rate")
  log "at $share% of peak ($rate/s, $rate_seconds s): $line (load $(load))"
done

log "4. soak at 50% of peak for $soak_min min, RSS of the service every 15 s"
rate=$(python3 -c "print(round($peak*0.5, 2))")
( while kill -0 "$pid" 2>/dev/null; do
    echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)"; sleep 15; done ) > "$out/soak-rss.txt" &
pids+=($!)
line=$(loadtest soak "$(python3 -c "print(int($rate*60*$soak_min))")" "$rate"); log "soak: $line (load $(load))"
kill "$pid"; wait "$pid" 2>/dev/null || true

log "5. service batch 1, flat out (load $(load))"
pid=$(serve batch1 1)
loadtest warmup1 100 0 > /dev/null
line=$(loadtest peak-batch1 "$(( peak_count * 2 / 3 ))" 0); log "flat out, batch 1: $line (load $(load))"
kill "$pid"; wait "$pid" 2>/dev/null || true
log "done"
