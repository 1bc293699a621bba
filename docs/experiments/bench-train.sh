#!/usr/bin/env bash
# Training throughput per variant for each thread setting that matters, one process per setting (PyTorch fixes its
# thread pools when it loads). Run it on a quiet machine: nothing else should hold a core.
#   bench-train.sh DATA OUT.md
set -euo pipefail
data=$1 out=$2
cd "$(dirname "$0")/../.."
: > "$out"
for policy in PASSIVE ACTIVE; do
  for threads in 1 2; do
    OMP_WAIT_POLICY=$policy ./lepistream bench-train --data "$data" --threads "$threads" --out "$out" > /dev/null
  done
done
cat "$out"
