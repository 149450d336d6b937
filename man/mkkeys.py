#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Regenerate the generated sections of man/dpdk-twq.8 from config/README.md.

The man page's OPTIONS and CONFIGURATION KEYS lists sit between the lines
    .\\" BEGIN GENERATED <name> (man/mkkeys.py from config/README.md; do not edit)
    .\\" END GENERATED <name>
and are made from the tables "## Command-line options" and "## Keys" of config/README.md
(which the app's own key table generates or checks). Everything else in the page is
written by hand.

  man/mkkeys.py           rewrite man/dpdk-twq.8 in place
  man/mkkeys.py --check   exit 1 (and say which section) if the page is out of date
"""

import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(TOP, "config", "README.md")
PAGE = os.path.join(TOP, "man", "dpdk-twq.8")


def table(md, heading):
    """The rows (lists of cells) of the first table after a '## heading' line."""
    lines = md.splitlines()
    try:
        i = lines.index("## " + heading)
    except ValueError:
        sys.exit("mkkeys: config/README.md has no '## %s' section" % heading)
    rows = []
    for line in lines[i + 1:]:
        if line.startswith("## "):
            break
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip().replace("\0", "|")
                 for c in line.replace("\\|", "\0").strip().strip("|").split("|")]
        rows.append(cells)
    if len(rows) < 3:
        sys.exit("mkkeys: config/README.md: no table under '## %s'" % heading)
    return rows[2:]  # past the header and the |---| line


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
    for sec, key, default, allowed, meaning in table(md, "Keys"):
        sec = sec.strip("`")
        if sec != section:
            section = sec
            out += [".SS %s" % roff(sec)]
        out += [".TP", "\\fB%s\\fR = %s" % (roff(key.strip("`")), roff(allowed)),
                "%s (default: %s)" % (roff(meaning), roff(default))]
    return out


def options_section(md):
    out = []
    for opt, same in table(md, "Command-line options"):
        opt = opt.strip("`")
        m = re.match(r"(--[a-z0-9-]+)(?: (.*))?$", opt)
        if not m:
            sys.exit("mkkeys: config/README.md: cannot read option %r" % opt)
        arg = " \\fI%s\\fR" % roff(m.group(2)) if m.group(2) else ""
        out += [".TP", "\\fB%s\\fR%s" % (m.group(1).replace("-", "\\-"), arg),
                roff(same) + "."]
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


def main(argv):
    with open(README) as f:
        md = f.read()
    with open(PAGE) as f:
        page = f.read()
    new = regenerate(page, md)
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
