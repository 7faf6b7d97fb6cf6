#!/usr/bin/env python3
"""The second article's live_tracker, timed: ns per sample (median of 3 runs of 10^6)."""
import time
def live_tracker(x):
    reference = time.time()
    l = []
    for i in range(10**6):
        l.append(time.time() - reference)
    return l
best = []
for r in range(3):
    t0 = time.perf_counter()
    live_tracker(0)
    best.append((time.perf_counter() - t0) / 1e6 * 1e9)
best.sort()
print("python live_tracker: %.1f ns/sample (median of 3)" % best[1])
