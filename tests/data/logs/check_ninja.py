#!/usr/bin/env python3
"""Real ninja build logs (.ninja_log), as ninja wrote them, against
`timeline stats`.

Usage: check_ninja.py TIMELINE

For every file of CASES below (files of ninja/, whose origins are in
SOURCES.md), this script reads the log on its own and computes per build:
  group  "build N", N counted from 1 in the log's order
  jobs   the commands: entries of the build sharing start, end and hash
  wall   the build's last end - its first start
  busy   the commands' times summed (each command is its own job)
  lanes  the most commands running at once: greedy packing by start, a
         command starting when another ends taking its lane
then runs `TIMELINE stats --format csv --build all FILE` and compares every
figure exactly, and `TIMELINE stats --format csv FILE` with the last build
alone. It also checks how many builds each file holds, counted by reading
the files: a wrong rule for telling builds apart shows there first. It exits
1 on any difference, printing each one.

The rules (ninja's src/build_log.cc, as docs/timeline.1 tells them, written
again here without the reader's code):
  * the first line is "# ninja log vN", N from 5 to 7; then one line per
    output: start ms, end ms, mtime, output, hash, tab-separated; blank
    lines and lines starting with '#' are skipped;
  * ninja appends a build's entries as its commands finish, so a new build
    begins where the end time goes down, or where an output comes again;
  * the head of the log, up to the first output seen twice, may be a log
    ninja rewrote (recompacted) in hash order: it is one build when, at
    most of the steps where its end time goes down, the outputs after are
    not all at least as new (mtime, 0 left out) as the ones before; then
    the runs at its end whose outputs are each newer than all before them
    are builds appended after the rewrite.
"""

import csv
import heapq
import io
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from expect import ns_secs  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MS = 1_000_000

# File, and the builds it holds as read by a person: a recompacted head
# counts as one.
CASES = {
    "ninja-v5-cmake-fetchcontent-subbuild-dual-paths.ninja_log": 2,
    "ninja-v5-esp-idf-windows-microlight.ninja_log": 11,
    "ninja-v5-kati-three-builds.ninja_log": 3,
    "ninja-v5-swift-models-recompacted-unordered.ninja_log": 2,
    "ninja-v6-esp-idf-bootloader-appended-builds.ninja_log": 70,
    "ninja-v6-lowmemoryllm-windows-two-builds.ninja_log": 2,
    "ninja-v7-greyml-windows-release.ninja_log": 1,
    "ninja-v7-temple-trap-fifteen-builds.ninja_log": 17,
    "ninja-log-v5.ninja_log": 1,
    "ninja-v6-lumen-lang-small-single-build.ninja_log": 1,
    # Three builds by its name; the build.ninja regeneration of the second
    # starts a time zero of its own (ninja 1.10 and later), so four.
    "ninja-v7-esp-idf-bootloader-linux-three-builds.ninja_log": 4,
}


def entries(path):
    """(start, end, mtime, output, hash) of every entry line."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    assert lines[0].rstrip(b"\r")[:13] == b"# ninja log v", path
    out = []
    for line in lines[1:]:
        line = line.rstrip(b"\r")
        if not line or line.startswith(b"#"):
            continue
        start, end, mtime, output, h = line.split(b"\t")
        out.append((int(start), int(end), int(mtime), output, int(h, 16)))
    return out


def runs(e, a, b):
    """Starts of the runs of e[a:b] where the end time goes down."""
    return [a] + [i for i in range(a + 1, b) if e[i][1] < e[i - 1][1]]


def newer(e, a, b, c):
    """Whether the outputs of e[b:c] are all at least as new as those of e[a:b]."""
    after = [x[2] for x in e[b:c] if x[2] != 0]
    return not after or max(x[2] for x in e[a:b]) <= min(after)


def builds(e):
    """Each build's entries."""
    seen, head = set(), len(e)
    for i, x in enumerate(e):
        if x[3] in seen:
            head = i
            break
        seen.add(x[3])
    r = runs(e, 0, head) + [head]
    steps = [newer(e, r[k - 1], r[k], r[k + 1]) for k in range(1, len(r) - 1)]
    start = 0
    cut = []
    if steps.count(False) > steps.count(True):
        # One rewritten build; appended ones at its end are newer than all before.
        start = head
        for k in range(len(r) - 2, 0, -1):
            after = [x[2] for x in e[r[k] : r[k + 1]] if x[2] != 0]
            if not after or min(after) < max(x[2] for x in e[: r[k]]):
                break
            start = r[k]
        cut = [0]
    out = []
    for i in range(start, len(e)):
        if i == start or e[i][1] < e[i - 1][1] or e[i][3] in cur:
            cut.append(i)
            cur = set()
        cur.add(e[i][3])
    cut.append(len(e))
    return [e[cut[k] : cut[k + 1]] for k in range(len(cut) - 1)]


def figures(build):
    """jobs, wall, busy (ns) and lanes of one build."""
    cmds = {}
    for start, end, _, _, h in build:
        cmds.setdefault((start, end, h), (start, end))
    spans = list(cmds.values())
    wall = (max(s[1] for s in spans) - min(s[0] for s in spans)) * MS
    busy = sum(s[1] - s[0] for s in spans) * MS
    ends, lanes = [], 0
    for start, end in sorted(spans, key=lambda s: s[0]):
        while ends and ends[0] <= start:
            heapq.heappop(ends)
        heapq.heappush(ends, end)
        lanes = max(lanes, len(ends))
    return len(spans), wall, busy, lanes


def stats(timeline, path, *opts):
    out = subprocess.run([timeline, "stats", "--format", "csv", *opts, path],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    return list(csv.DictReader(io.StringIO(out.stdout))), ""


def main():
    timeline = sys.argv[1]
    bad = 0
    for name, want_builds in CASES.items():
        path = os.path.join(HERE, "ninja", name)
        b = builds(entries(path))
        want = [("build %d" % (k + 1),) + figures(x) for k, x in enumerate(b)]
        if len(b) != want_builds:
            print("%s: the rules find %d builds, the file holds %d" % (name, len(b), want_builds))
            bad += 1
        rows, err = stats(timeline, path, "--build", "all")
        if rows is None:
            print("%s: %s" % (name, err))
            bad += 1
            continue
        got = [(r["group"], int(r["jobs"]), r["wall"], r["busy"], int(r["workers"])) for r in rows]
        exp = [(g, j, ns_secs(w), ns_secs(u), l) for g, j, w, u, l in want]
        for g, e in zip(got, exp):
            if g != e:
                print("%s: got %s, want %s" % (name, g, e))
                bad += 1
        if len(got) != len(exp):
            print("%s: %d groups, want %d" % (name, len(got), len(exp)))
            bad += 1
        last, err = stats(timeline, path)
        if last is None or len(last) != 1 or last[0]["group"] != exp[-1][0] \
                or last[0]["wall"] != exp[-1][2]:
            print("%s: the default is not the last build: %s %s" % (name, last, err))
            bad += 1
    print("%d files, %d differences" % (len(CASES), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
