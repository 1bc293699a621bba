#!/usr/bin/env python3
"""Aggregates run-grid.sh output (OUT/<variant>-<loss>-f<fraction>-s<seed>/eval.json) into markdown rows:
mean (std) over seeds of each metric. Usage: aggregate.py OUT [OUT...]"""
import json, statistics, sys, re
from pathlib import Path
from collections import defaultdict

cells = defaultdict(list)
for out in sys.argv[1:]:
    for f in sorted(Path(out).glob("*/eval.json")):
        m = re.match(r"(.+)-(flat|wce|asymptotic)-f([0-9.]+)-s(\d+)$", f.parent.name)
        if m:
            cells[(m.group(3), m.group(1), m.group(2))].append(json.loads(f.read_text()))

def ms(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    mean = 100 * statistics.mean(values)
    std = 100 * statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.1f} ({std:.1f})"

def plain(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.2f} ({std:.2f})"

print("| train fraction | variant | loss | seeds | species top-1 | species top-3 | genus top-1 | family top-1 "
      "| mistake severity | attention in mask | swap species top-1 | swap drop |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (fraction, variant, loss), runs in sorted(cells.items(), key=lambda kv: (-float(kv[0][0]), kv[0][1], kv[0][2])):
    rank = lambda r, k: [e["ranks"][r][k] for e in runs]
    swap = lambda k: [(e.get("backgroundSwap") or {}).get(k) for e in runs]
    print(f"| {float(fraction):.0%} | {variant} | {loss} | {len(runs)} | {ms(rank('species','top1'))} "
          f"| {ms(rank('species','top3'))} | {ms(rank('genus','top1'))} | {ms(rank('family','top1'))} "
          f"| {plain([e['mistakeSeverity']['meanOverAll'] for e in runs])} "
          f"| {plain([e.get('attentionInMask') for e in runs])} "
          f"| {ms(swap('top1Swapped'))} | {ms(swap('drop'))} |")
