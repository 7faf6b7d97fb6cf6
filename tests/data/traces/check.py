#!/usr/bin/env python3
"""Real Chrome Trace Event Format files, as tools wrote them, against
`timeline stats`.

Usage: check.py TIMELINE

For every file of CASES below (files of this directory, whose origins are in
SOURCES.md), this script reads the JSON on its own (json module, gzip when
compressed) and computes per group:
  group  one per process (pid) with at least one span, named as the rules
         below name it; groups are compared by name
  jobs   the number of spans in the group
  wall   the group's last span stop - its first span start
  busy   per worker, the length of the union of its spans, summed: nested
         or overlapping spans of one worker count once. A worker is a
         thread (pid, tid); async spans (b/e) have a row of their own per
         (cat, id) under their process, never merged with a thread
then runs `TIMELINE stats --format csv FILE` and compares group, jobs, wall
and busy, exactly. It exits 1 on any difference, printing each one.

The rules (the reader's, docs/chrome-format.md, written again here without
its code):
  * ts and dur are decimal microseconds, JSON numbers or numeric strings
    ("ts":"142867379"); each becomes integer nanoseconds from its decimal
    text (fractions.Fraction, never a float), digits beyond the nanosecond
    rounded half away from zero; a span's stop is ts + dur, each rounded
    first. A missing dur is 0.
  * X: a span [ts, ts + dur] on its thread. Not spans: clang's summaries (X
    events whose name starts with "Total " and whose args hold "avg ms") and
    Kineto's profiler window (X of cat "Trace" in the process "Spans").
  * B/E: per thread (pid, tid), the events sorted by ts (stable: file order
    among equal times) and matched as a stack; an E with nothing open is
    skipped. A B never closed lasts to the end of its process: the latest ts
    (or X stop) of any X, B, E, b, e, S, F or instant event of its pid,
    summaries and the profiler window left out.
  * b/e and S/F (async): a span per matched pair, keyed by (pid, cat, id),
    the id being "id", else "id2":{"local": ...}, else "id2":{"global": ...}
    (a local and a global id are apart); per key sorted by ts (stable) and
    matched as a stack, so nested pairs with one key pair up innermost first
    (clang 17+ writes its per-header "Source" spans this way, each pair when
    it ends). An end with nothing open is skipped; a begin never closed lasts
    to the end of its process, as a B does. Their worker is a row per (cat, id)
    of the process, apart from its threads.
  * i/I/n (instants), C (counters), s/t/f (flows), T/p (async steps), M
    (metadata), O, P, R and any other phase: no spans.
  * A process with no span (metadata only, instants or counters only:
    Kineto's "Traces" and its unnamed "Record Window End") is no group.
  * Names: a process's process_name (M event, args.name), else "pid N" (""
    for a process with no pid). Where processes named in the file (with a
    span or not) share a process_name, each becomes "NAME (LABEL)" when its
    process_labels (args.labels) tells it apart from the others of that name
    (Kineto: "python3 (CPU)", "python3 (GPU 2)"), else "NAME (pid N)".

A case with a reason in XFAIL is one timeline cannot yet read right:
timeline must still read it (exit status 0) and its figures must still
differ; the script fails when they no longer do (then the mark is to be
removed).
"""

import csv
import gzip
import json
import os
import subprocess
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from expect import NS, secs_ns, union_length  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# ------------------------------------------------------------------ parsing
def load(name):
    """The file's events: the "traceEvents" array of the object form, or the
    bare array. Numbers with a fraction or exponent come back as Fraction
    (exact), whole numbers as int."""
    with open(os.path.join(HERE, name), "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    doc = json.loads(raw.decode("utf-8"), parse_float=Fraction)
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    return [e for e in events if isinstance(e, dict)]


def number(v):
    """A JSON number or numeric string as an exact Fraction; None otherwise."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            return None
    return None


def us_ns(v):
    """Microseconds (exact) -> integer ns, rounded half away from zero."""
    x = number(v)
    if x is None:
        raise ValueError("not a number of microseconds: %r" % (v,))
    x *= 1000
    sign = -1 if x < 0 else 1
    q, r = divmod(abs(x.numerator), x.denominator)
    return sign * (q + (2 * r >= x.denominator))


def id_text(v):
    """pid, tid or id as text: strings as they are, numbers in decimal."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Fraction):
        return "%.0f" % float(v)
    return json.dumps(v, sort_keys=True)


def async_key(e):
    """(cat, id) of a b/e event: "id", else id2's local or global id."""
    cat = e.get("cat") if isinstance(e.get("cat"), str) else ""
    if "id" in e:
        return (cat, "id", id_text(e["id"]))
    id2 = e.get("id2")
    if isinstance(id2, dict):
        for scope in ("local", "global"):
            if scope in id2:
                return (cat, scope, id_text(id2[scope]))
    return (cat, "none", "")


def is_window(e, pid):
    """Kineto's profiler window: the whole recording, not work."""
    return pid == "Spans" and e.get("cat") == "Trace"


def is_summary(e):
    """clang's "Total NAME" summary: a count and a mean, not work."""
    args = e.get("args")
    return (isinstance(e.get("name"), str) and e["name"].startswith("Total ")
            and isinstance(args, dict) and "avg ms" in args)


# ------------------------------------------------------------------ spans
def spans_of(events):
    """Spans as (pid, worker, start_ns, stop_ns); process names and labels."""
    names, labels = {}, {}
    spans = []
    be = {}      # (pid, tid) -> [(ts, order, is_end)]
    async_ = {}  # (pid, cat, kind, id) -> [(ts, order, is_end)]
    last = {}  # pid -> its latest time: where a B never closed ends

    def seen(t):
        last[pid] = t if pid not in last or t > last[pid] else last[pid]

    for order, e in enumerate(events):
        ph = e.get("ph")
        pid = id_text(e.get("pid"))
        tid = id_text(e.get("tid"))
        args = e.get("args") if isinstance(e.get("args"), dict) else {}
        if ph == "M":
            if e.get("name") == "process_name" and isinstance(args.get("name"), str):
                names[pid] = args["name"]
            elif e.get("name") == "process_labels" and isinstance(args.get("labels"), str):
                labels[pid] = args["labels"]
            continue
        if ph == "X":
            if is_summary(e) or is_window(e, pid):
                continue
            start = us_ns(e["ts"])
            stop = start + (us_ns(e["dur"]) if "dur" in e else 0)
            seen(start)
            seen(stop)
            spans.append((pid, ("thread", tid), start, stop))
        elif ph in ("B", "E"):
            ts = us_ns(e["ts"])
            seen(ts)
            be.setdefault((pid, tid), []).append((ts, order, ph == "E"))
        elif ph in ("i", "I", "n"):
            seen(us_ns(e["ts"]))
        elif ph in ("b", "e", "S", "F"):
            ts = us_ns(e["ts"])
            seen(ts)
            key = (pid,) + async_key(e)
            async_.setdefault(key, []).append((ts, order, ph in ("e", "F")))

    for (pid, tid), evs in be.items():
        stack = []
        for ts, _, is_end in sorted(evs):
            if not is_end:
                stack.append(ts)
            elif stack:
                spans.append((pid, ("thread", tid), stack.pop(), ts))
        for ts in stack:  # never closed: to the end of its process
            spans.append((pid, ("thread", tid), ts, max(ts, last[pid])))

    for (pid, cat, kind, ident), evs in async_.items():
        stack = []
        for ts, _, is_end in sorted(evs):
            if not is_end:
                stack.append(ts)
            elif stack:
                spans.append((pid, ("async", cat, kind, ident), stack.pop(), ts))
        for ts in stack:  # never closed: to the end of its process
            spans.append((pid, ("async", cat, kind, ident), ts, max(ts, last[pid])))

    return spans, names, labels


def group_names(pids, names, labels):
    """pid -> group name, by the rules above."""
    count, labelled = {}, {}
    for pid, n in names.items():
        if n:
            count[n] = count.get(n, 0) + 1
            if labels.get(pid):
                labelled[n, labels[pid]] = labelled.get((n, labels[pid]), 0) + 1
    out = {}
    for pid in pids:
        n = names.get(pid, "")
        if not n:
            out[pid] = "pid " + pid if pid else ""
        elif count[n] == 1:
            out[pid] = n
        elif labels.get(pid) and labelled[n, labels[pid]] == 1:
            out[pid] = "%s (%s)" % (n, labels[pid])
        else:
            out[pid] = "%s (pid %s)" % (n, pid)
    if len(set(out.values())) != len(out):
        raise ValueError("two groups named alike: %r" % sorted(out.values()))
    return out


# ------------------------------------------------------------------ figures
def expected(name):
    spans, names, labels = spans_of(load(name))
    by_pid = {}
    for pid, worker, start, stop in spans:
        by_pid.setdefault(pid, []).append((worker, start, stop))
    gname = group_names(by_pid, names, labels)
    out = {}
    for pid, ss in by_pid.items():
        workers = {}
        for w, s, e in ss:
            workers.setdefault(w, []).append((s, e))
        out[gname[pid]] = {
            "jobs": len(ss),
            "wall": max(e for _, _, e in ss) - min(s for _, s, _ in ss),
            "busy": sum(union_length(iv) for iv in workers.values()),
        }
    return out


def got(timeline, name):
    cmd = [timeline, "stats", "--format", "csv", os.path.join(HERE, name)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, "exit status %d: %s" % (p.returncode, p.stderr.strip())
    out = {}
    for r in csv.DictReader(p.stdout.splitlines()):
        out[r["group"]] = {"jobs": int(r["jobs"]), "wall": secs_ns(r["wall"]),
                           "busy": secs_ns(r["busy"])}
    return out, None


def compare(want, have):
    diffs = []
    for g in sorted(want):
        if g not in have:
            diffs.append("group %r: missing from timeline's output" % g)
            continue
        for k in ("jobs", "wall", "busy"):
            w, h = want[g][k], have[g][k]
            if w != h:
                f = fmt if k in ("wall", "busy") else str
                diffs.append("group %r: %s expected %s, timeline %s" % (g, k, f(w), f(h)))
    for g in sorted(have):
        if g not in want:
            diffs.append("group %r: in timeline's output, not expected (%d jobs)"
                         % (g, have[g]["jobs"]))
    return diffs


# ------------------------------------------------------------------ cases
CASES = [
    "clang19-main.json",
    "clang16-main.json",
    "clang9-cl-colors.json",
    "bazel-local-jobs-4.json.gz",
    "bazel-remote-queuing.json.gz",
    "kineto-rocm-mi250.json.gz",
    "kineto-cuda-simple-add.json.gz",
    "kineto-triton.json.gz",
    "kineto-cpu-only.pt.trace.json.gz",
    "viztracer-multi-process-pool.json.gz",
    "viztracer-logging.json",
    "viztracer-vdb-basic.json",
    "chrome-user-timing.json",
    "chrome-responsiveness-m103.json",
    "hermes-sample.json",
    "node-trace-events.json",
]

# name -> why timeline cannot read it right yet. Every case matched when the
# files were added: async b/e spans, Kineto's labels and bookkeeping, and
# processes of instants alone were read as above from the reader's change
# "async b/e and S/F events are spans ...", before which six of these files
# differed.
XFAIL = {}


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: check.py TIMELINE")
    timeline = argv[1]
    failed = 0
    listed = set(CASES)
    for f in sorted(os.listdir(HERE)):
        if f not in listed and f not in ("check.py", "SOURCES.md") and not f.startswith("."):
            print("FAIL %s: not in check.py's CASES" % f)
            failed += 1
    for name in CASES:
        want = expected(name)
        have, err = got(timeline, name)
        diffs = [err] if err else compare(want, have)
        xfail = XFAIL.get(name)
        if xfail and not err:
            if diffs:
                print("xfail %s: %s; first difference: %s" % (name, xfail, diffs[0]))
            else:
                print("FAIL %s: expected to differ (%s), but matches: update XFAIL"
                      % (name, xfail))
                failed += 1
        elif diffs:
            print("FAIL %s:" % name)
            for d in diffs:
                print("  " + d)
            failed += 1
        else:
            print("ok %s: %d groups, %d spans" % (
                name, len(want), sum(v["jobs"] for v in want.values())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
