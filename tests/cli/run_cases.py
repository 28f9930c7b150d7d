#!/usr/bin/env python3
"""Run the CLI cases of cases.txt against a built sitmap (jq-style data tests).

A case:
    === name
    args: dist Damascus "Sabaa Biyar"      shell-quoted arguments
    stdin: text with \\t and \\n escapes  (optional)
    exit: 0
    stdout-has: text      (any number; substring of stdout)
    stdout-not: text      (must not appear)
    stderr-has: text
    stdout-empty
    stdout-lines: N
    json: PYTHON-EXPRESSION    j is the list of stdout's JSON lines
    env: NAME=value       (any number; added to the environment)
Every check of every case runs; the summary line counts passed and failed.
"""
import json
import os
import math  # noqa: F401  (available to json: expressions)
import shlex
import subprocess
import sys


def parse(path):
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("=== "):
                cur = {"name": line[4:], "line": n, "checks": [], "stdin": None,
                       "exit": 0, "env": {}}
                cases.append(cur)
                continue
            key, _, val = line.partition(":")
            key = key.strip()
            val = val.strip()
            if key == "args":
                cur["args"] = shlex.split(val)
            elif key == "stdin":
                cur["stdin"] = val.encode().decode("unicode_escape").encode("latin-1")
            elif key == "stdin-utf8":
                cur["stdin"] = val.encode().decode("unicode_escape").encode("latin-1").decode("utf-8").encode("utf-8")
            elif key == "exit":
                cur["exit"] = int(val)
            elif key == "env":
                name, _, value = val.partition("=")
                cur["env"][name] = value
            else:
                cur["checks"].append((key, val))
    return cases


def run(sitmap, case):
    for key, val in case["checks"]:
        if key == "file-absent" and os.path.exists(val):
            os.unlink(val)  # a leftover of an earlier run must not pass the check
    p = subprocess.run([sitmap] + case["args"], input=case["stdin"] or b"",
                       capture_output=True, timeout=120, env=dict(os.environ, **case["env"]))
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    problems = []
    if p.returncode != case["exit"]:
        problems.append(f"exit {p.returncode}, want {case['exit']}")
    j = None
    for key, val in case["checks"]:
        if key == "stdout-has" and val not in out:
            problems.append(f"stdout lacks {val!r}")
        elif key == "stdout-not" and val in out:
            problems.append(f"stdout has {val!r}")
        elif key == "stderr-has" and val not in err:
            problems.append(f"stderr lacks {val!r}")
        elif key == "stdout-empty" and out:
            problems.append("stdout not empty")
        elif key == "stdout-lines" and len(out.splitlines()) != int(val):
            problems.append(f"stdout has {len(out.splitlines())} lines, want {val}")
        elif key == "file-absent" and os.path.exists(val):
            problems.append(f"{val} exists")
        elif key == "file-magic":
            path, _, magic = val.partition(" ")
            try:
                with open(path, "rb") as f:
                    head = f.read(len(magic))
                if head != magic.encode():
                    problems.append(f"{path} starts with {head!r}, not {magic!r}")
            except OSError as e:
                problems.append(f"{path}: {e}")
        elif key == "json":
            try:
                if j is None:
                    try:  # one pretty-printed document (render --layout-json -)
                        j = [json.loads(out)]
                    except ValueError:  # or one object per line
                        j = [json.loads(x) for x in out.splitlines() if x.strip()]
                if not eval(val, {"j": j, "math": math}):
                    problems.append(f"json check failed: {val}")
            except Exception as e:  # a malformed line is a failure, not a crash
                problems.append(f"json check {val!r}: {e}")
    if "ERROR: AddressSanitizer" in err or "runtime error:" in err:
        problems.append("sanitizer report on stderr")
    return problems, out, err


def main():
    sitmap, path = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    # Paths in cases are relative to the source tree.
    os.chdir(os.environ.get("SITMAP_SOURCE_DIR", "."))
    passed = failed = 0
    for case in parse(path):
        problems, out, err = run(sitmap, case)
        if problems:
            failed += 1
            print(f"FAIL {case['name']} (cases.txt:{case['line']})")
            for pr in problems:
                print(f"    {pr}")
            print("    stdout: " + out[:2000].replace("\n", "\n            "))
            print("    stderr: " + err[:2000].replace("\n", "\n            "))
        else:
            passed += 1
            print(f"ok   {case['name']}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
