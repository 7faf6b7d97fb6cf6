"""Figures the checks compute on their own, independently of timeline, shared
by the scripts that compare them with `timeline stats --format csv`."""

NS = 1_000_000_000


def union_length(ivals):
    """The length of the union of the intervals [a, b]."""
    total, end = 0, None
    for a, b in sorted(ivals):
        if end is None or a > end:
            total += b - a
            end = b
        elif b > end:
            total += b - end
            end = b
    return total


def secs_ns(text):
    """timeline's seconds 'S.NNNNNNNNN' (exact nanoseconds) -> ns."""
    whole, _, frac = text.partition(".")
    assert len(frac) == 9 and whole.isdigit() and frac.isdigit(), text
    return int(whole) * NS + int(frac)


def ns_secs(ns):
    """ns -> seconds as timeline writes them, 'S.NNNNNNNNN'."""
    return "%d.%09d" % divmod(ns, NS)
