#!/usr/bin/env python3
"""Reshape GMT multisegment text (`gmt coast -M` output) into a CSV of WKT
LINESTRINGs that OGR reads. GSHHG/WDBII come in storage bins, so a river is
several pieces; each piece keeps its level from the '>' header.
Usage: gmt2csv.py < segments.txt > lines.csv"""
import re
import sys

print("level,wkt")
level, pts = "", []


def flush():
    if len(pts) > 1:
        print(f'{level},"LINESTRING({",".join(pts)})"')


for line in sys.stdin:
    if line.startswith(">"):
        flush()
        m = re.search(r"Level (\d+)", line)
        level, pts = (m.group(1) if m else ""), []
    elif line.strip():
        lon, lat = line.split()[:2]
        pts.append(f"{lon} {lat}")
flush()
