#!/usr/bin/env bash
# The serving path in one run (issues 4 and 14), each stage against the one below it:
#   1. the raw engine: the bundle's classifier.onnx + segmenter.onnx on ONNX Runtime's Java API (JMH, batch 32);
#   2. offline `Identifier.analyse` (bench-inference, ONNX Runtime), every photo segmented and as the bundle's policy
#      serves (its cascade threshold, if it has one);
#   3. the service end to end through the real broker, flat out at batch <= 32 and at batch 1, p50/p99 at 50% and 90%
#      of its peak, a soak at 50% with the service's RSS every 15 s;
#   4. the same service flat out on 12-megapixel phone-sized photos made from the Leeds ones (vision's test-scope
#      PhoneSizedPhotos: upscaled, noise added; written under OUT, never into the repo).
# It ends with one line: ratios: offline/raw=R1 e2e/offline=R2 batch32/batch1=R3 large/small=R4
#
#   docs/experiments/streaming-perf.sh MODEL_DIR OUT_DIR [SOAK_MINUTES]   (defaults: 5-minute soak, ~25 min in all)
#
# PHOTOS (default ../shared/data/leeds-butterflies/images) are read in place. Everything runs on this machine: the
# local stack (broker + registry), one `serve` process at a time and the load generator; a fresh LEPISTREAM_HOME keeps
# this stack apart from any other. Run it on a quiet machine: every figure is a throughput.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
model="$(readlink -f "$1")" out="$(mkdir -p "$2" && readlink -f "$2")" soak_min="${3:-5}"
data="${DATA:-$repo/../shared/data/leeds-butterflies}"
peak_count="${PEAK_COUNT:-1500}" rate_seconds="${RATE_SECONDS:-60}" offline_seconds="${OFFLINE_SECONDS:-20}"
large_count="${LARGE_COUNT:-150}"
photos="${PHOTOS:-$data/images}"
lepi="$repo/lepistream"
export LEPISTREAM_HOME="$out/home"
mkdir -p "$LEPISTREAM_HOME"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/run.log"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'nan')" "$1" "$2"; }

# Build every module used before anything is timed (the launcher builds on first use).
for c in bench-inference serve stack load-test; do "$lepi" "$c" --help > /dev/null 2>&1; done
mask_free=$(python3 -c "import json,sys; p=(json.load(open(sys.argv[1]+'/bundle.json')).get('policy') or {}).get('maskFreeAbove'); print('' if p is None else p)" "$model")
log "bundle $model; cascade: ${mask_free:-none (every photo segmented)}"

log "1. raw engine (JMH RawEngineBenchmark, load $(load))"
"$repo/docs/experiments/bench-engine.sh" "$model" -f 1 -wi 2 -w 2s -i 3 -r 3s -p batch=32 \
  -rf csv -rff "$out/raw.csv" > "$out/raw.log" 2>&1
raw_ms() { awk -F, -v b="\"org.lepistream.vision.benchmark.RawEngineBenchmark.$1\"" '$1 == b {print $5}' "$out/raw.csv"; }
raw_both=$(python3 -c "print(32000 / $(raw_ms classifierAndSegmenter))")
raw_cls=$(python3 -c "print(32000 / $(raw_ms classifierOnly))")
log "raw engine, batch 32: classifier + segmenter $raw_both img/s, classifier alone $raw_cls img/s"

offline() { # $1 = name, $2... = options → best ONNX Runtime img/s at batch 32
  "$lepi" bench-inference --model "$model" --data "$data" --batch-sizes 32 --seconds-per-size "$offline_seconds" \
    --engine onnxruntime --rounds 2 --soak-inferences 0 --no-mirrored-mask "${@:2}" --out "$out/offline-$1.md" \
    > "$out/offline-$1.log" 2>&1
  awk -F'|' '$2 ~ /onnxruntime/ && $3+0 == 32 {print $6+0}' "$out/offline-$1.md" | sort -g | tail -1
}
log "2. offline Identifier (load $(load))"
off_all=$(offline all)
if [ -n "$mask_free" ]; then off_served=$(offline served --mask-free-above "$mask_free"); else off_served=$off_all; fi
log "offline, batch 32: every photo segmented $off_all img/s; as served $off_served img/s"

log "3. local stack"
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
  for _ in $(seq 1 180); do grep -q "Serving" "$out/serve-$1.log" 2>/dev/null && break; sleep 1; done
  sleep 5
  echo "$pid"
}
loadtest() { # $1 = name, $2 = count, $3 = rate (0 = flat out), [$4 = photos] → the summary line
  "$lepi" load-test --photos "${4:-$photos}" --count "$2" --rate "$3" --out "$out/$1" > "$out/$1.log" 2>&1 || true
  grep -E "^sent" "$out/$1.log" | tail -1
}
results_per_s() { sed -E 's/.*; ([0-9.]+) results\/s.*/\1/' <<< "$1"; }

log "4. service batch 32, warm-up then flat out (load $(load))"
pid=$(serve batch32 32); pids+=("$pid") # the function runs in a subshell: record its pid here
loadtest warmup 200 0 > /dev/null
line=$(loadtest peak-batch32 "$peak_count" 0); log "flat out, batch 32: $line (load $(load))"
peak=$(results_per_s "$line")
for share in 50 90; do
  rate=$(python3 -c "print(round($peak*$share/100, 2))")
  line=$(loadtest "rate$share" "$(python3 -c "print(int($rate*$rate_seconds))")" "$rate")
  log "at $share% of peak ($rate/s, $rate_seconds s): $line (load $(load))"
done

log "5. soak at 50% of peak for $soak_min min, RSS of the service every 15 s"
rate=$(python3 -c "print(round($peak*0.5, 2))")
( while kill -0 "$pid" 2>/dev/null; do
    echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)"; sleep 15; done ) > "$out/soak-rss.txt" &
pids+=($!)
line=$(loadtest soak "$(python3 -c "print(int($rate*60*$soak_min))")" "$rate"); log "soak: $line (load $(load))"
log "soak RSS (MiB) first, last, max: $(awk 'NF == 2 {r[NR] = $2; if ($2 > m) m = $2} END {printf "%d %d %d", r[1] / 1024, r[NR] / 1024, m / 1024}' "$out/soak-rss.txt")"

log "6. 12-megapixel photos (4000x3000, noise added), flat out, batch 32 (load $(load))"
# vision's test classpath was built by bench-engine.sh in stage 1.
java -cp "$repo/vision/target/test-classes:$repo/vision/target/classes:$(cat "$repo/vision/target/test-classpath.txt")" \
  org.lepistream.vision.benchmark.PhoneSizedPhotos "$photos" "$out/photos-12mp" 4000 3000 20 | tee -a "$out/run.log"
loadtest warmup-large 20 0 "$out/photos-12mp" > /dev/null
line=$(loadtest peak-large "$large_count" 0 "$out/photos-12mp"); log "flat out, 12 MP, batch 32: $line (load $(load))"
large=$(results_per_s "$line")
kill "$pid"; wait "$pid" 2>/dev/null || true

log "7. service batch 1, flat out (load $(load))"
pid=$(serve batch1 1); pids+=("$pid")
loadtest warmup1 100 0 > /dev/null
line=$(loadtest peak-batch1 "$(( peak_count * 2 / 3 ))" 0); log "flat out, batch 1: $line (load $(load))"
batch1=$(results_per_s "$line")
kill "$pid"; wait "$pid" 2>/dev/null || true

log "ratios: offline/raw=$(ratio "$off_all" "$raw_both") e2e/offline=$(ratio "$peak" "$off_served")" \
  "batch32/batch1=$(ratio "$peak" "$batch1") large/small=$(ratio "$large" "$peak")"
log "done"
