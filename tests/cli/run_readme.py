#!/usr/bin/env python3
"""Run the README's console examples and compare their output.

A ```console block holds commands as "$ build/sitmap ..." followed by the
output shown to readers. Lines starting "sitmap: " are expected on stderr,
the rest on stdout, exactly. So the README cannot drift from the tool.
"""
import os
import re
import shlex
import subprocess
import sys

sitmap, readme = os.path.abspath(sys.argv[1]), sys.argv[2]
os.chdir(os.environ.get("SITMAP_SOURCE_DIR", "."))
text = open(readme, encoding="utf-8").read()
blocks = re.findall(r"```console\n(.*?)```", text, re.S)
passed = failed = 0
for block in blocks:
    cmds = []
    for line in block.splitlines():
        if line.startswith("$ "):
            cmds.append([line[2:], [], []])
        elif cmds:
            (cmds[-1][2] if line.startswith("sitmap: ") else cmds[-1][1]).append(line)
    for cmd, want_out, want_err in cmds:
        if not cmd.startswith("build/sitmap "):
            continue  # scripts and other tools are shown, not run here
        argv = shlex.split(cmd)
        argv[0] = sitmap
        p = subprocess.run(argv, capture_output=True, timeout=120)
        out = p.stdout.decode().splitlines()
        err = p.stderr.decode().splitlines()
        ok = out == want_out and all(e in err for e in want_err)
        if ok:
            passed += 1
            print(f"ok   {cmd}")
        else:
            failed += 1
            print(f"FAIL {cmd}")
            print("  want:\n    " + "\n    ".join(want_out + want_err))
            print("  got:\n    " + "\n    ".join(out + err))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
