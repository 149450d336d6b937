#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""check_tables APP_TABLES SOURCE_ROOT [--update]: the generated tables of the docs are the
application's own lists. config/README.md must carry exactly `app_tables config` (every key
with its default, bounds, option and help; every option) and docs/operations.md exactly
`app_tables counters` (every counter of the stats block and telemetry), each between the
markers <!-- BEGIN app_tables NAME --> and <!-- END app_tables NAME -->. --update rewrites
the files' tables instead of checking them."""

import re
import subprocess
import sys

DOCS = (("config", "config/README.md"), ("counters", "docs/operations.md"))


def region(text, name):
    m = re.search(r"<!-- BEGIN app_tables %s -->\n(.*?)<!-- END app_tables %s -->" %
                  (name, name), text, re.S)
    return m


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    tool, root = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    bad = 0
    for name, rel in DOCS:
        want = subprocess.run([tool, name], capture_output=True, text=True, check=True).stdout
        path = "%s/%s" % (root, rel)
        with open(path) as f:
            text = f.read()
        m = region(text, name)
        if m is None:
            print("FAIL %s: no <!-- BEGIN app_tables %s --> ... <!-- END --> region" %
                  (rel, name))
            bad += 1
            continue
        if m.group(1) == want:
            print("ok   %s: table %s matches the application (%d lines)" %
                  (rel, name, want.count("\n")))
            continue
        if update:
            with open(path, "w") as f:
                f.write(text[:m.start(1)] + want + text[m.end(1):])
            print("updated %s: table %s" % (rel, name))
            continue
        got_lines, want_lines = m.group(1).splitlines(), want.splitlines()
        print("FAIL %s: table %s differs from `app_tables %s`:" % (rel, name, name))
        for line in sorted(set(want_lines) - set(got_lines)):
            print("  missing: %s" % line)
        for line in sorted(set(got_lines) - set(want_lines)):
            print("  extra:   %s" % line)
        if set(got_lines) == set(want_lines):
            print("  (same lines, other order)")
        bad += 1
    if bad:
        print("run: %s %s %s --update" % (sys.argv[0], tool, root))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
