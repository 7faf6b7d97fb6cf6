#!/usr/bin/env python3
"""The man page's options against the option tables, as `timeline help CMD`
prints them (the help is made from the tables). For each subcommand, every
option of its table is in the tags (.TP) of its section of SUBCOMMANDS, and
every option tagged there is in its table. -h/--help, which every subcommand
takes, is documented once, under OPTIONS. Prints TAP.
  man_options.py path/to/timeline docs/timeline.1"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402  (tests/tap.py)

COMMANDS = ["stats", "render", "convert", "run", "demo"]
HELP = {"-h", "--help"}


def table_options(binary, cmd):
    """The options `timeline help CMD` lists: "  -x, --name ..." or "      --name ...". """
    text = subprocess.run([binary, "help", cmd], capture_output=True, text=True, check=True).stdout
    found = set()
    for line in text.splitlines():
        m = re.match(r"^  (?:(-[A-Za-z])(?:, (--[a-z][a-z0-9-]*))?|    (--[a-z][a-z0-9-]*))", line)
        if m:
            found |= {o for o in m.groups() if o}
    return found - HELP


def tag_options(line):
    """The options named in a tag line of roff: \\-x and \\-\\-name, fonts aside."""
    line = re.sub(r"\\f[BIRP]", "", line)
    return {t.replace("\\-", "-")
            for t in re.findall(r"(?<![\w\\-])(\\-(?:\\-)?[A-Za-z](?:[A-Za-z0-9]|\\-)*)", line)}


def man_sections(path):
    """{subcommand: options in its tags}, and the options tagged under OPTIONS."""
    lines = open(path, encoding="utf-8").read().splitlines()
    sections, where, top = {}, None, None
    global_opts = set()
    for i, line in enumerate(lines):
        if line.startswith(".SH "):
            top, where = line[4:].strip(), None
            continue
        if i == 0 or lines[i - 1] != ".TP":
            continue
        if top == "SUBCOMMANDS":
            m = re.match(r"^\.B (\w+)\b", line)
            if m and m.group(1) in COMMANDS + ["help"]:
                where = m.group(1)
                sections.setdefault(where, set())
            if where:
                sections[where] |= tag_options(re.sub(r"^\.B \w+", "", line))
        elif top == "OPTIONS":
            global_opts |= tag_options(line)
    return sections, global_opts


def main():
    binary, manpage = sys.argv[1], sys.argv[2]
    sections, global_opts = man_sections(manpage)
    tap = Tap()
    for cmd in COMMANDS:
        table, man = table_options(binary, cmd), sections.get(cmd, set())
        undocumented, unknown = sorted(table - man), sorted(man - table)
        detail = []
        if undocumented:
            detail.append(f"in the table, not in the man page's {cmd} section: {' '.join(undocumented)}")
        if unknown:
            detail.append(f"in the man page's {cmd} section, not in the table: {' '.join(unknown)}")
        tap.report(bool(table) and not detail, f"timeline.1 documents the options of {cmd}", detail)
    tap.report(HELP <= global_opts, "timeline.1 documents -h, --help under OPTIONS")
    return tap.end()


if __name__ == "__main__":
    sys.exit(main())
