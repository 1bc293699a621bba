#!/usr/bin/env bash
# Offline Identifier throughput of two versions of the code, taking turns (so the machine's load hits both alike):
#   ab-inference.sh BEFORE_TREE AFTER_TREE MODEL_DIR OUT_DIR [ROUNDS] [MASK_FREE_ABOVE]
# A tree is a checkout with vision built (`./mvnw -q package -DskipTests -pl vision`; `git worktree add` makes one of an
# older commit). Each round runs, per tree, ONNX Runtime at batch 1 and 32, "as served" (the cascade threshold,
# default 0.404) and with every photo segmented. Prints one table row per cell; the reports go to OUT_DIR.
set -euo pipefail
before=$(readlink -f "$1") after=$(readlink -f "$2") model=$(readlink -f "$3") out=$(mkdir -p "$4" && readlink -f "$4")
rounds=${5:-2} mask_free=${6:-0.404}
repo="$(cd "$(dirname "$0")/../.." && pwd)"
data="${DATA:-$repo/../shared/data/leeds-butterflies}"
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} DJL_CACHE_DIR="${DJL_CACHE_DIR:-$repo/.cache/djl}"
for round in $(seq 1 "$rounds"); do
  for v in before after; do
    tree=$before; [[ $v == after ]] && tree=$after
    cp="$tree/vision/target/classes:$(cat "$tree/vision/target/classpath.txt")"
    for mode in served all; do
      extra=(); [[ $mode == served ]] && extra=(--mask-free-above "$mask_free")
      echo "$(date -u +%T) $v $mode round $round, load $(cut -d' ' -f1 /proc/loadavg)"
      java -Dai.djl.offline=true -cp "$cp" org.lepistream.vision.cli.VisionCli bench-inference --model "$model" \
        --data "$data" --engine onnxruntime --batch-sizes 1,32 --seconds-per-size 15 --rounds 1 --soak-inferences 0 \
        --no-mirrored-mask "${extra[@]}" --threads 2 --out "$out/$v-$mode-$round.md" > "$out/$v-$mode-$round.log" 2>&1
      grep -E "^\| onnxruntime" "$out/$v-$mode-$round.md"
    done
  done
done
