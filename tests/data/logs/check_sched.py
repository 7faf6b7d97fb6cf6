#!/usr/bin/env python3
"""Real Slurm sacct and Nextflow trace files (origins in SOURCES.md) against
`timeline stats --format csv`.

Usage: check_sched.py TIMELINE

For every file of CASES, this script reads the log on its own and computes
per group: jobs (spans), wall (last stop - first start), busy (the jobs'
lengths summed: a node or a host runs several jobs at once, a slot each)
and, when the log
has submit times, the mean and longest queue wait; then compares them
exactly with what timeline prints. The rules, written again without the C
code (docs/timeline.1, INPUT OPTIONS):
  Slurm: skip steps (JobID with '.') and jobs whose Start is Unknown/None;
  stop = End, else Start + Elapsed, else the group's end; group = Partition;
  worker = NodeList's first node; wait = Start - Submit (>= 0).
  Nextflow: skip CACHED tasks and tasks with no duration (and no start and
  complete); start/complete when present, else submit + duration - realtime
  to submit + duration; group = process, else the name before " ("; no
  worker unless hostname; wait = start - submit.
"""

import csv
import datetime
import io
import re
import subprocess
import os
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from expect import ns_secs  # noqa: E402

HERE = Path(__file__).parent
NS = 10**9
AWS = ("State,JobID,ReqCPUS,ReqMem,ReqNodes,Constraints,Submit,Eligible,Start,Elapsed,Suspended,End,"
       "ExitCode,DerivedExitCode,AllocNodes,NCPUS,MaxDiskRead,MaxDiskWrite,MaxPages,MaxRSS,MaxVMSize,"
       "CPUTime,UserCPU,SystemCPU,TotalCPU")
CASES = {
    "slurm/sacct-parsable2.txt": None,
    "slurm/slurm-parsable2-header-steps-cancelled-slurm2sql.txt": None,
    "slurm/slurm-parsable2-noheader-oom-failed-aws-hpc-cost-simulator.txt": AWS,
    "slurm/slurm-parsable2-noheader-array-annotated-aws-hpc-cost-simulator.txt": AWS,
    "slurm/slurm-parsable2-noheader-slurm14-slyme-parallel.txt":
        "User,JobID,JobName,State,Partition,NCPUS,NNodes,CPUTime,TotalCPU,UserCPU,SystemCPU,ReqMem,"
        "MaxRSS,Submit,Start,End,NodeList",
    "slurm/slurm-snowman-delimiter-noheader-jobinfo-2021.txt":
        "JobID,JobName,User,Partition,NodeList,NNodes,NCPUS,NTasks,State,Submit,Start,End,Timelimit,"
        "Elapsed,TotalCPU,UserCPU,SystemCPU,ReqMem,MaxRSS,TRESUsageInTot,TRESUsageOutTot,MaxDiskWrite,"
        "MaxDiskRead,MaxRSSNode,MaxDiskWriteNode,MaxDiskReadNode,Comment",
    "slurm/slurm-snowman-delimiter-noheader-hb-jobinfo-2024.txt":
        "JobID,JobName,User,Partition,NodeList,NNodes,NCPUS,NTasks,State,Submit,Start,End,Timelimit,"
        "Elapsed,TotalCPU,CPUTime,UserCPU,SystemCPU,ReqMem,MaxRSS,MaxVMSize,ReqTRES,AllocTRES,"
        "TRESUsageInMax,TRESUsageInTot,TRESUsageOutTot,MaxDiskRead,MaxDiskWrite,MaxRSSNode,MaxRSSTask,"
        "MaxVMSizeNode,MaxVMSizeTask,MaxDiskReadNode,MaxDiskReadTask,MaxDiskWriteNode,MaxDiskWriteTask,"
        "Comment",
    "nextflow/nextflow-trace.txt": None,
    "nextflow/nextflow-default-fields-aws-batch-openproblems-failed-137.txt": None,
    "nextflow/nextflow-default-fields-nf-core-chipseq-failed-retries.txt": None,
    "nextflow/nextflow-default-fields-nf-core-demo-nf-co2footprint.tsv": None,
    "nextflow/nextflow-default-fields-resumed-cached-scisoseq.txt": None,
    "nextflow/nextflow-raw-start-complete-comma-separated-nf-co2footprint.csv": None,
    "nextflow/nextflow-raw-start-complete-epoch-ms-nf-co2footprint.tsv": None,
    "nextflow/nextflow-v0.32-aborted-excerpt-tuto-nextflow.txt": None,
}


def date_ns(s):
    if s.isdigit():
        return int(s) * 10**6
    d = datetime.datetime.fromisoformat(s.replace("T", " "))
    return int((d.replace(tzinfo=datetime.timezone.utc).timestamp())) * NS + d.microsecond * 1000


def clock_ns(s):
    """Slurm's [D-]HH:MM:SS, MM:SS.mmm."""
    days = 0
    if "-" in s:
        d, s = s.split("-")
        days = int(d)
    parts = s.split(":")
    secs = Fraction(parts[-1])
    mins = int(parts[-2]) if len(parts) >= 2 else 0
    hours = int(parts[-3]) if len(parts) >= 3 else 0
    return int((((days * 24 + hours) * 60 + mins) * 60 + secs) * NS)


def nf_duration(s):
    if s.isdigit():
        return int(s) * 10**6
    unit = {"d": 86400, "h": 3600, "m": 60, "s": 1, "ms": Fraction(1, 1000)}
    return int(sum(Fraction(v) * unit[u] * NS for v, u in re.findall(r"([\d.]+)(ms|d|h|m|s)", s)))


def slurm(path, fields):
    lines = path.read_text().split("\n")
    lines = [l for l in lines if l.strip() and not l.startswith("#")]
    if fields:
        names = fields.split(",")
        delim = "\u2603" if "\u2603" in lines[0] else "|"
    else:
        delim = "|"
        names = lines.pop(0).split(delim)
    col = {n: i for i, n in enumerate(names)}
    groups, open_ = {}, []
    for l in lines:
        f = l.split(delim)
        get = lambda n: f[col[n]] if n in col else ""
        if "." in get("JobID") or get("Start") in ("Unknown", "None", ""):
            continue
        start = date_ns(get("Start"))
        g = groups.setdefault(get("Partition"), [])
        if get("End") not in ("Unknown", "None", ""):
            stop = max(date_ns(get("End")), start)
        elif get("Elapsed"):
            stop = start + clock_ns(get("Elapsed"))
        else:
            stop = None
        node = re.split(r"[\[,]", get("NodeList"))[0]
        rng = re.match(r"[^\[]*\[([^\],-]+)", get("NodeList"))
        node = node + rng.group(1) if rng else node
        node = None if node in ("", "None assigned") else node
        sub = get("Submit")
        wait = max(0, start - date_ns(sub)) if sub not in ("", "Unknown", "None") else 0
        g.append([start, stop, node, len(g), wait])
    for g in groups.values():
        end = max(max(s[0], s[1] or s[0]) for s in g)
        for s in g:
            s[1] = end if s[1] is None else s[1]
    return groups, "Submit" in col


def nextflow(path):
    lines = [l for l in path.read_text().split("\n") if l]
    delim = "\t" if "\t" in lines[0] else ","
    names = lines.pop(0).split(delim)
    col = {n: i for i, n in enumerate(names)}
    groups = {}
    for l in lines:
        f = l.split(delim)
        get = lambda n: f[col[n]] if n in col and f[col[n]] != "-" else None
        if get("status") == "CACHED":
            continue
        sub = date_ns(get("submit")) if get("submit") else None
        if get("start") and get("complete"):
            start, stop = date_ns(get("start")), date_ns(get("complete"))
        elif sub is not None and get("duration"):
            stop = sub + nf_duration(get("duration"))
            rt = nf_duration(get("realtime")) if get("realtime") else None
            start = stop - rt if rt is not None and rt <= stop - sub else sub
        else:
            continue
        name = get("process") or get("name").split(" (")[0]
        g = groups.setdefault(name, [])
        g.append([start, stop, get("hostname"), int(get("task_id")),
                  max(0, start - sub) if sub is not None else 0])
    return groups, "submit" in col


def main():
    timeline = sys.argv[1]
    bad = 0
    for name, fields in CASES.items():
        path = HERE / name
        groups, queued = slurm(path, fields) if name.startswith("slurm") else nextflow(path)
        args = [timeline, "stats", "--format", "csv"] + (["--fields", fields] if fields else []) + [str(path)]
        out = subprocess.run(args, capture_output=True, text=True)
        if out.returncode:
            print(f"{name}: timeline failed: {out.stderr.strip()}")
            bad += 1
            continue
        rows = list(csv.reader(io.StringIO(out.stdout)))
        head = rows.pop(0)
        got = {r[0]: dict(zip(head, r)) for r in rows}
        for g, spans in groups.items():
            per = {}
            for s in spans:
                per.setdefault(("w", s[2]) if s[2] else ("j", s[3]), []).append((s[0], s[1]))
            want = dict(jobs=str(len(spans)), wall=ns_secs(max(s[1] for s in spans) - min(s[0] for s in spans)),
                        busy=ns_secs(sum(b - a for v in per.values() for a, b in v)))
            if queued:
                n = len(spans)
                want["wait_mean"] = ns_secs((sum(s[4] for s in spans) + n // 2) // n)
                want["wait_max"] = ns_secs(max(s[4] for s in spans))
            have = got.get(g, {})
            for k, v in want.items():
                if have.get(k) != v:
                    print(f"{name}: group {g!r} {k}: timeline {have.get(k)}, expected {v}")
                    bad += 1
        if len(got) != len(groups):
            print(f"{name}: {len(got)} groups, expected {len(groups)}")
            bad += 1
    print(f"{len(CASES)} files, {bad} differences")
    sys.exit(1 if bad else 0)


main()
