#!/usr/bin/env bash
# Runs one experiment grid on a labelled dataset: train + evaluate (val, with background swap) per cell and seed.
# Every cell's bundle and evaluation JSON land in OUT/<name>/; aggregate.py turns them into the RESULTS tables.
#
#   docs/experiments/run-grid.sh OUT "<variants>" "<losses>" "<fractions>" "<seeds>" [extra train args...]
#   e.g. docs/experiments/run-grid.sh /tmp/grid "resnet cbam cbam-guided" "flat" "0.15" "1 2 3 4 5" --epochs 40
#
# DATA defaults to ../shared/data/leeds-butterflies (read in place, never copied). JOBS=N runs N cells at once
# (give each --threads 1 on a small machine). Cells run seed by seed, so a grid cut short still has every variant
# at the seeds it reached.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1" variants="$2" losses="$3" fractions="$4" seeds="$5"; shift 5
export DATA="${DATA:-$repo/../shared/data/leeds-butterflies}"
export LEPI="${LEPISTREAM:-$repo/lepistream}"   # override to run a frozen build while the tree changes
export OUT="$out"
mkdir -p "$out"

run_cell() {   # run_cell NAME VARIANT LOSS FRACTION SEED [extra train args...]
  local name="$1" variant="$2" loss="$3" fraction="$4" seed="$5"; shift 5
  [ -f "$OUT/$name/eval.json" ] && return 0   # resumable: finished cells are kept
  rm -rf "${OUT:?}/$name"
  echo "== $name start $(date -u +%H:%M:%S)"
  local t0=$SECONDS
  "$LEPI" train --data "$DATA" --out "$OUT/$name" --variant "$variant" --loss "$loss" \
    --train-fraction "$fraction" --seed "$seed" "$@" > "$OUT/$name.train.log" 2>&1
  "$LEPI" evaluate --model "$OUT/$name" --data "$DATA" --split val --background-swap \
    --json "$OUT/$name/eval.json" > "$OUT/$name.eval.log" 2>&1
  echo "== $name done $(date -u +%H:%M:%S) ($((SECONDS - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg))"
}
export -f run_cell

# One line per cell (no argument contains a space), seed-major; xargs runs JOBS of them at a time.
for seed in $seeds; do
  for fraction in $fractions; do
    for variant in $variants; do
      for loss in $losses; do
        echo "$variant-$loss-f$fraction-s$seed $variant $loss $fraction $seed $*"
      done
    done
  done
done | xargs -L 1 -P "${JOBS:-1}" bash -c 'run_cell "$@"' _
