#!/usr/bin/env python3
"""`sitmap export` and --geojson: RFC 7946 GeoJSON, other OGR formats read
back with ogrinfo, properties a reader can check, bad targets refused."""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

sitmap, root = os.path.abspath(sys.argv[1]), sys.argv[2]
example = os.path.join(root, "examples", "badia-2017-05.yaml")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else " " + str(detail)[:500]))
    passed, failed = passed + bool(cond), failed + (not cond)


def run(*args, **kw):
    return subprocess.run([sitmap, *args], capture_output=True, text=True, cwd=root, **kw)


def positions(geom):
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        return [c]
    if t in ("LineString", "MultiPoint"):
        return c
    if t in ("Polygon", "MultiLineString"):
        return [p for ring in c for p in ring]
    return [p for poly in c for ring in poly for p in ring]


def signed_area(ring):
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
               for i in range(len(ring) - 1)) / 2


with tempfile.TemporaryDirectory() as d:
    gj = f"{d}/badia.geojson"
    p = run("export", example, "-o", gj)
    check("export to GeoJSON", p.returncode == 0, p.stderr)
    raw = open(gj).read()
    doc = json.loads(raw)
    feats = doc["features"]
    # RFC 7946
    check("no crs member", "crs" not in doc)
    pos = [q for f in feats for q in positions(f["geometry"])]
    check("every position is [lon, lat] in range",
          all(len(q) == 2 and -180 <= q[0] <= 180 and -90 <= q[1] <= 90 for q in pos))
    check("longitude first: the features lie at 35-45°E (the highway runs to Baghdad), 32-37°N",
          all(35 <= q[0] <= 45 and 32 <= q[1] <= 37 for q in pos))
    rings_ok = True
    for f in feats:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] if g["type"] == "MultiPolygon" else []
        for poly in polys:
            rings_ok &= signed_area(poly[0]) > 0 and all(signed_area(h) < 0 for h in poly[1:])
            rings_ok &= all(r[0] == r[-1] for r in poly)
    check("polygons: exterior rings counter-clockwise and closed", rings_ok)
    decimals = max(len(m) for m in re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in feats])))
    check("coordinates carry at most 6 decimals", decimals <= 6, decimals)
    p = run("export", example, "-o", f"{d}/p3.geojson", "--precision", "3")
    g3 = json.load(open(f"{d}/p3.geojson"))
    d3 = max(len(m) for m in re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in g3["features"]])))
    check("--precision 3 gives at most 3 decimals", p.returncode == 0 and d3 <= 3, d3)
    # the model, feature by feature
    by = {}
    for f in feats:
        by.setdefault(f["properties"]["feature_type"], []).append(f)
    counts = {k: len(v) for k, v in by.items()}
    check("every feature of the briefing", counts == {"place": 10, "unit": 4, "movement": 3,
                                                     "zone": 2, "route": 1, "event": 2, "note": 1}, counts)
    types = {k: sorted({f["geometry"]["type"] for f in v}) for k, v in by.items()}
    check("geometry types by feature", types == {"place": ["Point"], "unit": ["Point"],
                                                 "movement": ["LineString"], "zone": ["Polygon"],
                                                 "route": ["LineString"], "event": ["Point"],
                                                 "note": ["Point"]}, types)
    dam = [f for f in by["place"] if f["properties"]["name"] == "Damascus"][0]
    check("Damascus at [36.29128, 33.5102]", dam["geometry"]["coordinates"] == [36.29128, 33.5102])
    sab = [f for f in by["place"] if f["properties"].get("gazetteer_id") == "geonames:165158"][0]["properties"]
    check("resolved places carry query, gazetteer_id, match, score, source",
          sab["query"] == "Sabaa Biyar" and sab["match"] == "exact" and sab["score"] == 1
          and sab["source"] == "GeoNames 165158", sab)
    unit = [f["properties"] for f in by["unit"] if f["properties"]["side"] == "hostile"][0]
    check("units carry side, kind, label", unit["kind"] == "armor" and "Syrian army" in unit["label"], unit)
    mv = by["movement"][0]["properties"]
    legs = run("dist", "--json", "Damascus", "Dumayr", "Sabaa Biyar").stdout.splitlines()
    total = json.loads(legs[-1])["total_distance_m"]
    check("movement distance_m is the geodesic length of its legs",
          abs(mv["distance_m"] - total) < 0.01 and mv["status"] == "reported" and mv["side"] == "hostile",
          (mv, total))
    check("movement azimuth_deg from start to end", 0 <= mv["azimuth_deg"] < 360)
    line = by["movement"][0]["geometry"]["coordinates"]
    check("movement densified along the geodesic (a vertex at least every 10 km)", len(line) >= 14, len(line))
    zone = [f["properties"] for f in by["zone"] if f["properties"]["kind"] == "circle"][0]
    check("circle zone: radius_m and area_km2 (pi 55^2 within 1%)",
          zone["radius_m"] == 55000 and abs(zone["area_km2"] - math.pi * 55 ** 2) < 0.01 * math.pi * 55 ** 2, zone)
    note = by["note"][0]["properties"]
    check("notes carry their text", "Tanf base" in note["text"])
    # other formats, read back by GDAL's own ogrinfo
    for ext, drv in (("gpkg", "GPKG"), ("fgb", "FlatGeobuf"), ("kml", "KML"), ("csv", "CSV")):
        out = f"{d}/badia.{ext}"
        p = run("export", example, "-o", out)
        info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", out], capture_output=True, text=True)
        n = sum(int(x) for x in re.findall(r"Feature Count: (\d+)", info.stdout))
        check(f"{drv}: written and read back with 23 features", p.returncode == 0 and n == 23,
              p.stderr + info.stdout[-300:])
    csvtext = open(f"{d}/badia.csv").read().splitlines()
    check("CSV carries WKT and lon/lat columns", csvtext[0].startswith("WKT,") and ",lon,lat" in csvtext[0], csvtext[0])
    p = run("export", example, "-o", f"{d}/shp/badia.shp")
    check("Shapefile into a missing folder is an I/O error", p.returncode == 4, p.stderr)
    os.mkdir(f"{d}/shp")
    p = run("export", example, "-o", f"{d}/shp/badia.shp")
    names = sorted(os.listdir(f"{d}/shp"))
    check("Shapefile: points, lines and polygons files, nothing left over",
          p.returncode == 0 and "badia.shp" in names and "badia_lines.shp" in names
          and "badia_polygons.shp" in names and not any("tmp" in x for x in names), names)
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", f"{d}/shp/badia_polygons.shp"],
                          capture_output=True, text=True)
    check("Shapefile polygons read back", "Feature Count: 2" in info.stdout, info.stdout[-300:])
    # --geojson on resolve, dist and near
    p = run("resolve", "--geojson", "Saba’ Biyar", "33.5,36.3")
    r = json.loads(p.stdout)
    check("resolve --geojson", p.returncode == 0 and len(r["features"]) == 2
          and r["features"][0]["properties"]["gazetteer_id"] == "geonames:165158"
          and r["features"][1]["properties"]["match"] == "coordinate", p.stdout[:300])
    p = run("dist", "--geojson", "Damascus", "Sabaa Biyar", "Tanf garrison")
    r = json.loads(p.stdout)
    check("dist --geojson: legs as LineStrings with distances",
          [f["geometry"]["type"] for f in r["features"]] == ["LineString", "LineString"]
          and all(k in r["features"][0]["properties"] for k in
                  ("from", "to", "distance_m", "distance_km", "distance_mi", "distance_nmi",
                   "azimuth_deg", "compass")), p.stdout[:300])
    p = run("dist", "--geojson", "10 170", "10 -170")
    g = json.loads(p.stdout)["features"][0]["geometry"]
    check("a leg across the antimeridian is split", g["type"] == "MultiLineString"
          and all(-180 <= q[0] <= 180 for q in positions(g)), g["type"])
    p = run("near", "Tanf garrison", "--within", "55km", "--geojson", "-o", f"{d}/near.gpkg")
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", f"{d}/near.gpkg"], capture_output=True, text=True)
    check("near --geojson -o FILE.gpkg", p.returncode == 0 and "Feature Count: 2" in info.stdout,
          p.stderr + info.stdout[-200:])
    p = run("export", "tests/data/briefings/layers.yaml", "-o", f"{d}/layers.geojson")
    lf = [f for f in json.load(open(f"{d}/layers.geojson"))["features"]
          if f["properties"]["feature_type"] == "layer"]
    acled = [f["properties"] for f in lf if f["properties"]["layer"].startswith("ACLED")]
    check("layers export: the ACLED-style CSV's points with name and date columns mapped",
          p.returncode == 0 and len(acled) == 4
          and {(a["name"], a["date"]) for a in acled} >= {("Bir Qassab", "2017-05-09")}, acled)
    roads = [f for f in lf if f["properties"]["layer"].startswith("Roads")]
    check("layers export: the GeoJSON's lines, filtered by the layer's where",
          len(roads) == 1 and roads[0]["geometry"]["type"] == "LineString", roads)
    p = run("export", example, "-o", f"{d}/x.gif")
    check("an unknown extension is a usage error", p.returncode == 2 and "--format" in p.stderr, p.stderr)
    p = run("export", example, "-o", "/nonexistent/dir/x.geojson")
    check("an unwritable target is an I/O error", p.returncode == 4, p.stderr)
    check("no temporary folder left beside the outputs",
          not any(".tmp-" in x for x in os.listdir(d)), os.listdir(d))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
