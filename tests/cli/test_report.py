#!/usr/bin/env python3
"""`sitmap extract` and `sitmap check` on the reference report and on test
reports written in other outlets' styles (tests/data/reports): the places
found, the traps avoided, the claims judged, and the text-to-map pipeline."""
import json
import os
import subprocess
import sys
import tempfile

sitmap, root = os.path.abspath(sys.argv[1]), sys.argv[2]
shared = os.path.join(os.path.dirname(root), "shared")
reference = os.path.join(shared, "reports", "2017-05-syrian-army-reinforcements-badia.txt")
reports = os.path.join(root, "tests", "data", "reports")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else " " + str(detail)[:800]))
    passed, failed = passed + bool(cond), failed + (not cond)


def run(*args, **kw):
    return subprocess.run([sitmap, *args], capture_output=True, text=True, cwd=root, **kw)


def mentions(path):
    r = run("extract", "--json", path)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def claims(path):
    r = run("check", "--json", path)
    return r.returncode, [json.loads(line) for line in r.stdout.splitlines()]


# ---- the reference report ---------------------------------------------------
if not os.path.exists(reference):
    check("reference report present beside the project", False, reference)
    sys.exit(1)
raw = open(reference, "rb").read()
ms = mentions(reference)
keys = {"start", "end", "text", "name", "id", "lat", "lon", "kind", "country", "match", "score"}
check("extract --json: every mention has the documented keys",
      all(keys <= set(m) for m in ms), [sorted(keys - set(m)) for m in ms][:3])
check("offsets are byte offsets and text is the mention as written",
      all(raw[m["start"]:m["end"]].decode("utf-8") == m["text"] for m in ms),
      [(m["start"], m["end"], m["text"]) for m in ms
       if raw[m["start"]:m["end"]].decode("utf-8", "replace") != m["text"]][:3])
texts = {m["text"] for m in ms}
names = {m["name"] for m in ms}
for spelling in ("Saba’ Biyar", "Sabaa Biyar"):
    hit = [m for m in ms if m["text"] == spelling]
    check(f"reference: '{spelling}' found as Sabaa Biyar",
          hit and all(m["name"] == "Sabaa Biyar" for m in hit), hit)
want = {"Sabaa Biyar", "Al-Tanf garrison", "Bir Qassab", "Damascus", "Damascus–Baghdad highway",
        "Deir ez-Zor", "Syrian Badia", "Iraq", "Jordan"}
check("reference: all its places found", want <= names, sorted(want - names))
hw = [m for m in ms if m["name"] == "Damascus–Baghdad highway"]
check("longest match wins: the highway, not Damascus inside it",
      hw and not any(m["name"] == "Damascus" and m["start"] == hw[0]["start"] for m in ms))
# every mention is a place the text really names: no people, no common words
allowed = want | {"Syria", "Lebanon", "Iran", "Amman"}  # Amman is the dateline
check("reference: no false positives", names <= allowed, sorted(names - allowed))
am = [m for m in ms if m["name"] == "Amman"]
check("reference: the byline's 'AMMAN' is the dateline, not a place of the story",
      len(am) == 1 and am[0]["role"] == "dateline", am)
for m in ms:
    if m["kind"] == "country":
        assert m["name"] in ("Iraq", "Jordan", "Syria", "Lebanon", "Iran"), m
check("reference: countries reported as kind country",
      {m["name"] for m in ms if m["kind"] == "country"} == {"Iraq", "Jordan", "Syria", "Lebanon", "Iran"})

rc, cs = claims(reference)
bq = [c for c in cs if c["from"] == "Bir Qassab"]
ckeys = {"text", "from", "to", "claimed_m", "computed_m", "claimed_direction",
         "computed_azimuth_deg", "verdict"}
check("check --json: every claim has the documented keys", all(ckeys <= set(c) for c in cs))
check("reference: the Bir Qassab claim is found, from Damascus",
      len(bq) == 1 and bq[0]["to"] == "Damascus"
      and bq[0]["text"] == "Bir Qassab, some 50 km (30 miles) southeast of Damascus", bq)
if bq:
    c = bq[0]
    check("reference: Bir Qassab claim consistent", c["verdict"] == "consistent", c)
    check("reference: the check says Bir Qassab is derived from such a claim",
          "derives Bir Qassab" in c.get("reason", ""), c)
    check("reference: claimed 50 km, southeast",
          abs(c["claimed_m"] - 50000) < 1e-6 and c["claimed_direction"] == "southeast", c)
    check("reference: computed distance and azimuth are geodesic figures",
          abs(c["computed_m"] - 50000) < 2000 and 112.5 <= c["computed_azimuth_deg"] <= 157.5, c)
check("reference: check exits 0 (nothing inconsistent)", rc == 0, rc)
tanf = [c for c in cs if c.get("kind") == "border" and c["from"] == "Al-Tanf garrison"]
check("reference: 'Tanf base near the Iraqi border' measured to the border",
      len(tanf) == 1 and tanf[0]["to"] == "Iraq" and 5000 < tanf[0]["computed_m"] < 40000
      and tanf[0]["verdict"] == "consistent", tanf)

# ---- other outlets' styles and traps ------------------------------------------
afp = os.path.join(reports, "afp-style-2017-06.txt")
ms = mentions(afp)
names = [m["name"] for m in ms]
check("AFP: 'Deir Ezzor' and 'Albu Kamal' spellings",
      "Deir ez-Zor" in names and "Abu Kamal" in names, names)
check("AFP: 'al-Tanf' and 'Tanf garrison' both the garrison",
      sum(n == "Al-Tanf garrison" for n in names) == 2, names)
gov = [m for m in ms if m["name"] == "Damascus" and m["role"] == "government"]
check("AFP: 'pro-Damascus' and 'Damascus said' are the government",
      len(gov) == 2 and {m["start"] for m in gov} == {open(afp, "rb").read().find(b"Damascus\nmilitias"),
                                                    open(afp, "rb").read().find(b"Damascus said")}, gov)
check("AFP: 'northeast of Damascus' is a place, not the government",
      any(m["name"] == "Damascus" and m["role"] == "place" for m in ms))
for trap, why in (("Rahman", "a person's surname"), ("Walid", "Foreign Minister Walid al-Muallem"),
                  ("Ryan", "Colonel Ryan Dillon"), ("June", "a month"), ("Hit", "'Hit by' starts a sentence"),
                  ("Iraqi", "a demonym")):
    check(f"AFP: no mention of '{trap}' ({why})", not any(trap in m["text"] for m in ms),
          [m for m in ms if trap in m["text"]])
rc, cs = claims(afp)
pal = [c for c in cs if c["from"] == "Palmyra"]
check("AFP: 'Palmyra, some 220 kilometres northeast of Damascus' consistent",
      len(pal) == 1 and pal[0]["verdict"] == "consistent"
      and abs(pal[0]["computed_m"] - 217900) < 1000, pal)

alj = os.path.join(reports, "aljazeera-bgn-spellings.txt")
ms = mentions(alj)
by_text = {m["text"]: m["name"] for m in ms}
for text, name in (("Dayr az Zawr", "Deir ez-Zor"), ("Deir el-Zour", "Deir ez-Zor"), ("Tadmur", "Palmyra"),
                   ("As Sukhnah", "Sukhnah"), ("al-Qaryatain", "Qaryatayn"), ("Al Mayadeen", "Mayadin"),
                   ("Boukamal", "Abu Kamal"), ("Ar Raqqah", "Raqqa"), ("Sweida", "Suwayda"),
                   ("Deraa", "Daraa"), ("Hit", "Hit"), ("Salamiyah", "As Salamīyah")):
    check(f"spellings: '{text}' is {name}", by_text.get(text) == name, by_text.get(text))
hamra = [m for m in ms if m["text"] == "al-Hamra"]
check("ambiguous 'al-Hamra' (Syria and Jordan) resolved near Salamiyah, in Syria",
      len(hamra) == 1 and hamra[0]["country"] == "SY" and hamra[0]["candidates"] >= 2, hamra)
check("spellings: 'Ali Mansour' after a title is no place",
      not any(m["text"] in ("Ali", "Mansour") for m in ms))

# a text full of capitalized words, people, outlets and groups: only the real
# places may come out
gen = os.path.join(reports, "generic-traps.txt")
got = [m["text"] for m in mentions(gen)]
want_gen = ["Mosul Dam", "Sinjar", "Tal Afar", "Kirkuk", "Iraq", "Haditha", "Fallujah", "Khan Sheikhoun"]
check("traps: 'Many' (folds like Ma'an), 'Tell me more' (At Tall), 'Mr. Hama', 'Al Jazeera "
      "reported', 'Ahrar al-Sham', 'Amir Hassan' are no places; the real places are found",
      got == want_gen, got)

# Arabic copy: no capitals to lean on, and "and"/"in" glued to the next word
ar = os.path.join(reports, "arabic-sana-style.txt")
ms = mentions(ar)
rawar = open(ar, "rb").read()
check("Arabic: the places of an Arabic report, 'والأردن' (and Jordan) included",
      [m["name"] for m in ms] == ["Damascus", "Sabaa Biyar", "Syrian Badia", "Iraq", "Jordan",
                                  "Palmyra", "Deir ez-Zor", "Al-Tanf garrison"]
      and all(rawar[m["start"]:m["end"]].decode() == m["text"] for m in ms),
      [(m["text"], m["name"]) for m in ms])
check("Arabic: the glued conjunction is left out of the mention",
      any(m["text"] == "الأردن" for m in ms), [m["text"] for m in ms])

# distances from a border: measured to the nearest point of the country's
# boundary on the basemap, the direction as the side of the border
bd = os.path.join(reports, "border-distances.txt")
rc, cs = claims(bd)
by = {c["from"]: c for c in cs if c["from"]}
t = by.get("Al-Tanf garrison", {})
check("'Tanf garrison, about 24 km west of the Iraqi border' (20.8 km) consistent",
      t.get("verdict") == "consistent" and t.get("kind") == "border" and t.get("to") == "Iraq"
      and abs(t.get("computed_m", 0) - 20800) < 500, t)
a = by.get("Abu Kamal", {})
check("'Abu Kamal, 10 km from the border with Iraq' (6.8 km) consistent",
      a.get("verdict") == "consistent" and abs(a.get("computed_m", 0) - 6800) < 500, a)
pm = by.get("Palmyra", {})
check("'Palmyra, some 20 km west of the Iraqi border' (137 km) inconsistent",
      pm.get("verdict") == "inconsistent" and pm.get("computed_m", 0) > 130000, pm)
gh = by.get("Ghouta", {})
check("an apposition between place and claim ('Eastern Ghouta, a rebel enclave some 10 km "
      "east of Damascus') is still about that place", gh.get("verdict") == "consistent"
      and gh.get("to") == "Damascus", gh)
un = [c for c in cs if c["verdict"] == "unresolved"]
check("a claim with words between it and its place ('crossing with Iraq, about 24 km') "
      "is not judged", len(un) == 1 and "not judged" in un[0]["reason"], un)

ap = os.path.join(reports, "ap-style-wrong-claims.txt")
rc, cs = claims(ap)
check("wrong claims: check exits 1", rc == 1, rc)
by_from = {}
for c in cs:
    by_from.setdefault(c["from"], []).append(c)
ak = by_from.get("Abu Kamal", [{}])[0]
check("km and miles that disagree (120 km, 200 miles) are inconsistent",
      ak.get("verdict") == "inconsistent" and abs(ak.get("alt_claimed_m", 0) - 321869) < 1, ak)
rq = by_from.get("Raqqa", [{}])[0]
check("a direction off by more than a sector (south, really NW) is inconsistent",
      rq.get("verdict") == "inconsistent" and 290 < rq.get("computed_azimuth_deg", 0) < 320, rq)
rk = by_from.get("Rukban", [{}])[0]
check("'20 kilometers (12 miles) from al-Tanf' (22.7 km) consistent, no direction",
      rk.get("verdict") == "consistent" and rk.get("claimed_direction") is None
      and abs(rk.get("computed_m", 0) - 22700) < 500, rk)
my = by_from.get("Mayadin", [{}])[0]
check("'45 miles southeast' for 45 km is inconsistent",
      my.get("verdict") == "inconsistent" and abs(my.get("claimed_m", 0) - 72420) < 1, my)
dr = by_from.get("Daraa", [{}])[0]
check("a claim wrapped over two lines ('about\\n100 kilometers south') consistent",
      dr.get("verdict") == "consistent" and dr.get("claimed_direction") == "south", dr)
un = [c for c in cs if c["verdict"] == "unresolved"]
check("claims about no named place (an unknown village, 'convoys') are unresolved, saying which",
      [(c["to"], c["from"]) for c in un] == [("Palmyra", None), ("Al-Tanf garrison", None)]
      and all("no place named" in c["reason"] for c in un), un)
rk2 = [c for c in by_from.get("Rukban", []) if c.get("claimed_direction") == "southeast"]
check("'25 km to the southeast of the Tanf garrison' found and consistent",
      len(rk2) == 1 and rk2[0]["verdict"] == "consistent" and rk2[0]["to"] == "Al-Tanf garrison", rk2)
sk = by_from.get("Sukhnah", [{}])[0]
check("'at Sukhnah, 70 kilometers outside Palmyra': 'at' is no article; 64.6 km consistent",
      sk.get("verdict") == "consistent" and abs(sk.get("computed_m", 0) - 64600) < 500, sk)
hw40 = [c for c in by_from.get("Homs", []) if c.get("kind") == "distance"]
check("'Homs was within 40 km of Palmyra' (144 km) inconsistent",
      len(hw40) == 1 and hw40[0]["verdict"] == "inconsistent" and "not within" in hw40[0]["reason"], hw40)
hm = [c for c in by_from.get("Homs", []) if c.get("kind") == "border"]
check("'Homs, near the border with Iraq' (240 km) inconsistent",
      len(hm) == 1 and hm[0]["verdict"] == "inconsistent" and hm[0]["computed_m"] > 200000, hm)
r = run("check", ap)
check("text output names each verdict and the claim on one line",
      "inconsistent: \"Raqqa, about 120 kilometers (75 miles) south of Deir el-Zour\"" in r.stdout, r.stdout)

# ---- bad input ------------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.txt")
    with open(bad, "wb") as f:
        f.write(b"Troops moved to\nSabaa \xff Biyar\n")
    r = run("extract", bad)
    check("invalid UTF-8: exit 3 with file:line:column", r.returncode == 3 and "bad.txt:2:7: invalid UTF-8" in r.stderr,
          (r.returncode, r.stderr))
    r = run("extract", os.path.join(tmp, "missing.txt"))
    check("missing report: exit 4 naming it", r.returncode == 4 and "missing.txt" in r.stderr,
          (r.returncode, r.stderr))
    r = subprocess.run([sitmap, "extract", "--json", "-"], input="Convoys reached Palmyra.",
                       capture_output=True, text=True, cwd=root)
    check("extract reads stdin", r.returncode == 0 and json.loads(r.stdout)["name"] == "Palmyra",
          (r.returncode, r.stdout, r.stderr))

    # ---- from text to map in one go ---------------------------------------------
    for src in (reference, afp):
        draft = os.path.join(tmp, "draft.yaml")
        r = run("extract", "--briefing", reference if src == reference else src)
        check(f"extract --briefing {os.path.basename(src)}", r.returncode == 0, r.stderr)
        open(draft, "w").write(r.stdout)
        png = os.path.join(tmp, "draft.png")
        r = run("render", draft, "-o", png)
        check(f"render accepts the draft of {os.path.basename(src)} as is",
              r.returncode == 0 and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n", r.stderr)
    r = run("extract", "--briefing", reference)
    check("reference draft: the dateline (Amman) is not plotted", "Amman" not in r.stdout, r.stdout)
    check("reference draft: the strike on Bir Qassab is an event",
          '  - at: "Bir Qassab"\n    type: airstrike' in r.stdout, r.stdout)
    check("reference draft: troops moved to Sabaa Biyar is a note",
          '  - at: "Sabaa Biyar"\n    text: "Moved in the last few days to the town of Sabaa Biyar"' in r.stdout,
          r.stdout)
    # a place in the bottom-left corner (Amman, added to the draft): the
    # scale bar moves rather than hide its symbol
    r = run("extract", "--briefing", reference)
    draft = os.path.join(tmp, "draft-amman.yaml")
    open(draft, "w").write(r.stdout.replace("places:\n", 'places:\n  - "Amman"\n', 1))
    lay = os.path.join(tmp, "layout.json")
    r = run("render", draft, "-o", os.path.join(tmp, "amman.png"), "--layout-json", lay)
    items = json.load(open(lay))["items"] if r.returncode == 0 else []
    bar = [i["box"] for i in items if i.get("kind") == "scale_bar"]
    syms = [i for i in items if i.get("type") == "symbol"]

    def overlaps(a, b):
        return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
    check("the scale bar keeps clear of every symbol, Amman's included",
          len(bar) == 1 and len(syms) >= 6 and not any(overlaps(bar[0], s_["box"]) for s_ in syms),
          (bar, [s_ for s_ in syms if bar and overlaps(bar[0], s_["box"])]))
    r = run("extract", "--briefing", afp)
    check("AFP draft: 'moved from Palmyra towards As Sukhnah' is a movement",
          'movements:\n  - from: "Palmyra"\n    to: "Sukhnah"' in r.stdout, r.stdout)
    r = run("extract", "--geojson", reference)
    fc = json.loads(r.stdout) if r.returncode == 0 else {}
    sb = [f for f in fc.get("features", []) if f["properties"].get("name") == "Sabaa Biyar"]
    check("extract --geojson: one feature per place, its mentions as properties",
          len(sb) == 1 and len(sb[0]["properties"].get("mentions", [])) == 2
          and abs(sb[0]["geometry"]["coordinates"][0] - 37.68357) < 1e-5, sb)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
