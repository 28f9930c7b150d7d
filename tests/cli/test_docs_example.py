#!/usr/bin/env python3
"""The complete example in docs/briefing-format.md renders, and is the same
briefing as examples/badia-2017-05.yaml, so the documentation cannot drift."""
import os
import re
import subprocess
import sys
import tempfile

sitmap, root = os.path.abspath(sys.argv[1]), sys.argv[2]
doc = open(os.path.join(root, "docs", "briefing-format.md"), encoding="utf-8").read()
block = re.findall(r"```yaml\n(.*?)```", doc, re.S)[-1]
example = open(os.path.join(root, "examples", "badia-2017-05.yaml"), encoding="utf-8").read()
strip = lambda t: [l for l in t.splitlines() if l.strip() and not l.lstrip().startswith("#")]
passed = failed = 0
if strip(block) == strip(example):
    passed += 1
    print("ok   docs example is examples/badia-2017-05.yaml")
else:
    failed += 1
    print("FAIL docs example differs from examples/badia-2017-05.yaml")
with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "doc.yaml")
    open(src, "w", encoding="utf-8").write(block)
    p = subprocess.run([sitmap, "render", src, "-o", os.path.join(d, "doc.png")],
                       capture_output=True, text=True, cwd=root)
    if p.returncode == 0 and os.path.getsize(os.path.join(d, "doc.png")) > 10000:
        passed += 1
        print("ok   docs example renders")
    else:
        failed += 1
        print("FAIL docs example does not render: " + p.stderr)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
