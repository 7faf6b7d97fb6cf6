#!/usr/bin/env python3
"""Check src/io/timetext.c against Python's own datetime and timedelta.

Usage: timetext_check.py DRIVER

Generates a few thousand date-times, times of day and durations (fixed seed),
formats them the way Python, pandas, Slurm, Nextflow, Go and ISO 8601 write
them, computes each expected nanosecond value with integer arithmetic from the
datetime or timedelta (never floats), feeds the text to DRIVER (built from
tests/timetext_driver.c) and compares every line. Exits 1 on any difference,
printing the first ones.
"""

import random
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone

SYNTAX, RANGE = "error 2", "error 4"  # tl_num codes
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
US = timedelta(microseconds=1)
TIME_MAX = (1 << 62) - 1

rng = random.Random(20231114)


def round_digits(digits, scale):
    """round(0.DIGITS * scale), half away from zero, exactly."""
    if not digits:
        return 0
    q, r = divmod(int(digits) * scale, 10 ** len(digits))
    return q + (2 * r >= 10 ** len(digits))


def extra_digits():
    """Digits to append after a microsecond fraction: none, a few, or past the nanosecond."""
    n = rng.choice([0, 0, 1, 2, 3, 3, 4, 6, 12])
    d = "".join(rng.choice("0123456789") for _ in range(n))
    if n > 3 and rng.random() < 0.3:
        d = d[:3] + "5" + "0" * (n - 4)  # an exact tie past the nanosecond
    return d


def in_range(v):
    return v if -TIME_MAX <= v <= TIME_MAX else RANGE


def truncate(dt, timespec):
    if timespec == "minutes":
        return dt.replace(second=0, microsecond=0)
    if timespec == "seconds":
        return dt.replace(microsecond=0)
    if timespec == "milliseconds":
        return dt.replace(microsecond=dt.microsecond // 1000 * 1000)
    return dt


def random_datetime(y0, y1):
    days = (date(y1, 12, 31) - date(y0, 1, 1)).days
    d = date(y0, 1, 1) + timedelta(days=rng.randrange(days + 1))
    return datetime(d.year, d.month, d.day, rng.randrange(24), rng.randrange(60),
                    rng.randrange(60), rng.randrange(1000000))


def offset_text(off):
    """isoformat's offset ("+01:00", "+01:00:30") in one of the spellings tools write."""
    if off in ("+00:00", "-00:00") and rng.random() < 0.5:
        return rng.choice(["Z", "z", " UTC", "UTC", " GMT", "-00:00", "+0000", "+00"])
    if len(off) > 6:
        return off  # +HH:MM:SS, as Python writes an offset with seconds
    sign, hh, mm = off[0], off[1:3], off[4:6]
    form = rng.randrange(4)
    if form == 0:
        return sign + hh + mm  # git --date=iso, strftime %z
    if form == 1 and mm == "00":
        return sign + hh
    if form == 2:
        return " " + off
    return off


def gen_datetimes(out):
    for _ in range(1800):
        dt = random_datetime(1900, 2100)
        timespec = rng.choice(["auto", "minutes", "seconds", "milliseconds", "microseconds",
                               "microseconds"])
        sep = rng.choice([" ", "T"])
        tz = None
        r = rng.random()
        if r < 0.4:
            tz = timezone(timedelta(minutes=rng.randrange(-23 * 60 - 59, 23 * 60 + 60)))
        elif r < 0.45:
            tz = timezone(timedelta(seconds=rng.randrange(-86399, 86400)))
        elif r < 0.6:
            tz = timezone.utc
        dt = truncate(dt.replace(tzinfo=tz), timespec)
        text = dt.replace(tzinfo=None).isoformat(sep=sep, timespec=timespec)
        extra = ""
        if timespec == "microseconds" or (timespec == "auto" and dt.microsecond):
            extra = extra_digits()
        text += extra
        if tz is not None:
            text += offset_text(dt.isoformat(timespec=timespec)[len(text) - len(extra):])
        aware = dt if tz else dt.replace(tzinfo=timezone.utc)
        want = (aware - EPOCH) // US * 1000 + round_digits(extra, 1000)
        if rng.random() < 0.1:
            text = rng.choice([" ", "\t", "  "]) + text + rng.choice(["", " ", "\t"])
        out.append(("datetime", text, in_range(want)))

    for _ in range(300):
        d = random_datetime(1900, 2100).date()
        slash = rng.random() < 0.3
        text = d.isoformat() if not slash else "%d/%02d/%02d" % (d.year, d.month, d.day)
        want = (datetime(d.year, d.month, d.day, tzinfo=timezone.utc) - EPOCH) // US * 1000
        out.append(("datetime", text, want))

    # Out of range on either side, and days that do not exist.
    for _ in range(200):
        dt = random_datetime(1700, 1823) if rng.random() < 0.5 else random_datetime(2117, 2400)
        out.append(("datetime", dt.isoformat(), RANGE))
    ymd = [(y, 2, 29) for y in range(1900, 2101)] + [(2023, m, 31) for m in range(1, 13)]
    ymd += [(rng.randrange(1900, 2101), rng.randrange(0, 14), rng.randrange(0, 33))
            for _ in range(300)]
    for y, m, d in ymd:
        try:
            ok = datetime(y, m, d, tzinfo=timezone.utc)
            want = (ok - EPOCH) // US * 1000
        except ValueError:
            want = SYNTAX
        out.append(("datetime", "%04d-%02d-%02dT12:00:00Z" % (y, m, d),
                    want if want == SYNTAX else want + 12 * 3600 * 10**9))


def gen_named_months(out):
    """asctime()/ctime() and RFC 5322 dates, formatted by Python itself."""
    import email.utils
    import time as _time
    for _ in range(300):
        dt = random_datetime(1900, 2100).replace(microsecond=0)
        want = (dt.replace(tzinfo=timezone.utc) - EPOCH) // US * 1000
        out.append(("datetime", _time.asctime(dt.timetuple()), in_range(want)))
        tz = timezone(timedelta(minutes=rng.randrange(-12 * 60, 14 * 60 + 1)))
        aware = dt.replace(tzinfo=tz)
        text = email.utils.format_datetime(aware)
        out.append(("datetime", text, in_range((aware - EPOCH) // US * 1000)))
        if rng.random() < 0.3:
            gmt = email.utils.format_datetime(dt.replace(tzinfo=timezone.utc), usegmt=True)
            out.append(("datetime", gmt, in_range(want)))


def gen_times_of_day(out):
    for _ in range(500):
        t = time(rng.randrange(24), rng.randrange(60), rng.randrange(60),
                 rng.randrange(1000000))
        timespec = rng.choice(["auto", "minutes", "seconds", "milliseconds", "microseconds"])
        full = datetime.combine(date(2000, 1, 1), t)
        t = truncate(full, timespec).time()
        text = t.isoformat(timespec=timespec)
        extra = extra_digits() if timespec == "microseconds" else ""
        midnight = datetime.combine(date(2000, 1, 1), time())
        want = (datetime.combine(date(2000, 1, 1), t) - midnight) // US * 1000
        want += round_digits(extra, 1000)
        if rng.random() < 0.2 and text.startswith("0"):
            text = text[1:]  # 9:05:00
        text += extra
        out.append(("tod", text, want if want < 86400 * 10**9 else RANGE))


def td_ns(td, extra=""):
    return td // US * 1000 + round_digits(extra, 1000)


def gen_durations(out):
    # Python's str(timedelta), negative ones included.
    for _ in range(500):
        td = timedelta(days=rng.randrange(-2000, 2000) if rng.random() < 0.5 else 0,
                       seconds=rng.randrange(86400), microseconds=rng.choice(
                           [0, rng.randrange(1000000)]))
        if rng.random() < 0.1:
            td = -td
        out.append(("duration", str(td), td_ns(td)))

    # pandas' Timedelta as to_csv writes it: "N days HH:MM:SS[.ffffff[fff]]".
    for _ in range(400):
        td = timedelta(days=rng.randrange(0, 3000), seconds=rng.randrange(86400),
                       microseconds=rng.randrange(1000000))
        extra = rng.choice(["", "", "".join(rng.choice("0123456789") for _ in range(3))])
        h, rem = divmod(td.seconds, 3600)
        text = "%d days %02d:%02d:%02d.%06d%s" % (td.days, h, rem // 60, rem % 60,
                                                  td.microseconds, extra)
        out.append(("duration", text, td_ns(td, extra)))
    for _ in range(50):
        n = rng.randrange(0, 1000)
        out.append(("duration", "%d days" % n, td_ns(timedelta(days=n))))

    # Slurm: D-HH:MM:SS, HH:MM:SS, MM:SS (sacct Elapsed); D-HH and D-HH:MM (--time).
    for _ in range(400):
        d, h, m, s = rng.randrange(0, 400), rng.randrange(24), rng.randrange(60), rng.randrange(60)
        form = rng.randrange(5)
        if form == 0:
            text, td = "%d-%02d:%02d:%02d" % (d, h, m, s), timedelta(d, hours=h, minutes=m,
                                                                       seconds=s)
        elif form == 1:
            text, td = "%02d:%02d:%02d" % (h, m, s), timedelta(hours=h, minutes=m, seconds=s)
        elif form == 2:
            text, td = "%02d:%02d" % (m, s), timedelta(minutes=m, seconds=s)
        elif form == 3:
            text, td = "%d-%02d" % (d, h), timedelta(d, hours=h)
        else:
            text, td = "%d-%02d:%02d" % (d, h, m), timedelta(d, hours=h, minutes=m)
        out.append(("duration", text, td_ns(td)))

    # Nextflow and Go: "2d 3h 4m 5s", "1h2m3.5s", "184ms", "39.2s", "1.5µs".
    for _ in range(600):
        parts = [(u, rng.randrange(0, 100)) for u in ("d", "h", "m", "s")
                 if rng.random() < 0.5]
        td = timedelta(**{{"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}[u]: n
                          for u, n in parts})
        frac = ""
        if parts and parts[-1][0] == "s" and rng.random() < 0.5:
            frac = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 12)))
        words = ["%d%s" % (n, u) for u, n in parts]
        if frac:
            words[-1] = "%d.%ss" % (parts[-1][1], frac)
        text = rng.choice([" ", ""]).join(words)
        small = rng.random()
        if not parts or small < 0.2:
            unit, scale = rng.choice([("ms", 10**6), ("us", 10**3), ("\u00b5s", 10**3),
                                      ("\u03bcs", 10**3), ("ns", 1)])
            n = rng.randrange(0, 100000)
            f = rng.choice(["", str(rng.randrange(10)), "%03d" % rng.randrange(1000)])
            text = "%d%s%s" % (n, "." + f if f else "", unit)
            out.append(("duration", text, n * scale + round_digits(f, scale)))
            continue
        out.append(("duration", text, td_ns(td) + round_digits(frac, 10**9)))

    # ISO 8601: P[nD][T[nH][nM][n[.f]S]].
    for _ in range(400):
        d = rng.randrange(0, 100) if rng.random() < 0.4 else None
        h = rng.randrange(0, 48) if rng.random() < 0.5 else None
        m = rng.randrange(0, 100) if rng.random() < 0.5 else None
        s = rng.randrange(0, 100) if rng.random() < 0.6 or (d, h, m) == (None,) * 3 else None
        frac = ""
        if s is not None and rng.random() < 0.5:
            frac = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 11)))
        text = "P" + ("%dD" % d if d is not None else "")
        if (h, m, s) != (None, None, None):
            text += "T" + ("%dH" % h if h is not None else "") + ("%dM" % m if m is not None else "")
            if s is not None:
                text += "%d%sS" % (s, "." + frac if frac else "")
        td = timedelta(days=d or 0, hours=h or 0, minutes=m or 0, seconds=s or 0)
        neg = rng.random() < 0.05
        want = td_ns(td) + round_digits(frac, 10**9)
        out.append(("duration", ("-" if neg else "") + text, -want if neg else want))

    # Bare numbers are the caller's.
    for _ in range(50):
        out.append(("duration", str(rng.randrange(0, 10**6)) +
                    rng.choice(["", ".5", ".25"]), SYNTAX))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: timetext_check.py DRIVER")
    cases = []
    gen_datetimes(cases)
    gen_named_months(cases)
    gen_times_of_day(cases)
    gen_durations(cases)
    feed = "".join("%s\t%s\n" % (k, t) for k, t, _ in cases).encode()
    got = subprocess.run([sys.argv[1]], input=feed, stdout=subprocess.PIPE,
                         check=True).stdout.decode().splitlines()
    if len(got) != len(cases):
        sys.exit("driver printed %d lines for %d inputs" % (len(got), len(cases)))
    bad = [(k, t, w, g) for (k, t, w), g in zip(cases, got) if str(w) != g]
    for k, t, w, g in bad[:20]:
        print("%s %r: got %s, want %s" % (k, t, g, w))
    print("%d values checked, %d differ" % (len(cases), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
