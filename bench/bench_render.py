#!/usr/bin/env python3
"""Render time of the example briefing, sitmap against GMT, in the same run.

GMT draws a comparable map of the same region: coastlines, borders, rivers
and lakes (GSHHG), the report's places as symbols with labels, a frame with
degree annotations, a scale bar and a north arrow, in the same Lambert
conic projection. sitmap draws the full briefing map (units, movements,
zones, legend, inset...), so it does more work. The two run alternately, nine
times each; the best run of each counts.
Usage: bench_render.py BUILD/sitmap
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sitmap = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
example = os.path.join(root, "examples", "badia-2017-05.yaml")
tmp = tempfile.mkdtemp(prefix="sitmap-bench-")

# The map's own extent and projection, and the report's places, from sitmap.
lay = json.loads(subprocess.run([sitmap, "render", example, "-o", f"{tmp}/probe.png",
                                 "--layout-json", "-"], capture_output=True, check=True,
                                text=True).stdout)
lon0, lat0, lon1, lat1 = lay["extent"]
proj = dict(kv.split("=") for kv in lay["projection"].split() if "=" in kv)
places = ["Damascus", "Sabaa Biyar", "Dumayr", "Bir Qassab", "Deir ez-Zor", "Palmyra",
          "Tanf garrison", "Al-Tanf border crossing", "Al-Ba'aj", "Umm al-Jaris border crossing"]
res = subprocess.run([sitmap, "resolve", "--json", *places], capture_output=True, check=True,
                     text=True).stdout.splitlines()
with open(f"{tmp}/points.txt", "w") as f:
    for line in res:
        p = json.loads(line)
        f.write(f"{p['lon']} {p['lat']} {p['name']}\n")

def gmt_script(fmt):
    return f"""
gmt begin {tmp}/gmtmap {fmt}
gmt coast -R{lon0}/{lon1}/{lat0}/{lat1}r -JL{proj['+lon_0']}/{proj['+lat_0']}/{proj['+lat_1']}/{proj['+lat_2']}/21c \\
    -Dh -G245/243/234 -S205/224/240 -N1/0.6p,gray50 -Ia/0.5p,steelblue -W0.3p -Baf -BWSne
gmt plot {tmp}/points.txt -Sc0.18c -Gblack -W0.5p,white
gmt text {tmp}/points.txt -F+f8p,Helvetica,black+jLM -D0.2c/0
gmt basemap -LjBL+w100k+o0.5c/0.8c+f -TdjTR+w1.2c+o0.4c
gmt end
"""

def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0

env = dict(os.environ, GMT_SESSION_NAME=str(os.getpid()))
RUNS = 9
for fmt in ("png", "pdf"):
    script = gmt_script(fmt)
    gmt = lambda: subprocess.run(["bash", "-c", script], check=True, env=env, capture_output=True)
    sm = lambda: subprocess.run([sitmap, "render", example, "-o", f"{tmp}/map.{fmt}"],
                                check=True, capture_output=True)
    # Alternated, so a slow spell of the machine falls on both; the best run
    # of each counts, and the spread of the per-pair ratios is shown.
    t_gmt, t_sm = [], []
    for _ in range(RUNS):
        t_gmt.append(timed(gmt))
        t_sm.append(timed(sm))
    pairs = sorted(a / b for a, b in zip(t_sm, t_gmt))
    print(f"{fmt.upper()}   sitmap {min(t_sm):.3f} s   GMT {min(t_gmt):.3f} s   "
          f"ratio {min(t_sm) / min(t_gmt):.2f} (goal <= 0.25; run by run "
          f"{pairs[0]:.2f} to {pairs[-1]:.2f}, median {pairs[len(pairs) // 2]:.2f})")
subprocess.run(["rm", "-rf", tmp])
