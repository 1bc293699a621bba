#!/usr/bin/env python3
"""Aggregates budget-grid.sh output (OUT/<variant>-<loss>-s<seed>/{test.json,bundle.json}) into markdown: mean (std)
over seeds of every figure docs/RESULTS.md reports for a budgeted grid, on the split nothing chose from.
Bundles written by LAST=1 budget-grid.sh (OUT/<name>-last: the schedule's last epoch) are rows of their own, marked
"last"; the others keep the best `val` epoch.
Usage: budget-table.py OUT [OUT...]"""
import json, statistics, sys, re
from pathlib import Path
from collections import defaultdict

cells = defaultdict(list)
for out in sys.argv[1:]:
    for f in sorted(Path(out).glob("*/test.json")):
        m = re.match(r"(.+)-(flat|wce|asymptotic)-s(\d+)(-last)?$", f.parent.name)
        if m:
            bundle = json.loads((f.parent / "bundle.json").read_text())
            variant = m.group(1) + (" (last)" if m.group(4) else "")
            cells[(variant, m.group(2))].append((json.loads(f.read_text()), bundle))

def stats(values, scale=100.0, digits=1):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    mean = scale * statistics.mean(values)
    std = scale * statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ({std:.{digits}f})"

def coverage_at(curve, precision):
    """Largest share accepted with accepted precision >= target, from a risk-coverage curve."""
    ok = [p["coverage"] for p in curve if 1 - p["risk"] >= precision]
    return max(ok) if ok else 0.0

print("| variant | loss | seeds | epochs | species top-1 | top-3 | macro recall | genus | family | severity "
      "| ECE | attention in predicted mask | accepted at 95% (Over-CAM / confidence) "
      "| accepted at 99% (Over-CAM / confidence) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (variant, loss), runs in sorted(cells.items()):
    ev = [r[0] for r in runs]
    tr = [r[1]["metrics"]["training"] for r in runs]
    rank = lambda r, k: [e["ranks"][r][k] for e in ev]
    routing = [e.get("routing") for e in ev]
    def cov(key, precision):
        return [coverage_at(r[key], precision) if r else None for r in routing]
    print(f"| {variant} | {loss} | {len(runs)} | {stats([t['epochsRun'] for t in tr], 1, 1)} "
          f"| {stats(rank('species', 'top1'))} | {stats(rank('species', 'top3'))} "
          f"| {stats([e.get('macroRecall') for e in ev])} | {stats(rank('genus', 'top1'))} "
          f"| {stats(rank('family', 'top1'))} "
          f"| {stats([e['mistakeSeverity']['meanOverAll'] for e in ev], 1, 3)} "
          f"| {stats([e.get('ece') for e in ev], 1, 3)} "
          f"| {stats([e.get('attentionInPredictedMask') for e in ev], 1, 2)} "
          f"| {stats(cov('curveWithOverlap', .95))} / {stats(cov('curveConfidenceOnly', .95))} "
          f"| {stats(cov('curveWithOverlap', .99))} / {stats(cov('curveConfidenceOnly', .99))} |")
