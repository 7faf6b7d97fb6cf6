#!/usr/bin/env python3
"""A .ninja_log written by the real ninja, building this very project.

Usage: ninja_rebuild.py TIMELINE SOURCE_ROOT

Copies the project's sources (meson.build, include/, src/, samples/) into a
temporary folder, configures it with meson and builds the reader library
with ninja; touches src/io/scan.h, which every reader includes, and builds
again. The log then holds two builds. What the second build ran is read
here from the bytes ninja appended to the log during it (the log's length
before it is kept), independently of timeline: its entries grouped into
commands by start, end and hash, a command labelled with its first output
and "+N" for N more. Then:

  * `ninja -n` before the second build says how many commands it will run:
    the second build has that many;
  * `timeline convert` of the log gives exactly those commands, as the
    group "build 2", with their times in ms from the build's start;
  * `timeline stats` gives one group, those jobs, and the lanes column
    (the log names no worker).

Exits 77 (skipped) when meson or ninja is missing.
"""

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TARGET = "src/io/libtl_io.a"
TOUCHED = "src/io/scan.h"


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def commands(data):
    """(label, start ms, end ms) of each command of the log lines in data."""
    cmds = {}
    for line in data.decode().splitlines():
        if not line or line.startswith("#"):
            continue
        start, end, _, out, h = line.split("\t")
        key = (int(start), int(end), h)
        if key in cmds:
            cmds[key][1] += 1
        else:
            cmds[key] = [out, 0]
    return [(out + (" +%d" % more if more else ""), s, e) for (s, e, _), (out, more) in cmds.items()]


def main():
    timeline, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    if not shutil.which("meson") or not shutil.which("ninja"):
        print("meson or ninja missing: skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="tl-ninja-")
    try:
        src, bld = os.path.join(tmp, "src"), os.path.join(tmp, "build")
        os.mkdir(src)
        for name in ("meson.build", "meson_options.txt"):
            shutil.copy(os.path.join(root, name), src)
        for name in ("include", "src", "samples"):
            shutil.copytree(os.path.join(root, name), os.path.join(src, name))
        run("meson", "setup", bld, src, "-Dtests=false", "-Dbench=false", "-Dman=false",
            "-Dbuildtype=plain")
        run("ninja", "-C", bld, TARGET)
        time.sleep(0.05)
        os.utime(os.path.join(src, TOUCHED))
        dry = run("ninja", "-C", bld, "-n", TARGET)
        planned = len(re.findall(r"^\[\d+/\d+\]", dry, re.M))
        log = os.path.join(bld, ".ninja_log")
        before = os.path.getsize(log)
        run("ninja", "-C", bld, TARGET)
        with open(log, "rb") as f:
            f.seek(before)
            want = commands(f.read())
        bad = 0
        if len(want) != planned or planned < 2:
            print("the second build ran %d commands, ninja -n planned %d" % (len(want), planned))
            bad += 1
        out = os.path.join(tmp, "log.csv")
        run(timeline, "convert", log, "-o", out)
        with open(out) as f:
            rows = [r for r in csv.DictReader(r for r in f if not r.startswith("#"))]
        got = [(r["label"], round(float(r["start"]) * 1000), round(float(r["stop"]) * 1000))
               for r in rows if r["kind"] == "span"]
        if sorted(got) != sorted(want):
            print("timeline reads:\n  %s\nthe bytes ninja appended:\n  %s" % (sorted(got), sorted(want)))
            bad += 1
        groups = {r["group"] for r in rows if r["kind"] == "span"}
        statuses = {r["status"] for r in rows if r["kind"] == "span"}
        if groups != {"build 2"} or statuses - {"ok", "0"}:
            print("groups %s, statuses %s" % (groups, statuses))
            bad += 1
        stats = run(timeline, "stats", "--format", "csv", log).splitlines()
        head, row = stats[0].split(","), stats[1].split(",")
        if "lanes" not in head or row[0] != "build 2" or int(row[1]) != len(want):
            print("stats: %s" % stats)
            bad += 1
        print("%d commands rebuilt after touching %s, %d differences" % (len(want), TOUCHED, bad))
        return 1 if bad else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
