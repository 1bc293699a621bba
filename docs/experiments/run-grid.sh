#!/usr/bin/env bash
# Runs one experiment grid on a labelled dataset: train + evaluate (val, with background swap) per cell and seed.
# Every cell's bundle and evaluation JSON land in OUT/<name>/; aggregate.py turns them into the RESULTS tables.
#
#   docs/experiments/run-grid.sh OUT "<variants>" "<losses>" "<fractions>" "<seeds>" [extra train args...]
#   e.g. docs/experiments/run-grid.sh /tmp/grid "resnet cbam cbam-guided" "flat" "0.15" "1 2 3 4 5" --epochs 40
#
# DATA defaults to ../shared/data/leeds-butterflies (read in place, never copied).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1" variants="$2" losses="$3" fractions="$4" seeds="$5"; shift 5
data="${DATA:-$repo/../shared/data/leeds-butterflies}"
lepi="${LEPISTREAM:-$repo/lepistream}"   # override to run a frozen build while the tree changes
mkdir -p "$out"
for fraction in $fractions; do
  for variant in $variants; do
    for loss in $losses; do
      for seed in $seeds; do
        name="$variant-$loss-f$fraction-s$seed"
        [ -f "$out/$name/eval.json" ] && continue   # resumable: finished cells are kept
        rm -rf "${out:?}/$name"
        echo "== $name $(date -u +%H:%M:%S)"
        "$lepi" train --data "$data" --out "$out/$name" --variant "$variant" --loss "$loss" \
          --train-fraction "$fraction" --seed "$seed" "$@" > "$out/$name.train.log" 2>&1
        "$lepi" evaluate --model "$out/$name" --data "$data" --split val --background-swap \
          --json "$out/$name/eval.json" > "$out/$name.eval.log" 2>&1
        tail -n 12 "$out/$name.eval.log" | grep -E "species|family|swap|attention" || true
      done
    done
  done
done
