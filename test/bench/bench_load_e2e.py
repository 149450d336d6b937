#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""bench_load_e2e: how long dpdk-twq takes to load a large state file, end to end.

Writes (once, reused when present) a state file of N IPv4 entries in random deadline order
with mk_state, then starts dpdk-twq with --load on one worker and a shard big enough for all
of them, and measures, per run:
  - load_s: what dpdk-twq says the load took ("state: loaded N of N entries ... in X s":
    open, header, streamed records, batch restore and its sort);
  - start_to_loaded_s: from the process start to that line on its stdout (EAL, ports, shard
    allocation and load: what an operator waits for before the appliance answers).
Run "cold" first (the file's pages dropped from the page cache with POSIX_FADV_DONTNEED,
so the file is read from disk), then warm. Checks that every entry was loaded.

usage (as root): bench_load_e2e.py --twq build/app/dpdk-twq --mk-state build/test/bench/mk_state
                 [--entries 10000000] [--runs 3] [--mem 4096] [--hugepages] [--out DIR]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

LOADED = re.compile(r"state: loaded (\d+) of (\d+) entries from .* in ([0-9.]+) s")


def empty_pcap(path):
    with open(path, "wb") as f:     # pcap global header, Ethernet, no packet
        f.write(bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000"))


def drop_cache(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def hugepages(pages):
    """Set vm.nr_hugepages to at least pages; return the value to put back (or None)."""
    path = "/proc/sys/vm/nr_hugepages"
    with open(path) as f:
        before = int(f.read())
    if before >= pages:
        return None
    with open(path, "w") as f:
        f.write(str(pages))
    with open(path) as f:
        got = int(f.read())
    if got < pages:
        with open(path, "w") as f:
            f.write(str(before))
        sys.exit("bench_load_e2e: could reserve only %d of %d 2 MiB hugepages" % (got, pages))
    return before


def run_once(args, state, ini, pcap, tag):
    prefix = "twq-bench-load-e2e-%d-%s" % (os.getpid(), tag)
    mem = "--in-memory" if args.hugepages else "--no-huge"
    cmd = [args.twq, mem, "--no-pci", "-m", str(args.mem), "--file-prefix", prefix,
           "--lcores", "0@0,1@1", "--log-level", "*:notice",
           "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null" % pcap, "--",
           "--config", ini, "--load", state, "--replay-exit"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    got = None
    try:
        for line in p.stdout:
            m = LOADED.search(line)
            if m:
                got = (time.monotonic() - t0, int(m.group(1)), int(m.group(2)),
                       float(m.group(3)))
                break
        p.stdout.read()
        p.wait(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix])
    if got is None:
        sys.exit("bench_load_e2e: no 'state: loaded' line; stderr: %s" % p.stderr.read()[-800:])
    return {"run": tag, "start_to_loaded_s": round(got[0], 3), "loaded": got[1],
            "count": got[2], "load_s": got[3], "exit": p.returncode}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--twq", required=True)
    ap.add_argument("--mk-state", required=True)
    ap.add_argument("--entries", type=int, default=10000000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mem", type=int, default=4096, help="EAL -m of dpdk-twq (MB)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--hugepages", action="store_true",
                    help="2 MiB hugepages (--in-memory; vm.nr_hugepages raised for the run and "
                    "put back) instead of 4 KiB pages (--no-huge)")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="twq-bench-load-e2e-")
    os.makedirs(out, exist_ok=True)
    state = os.path.join(out, "load-%d.twq" % args.entries)
    if not os.path.exists(state):
        t0 = time.monotonic()
        subprocess.run([args.mk_state, state, str(args.entries), "1000", "60000", "7"],
                       check=True)
        print("wrote %s in %.1f s" % (state, time.monotonic() - t0))
    ini, pcap = os.path.join(out, "load.ini"), os.path.join(out, "empty.pcap")
    with open(ini, "w") as f:
        f.write("[ports]\nnames = net_pcap0\n[engine]\nmsl_ms = 30000\ncapacity = %d\n"
                "capacity6 = 32\n" % max(args.entries, 32))
    empty_pcap(pcap)
    results = []
    restore = hugepages(args.mem // 2 + 64) if args.hugepages else None
    try:
        measure(args, state, ini, pcap, results)
    finally:
        if restore is not None:
            with open("/proc/sys/vm/nr_hugepages", "w") as f:
                f.write(str(restore))
    with open(os.path.join(out, "bench_load_e2e.json"), "w") as f:
        json.dump(results, f, indent=1)
    best = min(r["start_to_loaded_s"] for r in results)
    worst = max(r["start_to_loaded_s"] for r in results)
    print("bench_load_e2e: %d entries (%s): start to loaded %.2f .. %.2f s, load alone "
          "%.2f .. %.2f s" % (args.entries, "2 MiB pages" if args.hugepages else "4 KiB pages",
                             best, worst, min(r["load_s"] for r in results),
                             max(r["load_s"] for r in results)))
    return 0


def measure(args, state, ini, pcap, results):
    for i in range(args.runs):
        cold = i == 0
        if cold:
            drop_cache(state)
        r = run_once(args, state, ini, pcap, "cold" if cold else "warm%d" % i)
        r["entries"] = args.entries
        r["pages"] = "2M" if args.hugepages else "4K"
        r["file_bytes"] = os.path.getsize(state)
        results.append(r)
        print(json.dumps(r))
        if r["loaded"] != args.entries:
            sys.exit("bench_load_e2e: loaded %d of %d" % (r["loaded"], args.entries))


if __name__ == "__main__":
    sys.exit(main())
