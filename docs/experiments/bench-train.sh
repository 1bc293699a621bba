#!/usr/bin/env bash
# Training throughput per variant for each thread setting that matters, one process per setting (PyTorch fixes its
# thread pools when it loads). Run it on a quiet machine: nothing else should hold a core.
#   bench-train.sh DATA OUT.md
set -euo pipefail
data=$1 out=$2
cd "$(dirname "$0")/../.."
: > "$out"
# Busy-waiting OpenMP threads only matter when there is another thread to wait for: ACTIVE is measured at 2.
for setting in "PASSIVE 1" "PASSIVE 2" "ACTIVE 2"; do
  read -r policy threads <<< "$setting"
  OMP_WAIT_POLICY=$policy ./lepistream bench-train --data "$data" --threads "$threads" --out "$out" > /dev/null
done
cat "$out"
