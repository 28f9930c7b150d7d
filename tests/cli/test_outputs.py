#!/usr/bin/env python3
"""The example map in each format, read back by other tools: the PDF parsed
by poppler (pdfinfo, pdftotext: text is text, Arabic included), the SVG by an
XML parser, the PNG's header for its size."""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sitmap, root = os.path.abspath(sys.argv[1]), sys.argv[2]
example = os.path.join(root, "examples", "badia-2017-05.yaml")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else " " + detail))
    passed, failed = passed + bool(cond), failed + (not cond)


with tempfile.TemporaryDirectory() as d:
    for fmt in ("png", "pdf", "svg"):
        p = subprocess.run([sitmap, "render", example, "-o", f"{d}/m.{fmt}"], capture_output=True,
                           text=True, cwd=root)
        check(f"{fmt} renders", p.returncode == 0, p.stderr)
    info = subprocess.run(["pdfinfo", f"{d}/m.pdf"], capture_output=True, text=True)
    check("pdfinfo parses the PDF", info.returncode == 0 and re.search(r"^Pages: +1$", info.stdout, re.M) is not None,
          info.stderr)
    check("PDF page is A4 landscape", "841.89 x 595.276 pts" in info.stdout, info.stdout)
    text = subprocess.run(["pdftotext", f"{d}/m.pdf", "-"], capture_output=True, text=True).stdout
    check("PDF text is text: the title", "Syrian army reinforcements" in text, text[:300])
    check("PDF text is text: a label", "Al-Tanf garrison" in text)
    check("PDF text is text: Arabic shaped and extractable", "السبع" in text or "بيار" in text)
    check("PDF text has no unmapped glyphs", "\ufffd" not in text)
    lay = json.loads(subprocess.run([sitmap, "render", example, "-o", f"{d}/l.pdf", "--layout-json",
                                     "-"], capture_output=True, text=True, cwd=root).stdout)
    labels = [i for i in lay["items"] if i["type"] == "label" and i["kind"] in ("place", "unit")]
    # Each label's text is extracted once: halos must not read as text.
    for name in ("Deir ez-Zor", "Palmyra", "Iraqi Shi'ite paramilitaries"):
        want = sum(i["text"] == name for i in labels)
        check(f"PDF text holds '{name}' as often as the map labels it ({want})",
              want > 0 and text.count(name) == want, f"{text.count(name)} times")
    # Halos show in the PDF: near-white pixels inside labels' boxes. Land,
    # sea, water and note boxes all have a channel below 245; only a halo is
    # whiter.
    ppm = subprocess.run(["pdftoppm", "-r", "72", f"{d}/m.pdf"], capture_output=True).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    pw, ph, px = int(m.group(1)), int(m.group(2)), ppm[m.end():]
    with_halo = 0
    for it in labels:
        x, y, w, h = (int(round(v)) for v in it["box"])
        white = sum(1 for yy in range(max(y, 0), min(y + h, ph)) for xx in range(max(x, 0), min(x + w, pw))
                    if min(px[3 * (yy * pw + xx):3 * (yy * pw + xx) + 3]) >= 245)
        with_halo += white >= 5
    check(f"PDF labels have visible halos ({with_halo} of {len(labels)})",
          labels and with_halo >= 0.8 * len(labels))
    try:
        svg = ET.parse(f"{d}/m.svg").getroot()
        check("SVG is well-formed XML with an svg root", svg.tag.endswith("svg"))
    except ET.ParseError as e:
        check("SVG is well-formed XML", False, str(e))
    with open(f"{d}/m.png", "rb") as f:
        head = f.read(24)
    w, h = struct.unpack(">II", head[16:24])
    check("PNG signature and size (A4 landscape at 150 dpi)",
          head[:8] == b"\x89PNG\r\n\x1a\n" and (w, h) == (1754, 1240), f"{w}x{h}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
