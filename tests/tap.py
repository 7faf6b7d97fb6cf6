"""TAP for the Python tests, and the count of a TAP stream's results.

    tap = Tap()
    tap.report(ok, "what was checked", ["detail line", ...])
    tap.skip("what", "why")
    sys.exit(tap.end())
"""

import re


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def report(self, ok, what, detail=()):
        """ok N - what (or not ok), then each detail line as a comment."""
        self.n += 1
        self.failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, what))
        for line in detail:
            print("# " + line)

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))

    def end(self):
        """Print the plan; the exit status: 1 when a check failed."""
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def count(text):
    """(passed, failed): the ok and not ok lines of a TAP stream."""
    return (len(re.findall(r"^ok ", text, re.M)), len(re.findall(r"^not ok ", text, re.M)))
