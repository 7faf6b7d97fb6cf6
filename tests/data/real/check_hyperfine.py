#!/usr/bin/env python3
"""Real hyperfine exports, as hyperfine wrote them, against `timeline stats`.

Usage: check_hyperfine.py TIMELINE [EXPORT...]

For every hyperfine_*.json / hyperfiner_*.json file of this directory (their
origins are in SOURCES.md), or every EXPORT given (tests/cli/run.sh gives one
that the hyperfine installed here just wrote), runs `TIMELINE stats --format csv FILE` and
checks each command's row twice:

1. Against the export's own fields: "mean", "stddev", "median", "min" and
   "max" (seconds, as hyperfine computed them on doubles) to within 1.5 ns,
   which is what reading times to the nanosecond and printing 9 decimals
   allow; runs = len(times); failed = the non-zero "exit_codes" (none when
   the export has no exit codes); and relative speed and its uncertainty
   against hyperfine's rule (src/benchmark/relative_speed.rs) applied to the
   export's own means and deviations: ratio = mean / the fastest mean,
   ratio * sqrt((stddev / mean)^2 + (fastest stddev / fastest mean)^2), none
   for the fastest or where a deviation is undefined (one run: null).

2. Exactly, against an independent computation from "times": each time
   becomes nanoseconds as timeline reads it (the double times 1e9, rounded
   half away from zero), then with exact fractions: mean and sample
   standard deviation (n - 1) rounded to the nanosecond, the median (the
   middle two's mean, rounded half up, for an even count), min and max.

It exits 1 on any difference, printing each one.
"""

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 10**9
FIELDS = ("mean", "stddev", "median", "min", "max")
getcontext().prec = 60


def cases():
    return sorted(f for f in os.listdir(HERE)
                  if f.endswith(".json") and f.startswith(("hyperfine_", "hyperfiner_")))


def round_half_up(x):
    """A non-negative Fraction to the nearest integer, halves up."""
    q, r = divmod(x.numerator, x.denominator)
    return q + (2 * r >= x.denominator)


def time_ns(t):
    """A time in seconds as timeline's reader makes it nanoseconds."""
    return round_half_up(Fraction(float(t) * 1e9))


def sqrt_ns(x):
    """sqrt of a non-negative Fraction, rounded to the nearest integer."""
    d = (Decimal(x.numerator) / Decimal(x.denominator)).sqrt()
    return round_half_up(Fraction(d))


def exact(times):
    """mean, stddev (None for one run), median, min, max in ns, and the
    exact mean and variance for the ratios."""
    ns = sorted(time_ns(t) for t in times)
    n = len(ns)
    mean = Fraction(sum(ns), n)
    var = sum((Fraction(d) - mean) ** 2 for d in ns) / (n - 1) if n > 1 else None
    lo, hi = ns[(n - 1) // 2], ns[n // 2]
    median = lo + (hi - lo + 1) // 2
    return {
        "mean": round_half_up(mean),
        "stddev": sqrt_ns(var) if var is not None else None,
        "median": median,
        "min": ns[0],
        "max": ns[-1],
    }, mean, var


def seconds_ns(text):
    """timeline's seconds with 9 decimals, exactly, as ns; None for ''."""
    return None if text == "" else round_half_up(Fraction(text) * NS)


def relative(means, sds):
    """hyperfine's relative speeds: [(ratio, ratio stddev or None)], the
    reference being the first command of least mean."""
    fast = min(range(len(means)), key=lambda i: (means[i], i))
    out = []
    for i, (m, s) in enumerate(zip(means, sds)):
        r = m / means[fast]
        sd = None
        if i != fast and s is not None and sds[fast] is not None:
            sd = r * ((s / m) ** 2 + (sds[fast] / means[fast]) ** 2) ** 0.5
        out.append((r, sd))
    return out


def check(timeline, path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)["results"]
    proc = subprocess.run([timeline, "stats", "--format", "csv", path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return ["timeline exited %d: %s" % (proc.returncode, proc.stderr.strip())]
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    diffs = []
    if len(rows) != len(results):
        return ["%d rows, want %d commands" % (len(rows), len(results))]
    want_rel = relative([r["mean"] for r in results], [r["stddev"] for r in results])
    exacts = [exact(r["times"]) for r in results]
    exact_rel = relative([float(e[1]) for e in exacts],
                         [float(e[2]) ** 0.5 if e[2] is not None else None for e in exacts])
    for k, (res, row) in enumerate(zip(results, rows)):
        cmd = res["command"]
        say = lambda what: diffs.append("%s: %s" % (cmd, what))  # noqa: E731
        if row["command"] != cmd:
            say("command %r" % row["command"])
        if int(row["runs"]) != len(res["times"]):
            say("runs %s, want %d" % (row["runs"], len(res["times"])))
        failed = sum(1 for c in res.get("exit_codes", []) if c)
        if int(row["failed"]) != failed:
            say("failed %s, want %d" % (row["failed"], failed))
        ex = exacts[k][0]
        for f in FIELDS:
            have = seconds_ns(row[f])
            if res[f] is None or have is None:
                if res[f] is not None or have is not None:
                    say("%s %r, the export's %r" % (f, row[f], res[f]))
                continue
            if abs(Fraction(have, NS) - Fraction(res[f])) > Fraction(15, 10 * NS):
                say("%s %s, the export's %r" % (f, row[f], res[f]))
            if have != ex[f]:
                say("%s %d ns, computed from the times %s ns" % (f, have, ex[f]))
        # Ratios: ns-rounded times move them by about 1 ns / the times.
        m, s = res["mean"], res["stddev"]
        fm = min(r["mean"] for r in results)
        fs = [r["stddev"] for r in results if r["mean"] == fm][0]
        for col, want, exw, scale in (
                ("relative", want_rel[k][0], exact_rel[k][0], 1 / m + 1 / fm),
                ("relative_stddev", want_rel[k][1], exact_rel[k][1],
                 1 / m + 1 / fm + (1 / s if s else 0) + (1 / fs if fs else 0))):
            have = float(row[col]) if row[col] else None
            if want is None or have is None:
                if (want is None) != (have is None):
                    say("%s %r, hyperfine's %r" % (col, row[col], want))
                continue
            if abs(have - want) > want * 4e-9 * scale + 1e-9:
                say("%s %s, hyperfine's rule on the export gives %.12f" % (col, row[col], want))
            if abs(have - exw) > 1.5e-9:
                say("%s %s, computed from the times %.12f" % (col, row[col], exw))
    return diffs


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: check_hyperfine.py TIMELINE [EXPORT...]")
    failed = 0
    names = argv[2:] or [os.path.join(HERE, n) for n in cases()]
    if not names:
        print("FAIL: no hyperfine exports found")
        return 1
    for name in names:
        diffs = check(argv[1], name)
        if diffs:
            print("FAIL %s:" % os.path.basename(name))
            for d in diffs:
                print("  " + d)
            failed += 1
        else:
            print("ok %s" % os.path.basename(name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
