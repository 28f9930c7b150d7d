#!/usr/bin/env python3
"""Extraction throughput: `sitmap extract --json` on a large synthetic corpus
with the full gazetteer loaded, in MB of text per second (goal: 10 MB/s).

The corpus is the reference report and the test reports in other outlets'
styles, repeated to N MB. The peer is the nearest thing a user has without
sitmap: GNU grep matching every gazetteer name and alias as a fixed string
(-F -i -o -w), which finds spellings only as listed, with no folding,
context or resolution. Best of three runs each.
Usage: bench_extract.py BUILD/sitmap [MB]
"""
import glob
import os
import subprocess
import sys
import tempfile
import time

sitmap = os.path.abspath(sys.argv[1])
mb = float(sys.argv[2]) if len(sys.argv) > 2 else 32
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
texts = [open(p, encoding="utf-8").read() for p in
         [os.path.join(root, "examples", "2017-05-syrian-army-reinforcements-badia.txt")]
         + sorted(glob.glob(os.path.join(root, "tests", "data", "reports", "*.txt")))]
unit = "\n\n".join(texts) + "\n\n"
d = tempfile.mkdtemp(prefix="sitmap-bench-extract-")
corpus = os.path.join(d, "corpus.txt")
with open(corpus, "w", encoding="utf-8") as f:
    f.write(unit * max(1, int(mb * 1e6 / len(unit.encode("utf-8")))))
size = os.path.getsize(corpus)
names = set()
for tsv in glob.glob(os.path.join(root, "gazetteer", "*.tsv")):
    for line in open(tsv, encoding="utf-8"):
        if line.startswith("#") or line.startswith("id\t"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) > 2:
            names.add(cols[1])
            names.update(a for a in cols[2].split("|") if a)
with open(os.path.join(d, "names.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(names)) + "\n")


def best(cmd, runs=3):
    t, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, check=True, capture_output=True)
        t.append(time.perf_counter() - t0)
        out = r.stdout
    return min(t), out


ts, out = best([sitmap, "extract", "--json", corpus])
n_sitmap = out.count(b"\n")
tg, out = best(["grep", "-F", "-i", "-o", "-w", "-f", os.path.join(d, "names.txt"), corpus])
n_grep = out.count(b"\n")
print(f"corpus {size / 1e6:.1f} MB, {len(names)} gazetteer names and aliases")
print(f"sitmap extract  {ts:6.2f} s  {size / 1e6 / ts:6.1f} MB/s  {n_sitmap} mentions")
print(f"grep -F -f      {tg:6.2f} s  {size / 1e6 / tg:6.1f} MB/s  {n_grep} matches")
print(f"ratio sitmap/grep (time): {ts / tg:.2f}; goal 10 MB/s: "
      f"{'met' if size / 1e6 / ts >= 10 else 'NOT met'}")
