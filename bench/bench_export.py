#!/usr/bin/env python3
"""Export of 1,000,000 points to GeoJSON: sitmap against ogr2ogr, same data.

The points sit in a CSV (lon, lat, name). ogr2ogr converts it to RFC 7946
GeoJSON with 6 decimals, run both as typed and stripped to one property; sitmap exports a briefing whose layer is that CSV
(labels from the name column) to the same kind of file. Best of three runs
each; the feature counts of both outputs are checked to agree.
Usage: bench_export.py BUILD/sitmap [N]
"""
import os
import random
import subprocess
import sys
import tempfile
import time

sitmap = os.path.abspath(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
d = tempfile.mkdtemp(prefix="sitmap-bench-export-")
rng = random.Random(7)
with open(f"{d}/points.csv", "w") as f:
    f.write("lon,lat,name\n")
    for i in range(n):
        f.write(f"{rng.uniform(35, 42):.6f},{rng.uniform(32, 37):.6f},point {i}\n")
with open(f"{d}/b.yaml", "w") as f:
    f.write("title: Export benchmark\nextent: {bbox: [35, 32, 42, 37]}\n"
            "layers:\n  - source: points.csv\n    label: name\n")


def best(cmd, runs=3):
    t = []
    for _ in range(runs):
        for out in ("ogr.geojson", "sitmap.geojson"):
            if os.path.exists(f"{d}/{out}"):
                os.unlink(f"{d}/{out}")  # GeoJSON is written anew, never appended to
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        t.append(time.perf_counter() - t0)
    return min(t)


# ogr2ogr two ways: as a user types it (the CSV's lon and lat stay as
# properties: three per feature, as many as sitmap writes) and stripped to
# the name alone (KEEP_GEOM_COLUMNS=NO: one property, less to write).
base = ["ogr2ogr", "-f", "GeoJSON", "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=6",
        f"{d}/ogr.geojson", f"{d}/points.csv", "-oo", "X_POSSIBLE_NAMES=lon",
        "-oo", "Y_POSSIBLE_NAMES=lat"]
t_ogr3 = best(base)
t_ogr1 = best(base + ["-oo", "KEEP_GEOM_COLUMNS=NO"])
t_sm = best([sitmap, "export", f"{d}/b.yaml", "-o", f"{d}/sitmap.geojson"])
subprocess.run(base, check=True, capture_output=True)
c_ogr = sum(1 for line in open(f"{d}/ogr.geojson") if '"type": "Feature"' in line)
c_sm = sum(1 for line in open(f"{d}/sitmap.geojson") if '"type": "Feature"' in line)
print(f"points            {n}")
print(f"ogr2ogr           {t_ogr3:.3f} s  (lon, lat, name: 3 properties, as typed)")
print(f"ogr2ogr stripped  {t_ogr1:.3f} s  (name only: KEEP_GEOM_COLUMNS=NO)")
print(f"sitmap export     {t_sm:.3f} s  (name, feature_type, layer: 3 properties)")
print(f"time ratio        {t_sm / t_ogr3:.3f} against ogr2ogr as typed, "
      f"{t_sm / t_ogr1:.3f} against the stripped run (goal <= 1)")
print(f"features written  sitmap {c_sm}, ogr2ogr {c_ogr}")
subprocess.run(["rm", "-rf", d])
sys.exit(0 if c_sm == c_ogr == n else 1)
