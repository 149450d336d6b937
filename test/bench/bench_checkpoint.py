#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""bench_checkpoint: the worker's longest wait for its shard lock while checkpoints of a
large table are written, against the same run without checkpoints.

dpdk-twq loads N entries (mk_state), its net_pcap port replays segments for 256 of them
forever (infinite_rx=1), so the worker takes its shard lock once per burst all the time,
and runs for --seconds with [state] checkpoint_s = 1 (and once with 0). The final
statistics give the worker's lock_max_wait_us and lock_waits, and the checkpoint counters
(checkpoints, checkpoint_us, checkpoint_max_hold_us).

usage (as root): bench_checkpoint.py --twq build/app/dpdk-twq --mk-state build/test/bench/mk_state
                 [--entries 1000000] [--seconds 8] [--slice 256] [--out DIR]
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from twqstate import Entry  # noqa: E402
from segments import Flow, write_pcap  # noqa: E402
from twqtest import parse_final_stats  # noqa: E402


def run(args, out, state, pcap, ckpt_s):
    ini = os.path.join(out, "ck%d.ini" % ckpt_s)
    with open(ini, "w") as f:
        f.write("[ports]\nnames = net_pcap0\n[engine]\nmsl_ms = 3600000\ncapacity = %d\n"
                "capacity6 = 32\n[control]\nscan_slice = %d\n[state]\nsave = %s\n"
                "checkpoint_s = %d\n" % (args.entries, args.slice,
                                         os.path.join(out, "ck.twq"), ckpt_s))
    prefix = "twq-bench-ckpt-%d-%d" % (os.getpid(), ckpt_s)
    cmd = [args.twq, "--no-huge", "--no-pci", "-m", str(args.mem), "--file-prefix", prefix,
           "--lcores", "0@0,1@1", "--log-level", "*:notice",
           "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % pcap, "--",
           "--config", ini, "--load", state]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 120:      # wait for the load
            line = p.stdout.readline()
            if not line or "state: loaded" in line:
                break
        time.sleep(args.seconds)
        p.send_signal(signal.SIGTERM)
        o, e = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix])
    st = parse_final_stats(o)
    keys = ("rx", "lock_waits", "lock_yields", "lock_max_wait_us", "scan_max_hold_us",
            "checkpoints", "checkpoint_failed", "checkpoint_entries", "checkpoint_us",
            "checkpoint_max_hold_us", "checkpoint_slices", "checkpoint_slow_holds")
    r = {"checkpoint_s": ckpt_s, "entries": args.entries, "slice": args.slice}
    r.update({k: st.get(k) for k in keys})
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--twq", required=True)
    ap.add_argument("--mk-state", required=True)
    ap.add_argument("--entries", type=int, default=1000000)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--slice", type=int, default=256)
    ap.add_argument("--mem", type=int, default=1024)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="twq-bench-ckpt-")
    os.makedirs(out, exist_ok=True)
    state = os.path.join(out, "ck-%d.twq" % args.entries)
    # remaining 1 h: nothing expires during the run (msl_ms 30 min)
    subprocess.run([args.mk_state, state, str(args.entries), "3500000", "3600000", "3"],
                   check=True)
    pcap = os.path.join(out, "ck.pcap")
    flows = [Flow(Entry("198.18.0.1", 80, "198.18.%d.%d" % (a >> 8, a & 255), 1024, 1, 2, 3))
             for a in range(256)]
    write_pcap(pcap, [f.data() for f in flows])
    res = [run(args, out, state, pcap, 0), run(args, out, state, pcap, 1)]
    for r in res:
        print(json.dumps(r))
    with open(os.path.join(out, "bench_checkpoint.json"), "w") as f:
        json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
