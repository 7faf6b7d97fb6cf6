#!/usr/bin/env python3
"""Make timeline(3), the library's reference, from the public headers.

Usage: gen_man3.py VERSION OUTPUT HEADER...

Each header becomes a subsection: its opening comment, then every
declaration (function, type, constant) in the header's order, in bold, with
the comment above it. A comment belongs to the declarations that follow it
with no blank line between; a comment followed by a blank line is a
paragraph of its own. Declarations the headers leave without a comment are
listed without one (tests/man3_check.py fails when an exported symbol is
among them). The page holds no date, so the same headers give the same page.
"""

import os
import re
import sys


def escape(line):
    """One line of text as troff reads it literally; other than ASCII as \\[uXXXX]."""
    line = line.replace("\\", "\\e")
    line = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in line)
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def comment_text(lines):
    """The text of a /* */ or /** */ comment, its stars and frame removed."""
    text = "\n".join(lines).strip()
    text = re.sub(r"^/\*\*?", "", text)
    text = re.sub(r"\*/$", "", text)
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*\* ?", "", line) if line.lstrip().startswith("*") else line.strip()
        out.append(line.rstrip())
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def statement_end(lines):
    """Whether lines make a whole declaration: a #define, or code up to a ';' outside braces."""
    if lines[0].startswith("#"):
        return not lines[-1].endswith("\\")
    code = re.sub(r"/\*.*?\*/", "", "\n".join(lines), flags=re.S)
    return code.count("{") == code.count("}") and code.rstrip().endswith(";")


def parse(path):
    """(opening comment, items): items are ("text", lines) or ("decl", comment, [code lines])."""
    src = open(path, encoding="utf-8").read().split("\n")
    items = []
    opening = None
    pending = None  # a comment waiting for its declarations
    run = False  # the last thing read was a declaration, with no blank line since
    i = 0
    while i < len(src):
        line = src[i]
        stripped = line.strip()
        if not stripped or re.match(r"#\s*(ifndef|endif|include)\b", stripped) or (
            re.match(r"#define TIMELINE_\w+_H$", stripped)
        ):
            if not stripped:
                if pending is not None:
                    items.append(("text", pending))
                    pending = None
                run = False
            i += 1
            continue
        if stripped.startswith("/*"):
            block = [line]
            while "*/" not in block[-1]:
                i += 1
                block.append(src[i])
            i += 1
            text = comment_text(block)
            if opening is None and not items and pending is None:
                opening = text
            else:
                if pending is not None:
                    items.append(("text", pending))
                pending = text
            run = False
            continue
        code = [line]
        while not statement_end(code):
            i += 1
            code.append(src[i])
        i += 1
        if pending is not None:
            items.append(("decl", pending, code))
            pending = None
        elif run:
            items[-1][2].extend(code)  # declarations in a run share the comment above
        else:
            items.append(("decl", [], code))
        run = True
    if pending is not None:
        items.append(("text", pending))
    return opening or [], items


def paragraphs(lines):
    """Comment lines as troff: a blank line starts a paragraph; lines that
    start with a blank (a list, a table) keep their layout."""
    out = []
    pre = False
    for line in lines:
        if not line:
            if pre:
                out.append(".fi")
                pre = False
            out.append(".sp")
            continue
        if line.startswith((" ", "\t")) != pre:
            out.append(".nf" if not pre else ".fi")
            pre = not pre
        out.append(escape(line))
    if pre:
        out.append(".fi")
    return out


def render(version, headers):
    out = [
        '.TH TIMELINE 3 "" "timeline %s" "Library Functions Manual"' % version,
        ".\\\" Made by docs/gen_man3.py from include/timeline/*.h: edit the headers, not this.",
        ".SH NAME",
        "timeline \\- measure and draw parallel work: trace model, readers, runner, charts",
        ".SH SYNOPSIS",
        ".nf",
        ".B #include <timeline/timeline.h>",
        ".fi",
        ".PP",
        "Link with",
        ".BR \"$(pkg\\-config \\-\\-cflags \\-\\-libs timeline)\" .",
        ".SH DESCRIPTION",
        "Errors travel as a returned",
        ".B tl_status",
        "plus a",
        ".B struct tl_error",
        "filled by the callee; the library never prints and never exits.",
        "Times are",
        ".BR tl_ns :",
        "signed 64\\-bit nanoseconds.",
        "Each header's section below opens with its ownership rule.",
    ]
    for path in headers:
        opening, items = parse(path)
        out.append(".SS <timeline/%s>" % os.path.basename(path))
        out += paragraphs(opening)
        for item in items:
            if item[0] == "text":
                out.append(".PP")
                out += paragraphs(item[1])
                continue
            _, comment, code = item
            out += [".PP", ".nf", ".ft B"]
            out += [escape(c.replace("\t", "        ")) for c in code]
            out += [".ft R", ".fi"]
            if comment:
                out.append(".RS 4")
                out += paragraphs(comment)
                out.append(".RE")
    out += [
        ".SH SEE ALSO",
        ".BR timeline (1)",
        "",
    ]
    return "\n".join(out)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().split("\n\n")[1])
    version, output, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
    page = render(version, headers)
    with open(output, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
