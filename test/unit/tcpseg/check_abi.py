#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Check that a shared library exports exactly the functions its public headers declare.

Usage: check_abi.py LIBRARY HEADER...

The functions are the non-static declarations at file scope of the headers (static inline
helpers are not symbols); the exports are `nm -D --defined-only` of the library, minus the
linker's own (_init, _fini). Each public declaration must also carry a Doxygen comment ("/**"
block) right before it. Exits 1 and says what differs.
"""

import re
import subprocess
import sys

DECL = re.compile(r"^(?!static\b)(?:const\s+)?(?:enum|struct|unsigned|bool|void|int|char|uint\w*|"
                  r"const)\b[^;{()]*?\b(\w+)\(", re.M)


def declared(header):
    text = open(header).read()
    out = {}
    for m in DECL.finditer(text):
        before = text[:m.start()].rstrip()
        out[m.group(1)] = before.endswith("*/") and "/**" in before[before.rfind("/*"):]
    return out


def exported(lib):
    nm = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True,
                        text=True).stdout
    syms = set()
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtWwDdBbRr" and parts[2] not in ("_init", "_fini"):
            syms.add(parts[2].split("@")[0])
    return syms


def main():
    lib, headers = sys.argv[1], sys.argv[2:]
    decls = {}
    for h in headers:
        decls.update(declared(h))
    syms = exported(lib)
    bad = False
    for name in sorted(set(decls) - syms):
        print("declared in a public header but not exported: %s" % name)
        bad = True
    for name in sorted(syms - set(decls)):
        print("exported but not declared in a public header: %s" % name)
        bad = True
    for name in sorted(n for n, doc in decls.items() if not doc):
        print("public function without a Doxygen comment: %s" % name)
        bad = True
    print("%s: %d exported, %d declared" % (lib, len(syms), len(decls)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
