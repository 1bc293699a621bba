#!/usr/bin/env bash
# Trains and evaluates a grid of variants at an equal wall-time budget, one run at a time (two cores: runs in
# parallel would halve each other's speed and so their budgets).
#   budget-grid.sh DATA OUT BUDGET "variant:loss ..." "seed ..." [extra train options...]
# BUDGET is wall time (20m) or, as a bare number, epochs: equal epochs do not depend on what else the machine runs.
# e.g. budget-grid.sh /tmp/b75h /tmp/grid 20m "resnet:wce cbam:wce cbam-guided:wce" "1 2 3" --segmenter-from SEG
# DATA is a dataset with train/val/test splits (docs/experiments/holdout-split.py makes one); 'val' chooses the epoch
# and fits the temperature, every figure is reported on 'test' (or on $SPLIT: e.g. SPLIT=val with --keep last, where
# 'val' chooses nothing that top-1 depends on). With LAST=1 each run also writes its schedule's last epoch as a second
# bundle (<name>-last, evaluated the same way), to compare keeping the best with keeping the last. The classes are
# copied first, so rebuilding the repository while the grid runs does not change the code under it.
set -euo pipefail
data=$1 out=$2 budget=$3 cells=$4 seeds=$5
shift 5
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
if [[ $budget =~ ^[0-9]+$ ]]; then limit=(--epochs "$budget"); else limit=(--time-budget "$budget"); fi
frozen="$out/.classes"
if [[ ! -d "$frozen" ]]; then
  (cd "$repo" && ./lepistream train --help > /dev/null)   # builds vision when its sources changed
  cp -r "$repo/vision/target/classes" "$frozen"
  # The repository's own jars on the class path are copied too: a rebuild would replace them under a running JVM.
  mkdir -p "$out/.jars"
  tr ':' '\n' < "$repo/vision/target/classpath.txt" | while read -r jar; do
    if [[ "$jar" == "$repo"/* || "$jar" == */org/lepistream/* ]]; then
      cp "$jar" "$out/.jars/"; echo "$out/.jars/$(basename "$jar")"
    else
      echo "$jar"
    fi
  done | paste -sd: > "$out/.classpath"
fi
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} DJL_CACHE_DIR="${DJL_CACHE_DIR:-$repo/.cache/djl}"
vision=(java -Dai.djl.offline=true -cp "$frozen:$(cat "$out/.classpath")" org.lepistream.vision.cli.VisionCli)
for seed in $seeds; do
  for cell in $cells; do
    variant=${cell%%:*} loss=${cell##*:}
    name="$variant-$loss-s$seed"
    [[ -f "$out/$name/test.json" ]] && continue
    rm -rf "${out:?}/$name" "${out:?}/$name-last"
    last=()
    [[ "${LAST:-0}" == 1 ]] && last=(--last-epoch-to "$out/$name-last")
    echo "$(date -u +%FT%TZ) $name: train (budget $budget), load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/grid.log"
    /usr/bin/time -v -o "$out/$name.time" "${vision[@]}" train --data "$data" --out "$out/$name" --variant "$variant" \
      --loss "$loss" --seed "$seed" "${limit[@]}" --threads 2 "${last[@]}" "$@" > "$out/$name.log" 2>&1
    if [[ ${#last[@]} -gt 0 ]]; then
      "${vision[@]}" evaluate --model "$out/$name-last" --data "$data" --split "${SPLIT:-test}" \
        --json "$out/$name-last/test.json" > "$out/$name-last.eval.log" 2>&1
    fi
    "${vision[@]}" evaluate --model "$out/$name" --data "$data" --split "${SPLIT:-test}" --json "$out/$name/test.json" \
      > "$out/$name.eval.log" 2>&1
    echo "$(date -u +%FT%TZ) $name: $(grep -m1 'species  top-1' "$out/$name.eval.log" | xargs)" | tee -a "$out/grid.log"
  done
done
