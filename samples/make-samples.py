#!/usr/bin/env python3
"""Writes the samples' synthetic traces, shaped like the seed articles' runs:
4 jobs on 4 workers; under threads CPython's GIL hands the interpreter to
another thread every 5 ms, under processes the jobs run at once.
Deterministic: the same files every time."""
import random

def live_tracker(path, iterations=5000, jobs=4):
    rnd = random.Random(2)
    with open(path, "w") as f:
        f.write("# title: live tracker, %d jobs x %d iterations\n" % (jobs, iterations))
        f.write("mode,job,worker,t\n")
        # threads: round-robin 5 ms slices; each iteration costs ~1 us when running
        # One clock for all the threads, as the runner records it: the slices
        # show as turns. (The article printed each job's times from its own
        # start, which makes the threads look as if they ran at once.)
        clock = 0.0
        done = [0] * jobs
        while min(done) < iterations:
            for j in range(jobs):
                if done[j] >= iterations:
                    continue
                end = clock + 0.005
                while clock < end and done[j] < iterations:
                    f.write("threads,%d,%d,%.9f\n" % (j, j, clock))
                    clock += rnd.uniform(0.8e-6, 1.6e-6) * (3 if rnd.random() < 0.01 else 1)
                    done[j] += 1
                clock += 0.00002
        for j in range(jobs):
            t = 0.0
            for i in range(iterations):
                f.write("processes,%d,%d,%.9f\n" % (j, j, t))
                t += rnd.uniform(0.9e-6, 1.3e-6)
                if rnd.random() < 0.0004:
                    t += rnd.uniform(0.0002, 0.0008)  # descheduled

def gantt(path, jobs=16):
    rnd = random.Random(1)
    with open(path, "w") as f:
        f.write("# title: cpu_heavy, %d jobs on 4 workers\n" % jobs)
        f.write("mode,job,worker,start,stop\n")
        for mode, slow in (("threads", 3.4), ("processes", 1.0)):
            free = [0.0] * 4
            for j in range(jobs):
                w = min(range(4), key=lambda k: free[k])
                start = free[w] + rnd.uniform(0.001, 0.01)
                stop = start + 0.18 * slow * rnd.uniform(0.8, 1.5)
                free[w] = stop
                f.write("%s,%d,%d,%.6f,%.6f\n" % (mode, j, w, start, stop))

live_tracker("live-tracker.csv")
gantt("cpu-heavy.csv")
