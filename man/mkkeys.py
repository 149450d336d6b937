#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Regenerate the generated sections of man/dpdk-twq.8 from config/README.md.

The man page's OPTIONS and CONFIGURATION KEYS lists sit between the lines
    .\\" BEGIN GENERATED <name> (man/mkkeys.py from config/README.md; do not edit)
    .\\" END GENERATED <name>
and are made from the two tables of config/README.md whose headers start with
"| section | key | default | allowed |" and "| option | same as |", found by their header
(an "option" column of the key table is used when there is one). Those tables are printed
from the app's own key table (app/config_keys.c, checked by the check_tables unit test),
so the chain is: app/config_keys.c -> config/README.md -> man/dpdk-twq.8. Everything else
in the page is written by hand, except the version on the .TH line of both pages, taken
from meson.build's project version.

  man/mkkeys.py           rewrite man/dpdk-twq.8 in place
  man/mkkeys.py --check   exit 1 (and say which section) if the page is out of date
"""

import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(TOP, "config", "README.md")
PAGE = os.path.join(TOP, "man", "dpdk-twq.8")


def split_row(line):
    return [c.strip().replace("\0", "|")
            for c in line.replace("\\|", "\0").strip().strip("|").split("|")]


def table(md, first_columns):
    """The rows, as {column: cell}, of the first table of config/README.md whose header
    starts with first_columns (found by its header, wherever the table stands)."""
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        head = split_row(line)
        if head[:len(first_columns)] != first_columns:
            continue
        rows = []
        for body in lines[i + 2:]:
            if not body.startswith("|"):
                break
            cells = split_row(body)
            rows.append(dict(zip(head, cells + [""] * (len(head) - len(cells)))))
        if rows:
            return rows
    sys.exit("mkkeys: config/README.md has no table with columns %s" %
             " | ".join(first_columns))


def roff(text):
    """Markdown of a table cell to roff text: `code` bold, [text](link) text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\", "\\e")
    parts = re.split(r"`([^`]*)`", text)
    out = ""
    for n, p in enumerate(parts):
        if n % 2:  # code: every hyphen is a minus (typed as is)
            out += "\\fB%s\\fR" % p.replace("-", "\\-")
        else:      # prose: hyphens stay, option dashes become minus signs
            p = re.sub(r"\*([^*\s][^*]*)\*", r"\\fI\1\\fR", p)
            out += re.sub(r"(?<![\w-])--(?=\w)", r"\\-\\-", p)
    out = out.replace("...", "\\&...")
    if out.startswith((".", "'")):
        out = "\\&" + out
    return out


def keys_section(md):
    out = []
    section = None
    for row in table(md, ["section", "key", "default", "allowed"]):
        sec = row["section"].strip("`")
        if sec != section:
            section = sec
            out += [".SS %s" % roff(sec)]
        text = roff(row["meaning"])
        if row.get("option"):
            text += " (option %s)" % roff(row["option"])
        out += [".TP", "\\fB%s\\fR = %s" % (roff(row["key"].strip("`")), roff(row["allowed"])),
                "%s; default: %s" % (text, roff(row["default"]))]
    return out


def options_section(md):
    out = []
    for row in table(md, ["option", "same as"]):
        opt = row["option"].strip("`")
        m = re.match(r"(--[a-z0-9-]+)(?: (.*))?$", opt)
        if not m:
            sys.exit("mkkeys: config/README.md: cannot read option %r" % opt)
        arg = " \\fI%s\\fR" % roff(m.group(2)) if m.group(2) else ""
        out += [".TP", "\\fB%s\\fR%s" % (m.group(1).replace("-", "\\-"), arg),
                roff(row["same as"]) + "."]
    return out


def regenerate(page, md):
    for name, make in (("OPTIONS", options_section), ("KEYS", keys_section)):
        begin = ('.\\" BEGIN GENERATED %s (man/mkkeys.py from config/README.md; '
                 'do not edit)' % name)
        end = '.\\" END GENERATED %s' % name
        i, j = page.find(begin), page.find(end)
        if i < 0 or j < i:
            sys.exit("mkkeys: man/dpdk-twq.8 lacks the lines '%s' and '%s'" % (begin, end))
        page = page[:i + len(begin)] + "\n" + "\n".join(make(md)) + "\n" + page[j:]
    return page


def project_version():
    with open(os.path.join(TOP, "meson.build")) as f:
        m = re.search(r"^\s*version: '([^']+)'", f.read(), re.M)
    if not m:
        sys.exit("mkkeys: no version: in meson.build's project()")
    return m.group(1)


def set_version(page, version):
    """The .TH line's source field: "dpdk-twq VERSION" (meson's project version)."""
    return re.sub(r'^(\.TH \S+ \d+ "[^"]*") "dpdk-twq [^"]*"', r'\1 "dpdk-twq %s"' % version,
                  page, count=1, flags=re.M)


def main(argv):
    with open(README) as f:
        md = f.read()
    with open(PAGE) as f:
        page = f.read()
    version = project_version()
    new = set_version(regenerate(page, md), version)
    other = os.path.join(TOP, "man", "dpdk-twq-exporter.8")
    with open(other) as f:
        opage = f.read()
    onew = set_version(opage, version)
    if "--check" in argv[1:] and onew != opage:
        print("mkkeys: man/dpdk-twq-exporter.8 does not say dpdk-twq %s: run man/mkkeys.py" %
              version)
        return 1
    if onew != opage:
        with open(other, "w") as f:
            f.write(onew)
        print("mkkeys: rewrote man/dpdk-twq-exporter.8")
    if "--check" in argv[1:]:
        if new != page:
            print("mkkeys: man/dpdk-twq.8 is out of date with config/README.md: "
                  "run man/mkkeys.py")
            return 1
        print("mkkeys: man/dpdk-twq.8 is up to date with config/README.md")
        return 0
    if new != page:
        with open(PAGE, "w") as f:
            f.write(new)
        print("mkkeys: rewrote man/dpdk-twq.8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
