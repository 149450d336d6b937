#!/usr/bin/python3
"""Small files with one purpose each: no C file in lib/ or app/ above 600 lines, no function
above 80 lines (from its opening to its closing brace at column 0) unless the line before the
function's head says why with a comment containing "long:".

  check-size.py      prints "size: PASS ..." or one "size: FAIL ..." line per offender
"""
import glob
import re
import sys

MAX_FILE = 600
MAX_FUNC = 80


def functions(lines):
    """Yield (name, first line number, length, excused) for each function definition."""
    for i, line in enumerate(lines):
        if line.rstrip("\n") != "{":
            continue
        j = i - 1
        while j >= 0 and lines[j].strip() and not lines[j].startswith(("}", "/*", " *", "#")):
            j -= 1
        head = "".join(lines[j + 1:i])
        m = re.search(r"([A-Za-z_]\w*)\s*\(", head)
        if not m or re.match(r"\s*(struct|union|enum)\b[^(]*$", head):
            continue
        end = i + 1
        while end < len(lines) and lines[end].rstrip("\n") != "}":
            end += 1
        excused = any("long:" in lines[k] for k in range(max(0, j - 3), i))
        yield m.group(1), i + 1, end - i + 1, excused


def main():
    fails = 0
    files = sorted(glob.glob("lib/**/*.[ch]", recursive=True) +
                   glob.glob("app/**/*.[ch]", recursive=True))
    for path in files:
        with open(path, encoding="utf-8") as fh:
            lines = fh.readlines()
        if len(lines) > MAX_FILE:
            print(f"size: FAIL {path}: {len(lines)} lines (at most {MAX_FILE})")
            fails += 1
        for name, start, length, excused in functions(lines):
            if length > MAX_FUNC and not excused:
                print(f"size: FAIL {path}:{start}: {name}() is {length} lines (at most "
                      f"{MAX_FUNC}, or a 'long:' comment above it saying why)")
                fails += 1
    if fails == 0:
        print(f"size: PASS {len(files)} files of lib/ and app/ within {MAX_FILE} lines, "
              f"functions within {MAX_FUNC}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
