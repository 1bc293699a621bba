#!/usr/bin/env python3
"""Reads a DumpLogSegments --offsets-decoder --deep-iteration dump of __consumer_offsets and checks, per producer id,
what issue 16's hypothesis predicts: transactional offset commits that an ABORT marker discards although they were
never followed by a COMMIT, and offset commits still pending (no marker) at the end of the log.

usage: offsets-trace.py DUMP [GROUP]"""
import re
import sys
from collections import defaultdict

BATCH = re.compile(r"^baseOffset: (\d+) .* producerId: (-?\d+) producerEpoch: (-?\d+) .*"
                   r"isTransactional: (\w+) isControl: (\w+)")
MARKER = re.compile(r"endTxnMarker: (COMMIT|ABORT)")
COMMIT_KEY = re.compile(r'key: \{"type":"1","data":\{"group":"([^"]+)","topic":"([^"]+)","partition":(\d+)\}\} '
                        r'payload: \{"version":"\d+","data":\{"offset":(\d+)')


def main():
    dump, group = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    pending = defaultdict(list)   # producer id -> [(log offset, epoch, {tp: committed offset})]
    stats = defaultdict(lambda: {"commit": 0, "abort": 0, "aborted_offset_txns": 0, "epochs": set()})
    findings = []
    batch = None
    with open(dump) as f:
        for line in f:
            m = BATCH.match(line)
            if m:
                batch = dict(offset=int(m[1]), pid=int(m[2]), epoch=int(m[3]),
                             txn=m[4] == "true", control=m[5] == "true", commits={})
                if batch["txn"] and not batch["control"]:
                    pending[batch["pid"]].append(batch)
                continue
            if batch is None or not line.startswith("| offset:"):
                continue
            if batch["control"]:
                kind = MARKER.search(line)[1]
                s = stats[batch["pid"]]
                s["epochs"].add(batch["epoch"])
                s[kind.lower()] += 1
                open_txn = [b for b in pending.pop(batch["pid"], []) if b["commits"]]
                if kind == "ABORT" and open_txn:
                    s["aborted_offset_txns"] += 1
                    findings.append(f"ABORT of producer {batch['pid']} epoch {batch['epoch']} at {batch['offset']} "
                                    f"discards offset commits at {[b['offset'] for b in open_txn]} (epochs "
                                    f"{sorted({b['epoch'] for b in open_txn})}): "
                                    f"{[b['commits'] for b in open_txn]}")
                continue
            m = COMMIT_KEY.search(line)
            if m and batch["txn"] and (group is None or m[1] == group):
                batch["commits"][f"{m[2].split('-')[-1]}-{m[3]}"] = int(m[4])
    for pid, s in sorted(stats.items()):
        print(f"producer {pid}: {s['commit']} COMMIT, {s['abort']} ABORT markers, epochs {min(s['epochs'])}.."
              f"{max(s['epochs'])}, {s['aborted_offset_txns']} aborts that discarded offset commits")
    for pid, batches in sorted(pending.items()):
        open_txn = [b for b in batches if b["commits"]]
        if open_txn:
            findings.append(f"producer {pid}: offset commits without a marker at the end of the log at "
                            f"{[b['offset'] for b in open_txn]}: {[b['commits'] for b in open_txn]}")
    print("\n".join(findings) if findings else "no offset commit discarded by an ABORT, none left pending")


if __name__ == "__main__":
    main()
