#!/usr/bin/env python3
"""Real Spark event logs and JSON records (SOURCES.md) against
`timeline stats --format csv`.

Usage: check_engines.py TIMELINE

For every Spark event log of spark/ and the records cases below, this
script reads the file on its own (json module, one line at a time for
Spark) and computes per group: jobs (spans), workers (distinct names),
wall (last stop - first start), busy (per worker, the length of the union
of its spans, summed; for Spark, whose executors run a task per core at
once, the tasks' lengths summed, and workers the slots each executor needed
at once), failed and unfinished; then it runs `TIMELINE stats
--format csv FILE` and compares them exactly (integer nanoseconds). It
exits 1 on any difference, printing each one.

The Spark rules (spark.c's, written again here without its code):
  * a task per "Task ID", from SparkListenerTaskStart or SparkListenerTaskEnd
    ("Task Info"), the first end kept; times are epoch milliseconds;
  * its group is "stage S" (stage attempt 0) or "stage S.A"; its worker its
    "Executor ID";
  * "Task End Reason" "Reason" Success is ok (and TaskKilled whose "Kill
    Reason" says another attempt succeeded), TaskKilled cancelled, anything
    else failed; both cancelled and failed count as failed;
  * a task with no end is unfinished: it lasts to the latest time of the log,
    the greatest of every task's launch and finish times and of the events'
    "Timestamp", "Submission Time", "Completion Time" and "Stage Info"
    "Completion Time";
  * a last line cut short is left out.
Records: each case names its --columns and the fields they read; a value
missing (absent, null) ends the span at the latest stop of its group
(unfinished); dates are ISO 8601 with a zone.
"""

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from expect import union_length  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MS = 1_000_000


def slots_needed(spans):
    """The most spans of one worker running at once (ends before starts at a tie)."""
    events = sorted([(b, -1) for a, b in spans] + [(a, 1) for a, b in spans])
    most = now = 0
    for _, d in events:
        now += d
        most = max(most, now)
    return most


def figures(spans, slots=False):
    """spans: (group, job, worker, start, stop, failed, unfinished) -> per group.
    With slots (a worker runs several jobs at once: Spark executors), busy
    is the spans' lengths summed and workers the slots each needed at once."""
    out = {}
    for g in dict.fromkeys(s[0] for s in spans):
        mine = [s for s in spans if s[0] == g]
        by_worker = {}
        for s in mine:
            by_worker.setdefault(s[2], []).append((s[3], s[4]))
        out[g] = {
            "jobs": len({s[1] for s in mine}),
            "workers": sum(slots_needed(v) for v in by_worker.values()) if slots
            else len(by_worker),
            "wall": max(s[4] for s in mine) - min(s[3] for s in mine),
            "busy": sum(b - a for v in by_worker.values() for a, b in v) if slots
            else sum(union_length(v) for v in by_worker.values()),
            "failed": sum(1 for s in mine if s[5]),
            "unfinished": sum(1 for s in mine if s[6]),
        }
    return out


def spark(path):
    tasks, last = {}, 0
    lines = open(path, encoding="utf-8").read().split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            if i == len(lines) - 1:
                break  # cut short
            raise
        for k in ("Timestamp", "Submission Time", "Completion Time"):
            if isinstance(ev.get(k), int) and ev[k] > 0:
                last = max(last, ev[k])
        si = ev.get("Stage Info")
        if isinstance(si, dict) and isinstance(si.get("Completion Time"), int):
            last = max(last, si["Completion Time"])
        kind = ev.get("Event")
        if kind not in ("SparkListenerTaskStart", "SparkListenerTaskEnd"):
            continue
        info = ev["Task Info"]
        end = kind == "SparkListenerTaskEnd"
        last = max(last, info["Launch Time"], info["Finish Time"] if end else 0)
        t = tasks.get(info["Task ID"])
        if t is not None and (t["end"] or not end):
            continue
        why = (ev.get("Task End Reason") or {}) if end else {}
        reason = why.get("Reason")
        # A copy killed because another attempt succeeded did not fail.
        redundant = reason == "TaskKilled" and "another attempt succeeded" in str(why.get("Kill Reason", ""))
        tasks[info["Task ID"]] = {
            "end": end,
            "group": (ev["Stage ID"], ev.get("Stage Attempt ID", 0)),
            "worker": info["Executor ID"],
            "start": info["Launch Time"],
            "stop": info["Finish Time"] if end else None,
            "failed": end and reason != "Success" and not redundant,
        }
    spans = []
    for tid, t in sorted(tasks.items(), key=lambda kv: (kv[1]["group"], kv[1]["start"], kv[0])):
        s, a = t["group"]
        name = f"stage {s}" if a == 0 else f"stage {s}.{a}"
        stop = t["stop"] if t["end"] else last
        spans.append((name, tid, t["worker"], t["start"] * MS, stop * MS, t["failed"], not t["end"]))
    return figures(spans, slots=True)


def iso(s):
    d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return int(d.timestamp()) * 1_000_000_000 + d.microsecond * 1000


def dig(o, path):
    for p in path.split("."):
        if isinstance(o, list):
            o = o[int(p)] if p.isdigit() and int(p) < len(o) else None
        elif isinstance(o, dict):
            o = o.get(p)
        else:
            return None
    return o


def records(path, fields):
    doc = json.load(open(path, encoding="utf-8"))
    if isinstance(doc, dict):
        doc = next(v for v in doc.values() if isinstance(v, list))
    spans = []
    for r in doc:
        start, stop = dig(r, fields["start"]), dig(r, fields["stop"])
        spans.append(["", dig(r, fields["job"]), dig(r, fields.get("worker", "-")),
                      iso(start), iso(stop) if stop else None, False, stop is None])
    end = max(s[4] if s[4] is not None else s[3] for s in spans)
    for s in spans:
        if s[4] is None:
            s[4] = end
    return figures([tuple(s) for s in spans])


K8S = {"start": "status.startTime", "job": "metadata.name", "worker": "spec.nodeName",
       "stop": "status.containerStatuses.0.state.terminated.finishedAt"}
RECORDS = {
    "records-github-rest-workflow-jobs-steps-mixed-offsets-actions-timeline.json":
        ([], {"start": "started_at", "stop": "completed_at", "job": "id"}),
    "records-kubectl-get-pods-json-running-no-end-kubectl-neat.json":
        (["--columns", ",".join(f"{k}={v}" for k, v in K8S.items())], K8S),
    "records-kubelet-podlist-restarts-terminated-honeycomb.json":
        (["--columns", ",".join(f"{k}={v}" for k, v in K8S.items())], K8S),
}


def stats(timeline, path, args):
    out = subprocess.run([timeline, "stats", "--format", "csv", *args, path],
                         capture_output=True, text=True)
    if out.returncode:
        return None, out.stderr.strip()
    rows = {}
    for row in csv.DictReader(io.StringIO(out.stdout)):
        rows[row["group"]] = row
    return rows, None


def ns(text):
    whole, _, frac = text.partition(".")
    return int(whole) * 1_000_000_000 + int((frac + "000000000")[:9])


def compare(name, want, got, bad):
    if set(want) != set(got):
        bad.append(f"{name}: groups {sorted(got)}, want {sorted(want)}")
        return
    for g, w in want.items():
        r = got[g]
        have = {"jobs": int(r["jobs"]), "workers": int(r["workers"]), "wall": ns(r["wall"]),
                "busy": ns(r["busy"]), "failed": int(r.get("failed") or 0),
                "unfinished": int(r.get("unfinished") or 0)}
        for k, v in w.items():
            if have[k] != v:
                bad.append(f"{name}: group '{g}': {k} {have[k]}, want {v}")


def main(argv):
    timeline = argv[1]
    bad, n = [], 0
    sdir = os.path.join(HERE, "spark")
    for f in sorted(os.listdir(sdir)):
        got, err = stats(timeline, os.path.join(sdir, f), [])
        if err:
            bad.append(f"spark/{f}: {err}")
            continue
        compare(f"spark/{f}", spark(os.path.join(sdir, f)), got, bad)
        n += 1
    for f, (args, fields) in RECORDS.items():
        path = os.path.join(HERE, "records", f)
        got, err = stats(timeline, path, args)
        if err:
            bad.append(f"records/{f}: {err}")
            continue
        want = records(path, fields)
        compare(f"records/{f}", want, got, bad)
        n += 1
    for line in bad:
        print(line)
    print(f"{n} files: " + (f"{len(bad)} differences" if bad else "all as computed"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
