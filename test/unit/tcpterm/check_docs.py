#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Check that docs/tcpterm.md's counter table is exactly TCPTERM_COUNTERS, in order.

Usage: check_docs.py tcpterm_counters.h tcpterm.md
"""

import re
import sys


def main():
    header, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()
    # An entry may go on over a continuation line (X(NAME, "name", \ then the description).
    want = re.findall(r'^\tX\([A-Z0-9_]+,\s*"(\w+)",[\s\\]*"([^"]+)"\)', header, re.M)
    section = doc.split("\n## Counters\n", 1)[-1].split("\n## ", 1)[0]
    got = re.findall(r"^\| `(\w+)` \| (.+?) \|$", section, re.M)
    if not want:
        print("no counters found in", sys.argv[1])
        return 1
    if got != want:
        for w, g in zip(want + [None] * len(got), got + [None] * len(want)):
            if w != g:
                print("first difference: header", w, "docs", g)
                break
        return 1
    print("docs list the %d counters of TCPTERM_COUNTERS" % len(want))
    return 0


if __name__ == "__main__":
    sys.exit(main())
