#!/usr/bin/env python3
"""Inputs of hard shapes for the gallery: gallery-data.py DIR writes them there.

Every file is made from a fixed seed, so the gallery's charts change only
when timeline's drawing does. Each shape is one a user brings and the
plain two-panel chart does not show: one job, hundreds of jobs, many
workers, many panels, hours, epoch clocks, deep nesting, a build tool's
40 threads, a GPU profile, long and CJK labels.
"""

import csv
import json
import os
import random
import sys


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def packed(rng, jobs, workers, lo, hi, t0=0.0):
    """jobs on workers, each taking the next free worker: (job, worker, start, stop)."""
    free = [t0] * workers
    out = []
    for j in range(jobs):
        w = min(range(workers), key=lambda i: free[i])
        d = rng.uniform(lo, hi)
        out.append((j, w, free[w], free[w] + d))
        free[w] += d + rng.uniform(0, lo / 10)
    return out


def chrome(path, events, **top):
    doc = {"traceEvents": events}
    doc.update(top)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))


def meta(kind, pid, tid, name):
    return {"name": kind + "_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}}


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261130)
    p = lambda name: os.path.join(out, name)

    write_csv(p("one-job.csv"), ["job", "start", "stop"], [(0, 0.0, 2.5)])

    rows = packed(rng, 500, 8, 0.05, 0.4)
    write_csv(p("jobs-500.csv"), ["job", "worker", "start", "stop"],
              [(j, "worker %d" % w, "%.4f" % a, "%.4f" % b) for j, w, a, b in rows])

    rows = packed(rng, 240, 40, 0.5, 3.0)
    write_csv(p("workers-40.csv"), ["job", "worker", "start", "stop"],
              [(j, "worker %d" % w, "%.4f" % a, "%.4f" % b) for j, w, a, b in rows])

    # Nine pool sizes of one workload: nine panels.
    out_rows = []
    for size in range(1, 10):
        for j, w, a, b in packed(rng, 24, size, 0.2, 0.3):
            out_rows.append(("pool of %d" % size, j, w, "%.4f" % a, "%.4f" % b))
    write_csv(p("panels-9.csv"), ["group", "job", "worker", "start", "stop"], out_rows)

    rows = packed(rng, 60, 4, 300, 1200)
    write_csv(p("hours-3.csv"), ["job", "worker", "start_s", "stop_s"],
              [(j, w, "%.1f" % a, "%.1f" % b) for j, w, a, b in rows])

    # Epoch microseconds, as Chrome's own traces and many loggers keep them.
    base = 1764500000000000
    ev = [meta("process", 1, 0, "server"), meta("thread", 1, 1, "main"),
          meta("thread", 1, 2, "io")]
    t = base
    for k in range(30):
        d = rng.randint(2000, 40000)
        ev.append({"ph": "X", "name": "request %d" % k, "pid": 1, "tid": 1 + k % 2,
                   "ts": t, "dur": d})
        t += d + rng.randint(100, 3000)
    chrome(p("epoch.json"), ev)

    # A flame chart: a call tree twelve deep on one thread.
    ev = [meta("process", 7, 0, "python"), meta("thread", 7, 7, "MainThread")]
    names = ["main", "run", "load_config", "parse", "tokenize", "read_block", "decode",
             "utf8_check", "scan", "next_char", "peek", "advance"]

    def tree(depth, start, dur):
        ev.append({"ph": "X", "name": names[depth], "pid": 7, "tid": 7, "ts": start,
                   "dur": dur})
        if depth + 1 < len(names):
            at = start + dur * 0.05
            for _ in range(2 if depth < 3 else 1):
                d = dur * rng.uniform(0.3, 0.42)
                tree(depth + 1, at, d)
                at += d + dur * 0.04

    tree(0, 0.0, 100000.0)
    chrome(p("flame.json"), ev)

    # A Bazel-like profile: 40 skyframe threads, a critical path, a few instants.
    ev = [meta("process", 1, 0, "build"), meta("process", 2, 0, "critical path"),
          meta("process", 3, 0, "events")]
    for tid in range(40):
        ev.append(meta("thread", 1, 100 + tid, "skyframe-evaluator %d" % tid))
        t = rng.uniform(0, 2e5)
        while t < 9e6:
            d = rng.uniform(5e4, 9e5)
            ev.append({"ph": "X", "cat": "action processing",
                       "name": "Compiling src/m%03d.cc" % rng.randint(0, 999),
                       "pid": 1, "tid": 100 + tid, "ts": round(t), "dur": round(d)})
            t += d + rng.uniform(1e4, 3e5)
    t = 0
    for k in range(12):
        d = rng.uniform(2e5, 9e5)
        ev.append({"ph": "X", "name": "action %d" % k, "pid": 2, "tid": 1, "ts": round(t),
                   "dur": round(d)})
        t += d
    for k in range(7):
        ev.append({"ph": "i", "name": "gc", "pid": 3, "tid": 1, "ts": round(rng.uniform(0, 9e6)),
                   "s": "t"})
    chrome(p("bazel-like.json"), ev)

    # A GPU and CPU profile as PyTorch's Kineto writes it (both processes "python3").
    ev = [meta("process", 4242, 0, "python3"), meta("process", 0, 0, "python3"),
          {"name": "process_labels", "ph": "M", "pid": 4242, "args": {"labels": "CPU"}},
          {"name": "process_labels", "ph": "M", "pid": 0, "args": {"labels": "GPU 0"}},
          meta("thread", 4242, 4242, "python3"), meta("thread", 4242, 4250, "pt_autograd_0"),
          meta("thread", 0, 7, "stream 7"), meta("thread", 0, 13, "stream 13")]
    t = 1000.0
    for step in range(6):
        for op in ("aten::conv2d", "aten::relu", "aten::linear", "aten::softmax"):
            d = rng.uniform(40, 120)
            ev.append({"ph": "X", "cat": "cpu_op", "name": op, "pid": 4242, "tid": 4242,
                       "ts": round(t, 3), "dur": round(d, 3)})
            k = rng.uniform(30, 200)
            ev.append({"ph": "X", "cat": "kernel", "name": op.replace("aten::", "") + "_kernel",
                       "pid": 0, "tid": 7 if op != "aten::linear" else 13,
                       "ts": round(t + d * 0.6, 3), "dur": round(k, 3)})
            t += d + 5
        d = rng.uniform(200, 400)
        ev.append({"ph": "X", "cat": "cpu_op", "name": "autograd::backward", "pid": 4242,
                   "tid": 4250, "ts": round(t, 3), "dur": round(d, 3)})
        t += d + 20
    ev.append({"ph": "X", "cat": "Trace", "name": "PyTorch Profiler (0)", "pid": "Spans",
               "tid": "PyTorch Profiler", "ts": 900, "dur": round(t - 800, 3)})
    ev.append({"ph": "i", "s": "g", "name": "Iteration Start: PyTorch Profiler",
               "pid": "Traces", "tid": "Trace PyTorch Profiler", "ts": 900})
    chrome(p("gpu-cpu.json"), ev, schemaVersion=1)

    # Long labels whose distinguishing part is their end.
    rows = []
    t = 0.0
    for k in range(14):
        d = rng.uniform(0.05, 0.9)
        url = "https://api.example.org/v2/catalogue/items/%d/thumbnails?size=%s" % (
            40 + k, ["small", "large"][k % 2])
        rows.append((k, k % 3, url, "%.3f" % t, "%.3f" % (t + d)))
        t += d * rng.uniform(0.2, 0.8)
    write_csv(p("long-labels.csv"), ["job", "worker", "label", "start", "stop"], rows)

    rows = []
    words = ["下载数据", "解析日志", "计算统计", "绘制图表", "写入报告", "压缩文件",
             "上传结果", "清理缓存"]
    for j, w, a, b in packed(rng, 16, 4, 0.3, 1.2):
        rows.append((j, "工作线程 %d" % w, words[j % len(words)], "%.3f" % a, "%.3f" % b))
    write_csv(p("cjk.csv"), ["job", "worker", "label", "start", "stop"], rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
