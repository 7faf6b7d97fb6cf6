#!/usr/bin/env python3
"""The seed articles' plotting code, run on a timeline CSV, for comparison.
   mpl_render.py scatter|gantt IN.csv OUT.png
scatter: seed 002's visualize_live_runtimes (plt.scatter(..., s=1) per job);
gantt:   seed 000's visualize_runtimes (plt.barh per mode).
Reading the CSV is part of the work, as it is for timeline."""
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

kind, src, out = sys.argv[1:4]
modes = {}
with open(src) as f:
    header = f.readline().strip().split(",")
    if kind == "scatter":
        for line in f:
            mode, job, t = line.split(",")
            modes.setdefault(mode, {}).setdefault(int(job), []).append(float(t))
    else:
        for line in f:
            mode, job, worker, start, stop = line.split(",")
            modes.setdefault(mode, []).append((float(start), float(stop)))

plt.figure(figsize=(12, 5))
for i, (mode, data) in enumerate(modes.items()):
    plt.subplot(1, len(modes), i + 1)
    if kind == "scatter":
        for j, exp in sorted(data.items()):
            plt.scatter(exp, np.ones(len(exp)) * j, alpha=0.8, c="red", edgecolors="none", s=1)
        ytks = range(len(data))
        plt.yticks(ytks, ["job {}".format(e) for e in ytks])
    else:
        start, stop = np.array(data).T
        plt.barh(range(len(start)), stop - start, left=start)
    plt.grid(axis="x")
    plt.ylabel("Tasks")
    plt.xlabel("Seconds")
    plt.title(mode)
plt.savefig(out, dpi=100)
