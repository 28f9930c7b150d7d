#!/usr/bin/env python3
"""`sitmap dist --batch` against PROJ's `geod -I` on the same 1,000,000 pairs.

Both read the same random pairs (seeded) from a file and write to a file, in
the same run; each is timed three times and the best run counts. The
outputs are then compared: distances must agree to 1 mm.
Usage: bench_dist.py BUILD/sitmap [N]
"""
import os
import random
import subprocess
import sys
import time

sitmap = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
os.makedirs(d, exist_ok=True)
rng = random.Random(42)
pairs = [(rng.uniform(-89, 89), rng.uniform(-180, 180),
          rng.uniform(-89, 89), rng.uniform(-180, 180)) for _ in range(n)]
sm_in, g_in = os.path.join(d, "pairs.tsv"), os.path.join(d, "pairs.geod")
with open(sm_in, "w") as f:
    f.writelines(f"{a:.6f} {b:.6f}\t{c:.6f} {e:.6f}\n" for a, b, c, e in pairs)
with open(g_in, "w") as f:
    f.writelines(f"{a:.6f} {b:.6f} {c:.6f} {e:.6f}\n" for a, b, c, e in pairs)


def best(cmd, inp, outp, runs=3):
    t = []
    for _ in range(runs):
        with open(inp, "rb") as fi, open(outp, "wb") as fo:
            t0 = time.perf_counter()
            subprocess.run(cmd, stdin=fi, stdout=fo, check=True)
            t.append(time.perf_counter() - t0)
    return min(t)


sm_out, g_out = os.path.join(d, "sitmap.out"), os.path.join(d, "geod.out")
t_geod = best(["geod", "-I", "+ellps=WGS84", "-f", "%.6f", "-F", "%.4f"], g_in, g_out)
t_sm = best([sitmap, "dist", "--batch"], sm_in, sm_out)
worst = 0.0
with open(sm_out) as a, open(g_out) as b:
    for x, y in zip(a, b):
        worst = max(worst, abs(float(x.split("\t", 1)[0]) - float(y.split()[2])))
print(f"pairs            {n}")
print(f"geod -I          {t_geod:.3f} s  {n / t_geod:,.0f} pairs/s")
print(f"sitmap --batch   {t_sm:.3f} s  {n / t_sm:,.0f} pairs/s")
print(f"time ratio       {t_sm / t_geod:.3f} (sitmap / geod; goal <= 0.5)")
print(f"max |d| diff     {worst * 1000:.3f} mm (goal <= 1 mm)")
sys.exit(0 if worst <= 0.001 else 1)
