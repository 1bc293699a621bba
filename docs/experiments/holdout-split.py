#!/usr/bin/env python3
"""Derive a dataset view with a report split that nothing chooses on.

butterflies-75 ships 'train' and 'val' only (its held-back acceptance photos are not in the folder), yet `train`
chooses its epoch and fits its temperature on 'val'. This writes OUT/labels.csv (no photos are copied: image paths
become absolute paths into DATA) in which a seeded, per-species half of 'val' becomes 'test'. Train with --data OUT,
report with `evaluate --data OUT --split test`.

usage: holdout-split.py DATA OUT [--seed 1] [--fraction 0.5]
"""
import argparse
import csv
import os
import random
from collections import defaultdict

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("out")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--fraction", type=float, default=0.5)
a = p.parse_args()

data = os.path.abspath(a.data)
with open(os.path.join(data, "labels.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())

by_species = defaultdict(list)
for i, r in enumerate(rows):
    if r["split"] == "val":
        by_species[r["species"]].append(i)
rng = random.Random(a.seed)
moved = 0
for species in sorted(by_species):
    idx = sorted(by_species[species], key=lambda i: rows[i]["id"])
    rng.shuffle(idx)
    for i in idx[: round(len(idx) * a.fraction)]:
        rows[i]["split"] = "test"
        moved += 1

os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "labels.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        for col in ("image", "mask"):
            if r.get(col):
                r[col] = os.path.join(data, r[col])
        w.writerow(r)
counts = defaultdict(int)
for r in rows:
    counts[r["split"]] += 1
print(f"{a.out}/labels.csv: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f" ({moved} moved from val)")
