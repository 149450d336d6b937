#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""bench_appliance: TIME_WAIT throughput of dpdk-twq as a ratio of the I/O ceiling of the
same link, and the worker's worst stall while a full shard expires at once.

A benchmark program, not a test (not registered with meson test). Run as root with
/usr/bin/python3 (Scapy); see test/bench/README.md.

Topology (both runs):

    CPU 0: dpdk-testpmd "gen"  net_pcap0 (rx_pcap=segs.pcap, infinite_rx) <-io-> net_memif0 (server)
    CPU 1: the side under test on net_memif0 (client):
           ceiling run:   dpdk-testpmd --forward-mode=macswap (sends every frame back)
           TIME_WAIT run: dpdk-twq --load state.twq (answers every segment with an ACK)

The rate is what the side under test sends back per second over a timed window, read from
its ethdev counters through its telemetry socket (/ethdev/stats,0) before and after the
window; for dpdk-twq also /twq/stats, which must show that every segment received was a
TIME_WAIT hit answered with an ACK (so the run measures TIME_WAIT work, not closed-port RSTs).

Modes:
    default   ceiling run, then TIME_WAIT run; prints the table
    --stall   N entries that all fall due at the same moment a few seconds in, traffic
              flowing; for each --slices value, the scan's worst and mean lock hold
              (scan_max_hold_us, scan_mean_hold_ns) once they have expired
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "scenarios"))

from twqstate import Entry, crc32c, HDR_SIZE, VERSION, MAGIC, REC_SIZE  # noqa: E402

RUNTIME_DIR = "/var/run/dpdk"
GEN_LCORES = "0@0,1@0"       # generator: main + 1 forwarding lcore, both on CPU 0
DUT_LCORES = "0@1,1@1"       # side under test: main (sleeps) + 1 worker, both on CPU 1
LADDR, LPORT = "198.18.0.1", 80
U32 = 0xFFFFFFFF


class BenchError(Exception):
    pass


def log(msg):
    print("[%7.1f] %s" % (time.monotonic() - T0, msg), flush=True)


T0 = time.monotonic()


# --- state file and traffic -------------------------------------------------------------

def entry_of(i, remaining_ms):
    """Entry i: peer 198.19.x.y (65536 addresses), port varied so that every key differs."""
    a = i & 0xFFFF
    port = 1024 + ((i >> 16) + 17 * a) % 64000
    return Entry(laddr=LADDR, lport=LPORT, raddr="198.19.%d.%d" % (a >> 8, a & 0xFF),
                 rport=port, snd_nxt=(i * 2654435761 + 1) & U32,
                 rcv_nxt=(i * 40503 + 12345) & U32, last_win=512, has_ts=True,
                 t_recent=(i * 7 + 100) & U32, ts_offset=(i * 13) & U32,
                 remaining_ms=remaining_ms)


def write_state_file(path, n, remaining_ms):
    """twqstate's record writer (Entry.pack) and CRC-32C, streamed so 1M entries stay in
    bounded memory. Reused when a file made with the same parameters is there already."""
    tag = path + ".params"
    want = "%d %d v1" % (n, remaining_ms)
    if os.path.exists(path) and os.path.exists(tag) and open(tag).read() == want and \
            os.path.getsize(path) == HDR_SIZE + REC_SIZE * n + 4:
        log("state: reusing %s (%d entries, remaining_ms %d)" % (path, n, remaining_ms))
        return
    t = time.monotonic()
    hdr = struct.pack("<8sIIQQ", MAGIC, VERSION, REC_SIZE, n, 0)   # saved 0: no time off
    crc = crc32c(hdr)
    with open(path + ".tmp", "wb") as f:
        f.write(hdr)
        step = 65536
        for base in range(0, n, step):
            chunk = b"".join(entry_of(i, remaining_ms).pack()
                             for i in range(base, min(n, base + step)))
            crc = crc32c(chunk, crc)
            f.write(chunk)
        f.write(struct.pack("<I", crc))
    os.rename(path + ".tmp", path)
    with open(tag, "w") as f:
        f.write(want)
    log("state: wrote %s: %d entries, remaining_ms %d (%.1f s)" %
        (path, n, remaining_ms, time.monotonic() - t))


def write_segments(path, n_entries, n_segs, payload_len, seed):
    """n_segs data segments (ACK|PSH, seq = rcv_nxt, ack = snd_nxt, timestamps) to random
    distinct entries: each deserves an ACK, and lookups miss the CPU cache."""
    from segments import Flow, write_pcap
    rng = random.Random(seed)
    idx = rng.sample(range(n_entries), min(n_segs, n_entries))
    while len(idx) < n_segs:
        idx.append(rng.randrange(n_entries))
    frames = [bytes(Flow(entry_of(i, 1)).data(payload=b"x" * payload_len)) for i in idx]
    write_pcap(path, frames)
    log("traffic: wrote %s: %d segments of %d bytes to random entries" %
        (path, len(frames), len(frames[0])))


# --- telemetry (the protocol dpdk-telemetry.py speaks, without a process per call) -------

class Telemetry:
    def __init__(self, prefix, timeout=20):
        path = os.path.join(RUNTIME_DIR, prefix, "dpdk_telemetry.v2")
        deadline = time.monotonic() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.settimeout(5)
                s.connect(path)
                info = json.loads(s.recv(4096).decode())
                self.maxlen = info.get("max_output_len", 16384)
                self.s = s
                return
            except (OSError, ValueError):
                s.close()
                if time.monotonic() > deadline:
                    raise BenchError("no telemetry socket at %s" % path)
                time.sleep(0.2)

    def get(self, cmd):
        self.s.send(cmd.encode())
        d = json.loads(self.s.recv(self.maxlen).decode())
        v = d.get(cmd.split(",", 1)[0])
        if not isinstance(v, dict):
            raise BenchError("telemetry %s: %r" % (cmd, d))
        return v

    def try_get(self, cmd):
        """get(), or None while the command is not registered yet (start-up)."""
        try:
            return self.get(cmd)
        except BenchError:
            return None

    def close(self):
        self.s.close()


# --- processes ------------------------------------------------------------------------

class Procs:
    """Every process started, killed (by pid) on exit; runtime dirs and sockets removed."""

    def __init__(self, out):
        self.out = out
        self.procs = []
        self.prefixes = []
        self.files = []

    def prefix(self, tag):
        p = "twq-appbench-%s-%d" % (tag, os.getpid())
        shutil.rmtree(os.path.join(RUNTIME_DIR, p), ignore_errors=True)
        self.prefixes.append(p)
        return p

    def start(self, cmd, tag, stdin=subprocess.DEVNULL):
        o = open(os.path.join(self.out, tag + ".out"), "w")
        e = open(os.path.join(self.out, tag + ".err"), "w")
        log("$ " + " ".join(cmd))
        p = subprocess.Popen(cmd, stdout=o, stderr=e, stdin=stdin)
        p.tag, p.o, p.e = tag, o, e
        self.procs.append(p)
        return p

    def read(self, tag, ext=".out"):
        try:
            with open(os.path.join(self.out, tag + ext), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, p, how="term", timeout=20):
        """Stop p (SIGTERM, or Enter for testpmd); kill it if it does not go in time."""
        if p.poll() is None:
            try:
                if how == "enter":
                    p.stdin.write(b"\n")
                    p.stdin.flush()
                else:
                    p.send_signal(signal.SIGTERM)
            except OSError:
                pass
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)
            raise BenchError("%s did not stop within %d s (killed)" % (p.tag, timeout))
        p.o.flush()
        return rc

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    p.terminate()
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
                except OSError:
                    pass
            for f in (p.o, p.e, p.stdin):
                try:
                    if f:
                        f.close()
                except OSError:
                    pass
        self.procs = []
        for pfx in self.prefixes:
            shutil.rmtree(os.path.join(RUNTIME_DIR, pfx), ignore_errors=True)
        self.prefixes = []
        for f in self.files:
            try:
                os.unlink(f)
            except OSError:
                pass
        self.files = []


def eal(prefix, lcores, mem, vdevs):
    a = ["--no-huge", "--no-pci", "-m", str(mem), "--file-prefix", prefix, "--lcores", lcores,
         "--log-level", "*:notice"]
    for v in vdevs:
        a += ["--vdev", v]
    return a


def wait_for(cond, timeout, what, procs=()):
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        for p in procs:
            if p.poll() is not None:
                raise BenchError("%s exited (status %s) while waiting for %s" %
                                 (p.tag, p.returncode, what))
        if time.monotonic() > deadline:
            raise BenchError("timed out (%d s) waiting for %s" % (timeout, what))
        time.sleep(0.1)


def start_generator(pr, args, pcap, sock, tag):
    """dpdk-testpmd on CPU 0: port 0 net_pcap0 replays pcap forever, port 1 the memif
    server; io forwarding both ways (what comes back from memif is dropped by net_pcap,
    which has no TX file)."""
    pfx = pr.prefix(tag)
    cmd = [args.testpmd] + eal(pfx, GEN_LCORES, 512, [
        "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
        "net_memif0,role=server,socket=%s" % sock]) + [
        "--", "--forward-mode=io", "--auto-start", "--nb-cores=1",
        "--total-num-mbufs=32768", "--burst=32", "--disable-link-check"]
    p = pr.start(["stdbuf", "-oL"] + cmd, tag, stdin=subprocess.PIPE)
    wait_for(lambda: "Press enter to exit" in pr.read(tag), 30, "the generator to forward",
             [p])
    return p, pfx


def snapshot(tels):
    """{name: (monotonic time, {cmd: value})}, every command of one process read close
    together; the time is the midpoint of its reads."""
    out = {}
    for name, (tel, cmds) in tels.items():
        t0 = time.monotonic()
        vals = {c: tel.get(c) for c in cmds}
        out[name] = ((t0 + time.monotonic()) / 2, vals)
    return out


def delta(a, b, name, cmd, key):
    return b[name][1][cmd][key] - a[name][1][cmd][key]


def dt(a, b, name):
    return b[name][0] - a[name][0]


# --- the runs --------------------------------------------------------------------------

def run_window(pr, args, sock, dut_cmd, dut_tag, dut_pfx, dut_cmds, dut_ready, warm_s,
               seconds, gen_tag):
    """Generator up, side under test up, warm-up, timed window. Returns (a, b) snapshots,
    the processes, for the caller to stop."""
    gen, gen_pfx = start_generator(pr, args, args.pcap, sock, gen_tag)
    dut = pr.start(dut_cmd, dut_tag, stdin=subprocess.PIPE)
    tg = Telemetry(gen_pfx)
    td = Telemetry(dut_pfx, timeout=60)
    wait_for(lambda: dut_ready(td), 120, "%s to receive traffic" % dut_tag, [gen, dut])
    time.sleep(warm_s)
    tels = {"gen": (tg, ["/ethdev/stats,0", "/ethdev/stats,1"]), "dut": (td, dut_cmds)}
    a = snapshot(tels)
    time.sleep(seconds)
    b = snapshot(tels)
    for p in (gen, dut):
        if p.poll() is not None:
            raise BenchError("%s exited during the window (status %s)" % (p.tag, p.returncode))
    tg.close()
    td.close()
    return a, b, gen, dut


def common_rates(a, b, r):
    t = dt(a, b, "dut")
    tg = dt(a, b, "gen")
    r["window_s"] = round(t, 3)
    r["dut_rx_mpps"] = delta(a, b, "dut", "/ethdev/stats,0", "ipackets") / t / 1e6
    r["dut_tx_mpps"] = delta(a, b, "dut", "/ethdev/stats,0", "opackets") / t / 1e6
    r["offered_mpps"] = delta(a, b, "gen", "/ethdev/stats,0", "ipackets") / tg / 1e6
    r["gen_memif_rx_mpps"] = delta(a, b, "gen", "/ethdev/stats,1", "ipackets") / tg / 1e6
    r["gen_memif_tx_mpps"] = delta(a, b, "gen", "/ethdev/stats,1", "opackets") / tg / 1e6


def ceiling_run(pr, args, run):
    sock = "/tmp/twq-appbench-%d-%s.sock" % (os.getpid(), run)
    pr.files.append(sock)
    pfx = pr.prefix("macswap-" + run)
    cmd = [args.testpmd] + eal(pfx, DUT_LCORES, 512,
                               ["net_memif0,role=client,socket=%s" % sock]) + [
        "--", "--forward-mode=macswap", "--auto-start", "--nb-cores=1",
        "--total-num-mbufs=32768", "--burst=32", "--disable-link-check"]
    cmd = ["stdbuf", "-oL"] + cmd
    a, b, gen, dut = run_window(
        pr, args, sock, cmd, "macswap-" + run, pfx, ["/ethdev/stats,0"],
        lambda t: (t.try_get("/ethdev/stats,0") or {}).get("ipackets", 0) > 0, args.warmup, args.seconds,
        "gen-ceiling-" + run)
    r = {"run": "ceiling"}
    common_rates(a, b, r)
    pr.stop(dut, "enter")
    pr.stop(gen, "enter")
    r["rate_mpps"] = r["dut_tx_mpps"]
    pr.cleanup()
    return r


def twq_cfg(path, n, slice_):
    with open(path, "w") as f:
        f.write("; generated by bench_appliance.py\n[ports]\nnames = net_memif0\n"
                "[engine]\nmsl_ms = 3600000\ncapacity = %d\ncapacity6 = 32\n"
                "[control]\nscan_slice = %d\n[closed]\npolicy = rst\n" % (max(n, 32), slice_))


def twq_cmd(args, pfx, sock, cfg, state):
    return [args.twq] + eal(pfx, DUT_LCORES, args.twq_mem,
                            ["net_memif0,role=client,socket=%s" % sock]) + [
        "--", "--config", cfg, "--load", state, "--msl-ms", "3600000",
        "--capacity", str(max(args.entries, 32)), "--closed-policy", "rst"]


def parse_final(text):
    d = {}
    i = text.rfind("final statistics")
    if i < 0:
        return d
    text = text[i:]
    m = re.search(r"  engine:(.*?)\n  entries:", text, re.S)
    if m:
        toks = m.group(1).split()
        d.update({k: int(v) for k, v in zip(toks[0::2], toks[1::2])})
    m = re.search(r"worker 0 \(lcore \d+\) rx: (\d+)  tx: (\d+)  tx_dropped: (\d+)", text)
    if m:
        d["rx"], d["tx"], d["tx_dropped"] = map(int, m.groups())
    m = re.search(r"scan: (\d+) scans, (\d+) lock holds, mean ([\d.]+) us, "
                  r"scan_max_hold_us: ([\d.]+)", text)
    if m:
        d["scans"], d["scan_slices"] = int(m.group(1)), int(m.group(2))
        d["scan_mean_hold_us"], d["scan_max_hold_us"] = float(m.group(3)), float(m.group(4))
    return d


def twq_run(pr, args, run):
    sock = "/tmp/twq-appbench-%d-%s.sock" % (os.getpid(), run)
    pr.files.append(sock)
    pfx = pr.prefix("twq-" + run)
    cfg = os.path.join(args.out, "twq-throughput.ini")
    twq_cfg(cfg, args.entries, 256)
    cmds = ["/ethdev/stats,0", "/twq/stats"]
    a, b, gen, dut = run_window(
        pr, args, sock, twq_cmd(args, pfx, sock, cfg, args.state), "twq-" + run, pfx, cmds,
        lambda t: (t.try_get("/twq/stats") or {}).get("rx", 0) > 0, args.warmup, args.seconds,
        "gen-twq-" + run)
    r = {"run": "time_wait"}
    common_rates(a, b, r)
    for k in ("rx", "tx", "tx_dropped", "lookup_hit", "lookup_miss", "ack_sent", "closed_rst",
              "dropped"):
        r["d_" + k] = delta(a, b, "dut", "/twq/stats", k)
    r["entries"] = b["dut"][1]["/twq/stats"]["entries"]
    r["twq_tx_mpps"] = r["d_tx"] / dt(a, b, "dut") / 1e6
    r["rate_mpps"] = r["dut_tx_mpps"]
    rc = pr.stop(dut, "term")
    pr.stop(gen, "enter")
    r["final"] = parse_final(pr.read("twq-" + run))
    r["twq_exit"] = rc
    out = pr.read("twq-" + run)
    m = re.search(r"state: loaded (\d+) of (\d+)", out)
    r["loaded"] = int(m.group(1)) if m else None
    pr.cleanup()
    # It must be TIME_WAIT work: every segment a hit, every hit an ACK, no RST.
    checks = [
        (r["loaded"] == args.entries, "loaded %s of %d entries" % (r["loaded"], args.entries)),
        (r["d_rx"] > 0, "dpdk-twq received traffic in the window (%d)" % r["d_rx"]),
        (abs(r["d_lookup_hit"] - r["d_rx"]) <= 0.01 * r["d_rx"] + 64,
         "lookup_hit ~= rx in the window (%d vs %d)" % (r["d_lookup_hit"], r["d_rx"])),
        (abs(r["d_ack_sent"] - r["d_lookup_hit"]) <= 0.01 * r["d_rx"] + 64,
         "ack_sent ~= lookup_hit (%d vs %d)" % (r["d_ack_sent"], r["d_lookup_hit"])),
        (r["d_closed_rst"] == 0 and r["d_lookup_miss"] == 0,
         "no miss, no closed-port RST (%d, %d)" % (r["d_lookup_miss"], r["d_closed_rst"])),
        (abs(r["d_tx"] + r["d_tx_dropped"] - r["d_ack_sent"]) <= 0.01 * r["d_rx"] + 64,
         "tx + tx_dropped ~= ack_sent (%d + %d vs %d)" %
         (r["d_tx"], r["d_tx_dropped"], r["d_ack_sent"])),
        (r["entries"] == args.entries, "entries still %d at the end (%d)" %
         (args.entries, r["entries"])),
    ]
    r["checks"] = [(ok, what) for ok, what in checks]
    for ok, what in checks:
        log("  %s %s" % ("ok  " if ok else "FAIL", what))
    return r


def stall_run(pr, args, slice_, run):
    """N entries falling due together due_ms after the load, traffic flowing; the scan's
    lock holds during the mass expiry."""
    sock = "/tmp/twq-appbench-%d-%s.sock" % (os.getpid(), run)
    pr.files.append(sock)
    pfx = pr.prefix("twq-" + run)
    cfg = os.path.join(args.out, "twq-stall-%d.ini" % slice_)
    twq_cfg(cfg, args.entries, slice_)
    gen, gen_pfx = start_generator(pr, args, args.pcap, sock, "gen-" + run)
    dut = pr.start(twq_cmd(args, pfx, sock, cfg, args.stall_state), "twq-" + run)
    td = Telemetry(pfx, timeout=60)
    st = wait_for(lambda: (lambda s: s if s and s["rx"] > 0 and s["entries"] == args.entries
                           else None)(td.try_get("/twq/stats")),
                  120, "traffic and %d entries" % args.entries, [gen, dut])
    m = re.search(r"state: loaded (\d+) of (\d+)", pr.read("twq-" + run))
    loaded = int(m.group(1)) if m else None
    before = st
    samples = [(time.monotonic(), st)]
    t_start = time.monotonic()
    while True:       # sample every 100 ms until all expired
        time.sleep(0.1)
        s = td.get("/twq/stats")
        samples.append((time.monotonic(), s))
        if s["entries"] == 0 and s["expired"] >= args.entries:
            break
        if samples[-1][1]["entries"] == args.entries:
            before = s
        if dut.poll() is not None or gen.poll() is not None:
            raise BenchError("a process exited during the stall run")
        if time.monotonic() - t_start > args.stall_due_ms / 1000.0 + 60:
            raise BenchError("entries did not expire (last %r)" % s["entries"])
    time.sleep(1.0)
    after = td.get("/twq/stats")
    td.close()
    rc = pr.stop(dut, "term")
    pr.stop(gen, "enter")
    fin = parse_final(pr.read("twq-" + run))
    pr.cleanup()
    d_slices = after["scan_slices"] - before["scan_slices"]
    d_hold_ns = (after["scan_mean_hold_ns"] * after["scan_slices"] -
                 before["scan_mean_hold_ns"] * before["scan_slices"])
    # throughput of the worker per 100 ms sample: before vs. the worst during expiry
    rates = []
    for (t0, s0), (t1, s1) in zip(samples, samples[1:]):
        rates.append(((s1["tx"] - s0["tx"]) / (t1 - t0) / 1e6, s0["entries"], s1["entries"]))
    steady = [x[0] for x in rates if x[1] == x[2] == args.entries]
    during = [x[0] for x in rates if x[1] == args.entries and x[2] < args.entries]
    r = {"run": "stall", "slice": slice_, "loaded": loaded, "twq_exit": rc,
         "expired": after["expired"], "entries_after": after["entries"],
         "max_hold_us_before": before["scan_max_hold_us"],
         "max_hold_us_after_telemetry": after["scan_max_hold_us"],
         "scan_mean_hold_ns_overall": after["scan_mean_hold_ns"],
         "expiry_slices": d_slices,
         "expiry_mean_hold_ns": d_hold_ns / d_slices if d_slices else None,
         "expiry_total_hold_ms": d_hold_ns / 1e6,
         "final": fin,
         "tx_mpps_steady_median": sorted(steady)[len(steady) // 2] if steady else None,
         "tx_mpps_expiry_window": during[0] if during else None}
    log("  stall slice %d: max hold %.1f us (final block; %s us before expiry), mean hold "
        "during expiry %.0f ns over %d holds (%.1f ms held in all)" %
        (slice_, fin.get("scan_max_hold_us", -1), before["scan_max_hold_us"],
         r["expiry_mean_hold_ns"] or -1, d_slices, r["expiry_total_hold_ms"]))
    return r


# --- main -------------------------------------------------------------------------------

def machine():
    m = {}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for k in ("Model name", "CPU(s)", "Hypervisor vendor"):
            mm = re.search(r"^%s:\s*(.*)$" % re.escape(k), out, re.M)
            if mm:
                m[k] = mm.group(1).strip()
    except OSError:
        pass
    m["kernel"] = os.uname().release
    m["loadavg"] = open("/proc/loadavg").read().split()[:3]
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--twq", required=True, help="path to dpdk-twq")
    ap.add_argument("--entries", type=int, default=1000000)
    ap.add_argument("--seconds", type=float, default=10.0, help="timed window")
    ap.add_argument("--out", default=None, help="directory for files, logs, results.json "
                    "(default: a new one under /tmp)")
    ap.add_argument("--stall", action="store_true", help="the mass-expiry stall mode")
    ap.add_argument("--slices", default="64,256", help="scan_slice values for --stall")
    ap.add_argument("--stall-due-ms", type=int, default=10000,
                    help="remaining_ms of every entry in --stall (all due together)")
    ap.add_argument("--segments", type=int, default=4096)
    ap.add_argument("--payload", type=int, default=16)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--twq-mem", type=int, default=1024, help="EAL -m of dpdk-twq (MB)")
    ap.add_argument("--testpmd", default=shutil.which("dpdk-testpmd") or
                    "/usr/bin/dpdk-testpmd")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.twq = os.path.abspath(args.twq)
    for path, what in ((args.twq, "dpdk-twq"), (args.testpmd, "dpdk-testpmd")):
        if not os.access(path, os.X_OK):
            print("bench_appliance: %s not found or not executable: %s" % (what, path),
                  file=sys.stderr)
            return 2
    if args.entries < 1:
        print("bench_appliance: --entries must be at least 1", file=sys.stderr)
        return 2
    args.out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="twq-appbench-"))
    os.makedirs(args.out, exist_ok=True)

    def on_signal(sig, frame):
        raise KeyboardInterrupt("signal %d" % sig)
    signal.signal(signal.SIGTERM, on_signal)

    pr = Procs(args.out)
    results = {"args": {k: v for k, v in vars(args).items()}, "machine": machine(),
               "runs": []}
    ok = True
    try:
        args.pcap = os.path.join(args.out, "segs.pcap")
        write_segments(args.pcap, args.entries, args.segments, args.payload, args.seed)
        if not args.stall:
            args.state = os.path.join(args.out, "state-%d.twq" % args.entries)
            write_state_file(args.state, args.entries, 7200000)    # cut to 2MSL on load
            log("ceiling run: testpmd io <-> memif <-> testpmd macswap, %.0f s" %
                args.seconds)
            c = ceiling_run(pr, args, "c")
            results["runs"].append(c)
            log("  ceiling %.3f Mpps" % c["rate_mpps"])
            log("TIME_WAIT run: testpmd io <-> memif <-> dpdk-twq, %d entries, %.0f s" %
                (args.entries, args.seconds))
            w = twq_run(pr, args, "w")
            results["runs"].append(w)
            ok = all(x for x, _ in w["checks"])
            ratio = w["rate_mpps"] / c["rate_mpps"] if c["rate_mpps"] else 0.0
            results["ratio"] = ratio
            print()
            print("dpdk-twq appliance benchmark: %d IPv4 entries, %d segments (pcap, "
                  "infinite_rx), window %.0f s, 1 worker (lcore 1 on CPU 1)" %
                  (args.entries, args.segments, args.seconds))
            print("%-10s %10s %10s %10s %10s %12s" % ("run", "offered", "side rx", "side tx",
                                                     "gen rx", "rate/worker"))
            for r in (c, w):
                print("%-10s %10.3f %10.3f %10.3f %10.3f %12.3f" %
                      (r["run"], r["offered_mpps"], r["dut_rx_mpps"], r["dut_tx_mpps"],
                       r["gen_memif_rx_mpps"], r["rate_mpps"]))
            print("(Mpps; offered = generator pcap RX, side = the side under test's memif "
                  "port, gen rx = generator memif RX)")
            print()
            print("%-10s %12s %14s %8s %10s %8s" % ("entries", "ceiling Mpps",
                                                    "TIME_WAIT Mpps", "ratio", "seconds",
                                                    "workers"))
            print("%-10d %12.3f %14.3f %8.3f %10.1f %8d" % (args.entries, c["rate_mpps"],
                                                             w["rate_mpps"], ratio,
                                                             w["window_s"], 1))
            print("per worker: ceiling %.3f Mpps, TIME_WAIT %.3f Mpps, ratio %.3f "
                  "(target >= 0.8: %s)" % (c["rate_mpps"], w["rate_mpps"], ratio,
                                           "met" if ratio >= 0.8 else "NOT met"))
            print("TIME_WAIT window: rx %d, lookup_hit %d, ack_sent %d, tx %d, tx_dropped %d, "
                  "closed_rst %d" % (w["d_rx"], w["d_lookup_hit"], w["d_ack_sent"],
                                     w["d_tx"], w["d_tx_dropped"], w["d_closed_rst"]))
            print("checks: %s" % ("all passed" if ok else "FAILED: " + "; ".join(
                what for x, what in w["checks"] if not x)))
        else:
            args.stall_state = os.path.join(args.out, "state-%d-due%d.twq" %
                                            (args.entries, args.stall_due_ms))
            write_state_file(args.stall_state, args.entries, args.stall_due_ms)
            rows = []
            for sl in [int(x) for x in args.slices.split(",")]:
                log("stall run: %d entries due %d ms after load, scan_slice %d" %
                    (args.entries, args.stall_due_ms, sl))
                r = stall_run(pr, args, sl, "s%d" % sl)
                results["runs"].append(r)
                rows.append(r)
                if r["loaded"] != args.entries or r["expired"] < args.entries:
                    ok = False
            print()
            print("dpdk-twq mass expiry: %d IPv4 entries due at once, traffic flowing, "
                  "1 worker" % args.entries)
            print("%-6s %10s %12s %14s %12s %14s %14s" % (
                "slice", "holds", "max hold us", "mean hold ns", "held ms", "tx Mpps steady",
                "tx Mpps expiry"))
            for r in rows:
                f = r["final"]
                print("%-6d %10d %12.1f %14.0f %12.1f %14s %14s" % (
                    r["slice"], r["expiry_slices"], f.get("scan_max_hold_us", -1),
                    r["expiry_mean_hold_ns"] or -1, r["expiry_total_hold_ms"],
                    "%.3f" % r["tx_mpps_steady_median"] if r["tx_mpps_steady_median"]
                    else "-",
                    "%.3f" % r["tx_mpps_expiry_window"] if r["tx_mpps_expiry_window"]
                    else "-"))
            print("(max hold: scan_max_hold_us of the final stats block, worst lock hold "
                  "over the run; mean hold: holds during the expiry pass; tx Mpps: 100 ms "
                  "samples of /twq/stats tx, median before expiry and the sample "
                  "containing it)")
    except (BenchError, KeyboardInterrupt) as e:
        ok = False
        print("bench_appliance: %s" % (e or "interrupted"), file=sys.stderr)
        results["error"] = str(e)
        for p in pr.procs:
            for ext in (".out", ".err"):
                txt = pr.read(p.tag, ext)
                if txt.strip():
                    print("---- %s%s (last 1500 chars) ----\n%s" % (p.tag, ext, txt[-1500:]),
                          file=sys.stderr)
    finally:
        pr.cleanup()
        results["machine"]["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1, default=str)
        print("results: %s" % os.path.join(args.out, "results.json"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
