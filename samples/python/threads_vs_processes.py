#!/usr/bin/env python3
"""The seed articles' experiments with the real concurrent.futures pools and
CPython's real GIL, written as timeline CSV:

    python3 samples/python/threads_vs_processes.py cpu results.csv
    timeline render results.csv

Experiments: cpu (the counting loop, serial vs threads vs processes),
sleep (the stand-in for API calls) and track (the live tracker: a timestamp
per iteration). Each job returns its worker (process and thread ids) and its
start and stop from time.time(), as the articles do; they are written
relative to the moment the mode's pool was started (the articles' `base`),
so pool start-up shows as the gap before the first job.
"""
import argparse
import csv
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def worker_name():
    return "%d/%d" % (os.getpid(), threading.get_ident() % 100000)


def naive_add(n):
    start = time.time()
    count = 0
    for i in range(n):
        count += i
    return worker_name(), start, time.time(), []


def api_call(seconds):
    start = time.time()
    time.sleep(seconds)
    return worker_name(), start, time.time(), []


def live_tracker(n):
    start = time.time()
    samples = [time.time() for _ in range(n)]
    return worker_name(), start, time.time(), samples


EXPERIMENTS = {
    "cpu": (naive_add, lambda a: a.n or 2_000_000),
    "sleep": (api_call, lambda a: (a.n or 200) / 1000.0),
    "track": (live_tracker, lambda a: a.n or 100_000),
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("experiment", choices=sorted(EXPERIMENTS))
    p.add_argument("output")
    p.add_argument("--jobs", type=int, default=4)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("-n", type=int, default=0, help="iterations, or sleep milliseconds")
    args = p.parse_args()
    func, arg = EXPERIMENTS[args.experiment]
    value = arg(args)
    rows = []
    modes = [("serial", None), ("threads", ThreadPoolExecutor), ("processes", ProcessPoolExecutor)]
    for mode, pool in modes:
        base = time.time()
        if pool is None:
            results = [func(value) for _ in range(args.jobs)]
        else:
            with pool(args.workers) as ex:
                results = list(ex.map(func, [value] * args.jobs))
        for job, (worker, start, stop, samples) in enumerate(results):
            rows.append(("span", mode, job, worker, "%.6f" % (start - base), "%.6f" % (stop - base)))
            rows.extend(("sample", mode, job, worker, "%.6f" % (t - base), "") for t in samples)
    with open(args.output, "w", newline="") as f:
        w = csv.writer(f)
        f.write("# title: %s, %d jobs, concurrent.futures under CPython's GIL\n" % (args.experiment, args.jobs))
        # Times start when each pool was made: the first start is its start-up.
        f.write("# origin: pool start\n")
        w.writerow(["kind", "mode", "job", "worker", "start", "stop"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
