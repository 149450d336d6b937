#!/usr/bin/python3
"""Print the functions that public headers declare, one per line.

  header_funcs.py [--inline] HEADER...
Without --inline: the prototypes a library must export (not static inline). With --inline:
also static inline functions (they need no export). Comments, preprocessor lines and brace
bodies are removed first; each remaining statement that declares NAME(...) counts.
"""
import re
import sys


def decls(text):
    text = re.sub(r"#ifdef __cplusplus.*?#endif", " ", text, flags=re.S)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    out, depth = [], 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append(";")
        elif depth == 0:
            out.append(ch)
    for stmt in "".join(out).split(";"):
        stmt = " ".join(stmt.split())
        if not stmt or stmt.startswith("typedef") or stmt.startswith('extern "C"'):
            continue
        m = re.search(r"([A-Za-z_]\w*)\s*\(", stmt)
        if m and not re.search(r"\(\s*\*", stmt):
            yield m.group(1), "static" in stmt.split("(")[0].split()


def main():
    args = sys.argv[1:]
    inline = "--inline" in args
    names = set()
    for path in (a for a in args if a != "--inline"):
        with open(path, encoding="utf-8") as fh:
            for name, static in decls(fh.read()):
                if inline or not static:
                    names.add(name)
    print("\n".join(sorted(names)))


if __name__ == "__main__":
    main()
