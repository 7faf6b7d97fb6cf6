#!/usr/bin/env python3
"""CSV as other programs write it: test inputs and their expected stats.

Usage: csv_cases.py          write the cases into tests/data/good and bad
       csv_cases.py --check  compare them with the files there; write nothing

Each good case is a file shaped the way a tool writes it (pandas, Excel,
numpy, JMeter, Slurm, psql, a live tracker, ...) with realistic content,
NAME.args with the options it is read with (if any), and NAME.stats.csv:
what `timeline stats --format csv $(cat NAME.args) FILE` must print. The
expectation is computed here, from the file's text, by this script's own
reading of it: Python's csv module splits the fields, datetime validates
dates and does the calendar, and every time is an integer number of
nanoseconds from fractions.Fraction or int arithmetic (no floats). Only the
ratios (concurrency, speedup) are floats, as the C code prints them: an
IEEE double quotient of two integer nanosecond counts, with %.9f.

The figures, as tl_trace_stats() defines them, per group in order of first
appearance:
  jobs     distinct jobs (numbers, or text numbered per group; a span
           without one is a job of its own)
  workers  distinct named workers, rows naming none beside some that do
           being one more (the unnamed worker), or when none are named, the
           lanes the spans need:
           the most running at once, one that starts as another stops
           reusing its lane (taken in start order, then file order)
  wall     last stop - first start (of the job extents, for samples)
  busy     per worker (a span's named worker; the spans naming none are
           the unnamed worker's where some others name one, else each its
           job's), the length of the union of its spans, summed: a span
           nested in or overlapping another of the same worker counts once
           (for samples: the sum of the job extents)
  concurrency busy / wall
  speedup  the reference group's wall / wall: the group named 'serial' when
           there is one, else the first group with spans or samples. None
           (empty) when fewer than two groups have any, when either wall is 0,
           or when the groups ran at the same time: their times were read off
           a clock (date-times, times of day, numbers from 1e9 s: epoch
           times) and two groups overlap (touching is not overlapping),
           unless --align start is given
  unfinished (a column only when some span has no stop): spans without a
           stop, which last to the latest time of their group
  failed   (a column only when some job failed): spans whose status is a
           non-zero exit code or a failure word (FAILED, TIMEOUT, ...)
  lanes    (a column only when some group names no workers): 1 where
           workers counts the lanes the spans need, else 0
Rows without a start are skipped; a missing value is empty, NaN, NaT and
the like. Which column holds what is stated per case (from the synonym
table in src/io/columns.c), and so is how its values are written.

The bad cases are inputs the reader must refuse, with the exact message.
"""

import csv
import io
import os
import random
import re
import sys
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expect import union_length  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 10**9
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
SECOND = timedelta(seconds=1)
MISSING = {"", "nan", "nat", "<na>", "na", "n/a", "#n/a", "none", "null", "-"}

# ---- values, read independently of src/io ----


def round_half_away(x):
    """The integer nearest to the Fraction x, halves away from zero."""
    n = abs(x)
    q, r = divmod(n.numerator, n.denominator)
    q += 2 * r >= n.denominator
    return q if x >= 0 else -q


def frac_ns(digits):
    """Nanoseconds in the fraction of a second 0.DIGITS, rounded."""
    return round_half_away(Fraction(int(digits or "0"), 10 ** len(digits or "0")) * NS)


def number(unit_ns, decimal_comma=False):
    """A bare number in a unit of unit_ns nanoseconds."""

    def parse(text):
        t = text.strip()
        if decimal_comma:
            t = t.replace(",", ".")
        return round_half_away(Fraction(t) * unit_ns)

    return parse


def zone_of(z):
    if not z or z == "Z":
        return timezone.utc
    sign = -1 if z[0] == "-" else 1
    hh = int(z[1:3])
    mm = int(z[-2:]) if len(z) > 3 else 0
    return timezone(sign * timedelta(hours=hh, minutes=mm))


ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def datetime_ns(text):
    """ISO 8601 and pandas date-times, or a date alone (midnight); no zone: UTC."""
    m = ISO.match(text.strip())
    y, mo, d, hh, mi, ss, f, z = m.groups()
    dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0), tzinfo=zone_of(z))
    return (dt - EPOCH) // SECOND * NS + frac_ns(f)


def time_of_day_ns(text):
    h, m, s, f = re.match(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$", text.strip()).groups()
    t = time(int(h), int(m), int(s or 0))
    return (t.hour * 3600 + t.minute * 60 + t.second) * NS + frac_ns(f)


UNIT_NS = {"d": 86400 * NS, "h": 3600 * NS, "m": 60 * NS, "s": NS, "ms": 10**6, "us": 10**3, "ns": 1}


def duration_ns(text):
    """Durations: "1m 4s" and the like, H:MM:SS, Slurm's D-HH:MM:SS, pandas' "0 days 00:00:01.5"."""
    t = text.strip()
    m = re.match(r"(\d+) days? (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$", t)
    if m:
        d, h, mi, s, f = m.groups()
        return timedelta(days=int(d), hours=int(h), minutes=int(mi), seconds=int(s)) // SECOND * NS + frac_ns(f)
    m = re.match(r"(?:(\d+)-)?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$", t)
    if m:
        d, h, mi, s, f = m.groups()
        return timedelta(days=int(d or 0), hours=int(h), minutes=int(mi), seconds=int(s)) // SECOND * NS + frac_ns(f)
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]+)\s*", t)
    assert parts and "".join(a + b for a, b in parts) == re.sub(r"\s", "", t), t
    return round_half_away(sum(Fraction(v) * UNIT_NS[u] for v, u in parts))


# ---- generating realistic content (integer ticks only) ----


def schedule(rng, njobs, nworkers, t0, dur, gap=(0, 0)):
    """A pool: each job goes to the worker free first. Ticks in, (job, worker, start, stop) out."""
    free = [t0 + rng.randint(*gap) for _ in range(nworkers)]
    out = []
    for j in range(njobs):
        w = min(range(nworkers), key=lambda k: (free[k], k))
        start = free[w] + rng.randint(*gap)
        stop = start + rng.randint(*dur)
        free[w] = stop
        out.append((j, w, start, stop))
    return out


def dec(ticks, digits, keep_zero=True):
    """ticks / 10^digits as decimal text, trailing zeros dropped (pandas: "2.0")."""
    sign = "-" if ticks < 0 else ""
    q, r = divmod(abs(ticks), 10**digits)
    f = f"{r:0{digits}d}".rstrip("0") if digits else ""
    if not f:
        return f"{sign}{q}.0" if keep_zero else f"{sign}{q}"
    return f"{sign}{q}.{f}"


def iso_of(ns, sep="T", frac=6, zone=""):
    """A UTC time of ns since 1970 as ISO text with frac fraction digits (ns must fit)."""
    s, r = divmod(ns, NS)
    assert r % 10 ** (9 - frac) == 0, (ns, frac)
    dt = datetime.fromtimestamp(s, timezone.utc)
    f = f".{r // 10 ** (9 - frac):0{frac}d}" if frac else ""
    return dt.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + f + zone


def write_rows(rows, delimiter=",", lineterminator="\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    w.writerows(rows)
    return buf.getvalue()


# ---- the cases ----

GOOD, BAD = [], []


def good(name, text, roles, parse, sep=",", args="", header=True, tod=False, rename=None):
    """roles: role -> column name (or position from 1 when header is False)."""
    GOOD.append(
        dict(name=name, text=text, roles=roles, parse=parse, sep=sep, args=args, header=header,
             tod=tod, rename=rename or {})
    )


def bad(name, text, status, message, args=""):
    BAD.append(dict(name=name, text=text, status=status, message=message, args=args))


def case_pandas_modes(rng):
    """df.to_csv() of two modes concatenated (ignore_index): ,mode,job,start,stop; perf_counter floats."""
    rows = [["", "mode", "job", "start", "stop"]]
    i = 0
    t0 = 0
    for mode, workers in (("threads", 4), ("processes", 2)):
        jobs = schedule(rng, 4, workers, t0, (3 * 10**15, 9 * 10**15), (10**11, 10**13))
        for j, _, s, e in jobs:
            rows.append([i, mode, j, dec(s, 16), dec(e, 16)])
            i += 1
        t0 = max(e for *_, e in jobs) + 2 * 10**14
    good("csv-pandas-modes.csv", write_rows(rows),
         dict(group="mode", job="job", start="start", stop="stop"),
         dict(start=number(NS), stop=number(NS)))


def case_tracker(rng):
    """The live tracker's per-iteration times through pandas: ,job,t (samples)."""
    events = []
    for job in range(4):
        t = rng.randint(10**12, 5 * 10**13) + job * 2 * 10**14
        for _ in range(6):
            events.append((t, job))
            t += rng.randint(10**13, 8 * 10**13)
    events.append((75 * 10**10, 0))  # 7.5e-05 s: repr() writes it with an exponent
    events.sort()

    def py_repr(t):
        return "7.5e-05" if t == 75 * 10**10 else dec(t, 16)

    rows = [["", "job", "t"]] + [[i, j, py_repr(t)] for i, (t, j) in enumerate(events)]
    good("csv-tracker.csv", write_rows(rows), dict(job="job", time="t"), dict(time=number(NS)))


def case_pandas_index(rng):
    """pd.concat of two frames (index 0..3 twice): ,start,stop,mode, the index as the job."""
    rows = [["", "start", "stop", "mode"]]
    t0 = 5 * 10**12
    for mode, w in (("threads", 2), ("processes", 4)):
        jobs = schedule(rng, 4, w, t0, (10**14, 6 * 10**14), (10**10, 10**12))
        rows += [[j, dec(s, 15), dec(e, 15), mode] for j, _, s, e in jobs]
        t0 = max(e for *_, e in jobs) + 10**13
    good("csv-pandas-index.csv", write_rows(rows), dict(job="", start="start", stop="stop", group="mode"),
         dict(start=number(NS), stop=number(NS)))


def case_start_end_time(rng):
    """Start Time,End Time,Thread ID,Method: a serial run, threads and processes; speedup against serial."""
    rows = [["Start Time", "End Time", "Thread ID", "Method"]]
    t0 = 81234 * 10**9 + rng.randint(0, 10**9)  # perf_counter() values, in ns
    for method, w in (("serial", 1), ("threads", 4), ("processes", 4)):
        ids = [str(rng.randint(139_000_000_000_000, 140_999_999_999_999)) for _ in range(w)]
        jobs = schedule(rng, 8, w, t0, (2 * 10**8, 4 * 10**8), (10**4, 10**6))
        rows += [[dec(s, 9), dec(e, 9), ids[k], method] for _, k, s, e in jobs]
        t0 = max(e for *_, e in jobs) + 10**8
    good("csv-start-end-time.csv", write_rows(rows),
         dict(start="Start Time", stop="End Time", worker="Thread ID", group="Method"),
         dict(start=number(NS), stop=number(NS)))


def case_started_at(rng):
    """A task queue's log: task,started_at,finish_time,worker_name,process (isoformat, +00:00).

    worker_name and process both name workers: worker_name comes first in the
    synonym table, so process (the pid) is not read: the two processes of
    celery@build-1 are one worker, whose overlapping spans count once in busy
    time. A retried task is one job.
    """
    rows = [["task", "started_at", "finish_time", "worker_name", "process"]]
    t0 = 1714640000 * NS
    workers = [("celery@build-1", 4101), ("celery@build-1", 4102), ("celery@build-2", 5120)]
    jobs = schedule(rng, 12, len(workers), t0, (5 * 10**8, 3 * NS), (10**6, 2 * 10**8))
    names = ["thumbnail.%04x" % rng.randint(0, 0xFFFF) for _ in range(11)]
    names.insert(7, names[2])  # retried
    for j, k, s, e in jobs:
        s -= s % 1000
        e -= e % 1000
        rows.append([names[j], iso_of(s, zone="+00:00"), iso_of(e, zone="+00:00"), *workers[k]])
    good("csv-started-at.csv", write_rows(rows),
         dict(job="task", start="started_at", stop="finish_time", worker="worker_name"),
         dict(start=datetime_ns, stop=datetime_ns))


def case_begin_complete(rng):
    """A build's steps: name,begin,complete (seconds); a target built twice is one job."""
    rows = [["name", "begin", "complete"]]
    targets = ["src/io/csv.o", "src/io/scan.o", "src/io/columns.o", "src/model/stats.o",
               "src/model/lanes.o", "src/cli/main.o", "libtimeline.a", "timeline"]
    jobs = schedule(rng, len(targets), 3, 0, (10**5, 2 * 10**6), (0, 10**4))
    rows += [[targets[j], dec(s, 6, False), dec(e, 6, False)] for j, _, s, e in jobs]
    s = max(e for *_, e in jobs) + 5000
    rows.append([targets[5], dec(s, 6, False), dec(s + 812345, 6, False)])  # rebuilt
    good("csv-begin-complete.csv", write_rows(rows), dict(job="name", start="begin", stop="complete"),
         dict(start=number(NS), stop=number(NS)))


def case_camelcase(rng):
    """A Java tool's export: taskId,startTime,endTime,threadName, System.currentTimeMillis()."""
    rows = [["taskId", "startTime", "endTime", "threadName"]]
    jobs = schedule(rng, 10, 3, 1712000000000 + rng.randint(0, 10**6), (40, 900), (0, 15))
    rows += [[f"T{j + 1}", s, e, f"pool-1-thread-{k + 1}"] for j, k, s, e in jobs]
    good("csv-camelcase.csv", write_rows(rows),
         dict(job="taskId", start="startTime", stop="endTime", worker="threadName"),
         dict(start=number(10**6), stop=number(10**6)))


def case_excel(rng):
    """Excel in a decimal-comma locale: BOM, CRLF, ';' and 1,25."""
    rows = [["Group", "Job", "Worker", "Start", "Stop"]]
    for group, w in (("Pool A", 2), ("Pool B", 3)):
        for j, k, s, e in schedule(rng, 5, w, 0, (50, 400), (0, 20)):
            rows.append([group, j + 1, f"W{k + 1}", dec(s, 2, False).replace(".", ","),
                         dec(e, 2, False).replace(".", ",")])
    text = "\ufeff" + write_rows(rows, delimiter=";", lineterminator="\r\n")
    good("csv-excel.csv", text, dict(group="Group", job="Job", worker="Worker", start="Start", stop="Stop"),
         dict(start=number(NS, True), stop=number(NS, True)), sep=";")


def case_tab(rng):
    """df.to_csv(sep='\\t') with its index: no job column, so the index is the job."""
    rows = [["", "mode", "worker", "start", "stop"]]
    i = 0
    for mode, w in (("threads", 3), ("processes", 2)):
        for _, k, s, e in schedule(rng, 5, w, 0, (10**12, 9 * 10**12), (10**8, 10**10)):
            name = f"ThreadPoolExecutor-0_{k}" if mode == "threads" else f"ForkProcess-{k + 1}"
            rows.append([i, mode, name, dec(s, 13), dec(e, 13)])
            i += 1
    good("csv-tab.tsv", write_rows(rows, delimiter="\t"),
         dict(job="", group="mode", worker="worker", start="start", stop="stop"),
         dict(start=number(NS), stop=number(NS)), sep="\t")


def case_pipe(rng):
    """psql -A -P footer=off: id|host|started|finished, timestamptz as psql prints it (+00)."""
    rows = [["id", "host", "started", "finished"]]
    hosts = ["db-replica-1", "db-replica-2"]
    t0 = 1705312800 * NS
    for j, k, s, e in schedule(rng, 9, 2, t0, (10**8, 5 * NS), (0, 10**8)):
        def psql(ns):
            ns -= ns % 10000  # psql: microseconds, trailing zeros dropped
            text = iso_of(ns, sep=" ", frac=6)
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text + "+00"
        rows.append([101 + j, hosts[k], psql(s), psql(e)])
    good("csv-pipe.txt", write_rows(rows, delimiter="|"),
         dict(job="id", worker="host", start="started", stop="finished"),
         dict(start=datetime_ns, stop=datetime_ns), sep="|")


def case_pandas_datetime(rng):
    """pandas datetime64 columns: 2023-11-14 22:13:20.250000 (index=False)."""
    rows = [["job", "mode", "start", "stop"]]
    t0 = 1700000000 * NS
    for mode, w in (("threads", 4), ("processes", 4)):
        jobs = schedule(rng, 6, w, t0, (10**9, 4 * 10**9), (10**6, 10**8))
        for j, _, s, e in jobs:
            rows.append([j, mode, iso_of(s - s % 1000, " "), iso_of(e - e % 1000, " ")])
        t0 = max(e for *_, e in jobs) + 3 * 10**8
    good("csv-pandas-datetime.csv", write_rows(rows), dict(job="job", group="mode", start="start", stop="stop"),
         dict(start=datetime_ns, stop=datetime_ns))


def case_iso_offsets(rng):
    """Two hosts' logs merged: one writes UTC with Z, the other local time with +01:00."""
    rows = [["host", "start", "stop"]]
    t0 = 1705737600 * NS
    for j, k, s, e in schedule(rng, 10, 2, t0, (5 * 10**8, 8 * NS), (0, 10**9)):
        s -= s % 10**6
        e -= e % 10**6
        if k == 0:
            rows.append(["berlin-1", iso_of(s + 3600 * NS, frac=3, zone="+01:00"),
                         iso_of(e + 3600 * NS, frac=3, zone="+01:00")])
        else:
            rows.append(["aws-eu-west", iso_of(s, frac=3, zone="Z"),
                         iso_of(e + 3600 * NS, frac=3, zone="+01:00") if j % 3 == 0 else iso_of(e, frac=3, zone="Z")])
    good("csv-iso-offsets.csv", write_rows(rows), dict(worker="host", start="start", stop="stop"),
         dict(start=datetime_ns, stop=datetime_ns))


def case_dates(rng):
    """A project plan: task,owner,start_date,end_date as dates (owner names no worker)."""
    rows = [["task", "owner", "start_date", "end_date"]]
    d0 = date(2024, 2, 26)
    plan = [("Design", 0, 5), ("Parser", 3, 14), ("Charts", 5, 20), ("Docs", 12, 21), ("Review", 19, 24),
            ("Release", 24, 25), ("Fuzzing", 8, 30)]
    owners = ["ana", "bo", "chen"]
    for k, (task, a, b) in enumerate(plan):
        rows.append([task, owners[k % 3], (d0 + timedelta(days=a)).isoformat(), (d0 + timedelta(days=b)).isoformat()])
    good("csv-dates.csv", write_rows(rows), dict(job="task", start="start_date", stop="end_date"),
         dict(start=datetime_ns, stop=datetime_ns))


def case_time_of_day(rng):
    """Nightly jobs' start,end as times of day: those ending after midnight end the next day."""
    rows = [["job", "worker", "start", "end"]]
    def clock(ms):
        ms %= 86400 * 1000
        return "%02d:%02d:%02d.%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)

    # (start, length) in minutes from 23:00: the last ones end after midnight.
    plan = [(2, 14), (3, 9), (5, 22), (13, 17), (18, 31), (28, 12), (33, 40), (41, 25), (47, 19), (52, 6)]
    free = [0, 0, 0, 0]
    for j, (a, n) in enumerate(plan):
        s = (23 * 3600 + a * 60 + rng.randint(0, 59)) * 1000 + rng.randint(0, 999)
        e = s + n * 60 * 1000 + rng.randint(0, 59999)
        assert s < 86400 * 1000  # every job starts before midnight
        k = min(k for k in range(4) if free[k] <= s)  # a runner that is free
        free[k] = e
        rows.append(["backup-%d" % j, f"runner{k}", clock(s), clock(e)])
    assert sum(r[3] < r[2] for r in rows[1:]) >= 3
    good("csv-time-of-day.csv", write_rows(rows), dict(job="job", worker="worker", start="start", stop="end"),
         dict(start=time_of_day_ns, stop=time_of_day_ns), tod=True)


def case_duration_units(rng):
    """Nextflow-style durations: task_id,name,start,duration with 39.2s, 184ms, 1m 4s, 1h 2m, 00:12:58."""
    rows = [["task_id", "name", "start", "duration"]]
    durs = ["39.2s", "184ms", "1m 4s", "1h 2m", "00:12:58", "2.5s", "850ms", "1m", "3m 27.5s", "12s",
            "1h 0m 5s", "0:04:10.25", "0ms", "2h 5m 3s", "45.123s", "1m 0.5s"]
    t0 = 1699999999 * NS
    t = t0
    for j, d in enumerate(durs):
        t += rng.randint(0, 40) * 10**8
        rows.append([j + 1, "ALIGN (sample_%d)" % (j + 1), iso_of(t, " ", 3), d])
    good("csv-duration-units.csv", write_rows(rows), dict(job="task_id", start="start", duration="duration"),
         dict(start=datetime_ns, duration=duration_ns))


def case_slurm(rng):
    """sacct -X -P -o JobID,JobName,Partition,Start,Elapsed,State: Elapsed as D-HH:MM:SS, read
    as CSV (-I csv; detection gives it to the sacct reader)."""
    rows = [["JobID", "JobName", "Partition", "Start", "Elapsed", "State"]]
    t = 1706781600
    elapsed = [(2, 3, 4, 5), (0, 0, 45, 10), (1, 0, 0, 0), (0, 23, 59, 59), (0, 0, 0, 7), (0, 6, 30, 0),
               (3, 12, 0, 1)]
    states = ["COMPLETED", "COMPLETED", "TIMEOUT", "COMPLETED", "FAILED", "COMPLETED", "COMPLETED"]
    for k, (d, h, m, s) in enumerate(elapsed):
        t += rng.randint(0, 4 * 3600)
        text = f"{d}-{h:02d}:{m:02d}:{s:02d}" if d else f"{h:02d}:{m:02d}:{s:02d}"
        rows.append([4711000 + k, f"sim_{k}", "long" if d else "short", iso_of(t * NS, frac=0), text, states[k]])
    good("csv-slurm.txt", write_rows(rows, delimiter="|"),
         dict(job="JobID", start="Start", duration="Elapsed", status="State"),
         dict(start=datetime_ns, duration=duration_ns), sep="|", args="-I csv")


def case_pandas_timedelta(rng):
    """pandas timedelta64 columns (times since the run began): 0 days 00:00:01.500000."""
    rows = [["", "job", "start", "stop"]]

    def td(us):
        d, rest = divmod(us, 86400 * 10**6)
        s, f = divmod(rest, 10**6)
        text = f"{d} days {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
        return text + (f".{f:06d}" if f else "")

    for i, (j, _, s, e) in enumerate(schedule(rng, 8, 3, 0, (5 * 10**5, 9 * 10**7), (0, 10**5))):
        rows.append([i, j, td(s), td(e)])
    good("csv-pandas-timedelta.csv", write_rows(rows), dict(job="job", start="start", stop="stop"),
         dict(start=duration_ns, stop=duration_ns))


def case_epoch_ms(rng):
    """int(time.time() * 1000): mode,job,start,stop in epoch milliseconds."""
    rows = [["mode", "job", "start", "stop"]]
    t0 = 1700000000000 + rng.randint(0, 10**8)
    for mode, w in (("threads", 4), ("processes", 4)):
        jobs = schedule(rng, 8, w, t0, (200, 1500), (0, 5))
        rows += [[mode, j, s, e] for j, _, s, e in jobs]
        t0 = max(e for *_, e in jobs) + 40
    good("csv-epoch-ms.csv", write_rows(rows), dict(group="mode", job="job", start="start", stop="stop"),
         dict(start=number(10**6), stop=number(10**6)))


def case_epoch_us(rng):
    """time.time_ns() // 1000: job,worker,start,stop in epoch microseconds."""
    rows = [["job", "worker", "start", "stop"]]
    for j, k, s, e in schedule(rng, 10, 3, 1712345678 * 10**6 + rng.randint(0, 10**6), (2000, 90000), (0, 300)):
        rows.append([j, f"worker-{k}", s, e])
    good("csv-epoch-us.csv", write_rows(rows), dict(job="job", worker="worker", start="start", stop="stop"),
         dict(start=number(10**3), stop=number(10**3)))


def case_epoch_ns(rng):
    """time.time_ns() through pandas: ,job,start,stop,thread in epoch nanoseconds."""
    rows = [["", "job", "start", "stop", "thread"]]
    jobs = schedule(rng, 12, 4, 1712345678 * NS + rng.randint(0, NS), (10**5, 5 * 10**7), (0, 10**5))
    rows += [[i, j, s, e, f"Thread-{k + 1}"] for i, (j, k, s, e) in enumerate(jobs)]
    good("csv-epoch-ns.csv", write_rows(rows), dict(job="job", start="start", stop="stop", worker="thread"),
         dict(start=number(1), stop=number(1)))


def case_time_unit_ms(rng):
    """Small bare numbers in milliseconds, said with --time-unit ms."""
    rows = [["job", "start", "stop"]]
    for j, _, s, e in schedule(rng, 10, 3, 0, (1000, 250000), (0, 2000)):
        rows.append([j, dec(s, 3, False), dec(e, 3, False)])
    good("csv-time-unit-ms.csv", write_rows(rows), dict(job="job", start="start", stop="stop"),
         dict(start=number(10**6), stop=number(10**6)), args="--time-unit ms")


def case_missing(rng):
    """Rows with no stop (unfinished: empty, NaN, NaT, None) and no start (skipped: empty, NaN)."""
    text = (
        "# title: interrupted benchmark, some jobs never reported\n"
        "mode,job,worker,start,stop\n"
        "threads,0,w0,0.0,1.25\n"
        "threads,1,w1,0.0,\n"
        "threads,2,w2,0.125,2.5\n"
        "threads,3,w0,1.25,NaN\n"
        "threads,4,w1,,3.0\n"
        "threads,5,w2,2.5,3.75\n"
        "processes,0,p0,4.0,5.5\n"
        "processes,1,p1,4.0,5.0\n"
        "processes,2,p0,5.5,NaT\n"
        "processes,3,p1,nan,6.0\n"
        "processes,4,p1,5.0,6.75\n"
        "asyncio,0,loop,0.5,None\n"
        "asyncio,1,loop,0.5,0.75\n"
    )
    good("csv-missing.csv", text, dict(group="mode", job="job", worker="worker", start="start", stop="stop"),
         dict(start=number(NS), stop=number(NS)))


def case_nested(rng):
    """A tracing decorator's log: calls nest on their thread, so busy time is each thread's union.

    In 'traced', run holds load, which holds parse (MainThread); retry-0 is
    inside fetch-0; on worker-2, decode-1 starts before fetch-1 returns and
    fetch-2 starts as decode-1 stops. In 'speculative' no thread is named:
    shard-2 runs twice at once (a speculative copy), one job whose two spans
    overlap.
    """
    text = (
        "mode,task,thread_name,start,stop\n"
        "traced,run,MainThread,1523.000,1532.500\n"
        "traced,load,MainThread,1523.125,1525.000\n"
        "traced,parse,MainThread,1523.250,1524.500\n"
        "traced,fetch-0,worker-1,1525.000,1528.250\n"
        "traced,fetch-1,worker-2,1525.000,1527.500\n"
        "traced,retry-0,worker-1,1526.000,1527.000\n"
        "traced,decode-1,worker-2,1527.250,1529.000\n"
        "traced,fetch-2,worker-2,1529.000,1530.750\n"
        "traced,report,MainThread,1531.000,1532.500\n"
        "speculative,shard-0,,1540.000,1544.000\n"
        "speculative,shard-1,,1540.000,1543.000\n"
        "speculative,shard-2,,1540.500,1546.000\n"
        "speculative,shard-3,,1543.000,1545.000\n"
        "speculative,shard-2,,1544.000,1545.500\n"
    )
    good("csv-nested.csv", text, dict(group="mode", job="task", worker="thread_name", start="start", stop="stop"),
         dict(start=number(NS), stop=number(NS)))


def case_unnamed_worker(rng):
    """Spans naming no worker beside some that do: together, one more worker.

    In 'mixed', a runs [0, 1] and an unnamed job [0.5, 2]: 2 workers, busy
    2.5. In 'pool', p0, p1 and two unnamed jobs all run 0-4: 3 workers, busy
    12 (the unnamed jobs' union is 4), so concurrency is 3, not 4. Each once
    counted the unnamed spans per job and not as a worker.
    """
    text = (
        "group,job,worker,start,stop\n"
        "mixed,0,a,0,1\n"
        "mixed,1,,0.5,2\n"
        "pool,0,p0,0,4\n"
        "pool,1,p1,0,4\n"
        "pool,2,,0,4\n"
        "pool,3,,0,4\n"
    )
    good("csv-unnamed-worker.csv", text, dict(group="group", job="job", worker="worker", start="start", stop="stop"),
         dict(start=number(NS), stop=number(NS)))


def case_jmeter(rng):
    """A JMeter results file: timeStamp (epoch ms) + elapsed (ms), label, threadName."""
    head = ["timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName", "dataType", "success",
            "failureMessage", "bytes", "sentBytes", "grpThreads", "allThreads", "URL", "Latency", "IdleTime",
            "Connect"]
    rows = [head]
    pages = [("GET /", "https://shop.example/"), ("GET /cart", "https://shop.example/cart"),
             ("POST /login", "https://shop.example/login")]
    for j, k, s, e in schedule(rng, 15, 3, 1700000000000 + rng.randint(0, 10**6), (20, 900), (5, 300)):
        label, url = pages[j % 3]
        if j == 4:
            label, url = "GET /search?q=a,b", "https://shop.example/search?q=a,b"  # quoted by JMeter
        ok = j != 9
        why = "" if ok else 'Test failed: text expected to contain /"total"/'
        rows.append([s, e - s, label, 200 if ok else 500, "OK" if ok else "Internal Server Error",
                     f"Thread Group 1-{k + 1}", "text", "true" if ok else "false", why, rng.randint(800, 40000),
                     rng.randint(100, 600), 3, 3, url, rng.randint(5, e - s), 0, rng.randint(0, 5)])
    good("csv-jmeter.csv", write_rows(rows), dict(start="timeStamp", duration="elapsed", worker="threadName"),
         dict(start=number(10**6), duration=number(10**6)))


def case_end_duration(rng):
    """A completion log: end,duration,worker and no start (start = end - duration)."""
    rows = [["end", "duration", "worker"]]
    jobs = schedule(rng, 9, 3, 0, (10**5, 3 * 10**6), (0, 10**4))
    for j, k, s, e in sorted(jobs, key=lambda x: x[3]):
        rows.append([dec(e + 10**6, 6), dec(e - s, 6), f"w{k}"])
    good("csv-end-duration.csv", write_rows(rows), dict(stop="end", duration="duration", worker="worker"),
         dict(stop=number(NS), duration=number(NS)))


def case_articles_epoch(rng):
    """The articles' file: time.time() pairs, threads then processes, ,start,stop,mode (each from zero)."""
    rows = [["", "start", "stop", "mode"]]
    t0 = 17000000002500000
    for mode in ("Multi-Threading", "Multi-Processing"):
        jobs = schedule(rng, 4, 4, t0, (5 * 10**7, 24 * 10**7), (0, 10**4))
        rows += [[j, dec(s, 7), dec(e, 7), mode] for j, _, s, e in jobs]
        t0 = max(e for *_, e in jobs) + 5 * 10**6
    good("csv-articles-epoch.csv", write_rows(rows), dict(job="", start="start", stop="stop", group="mode"),
         dict(start=number(NS), stop=number(NS)))


def case_columns_odd(rng):
    """Odd names told with --columns (a decoy 'start' column holds the queue time)."""
    rows = [["Ticket", "Queued", "start", "Begun At", "Done At", "Box"]]
    for j, k, s, e in schedule(rng, 8, 3, 100000, (2000, 30000), (0, 500)):
        rows.append([f"OPS-{311 + j}", dec(s - 5000, 3), dec(s - 4000, 3), dec(s, 3), dec(e, 3), f"box{k + 1}"])
    good("csv-columns-odd.csv", write_rows(rows),
         dict(job="Ticket", start="Begun At", stop="Done At", worker="Box"),
         dict(start=number(NS), stop=number(NS)), args="--columns job=Ticket,start=begun_at,stop=DONE_AT,worker=Box")


def case_numpy(rng):
    """np.savetxt(f, a, delimiter=',') of (worker, start, stop): headerless, %.18e."""

    def e18(num, den):
        """'%.18e' of num/den, as numpy writes it for a float that close."""
        x = Fraction(num, den)
        exp = 0
        while x >= 10:
            x /= 10
            exp += 1
        while 0 < x < 1:
            x *= 10
            exp -= 1
        m = round_half_away(x * 10**18)
        assert m < 10**19
        return f"{m // 10**18}.{m % 10**18:018d}e{'-' if exp < 0 else '+'}{abs(exp):02d}"

    lines = []
    for j, k, s, e in schedule(rng, 10, 2, 10**6, (10**6, 10**7), (0, 10**5)):
        lines.append(",".join([e18(k, 1) if k else "0.000000000000000000e+00", e18(s, 10**7), e18(e, 10**7)]))
    good("csv-numpy-savetxt.csv", "\n".join(lines) + "\n", dict(start=2, stop=3),
         dict(start=number(NS), stop=number(NS)), header=False, args="--columns start=2,stop=3")


def case_unit_suffix(rng):
    """Units in the names: task,start_ms,end_ms,thread_id (ms since the run began)."""
    rows = [["task", "start_ms", "end_ms", "thread_id"]]
    for j, k, s, e in schedule(rng, 9, 3, 0, (2000, 90000), (0, 500)):
        rows.append([f"chunk-{j:02d}", dec(s, 3, False), dec(e, 3, False), 12340 + k])
    good("csv-unit-suffix.csv", write_rows(rows), dict(job="task", start="start_ms", stop="end_ms", worker="thread_id"),
         dict(start=number(10**6), stop=number(10**6)))


def case_pandas_roundtrip(rng):
    """read_csv() then to_csv() again: a new unnamed index before the old one, 'Unnamed: 0'."""
    rows = [["", "Unnamed: 0", "start", "stop", "mode"]]
    for i, (j, _, s, e) in enumerate(schedule(rng, 6, 2, 10**9, (10**12, 9 * 10**12), (10**8, 10**10))):
        rows.append([i, i, dec(s, 13), dec(e, 13), "threads"])
    good("csv-pandas-roundtrip.csv", write_rows(rows), dict(job="", start="start", stop="stop", group="mode"),
         dict(start=number(NS), stop=number(NS)))


def case_group_name(rng):
    """--group-name renames threads to Multi-Threading."""
    rows = [["mode", "job", "worker", "start", "stop"]]
    t0 = 0
    for mode in ("threads", "processes"):
        jobs = schedule(rng, 6, 3, t0, (10**5, 10**6), (0, 10**3))
        rows += [[mode, j, f"{mode[0]}{k}", dec(s, 6), dec(e, 6)] for j, k, s, e in jobs]
        t0 = max(e for *_, e in jobs)
    good("csv-group-name.csv", write_rows(rows),
         dict(group="mode", job="job", worker="worker", start="start", stop="stop"),
         dict(start=number(NS), stop=number(NS)), args="--group-name threads=Multi-Threading",
         rename={"threads": "Multi-Threading"})


def case_hosts_concurrent(rng):
    """Two CI hosts' logs merged, a run per host: read off one clock and overlapping, the
    groups ran at the same time (no speedup); --align start compares them from each one's start."""
    rows = [["run", "step", "start", "stop"]]
    t0 = 1718000000 * NS
    for host, w in (("ci-linux", 2), ("ci-macos", 1)):
        jobs = schedule(rng, 5, w, t0 + rng.randint(0, 10**9), (10**9, 20 * NS), (0, 10**8))
        rows += [[host, f"step-{j}", iso_of(s - s % 1000, zone="Z"), iso_of(e - e % 1000, zone="Z")]
                 for j, _, s, e in jobs]
    for name, args in (("csv-hosts-concurrent.csv", ""), ("csv-hosts-align-start.csv", "--align start")):
        good(name, write_rows(rows), dict(group="run", job="step", start="start", stop="stop"),
             dict(start=datetime_ns, stop=datetime_ns), args=args)


def bad_cases():
    bad("csv-headerless.csv", "0,0.25,1.5\n1,0.5,2.25\n", 1,
        "timeline: bad/csv-headerless.csv:1:1: the first line is data, not a header: say which columns hold "
        "what with --columns, e.g. --columns start=1,stop=2 (numbers count columns from 1)")
    bad("csv-columns-unknown.csv", "job,begin,end\n0,0.25,1.5\n", 1,
        "timeline: bad/csv-columns-unknown.csv:1:1: --columns start='Nope': no such column; the header has: "
        "'job', 'begin', 'end'", args="--columns start=Nope")
    bad("csv-strict-nan.csv", "mode,job,start,stop\nthreads,0,0.0,1.5\nthreads,1,0.25,NaN\n", 1,
        "timeline: bad/csv-strict-nan.csv:3:16: missing stop time", args="--strict")
    bad("csv-mixed-kinds.csv",
        "job,start,stop\n0,1700000000.5,1700000001.25\n1,2023-11-14 22:13:21,2023-11-14 22:13:22\n", 1,
        "timeline: bad/csv-mixed-kinds.csv:3:3: start time '2023-11-14 22:13:21' is one of dates and times; "
        "earlier rows of its column hold numbers")
    bad("csv-invalid-date.csv", "job,start,stop\n0,2023-02-27,2023-02-28\n1,2023-02-28,2023-02-30\n", 1,
        "timeline: bad/csv-invalid-date.csv:3:14: stop time '2023-02-30' is not a number, a date-time or a "
        "duration")
    bad("csv-negative-duration.csv", "job,start,duration\n0,0,1m 4s\n1,5,-1m\n", 1,
        "timeline: bad/csv-negative-duration.csv:3:5: duration '-1m' is negative")


# ---- the expectation ----


def read_table(case):
    text = case["text"].lstrip("\ufeff")
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=case["sep"])
            if r and any(f.strip() for f in r) and not r[0].startswith("#")]
    if case["header"]:
        head, rows = [h.strip() for h in rows[0]], rows[1:]
        col = {role: head.index(name) for role, name in case["roles"].items()}
    else:
        col = {role: pos - 1 for role, pos in case["roles"].items()}
    return [{role: r[c] for role, c in col.items()} for r in rows]


# Status words that mean a job failed (the first word, case aside), as
# schedulers and CI systems write them; numbers fail when not zero.
FAILED_WORDS = {"failed", "fail", "failure", "error", "errored", "aborted", "cancelled", "canceled",
                "revoked", "killed", "out_of_memory", "oom", "node_fail", "boot_fail", "preempted",
                "upstream_failed", "timeout", "deadline"}


def failed_status(text):
    """1 when a status cell says the job failed: a non-zero exit code or a failure word."""
    if text is None or not text.strip():
        return 0
    t = text.strip().lower()
    if re.fullmatch(r"[+-]?\d+(\.0*)?", t):
        return int(float(t)) != 0
    return t.split()[0] in FAILED_WORDS or t in ("timed out",)


def integer_text(s):
    """A job number: '3', or '3.0' as pandas writes floats."""
    m = re.fullmatch(r"\s*([+-]?\d+)(?:\.0*)?\s*", s)
    return int(m.group(1)) if m else None


def lanes(spans):
    """Lanes the spans need, packed in start order then file order; a lane frees at its stop."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], i))
    need = 0
    for n, i in enumerate(order):
        running = sum(1 for j in order[:n] if spans[j][1] > spans[i][0])
        need = max(need, running + 1)
    return need


def expected(case):
    parse = case["parse"]
    groups = {}  # name -> dict(spans, samples, next_job, named)

    def group(name):
        return groups.setdefault(name, dict(spans=[], samples=[], next_job=0, named={}))

    def present(v):
        return v is not None and v.strip().lower() not in MISSING

    for r in read_table(case):
        g = group(r.get("group", ""))
        worker = r.get("worker") or None
        job = None
        if r.get("job", "").strip():
            job = integer_text(r["job"])
            if job is None:
                job = ("name", g["named"].setdefault(r["job"], len(g["named"])))
        if "time" in case["roles"]:  # samples
            if present(r["time"]):
                g["samples"].append((parse["time"](r["time"]), 0 if job is None else job, worker))
            continue
        start = stop = None
        if "start" not in case["roles"]:  # start = stop - duration
            if not (present(r["stop"]) and present(r["duration"])):
                continue
            stop = parse["stop"](r["stop"])
            start = stop - parse["duration"](r["duration"])
        else:
            if not present(r["start"]):
                continue
            start = parse["start"](r["start"])
            if present(r.get("stop")):
                stop = parse["stop"](r["stop"])
                if case["tod"] and stop < start:
                    stop += 86400 * NS
            elif present(r.get("duration")):
                stop = start + parse["duration"](r["duration"])
        if job is None:  # a job of its own, numbered apart from the file's jobs
            job = ("row", g["next_job"])
            g["next_job"] += 1
        g["spans"].append([start, stop, job, worker])
        g.setdefault("failed", 0)
        g["failed"] += failed_status(r.get("status"))

    stats = []
    extents = []  # (first start, last stop) of each group with data
    for name, g in groups.items():
        end = max([s[1] for s in g["spans"] if s[1] is not None] + [s[0] for s in g["spans"]]
                  + [t for t, _, _ in g["samples"]])
        unfinished = 0
        for s in g["spans"]:
            if s[1] is None:
                s[1] = end
                unfinished += 1
        if g["spans"]:
            ivals = [(s[0], s[1]) for s in g["spans"]]
            jobs = {s[2] for s in g["spans"]}
            workers = {s[3] for s in g["spans"] if s[3]}
            if workers and any(not s[3] for s in g["spans"]):
                workers.add(None)  # the unnamed worker
        else:
            extent = {}
            for t, job, _ in g["samples"]:
                lo, hi = extent.get(job, (t, t))
                extent[job] = (min(lo, t), max(hi, t))
            ivals = list(extent.values())
            jobs = set(extent)
            workers = {w for _, _, w in g["samples"] if w}
            if workers and any(not w for _, _, w in g["samples"]):
                workers.add(None)  # the unnamed worker
            # Packed in the order of a hash map: with a zero-length extent starting
            # as another does, that order would count.
            assert all(a < b or [lo for lo, _ in ivals].count(a) == 1 for a, b in ivals)
        wall = max(b for _, b in ivals) - min(a for a, _ in ivals)
        extents.append((min([s[0] for s in g["spans"]] + [t for t, _, _ in g["samples"]]), end))
        if g["spans"]:
            per_worker = {}
            for a, b, job, worker in g["spans"]:
                key = ("worker", worker) if worker else ("unnamed",) if workers else ("job", job)
                per_worker.setdefault(key, []).append((a, b))
            busy = sum(union_length(iv) for iv in per_worker.values())
        else:
            busy = sum(b - a for a, b in ivals)
        assert 0 <= busy < 2**53 and 0 <= wall < 2**53  # exact as doubles, as the C code divides them
        stats.append(dict(name=case["rename"].get(name, name), jobs=len(jobs),
                          workers=len(workers) if workers else lanes(ivals), wall=wall, busy=busy,
                          unfinished=unfinished, failed=g.get("failed", 0), lanes=int(not workers)))
    # The reference: 'serial', else the first group; none for one group, or
    # for groups read off a clock that overlap (they ran at the same time).
    clocked = (case["tod"] or datetime_ns in case["parse"].values()
               or min(a for a, _ in extents) >= 10**9 * NS)
    overlap = any(a1 < b2 and a2 < b1 for i, (a1, b1) in enumerate(extents) for a2, b2 in extents[:i])
    concurrent = clocked and overlap and "--align start" not in case["args"]
    ref = None
    if len(extents) >= 2 and not concurrent:
        ref = next((s for s in stats if s["name"] == "serial"), stats[0])
    any_unfinished = any(s["unfinished"] for s in stats)
    any_failed = any(s["failed"] for s in stats)
    any_lanes = any(s["lanes"] for s in stats)
    out = ["group,jobs,workers,wall,busy,concurrency,speedup" + (",unfinished" if any_unfinished else "")
           + (",failed" if any_failed else "") + (",lanes" if any_lanes else "")]
    for s in stats:
        name = s["name"]
        if re.search(r'[,"\r\n]', name):
            name = '"' + name.replace('"', '""') + '"'
        line = f"{name},{s['jobs']},{s['workers']},{seconds(s['wall'])},{seconds(s['busy'])},"
        line += "%.9f," % (s["busy"] / s["wall"]) if s["wall"] > 0 else ","
        if ref is not None and s["wall"] > 0 and ref["wall"] > 0:
            line += "%.9f" % (ref["wall"] / s["wall"])
        if any_unfinished:
            line += f",{s['unfinished']}"
        if any_failed:
            line += f",{s['failed']}"
        if any_lanes:
            line += f",{s['lanes']}"
        out.append(line)
    return "\n".join(out) + "\n"


def seconds(ns):
    return ("-" if ns < 0 else "") + f"{abs(ns) // NS}.{abs(ns) % NS:09d}"


# ---- writing and checking ----


def files():
    """Every file the cases make: path relative to HERE -> bytes."""
    for name, fn in sorted(globals().items()):
        if name.startswith("case_"):
            fn(random.Random("csv_cases." + name))
    bad_cases()
    out = {}
    for c in GOOD:
        base = os.path.join("good", c["name"].rsplit(".", 1)[0])
        out[os.path.join("good", c["name"])] = c["text"].encode()
        out[base + ".stats.csv"] = expected(c).encode()
        if c["args"]:
            out[base + ".args"] = (c["args"] + "\n").encode()
    for c in BAD:
        base = os.path.join("bad", c["name"].rsplit(".", 1)[0])
        out[os.path.join("bad", c["name"])] = c["text"].encode()
        expect = f"{c['status']}\n{c['message']}\n" + (c["args"] + "\n" if c["args"] else "")
        out[base + ".expect"] = expect.encode()
    return out


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    want = files()
    # Files of these cases that no case makes any more.
    stale = sorted(os.path.join(d, f) for d in ("good", "bad") for f in os.listdir(os.path.join(HERE, d))
                   if f.startswith("csv-") and os.path.join(d, f) not in want)
    if not check:
        for path, data in want.items():
            with open(os.path.join(HERE, path), "wb") as f:
                f.write(data)
        for path in stale:
            print(f"{path}: made by no case (left alone)", file=sys.stderr)
        print(f"{len(GOOD)} good and {len(BAD)} bad cases written", file=sys.stderr)
        return 0
    bad_files = [f"{p}: made by no case" for p in stale]
    for path, data in want.items():
        try:
            with open(os.path.join(HERE, path), "rb") as f:
                have = f.read()
        except FileNotFoundError:
            bad_files.append(f"{path}: missing")
            continue
        if have != data:
            bad_files.append(f"{path}: differs from what the cases make")
    for line in bad_files:
        print(line)
    print(f"{len(want)} files of {len(GOOD)} good and {len(BAD)} bad cases: "
          + (f"{len(bad_files)} wrong" if bad_files else "all as the cases make them"))
    return 1 if bad_files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
