#!/usr/bin/env python3
"""A briefing layer read from PostGIS through a `PG:` connection string.

Starts a throwaway PostgreSQL cluster (Debian's postgresql and postgis
packages, installed by scripts/setup) on a Unix socket in a temporary folder,
with no TCP port, loads the ACLED-style test CSV into a PostGIS table with
ogr2ogr, then renders and exports a briefing whose layer is that table: the
layer's points must be drawn (layout report) and exported with their mapped
columns. The cluster is stopped and removed whatever happens.
"""
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sitmap, root = os.path.abspath(sys.argv[1]), sys.argv[2]
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else " " + str(detail)[:800]))
    passed, failed = passed + bool(cond), failed + (not cond)


bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
if not bins or not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
    check("PostgreSQL and PostGIS installed (scripts/setup installs them)", False, bins)
    sys.exit(1)
bindir = os.path.dirname(bins[-1])

# PostgreSQL refuses to run as root: run the cluster as the postgres user then.
as_root = os.geteuid() == 0
user = "postgres" if as_root else pwd.getpwuid(os.geteuid()).pw_name


def pg(*args, **kw):
    cmd = [os.path.join(bindir, args[0]), *args[1:]]
    if as_root:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


tmp = tempfile.mkdtemp(prefix="sitmap-pg-")
os.chmod(tmp, 0o755)
data, sock = os.path.join(tmp, "data"), os.path.join(tmp, "sock")
os.makedirs(sock)
if as_root:
    pw = pwd.getpwnam("postgres")
    os.chown(tmp, pw.pw_uid, pw.pw_gid)
    os.chown(sock, pw.pw_uid, pw.pw_gid)
port = str(54000 + os.getpid() % 1000)
started = False
try:
    r = pg("initdb", "-D", data, "-U", user, "--auth=trust", "-E", "UTF8")
    check("initdb", r.returncode == 0, r.stderr)
    r = pg("pg_ctl", "-D", data, "-w", "-l", os.path.join(tmp, "log"), "-o",
           f"-k {sock} -c listen_addresses='' -p {port}", "start")
    started = r.returncode == 0
    check("cluster started on a Unix socket", started, r.stderr + r.stdout)
    r = pg("createdb", "-h", sock, "-p", port, "-U", user, "sitmap")
    check("createdb", r.returncode == 0, r.stderr)
    r = pg("psql", "-h", sock, "-p", port, "-U", user, "-d", "sitmap", "-c",
           "CREATE EXTENSION postgis")
    check("CREATE EXTENSION postgis", r.returncode == 0, r.stderr)
    conn = f"PG:host={sock} port={port} dbname=sitmap user={user}"
    csv = os.path.join(root, "tests", "data", "layers", "acled-sample.csv")
    r = subprocess.run(["ogr2ogr", "-f", "PostgreSQL", conn, csv, "-nln", "acled_events",
                        "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude",
                        "-a_srs", "EPSG:4326"], capture_output=True, text=True)
    check("the test CSV loaded into PostGIS with ogr2ogr", r.returncode == 0, r.stderr)
    n_rows = sum(1 for _ in open(csv)) - 1

    briefing = os.path.join(tmp, "pg.yaml")
    with open(briefing, "w") as f:
        f.write("title: A layer from PostGIS\ndate: 2017-05-15\nplaces:\n  - Damascus\n"
                "  - Tanf garrison\nlayers:\n"
                f"  - source: \"{conn}\"\n    layer: acled_events\n    title: ACLED events (PostGIS)\n"
                "    label: location\n    date: event_date\n")
    png, lay = os.path.join(tmp, "pg.png"), os.path.join(tmp, "layout.json")
    r = subprocess.run([sitmap, "render", briefing, "-o", png, "--layout-json", lay],
                       capture_output=True, text=True)
    check("render a briefing with a PG: layer", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        items = json.load(open(lay)).get("items", [])
        labels = {i.get("text") for i in items}
        check("the PostGIS rows are drawn and labelled from the mapped column",
              {"Bir Qassab", "Sabaa Biyar"} <= labels, sorted(t for t in labels if t)[:40])
    out = os.path.join(tmp, "pg.geojson")
    r = subprocess.run([sitmap, "export", briefing, "-o", out], capture_output=True, text=True)
    check("export a briefing with a PG: layer", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        feats = [f for f in json.load(open(out))["features"]
                 if f["properties"].get("feature_type") == "layer"]
        check("every PostGIS row exported, with name and date mapped",
              len(feats) == n_rows and all(f["properties"].get("name") and f["properties"].get("date")
                                           for f in feats), [f["properties"] for f in feats][:3])
        bq = [f for f in feats if f["properties"]["name"] == "Bir Qassab"]
        check("coordinates survive the round trip through PostGIS",
              len(bq) == 1 and abs(bq[0]["geometry"]["coordinates"][0] - 36.67042) < 1e-6
              and abs(bq[0]["geometry"]["coordinates"][1] - 33.19085) < 1e-6, bq)
    # a table that is not there is an error naming the layer
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w") as f:
        f.write(f"title: Missing table\nplaces: [Damascus]\nlayers:\n  - source: \"{conn}\"\n"
                "    layer: no_such_table\n")
    r = subprocess.run([sitmap, "render", bad, "-o", os.path.join(tmp, "bad.png")],
                       capture_output=True, text=True)
    check("a missing PostGIS table: exit 3 naming the layer",
          r.returncode == 3 and "no_such_table" in r.stderr and "layer 1" in r.stderr,
          (r.returncode, r.stderr))
finally:
    if started:
        pg("pg_ctl", "-D", data, "-w", "-m", "fast", "stop")
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
