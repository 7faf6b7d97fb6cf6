#!/usr/bin/env python3
"""Check that timeline(3) documents every symbol the library exports.

Usage: man3_check.py PAGE MAP

Reads the global symbols of the version script MAP (src/timeline.map) and the
man page PAGE as made by docs/gen_man3.py: each declaration there is a bold
block (.nf/.ft B ... .ft R/.fi), followed by its description (.RS ... .RE).
Every exported symbol must be declared in some block, and that block must be
described: by a description, or, for a type, by comments on its fields.
When groff is installed, the page must also format without a warning.
Prints TAP; exits 1 on any failure, naming the symbols.
"""

import re
import shutil
import subprocess
import sys

from tap import Tap


def exported(map_path):
    text = open(map_path, encoding="utf-8").read()
    glob = re.search(r"global:(.*?)local:", text, re.S)
    return sorted(set(re.findall(r"\b(\w+)\s*;", glob.group(1))))


def entries(page_path):
    """(declared names, documented) for each bold declaration block of the page."""
    lines = open(page_path, encoding="utf-8").read().split("\n")
    out = []
    i = 0
    while i < len(lines):
        if lines[i] != ".ft B":
            i += 1
            continue
        j = i + 1
        while lines[j] != ".ft R":
            j += 1
        code = "\n".join(lines[i + 1 : j]).replace("\\e", "\\")
        k = j + 1
        while k < len(lines) and lines[k] == ".fi":
            k += 1
        described = k < len(lines) and lines[k].startswith(".RS")
        commented = "/*" in code
        bare = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
        names = set(re.findall(r"\b(tl_\w+)\s*\(", bare))
        names |= set(re.findall(r"(?m)^(?:}|typedef\b.*?)\s*\b(tl_\w+)\s*;", bare))
        out.append((names, described or ("{" in bare and commented)))
        i = j
    return out


def main():
    page, map_path = sys.argv[1], sys.argv[2]
    found = {}
    for names, documented in entries(page):
        for name in names:
            found[name] = found.get(name, False) or documented
    symbols = exported(map_path)
    missing = [s for s in symbols if s not in found]
    bare = [s for s in symbols if s in found and not found[s]]
    tap = Tap()
    tap.report(bool(symbols), "the map exports symbols (%d)" % len(symbols))
    tap.report(not missing, "every exported symbol is declared in the page",
               ["missing: " + s for s in missing])
    tap.report(not bare, "every exported symbol is described",
               ["no description: " + s for s in bare])
    if shutil.which("groff"):
        r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page],
                           capture_output=True, text=True)
        tap.report(r.returncode == 0 and not r.stderr, "groff formats the page without a warning",
                   r.stderr.splitlines()[:10])
    else:
        tap.skip("groff formats the page", "groff is not installed")
    sys.exit(tap.end())


if __name__ == "__main__":
    main()
