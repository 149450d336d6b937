#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""bench_path_callgrind: exact instructions per packet of the hit path, per function.

Runs bench_path --only path under valgrind --tool=callgrind --toggle-collect=path_pass (the
set-up, the shard fill and the templates, is not collected) at two packet counts, the same
entries, and divides the difference of the instruction counts by the difference of the
packet counts: what is left is the cost of one packet, constant terms cancelled. The same for
--only reinit (the template copy that stands for the PMD's copy into the mbuf, included in
the path pass), with and without --offload. Prints a table per function (exclusive counts,
from callgrind_annotate) and checks that the count is linear in the packets (the per-packet
figure of the smaller run alone within 1 % of the difference's).

    bench_path_callgrind.py --bench build/test/bench/bench_path [--entries 1000000]
                            [--packets 200000,400000] [--out DIR] [--jobs 2] [--term]
                            [-- BENCH_PATH_OPTIONS...]

The path pass runs app/worker.c's app_worker_burst() (the appliance's stages of a burst):
path_pass's own instructions are the benchmark's loop, the template copy and the mbuf
pointers put in rx[]; app_worker_burst's are the worker's own code (its stages' loops, L2's
and the counters), with what LTO inlined into it. --term: bench_path --term (a connection
table and a listener, which no segment reaches). Arguments after `--` go to every bench_path
run as they are, e.g. `-- --paws --ack-limit 1 --ack-interval-ms 500` (config/baremetal.ini's
engine options).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile


def run(bench, entries, packets, kind, offload, out, term, extra):
    f = os.path.join(out, "cg.%s.%s.%d" % (kind, "offload" if offload else "sw", packets))
    cmd = ["valgrind", "--tool=callgrind", "--toggle-collect=%s_pass" % kind,
           "--callgrind-out-file=" + f, bench, "--entries", str(entries), "--packets",
           str(packets), "--only", kind] + (["--offload"] if offload else []) + \
          (["--term"] if term else []) + extra
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr[-2000:]))
    ann = subprocess.run(["callgrind_annotate", "--threshold=100", f], capture_output=True,
                         text=True, check=True).stdout
    total, funcs = None, {}
    for line in ann.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = re.match(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S+?):(\S+)(?:\s+\[(\S+)\])?\s*$", line)
        if m:
            name = m.group(3)
            funcs[name] = funcs.get(name, 0) + int(m.group(1).replace(",", ""))
    return {"cmd": " ".join(cmd), "total": total, "funcs": funcs}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--entries", type=int, default=1000000)
    ap.add_argument("--packets", default="200000,400000")
    ap.add_argument("--out", default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--term", action="store_true")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    lo, hi = [int(x) for x in args.packets.split(",")]
    out = args.out or tempfile.mkdtemp(prefix="twq-cg-")
    os.makedirs(out, exist_ok=True)
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for offload in (False, True):
            for kind in ("path", "reinit"):
                for n in (lo, hi):
                    jobs[(offload, kind, n)] = ex.submit(run, os.path.abspath(args.bench),
                                                         args.entries, n, kind, offload, out,
                                                         args.term, extra)
        res = {k: v.result() for k, v in jobs.items()}
    ok = True
    summary = {}
    print("instructions per packet at %d entries (delta Ir / delta packets, %d -> %d packets)%s:"
          % (args.entries, lo, hi, ", bench_path " + " ".join(extra) if extra else ""))
    for offload in (False, True):
        label = "offload" if offload else "software checksums"
        per = {}
        for kind in ("path", "reinit"):
            a, b = res[(offload, kind, lo)], res[(offload, kind, hi)]
            d = (b["total"] - a["total"]) / (hi - lo)
            alone = a["total"] / lo
            lin = abs(alone - d) <= 0.01 * d
            ok &= lin
            per[kind] = {"per_packet": d, "small_run_alone": alone, "linear": lin,
                         "funcs": {f: (b["funcs"].get(f, 0) - a["funcs"].get(f, 0)) / (hi - lo)
                                   for f in set(a["funcs"]) | set(b["funcs"])}}
        ours = per["path"]["per_packet"] - per["reinit"]["per_packet"]
        print("\n%s: path pass %.1f (smaller run alone %.1f, linear: %s), of which the template "
              "copy (reinit pass) %.1f; the hit path itself %.1f" %
              (label, per["path"]["per_packet"], per["path"]["small_run_alone"],
               "yes" if per["path"]["linear"] else "NO", per["reinit"]["per_packet"], ours))
        for f, v in sorted(per["path"]["funcs"].items(), key=lambda x: -x[1]):
            if abs(v) >= 0.05:
                note = ""
                if f == "path_pass":
                    note = "  (the benchmark's loop and the template copy: %.1f of it " \
                           "is reinit_pass's)" % per["reinit"]["funcs"].get("reinit_pass", 0)
                elif f.startswith("app_worker_burst"):
                    note = "  (the worker's own code, with what LTO inlined into it)"
                print("  %-40s %8.1f%s" % (f, v, note))
        summary[label] = dict(per, hit_path=ours)
    with open(os.path.join(out, "callgrind.json"), "w") as f:
        json.dump({"entries": args.entries, "packets": [lo, hi], "extra": extra,
                   "results": summary,
                   "runs": {"%s/%s/%d" % ("offload" if k[0] else "sw", k[1], k[2]): v["cmd"]
                            for k, v in res.items()}}, f, indent=1)
    print("\nfiles: %s" % out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
