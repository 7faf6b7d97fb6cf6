#!/usr/bin/env python3
"""Real CSV files, as tools wrote them, against `timeline stats`.

Usage: check.py TIMELINE

For every file of CASES below (files of this directory, whose origins are in
SOURCES.md), this script computes per group, on its own, from the file's
text:
  jobs        distinct jobs: job texts are counted once per group; a row
              without a job column is a job of its own
  wall        the group's last stop - its first start
  busy        per worker (a span's named worker; where some spans of the
              group name one, those naming none are one more worker, the
              unnamed one; else each its job's, a row without a job being a
              job of its own), the length of the union of its spans, summed:
              spans that overlap on one worker count once
  unfinished  spans with a start and no stop; they last to the end of
              their group (its latest time)
then runs `TIMELINE stats --format csv $(cat NAME.args) FILE` (NAME.args
holds the options a user would give, when any are needed) and compares
jobs, wall, busy and unfinished of every group, exactly. It exits 1 on any
difference, printing each one.

The readers below are independent of timeline: Python's csv module splits
the fields, each reader knows its tool's columns and units, and every time is
an integer number of nanoseconds from int or fractions.Fraction arithmetic
(no floats); decimals beyond the nanosecond round half away from zero.
Text date-times with no offset are taken as UTC: only differences matter.

A case with a reason in XFAIL is one timeline cannot yet read right with any
options: timeline must still read it (exit status 0) and its figures must
still differ; the script fails when they no longer do (then the mark, and
maybe its options, are to be updated).
"""

import csv
import datetime
import os
import subprocess
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from expect import NS, secs_ns, union_length  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MS = 1_000_000
EPOCH_ORD = datetime.date(1970, 1, 1).toordinal()


# ------------------------------------------------------------------ parsing
def dec_ns(text, unit_ns):
    """Exact decimal text (sign, fraction, exponent) times unit_ns, rounded to
    the nanosecond half away from zero."""
    x = Fraction(text.strip()) * unit_ns
    sign = -1 if x < 0 else 1
    q, r = divmod(abs(x.numerator), x.denominator)
    return sign * (q + (2 * r >= x.denominator))


def iso_ns(text):
    """'2024-05-31T10:39:13', '2021-07-04T06:36:04.747877',
    '2024-07-11 19:02:57.406625', '2019-05-24T17:24:36+01:00' -> ns since
    1970 (UTC; no offset means UTC)."""
    t = text.strip()
    off = 0
    if len(t) > 19 and t[-6] in "+-" and t[-3] == ":":
        sign = 1 if t[-6] == "+" else -1
        off = sign * (int(t[-5:-3]) * 3600 + int(t[-2:]) * 60) * NS
        t = t[:-6]
    if len(t) < 19 or t[10] not in " T":
        raise ValueError("not a date-time: %r" % text)
    y, mo, d = (int(x) for x in t[:10].split("-"))
    hms, _, frac = t[11:].partition(".")
    h, mi, s = (int(x) for x in hms.split(":"))
    days = datetime.date(y, mo, d).toordinal() - EPOCH_ORD
    frac_ns = dec_ns("0." + frac, NS) if frac else 0
    return (days * 86400 + h * 3600 + mi * 60 + s) * NS + frac_ns - off


def pandas_timedelta_ns(text):
    """pandas Timedelta text, non-negative: '0 days 01:34:21.003404'."""
    days, rest = text.strip().split(" days ")
    hms, _, frac = rest.partition(".")
    h, m, s = (int(x) for x in hms.split(":"))
    frac_ns = dec_ns("0." + frac, NS) if frac else 0
    return (int(days) * 86400 + h * 3600 + m * 60 + s) * NS + frac_ns


def rows_of(name, delimiter=","):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f, delimiter=delimiter)


# ------------------------------------------------------------------ readers
# Each yields (group, job, worker, start_ns, stop_ns): job None is a job of
# its own, worker None names none, stop None is an unfinished span. The group
# is '' when the options name none.

def jmeter(name, delimiter=","):
    """JMeter JTL (CSV): timeStamp = the sample's start, epoch milliseconds
    (sampleresult.timestamp.start=true, as jmeter.properties ships);
    elapsed = milliseconds. No group; threadName is the worker (Hostname,
    where there is one, is not read: threadName comes first); each sample is
    a job."""
    for r in rows_of(name, delimiter):
        start = int(r["timeStamp"]) * MS
        yield "", None, r["threadName"] or None, start, start + int(r["elapsed"]) * MS


def codecarbon_emissions(name):
    """CodeCarbon emissions.csv: timestamp = when the tracker stopped (ISO,
    no offset), duration = seconds (float text, up to 14 decimals).
    Options: stop=timestamp, group=run_id (empty on some rows: group '')."""
    for r in rows_of(name):
        stop = iso_ns(r["timestamp"])
        yield r["run_id"], None, None, stop - dec_ns(r["duration"], NS), stop


def codecarbon_dashboard(name):
    """pandas to_csv() with its unnamed index of CodeCarbon API records:
    timestamp = the end of the measured interval (ISO, microseconds),
    duration = whole seconds. Options: stop=timestamp, group=run_id, and
    job= (no job column: the 'name' column is the team's name)."""
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd)
        assert head[0] == "", "the pandas index column"
        ix = {h: i for i, h in enumerate(head)}
        for row in rd:
            stop = iso_ns(row[ix["timestamp"]])
            yield row[ix["run_id"]], None, None, stop - dec_ns(row[ix["duration"]], NS), stop


def optuna(name):
    """Optuna trials_dataframe().to_csv(index=False): datetime_start and
    datetime_complete as pandas writes datetimes; duration (pandas Timedelta
    text) must equal their difference. state is the status; no group."""
    for r in rows_of(name):
        start = iso_ns(r["datetime_start"]) if r["datetime_start"] else None
        stop = iso_ns(r["datetime_complete"]) if r["datetime_complete"] else None
        if start is None:
            continue
        if stop is not None:
            assert stop - start == pandas_timedelta_ns(r["duration"]), r
        yield "", None, None, start, stop


def ab_gnuplot(name):
    """ApacheBench -g (tab-separated): seconds = the request's start, epoch
    seconds (starttime is the same instant as ctime() text); ttime = total
    milliseconds. No group."""
    for r in rows_of(name, "\t"):
        start = int(r["seconds"]) * NS
        yield "", None, None, start, start + int(r["ttime"]) * MS


def togxp(name):
    """togxp timesheet: Start Time = ISO with an offset, Time Spent = whole
    minutes. Group = Category; Name is the job (text, counted once per
    group). No worker (Owner is no worker column), so a job's entries that
    overlap count once in busy time."""
    for r in rows_of(name):
        start = iso_ns(r["Start Time"])
        yield r["Category"], r["Name"], None, start, start + int(r["Time Spent"]) * 60 * NS


CASES = [
    ("jmeter_htmlreport.csv", jmeter),
    ("jmeter_slow_stdev.csv", jmeter),
    ("jmeter_tabs.csv", lambda n: jmeter(n, "\t")),
    ("codecarbon_emissions.csv", codecarbon_emissions),
    ("codecarbon_dashboard_pandas_index.csv", codecarbon_dashboard),
    ("optuna_predpreygrass.csv", optuna),
    ("ab_gnuplot.csv", ab_gnuplot),
    ("togxp_timesheet.csv", togxp),
]

XFAIL = {}


# ------------------------------------------------------------------ figures
def expected(rows):
    groups = {}
    for group, job, worker, start, stop in rows:
        if start is None:
            continue
        groups.setdefault(group, []).append((job, worker, start, stop))
    out = {}
    for group, spans in groups.items():
        end = max(max(s for _, _, s, _ in spans),
                  max((e for _, _, _, e in spans if e is not None), default=0))
        jobs = len({j for j, _, _, _ in spans if j is not None}) + \
            sum(1 for j, _, _, _ in spans if j is None)
        first = min(s for _, _, s, _ in spans)
        by_worker = {}
        named = any(w is not None for _, w, _, _ in spans)
        for i, (j, w, s, e) in enumerate(spans):
            key = ("worker", w) if w is not None else ("unnamed",) if named \
                else ("job", j) if j is not None else ("row", i)
            by_worker.setdefault(key, []).append((s, end if e is None else e))
        busy = sum(union_length(iv) for iv in by_worker.values())
        unfinished = sum(1 for _, _, _, e in spans if e is None)
        out[group] = {"jobs": jobs, "wall": end - first, "busy": busy,
                      "unfinished": unfinished}
    return out


def got(timeline, name):
    path = os.path.join(HERE, name)
    args_path = os.path.join(HERE, os.path.splitext(name)[0] + ".args")
    args = open(args_path, encoding="utf-8").read().split() if os.path.exists(args_path) else []
    cmd = [timeline, "stats", "--format", "csv"] + args + [path]
    p = subprocess.run(cmd, capture_output=True, text=True)
    shown = " ".join(cmd[1:-1] + [name])
    if p.returncode != 0:
        return shown, None, "exit status %d: %s" % (p.returncode, p.stderr.strip())
    out = {}
    for r in csv.DictReader(p.stdout.splitlines()):
        out[r["group"]] = {"jobs": int(r["jobs"]), "wall": secs_ns(r["wall"]),
                           "busy": secs_ns(r["busy"]),
                           "unfinished": int(r.get("unfinished") or 0)}
    return shown, out, None


def compare(want, have):
    diffs = []
    for g in want:
        if g not in have:
            diffs.append("group %r: missing from timeline's output" % g)
            continue
        for k in ("jobs", "wall", "busy", "unfinished"):
            w, h = want[g][k], have[g][k]
            if w != h:
                f = fmt if k in ("wall", "busy") else str
                diffs.append("group %r: %s expected %s, timeline %s" % (g, k, f(w), f(h)))
    for g in have:
        if g not in want:
            diffs.append("group %r: in timeline's output, not expected" % g)
    return diffs


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: check.py TIMELINE")
    timeline = argv[1]
    failed = 0
    listed = {name for name, _ in CASES}
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".csv") and f not in listed:
            print("FAIL %s: not in check.py's CASES" % f)
            failed += 1
    for name, reader in CASES:
        want = expected(reader(name))
        shown, have, err = got(timeline, name)
        diffs = [err] if err else compare(want, have)
        xfail = XFAIL.get(name)
        if xfail and not err:
            if diffs:
                print("xfail %s (%s): %s; first difference: %s"
                      % (name, shown, xfail, diffs[0]))
            else:
                print("FAIL %s (%s): expected to differ (%s), but matches: "
                      "update XFAIL" % (name, shown, xfail))
                failed += 1
        elif diffs:
            print("FAIL %s (%s):" % (name, shown))
            for d in diffs:
                print("  " + d)
            failed += 1
        else:
            print("ok %s (%s): %d groups, %d jobs" % (
                name, shown, len(want), sum(v["jobs"] for v in want.values())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
