#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""bench_appliance: TIME_WAIT throughput of dpdk-twq as a ratio of the I/O ceiling of the
same link, and the worker's worst stall while a full shard expires at once.

A benchmark program, not a test (not registered with meson test). Run as root with
/usr/bin/python3 (Scapy); see test/bench/README.md.

Topology (three pairs, all up for the whole run, one running at a time):

    CPU 0: the generator on net_memif0 (server): bench_gen (default; test/bench/bench_gen.c:
           pre-built segments to every entry in random order, from a ring of mbufs with
           reference counts) or, with --generator testpmd, dpdk-testpmd net_pcap0
           (rx_pcap=segs.pcap, infinite_rx) <-io-> net_memif0
    CPU 1: the side under test on net_memif0 (client):
           ceiling pair:   dpdk-testpmd --forward-mode=macswap (sends every frame back)
           A/A pair:       the same again, its own generator and link (the noise floor)
           TIME_WAIT pair: dpdk-twq --load state.twq (answers every segment with an ACK)

The pairs take turns in short windows (the pair not measured is stopped with SIGSTOP and
uses no CPU), so that both see the same machine: on a shared virtual machine the speed of
the same loop changes by a factor of two or more from one minute to the next. The rate is
what the side under test sends back per second, from its ethdev counters read through its
telemetry socket (/ethdev/stats,0) at both ends of each window; for dpdk-twq also
/twq/stats, which must show that every segment received was a TIME_WAIT hit answered with
an ACK (so the run measures TIME_WAIT work, not closed-port RSTs).

With --workers W (W > 1), dpdk-twq runs W workers with [ports] rss = off, each macswap W
forwarding lcores and queues, and bench_gen one queue and lcore per worker, sending to
queue i the segments of the entries worker i's shard holds (rte_softrss() % W, the rule of
app/rss.c); windows, checks and rates are also given per worker.

Modes:
    default   the pairs in alternating windows; prints the table
    --scaling the ceiling, A/A and TIME_WAIT pairs of 1 worker and of 2 workers in the same
              rounds; prints the scaling 2 / 1 per round beside the A/A's
    --stall   N entries that all fall due at the same moment a few seconds in, traffic
              flowing; for each --slices value, the scan's worst and mean lock hold
              (scan_max_hold_us, scan_mean_hold_ns) once they have expired
"""

import argparse
import copy
import json
import math
import os
import random
import re
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

import twqtest  # noqa: E402  (also puts test/scenarios on the path)
from twqtest import Fail, Runner, TelemetryClient, parse_final_stats, wait_for  # noqa: E402
from twqstate import Entry, crc32c, HDR_SIZE, MAGIC, REC_SIZE  # noqa: E402

# CPUs: --cpus (default 0,1); see worker_cpus()
GEN_LCORES = "0@0,1@0"       # testpmd generator: main + 1 forwarding lcore, both on CPU 0
LADDR, LPORT = "198.18.0.1", 80
U32 = 0xFFFFFFFF
# dpdk-twq's mbuf pool with one worker, one port and 1024/1024 descriptors (app/port.c:
# app_pools_create gives max(8191, ...)) and its per-lcore cache (APP_MBUF_CACHE). The
# testpmd on the ceiling side gets the same, so that only the application differs.
DUT_MBUFS, DUT_MBUF_CACHE = 8191, 256
BURST = 32                   # testpmd --burst and dpdk-twq's APP_BURST
MACSWAP_MEM = 256            # EAL -m of the ceiling side (MB): 8191 mbufs of 2.2 KB and room


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
    want = "%d %d v1 file-version-1" % (n, remaining_ms)
    if os.path.exists(path) and os.path.exists(tag) and open(tag).read() == want and \
            os.path.getsize(path) == HDR_SIZE + REC_SIZE * n + 4:
        log("state: reusing %s (%d entries, remaining_ms %d)" % (path, n, remaining_ms))
        return
    t = time.monotonic()
    # version 1 (32-byte header, CRC over header and records): still read, and what this
    # header is (twqstate.VERSION is now 2, whose header is 48 bytes)
    hdr = struct.pack("<8sIIQQ", MAGIC, 1, REC_SIZE, n, 0)   # saved 0: no time off
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
    """(for --generator testpmd; bench_gen builds its own frames, the same ones)"""
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


# --- the pairs --------------------------------------------------------------------------

def dut_eal(rn, args, pfx, vdevs, mem):
    """EAL options of the side under test: 4 KiB pages (--no-huge) by default, 2 MiB
    hugepages from hugetlbfs without files (--in-memory) with --hugepages. Every process has
    its own --file-prefix and a bounded -m, so that several runs (and other programs' DPDK
    processes) share the machine's hugepages."""
    a = rn.eal(pfx, vdevs, mem, dut_lcores(args))
    if args.hugepages:
        a[a.index("--no-huge")] = "--in-memory"
    return a


def hugepages_free():
    """(free 2 MiB pages, total) from /proc/meminfo; (0, 0) if none are configured."""
    m = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                m[k] = v.split()
    except OSError:
        return 0, 0
    if m.get("Hugepagesize", ["0"])[0] != "2048":
        return 0, 0
    return int(m.get("HugePages_Free", ["0"])[0]), int(m.get("HugePages_Total", ["0"])[0])


def check_hugepages(args):
    """--hugepages takes the 2 MiB pages already reserved (vm.nr_hugepages, hugetlbfs
    mounted); it reserves none. Without enough free pages the run falls back to 4 KiB pages
    and says so (the results say which pages were used)."""
    if not args.hugepages:
        return
    if args.scaling:
        sides = 4 * MACSWAP_MEM + args.twq_mem_of(args.entries) + args.twq_mem_of(args.entries2)
    else:
        sides = (1 + args.aa) * MACSWAP_MEM + args.twq_mem
    need = (sides + 1) // 2 + 16
    free, total = hugepages_free()
    mounted = any(l.split()[2] == "hugetlbfs" for l in open("/proc/mounts") if len(l.split()) > 2)
    if free >= need and mounted:
        log("hugepages: %d of %d 2 MiB pages free, the sides under test take up to %d "
            "(-m %d MB per macswap, %d MB in all)" % (free, total, need, MACSWAP_MEM, sides))
        return
    why = "no hugetlbfs mounted" if not mounted else \
        "%d of %d 2 MiB hugepages free, %d needed" % (free, total, need)
    log("hugepages: %s: FALLING BACK to 4 KiB pages (--no-huge); reserve pages with "
        "`echo N > /proc/sys/vm/nr_hugepages` and mount hugetlbfs (/dev/hugepages)" % why)
    print("bench_appliance: --hugepages: %s; running on 4 KiB pages instead" % why,
          file=sys.stderr)
    args.hugepages = False
    args.hugepages_fallback = why


def worker_cpus(args):
    """(generator CPU of each queue, CPU of each worker, CPU of the control lcore) from
    --cpus c0,c1,...: one worker: generator on c0, worker on c1. W workers with 2W CPUs or
    more: queue i's generator on c[i], worker i on c[W + i], each thread its own CPU. With
    fewer (this 2-vCPU machine): worker i on c[i % n], queue i's generator on c[(i + 1) % n],
    the CPU its worker is not on, so that the two run at the same time as with one worker (on
    one CPU they take turns and the worker polls an empty ring). The control lcore goes to
    the last worker's CPU unless --control-cpu says otherwise."""
    c, w = args.cpus, args.workers
    if w == 1:
        gen, wk = [c[0]], [c[1]]
    elif len(c) >= 2 * w:
        gen, wk = c[:w], c[w:2 * w]
    else:
        wk = [c[i % len(c)] for i in range(w)]
        gen = [c[(i + 1) % len(c)] for i in range(w)]
    ctl = wk[-1] if args.control_cpu is None else args.control_cpu
    return gen, wk, ctl


def dut_lcores(args):
    """Main lcore (dpdk-twq's control lcore) and the worker / forwarding lcores (worker i is
    lcore i + 1)."""
    _, wk, ctl = worker_cpus(args)
    return ",".join(["0@%d" % ctl] + ["%d@%d" % (i + 1, x) for i, x in enumerate(wk)])


def gen_lcores(args):
    """bench_gen: one lcore per queue (lcore i serves queue i)."""
    gen, _, _ = worker_cpus(args)
    return ",".join("%d@%d" % (i, x) for i, x in enumerate(gen))


def gen_is_niced(args):
    """The generator runs under nice -n 19 when --control-cpu puts the control lcore on a
    generator's CPU (--stall --control-cpu 0), so that it does not preempt the scan."""
    gen, _, ctl = worker_cpus(args)
    return args.control_cpu is not None and ctl in gen


class Pair:
    """A generator and the side under test it feeds over its own memif link."""

    def __init__(self, name, gen, gen_pfx, dut, dut_pfx, dut_cmds, dut_enter, ours=True):
        self.name = name
        self.ours = ours                    # generator: bench_gen (else testpmd pcap <-> memif)
        self.gen_cmds = ["/ethdev/stats,0", "/bench_gen/stats"] if ours else \
            ["/ethdev/stats,0", "/ethdev/stats,1"]
        self.gen, self.gen_pfx, self.dut, self.dut_pfx = gen, gen_pfx, dut, dut_pfx
        self.dut_cmds = dut_cmds            # telemetry commands read at each window end
        self.dut_enter = dut_enter          # stopped with Enter (testpmd) or SIGTERM
        self.tg = TelemetryClient(gen_pfx)
        self.td = TelemetryClient(dut_pfx, timeout=60)
        self.dut_tids = None                # the forwarding / worker lcores' threads
        self.workers = 1

    def dut_cpu_ns(self):
        """Time each forwarding / worker thread of the side under test has spent on a CPU
        (schedstat), in lcore order."""
        if not self.dut_tids:
            self.dut_tids = worker_tids(self.dut.pid)
        if not self.dut_tids:
            return None
        out = []
        for tid in self.dut_tids:
            try:
                with open("/proc/%d/task/%d/schedstat" % (self.dut.pid, tid)) as f:
                    out.append(int(f.read().split()[0]))
            except (OSError, ValueError, IndexError):
                return None
        return out

    def snapshot(self):
        """(time, {cmd: value}) for the generator and the side under test, each read close
        together; the time is the midpoint of the reads."""
        out = {}
        for who, tel, cmds in (("gen", self.tg, self.gen_cmds),
                               ("dut", self.td, self.dut_cmds)):
            t0 = time.monotonic()
            vals = {c: tel.get(c) for c in cmds}
            out[who] = ((t0 + time.monotonic()) / 2, vals)
        out["dut_cpu_ns"] = self.dut_cpu_ns()
        return out

    def check_alive(self):
        for p in (self.gen, self.dut):
            if p.poll() is not None:
                raise Fail("%s exited (status %s)" % (p.tag, p.returncode))

    def stop(self, rn):
        self.tg.close()
        self.td.close()
        rc = rn.stop(self.dut, 20, enter=self.dut_enter)[0]
        rn.stop(self.gen, 20, enter=not self.ours)
        return rc


def start_generator(rn, args, sock, tag):
    """The generator on CPU 0, the memif server: bench_gen, or dpdk-testpmd (below)."""
    if args.generator == "ours":
        return start_bench_gen(rn, args, sock, tag)
    return start_testpmd_generator(rn, args, sock, tag)


def start_bench_gen(rn, args, sock, tag):
    """bench_gen: --segments pre-built frames (default one per entry, random order) sent
    from a ring of mbufs with reference counts; what comes back is counted and freed. Its
    memory: the frames' mbufs (about 450 bytes each) and room to spare."""
    pfx = rn.prefix(tag)
    mem = 256 + args.segments * 512 // (1 << 20)
    cmd = [args.bench_gen] + rn.eal(pfx, ["net_memif0,role=server,socket=%s" % sock], mem,
                                    gen_lcores(args)) + [
        "--", "--entries", str(args.entries), "--segments", str(args.segments),
        "--payload", str(args.payload), "--seed", str(args.seed),
        "--queues", str(args.workers)]
    pre = ["stdbuf", "-oL"]
    if gen_is_niced(args):
        pre = ["nice", "-n", "19"] + pre
    p = rn.start(pre + cmd, tag)
    wait_for(lambda: "bench_gen: ready" in rn.read(tag + ".out"), 60,
             "the generator to build its frames", [p])
    return p, pfx


def start_testpmd_generator(rn, args, sock, tag):
    """dpdk-testpmd on CPU 0: port 0 net_pcap0 replays the pcap forever, port 1 the memif
    server; io forwarding both ways (what comes back from memif is dropped by net_pcap,
    which has no TX file). Under `nice` when the control lcore shares its CPU (--stall
    --control-cpu 0), so that it does not preempt the scan."""
    pfx = rn.prefix(tag)
    cmd = [args.testpmd] + rn.eal(pfx, ["net_pcap0,rx_pcap=%s,infinite_rx=1" % args.pcap,
                                        "net_memif0,role=server,socket=%s" % sock],
                                  512, GEN_LCORES) + [
        "--", "--forward-mode=io", "--auto-start", "--nb-cores=1",
        "--total-num-mbufs=32768", "--burst=%d" % BURST, "--disable-link-check"]
    pre = ["stdbuf", "-oL"]
    if gen_is_niced(args):
        pre = ["nice", "-n", "19"] + pre
    p = rn.start(pre + cmd, tag, stdin=subprocess.PIPE)
    wait_for(lambda: "Press enter to exit" in rn.read(tag + ".out"), 30,
             "the generator to forward", [p])
    return p, pfx


def memif_sock(rn, tag):
    sock = "/tmp/twq-appbench-%d-%s.sock" % (os.getpid(), tag)
    rn.files.append(sock)
    return sock


def start_ceiling(rn, args, name="ceiling", tag="macswap"):
    sock = memif_sock(rn, tag)
    gen, gen_pfx = start_generator(rn, args, sock, "gen-" + tag)
    pfx = rn.prefix(tag)
    cmd = [args.testpmd] + dut_eal(rn, args, pfx, ["net_memif0,role=client,socket=%s" % sock],
                                   MACSWAP_MEM) + [
        "--", "--forward-mode=macswap", "--auto-start", "--nb-cores=%d" % args.workers,
        "--rxq=%d" % args.workers, "--txq=%d" % args.workers,
        "--total-num-mbufs=%d" % DUT_MBUFS, "--mbcache=%d" % DUT_MBUF_CACHE,
        "--burst=%d" % BURST, "--disable-link-check"]
    dut = rn.start(["stdbuf", "-oL"] + cmd, tag, stdin=subprocess.PIPE)
    pair = Pair(name, gen, gen_pfx, dut, pfx, ["/ethdev/stats,0"], True,
                args.generator == "ours")
    pair.workers = args.workers
    wait_for(lambda: (pair.td.try_get("/ethdev/stats,0") or {}).get("ipackets", 0) > 0,
             60, "macswap to receive traffic", [gen, dut])
    return pair


def shard_capacity(args):
    """[engine] capacity (per worker): the entries with one worker; with W, a W-th of them
    and 2 % + 1024 to spare (the hash does not split them exactly)."""
    if args.workers == 1:
        return max(args.entries, 32)
    return max(32, args.entries // args.workers * 102 // 100 + 1024)


def twq_cfg(path, args, slice_):
    with open(path, "w") as f:
        f.write("; generated by bench_appliance.py\n[ports]\nnames = net_memif0\npromiscuous = on\n"
                "%s[engine]\nmsl_ms = 3600000\ncapacity = %d\ncapacity6 = 32\n"
                "[control]\nscan_slice = %d\n[closed]\npolicy = rst\n" %
                ("rss = off\n" if args.workers > 1 else "", shard_capacity(args), slice_))


def start_twq(rn, args, tag, cfg, state, ready, name="time_wait"):
    sock = memif_sock(rn, tag)
    gen, gen_pfx = start_generator(rn, args, sock, "gen-" + tag)
    pfx = rn.prefix(tag)
    cmd = [args.twq] + dut_eal(rn, args, pfx, ["net_memif0,role=client,socket=%s" % sock],
                               args.twq_mem) + [
        "--", "--config", cfg, "--load", state, "--msl-ms", "3600000",
        "--capacity", str(shard_capacity(args)), "--closed-policy", "rst"]
    dut = rn.start(cmd, tag)
    pair = Pair(name, gen, gen_pfx, dut, pfx,
                ["/ethdev/stats,0", "/twq/stats", "/twq/shards"], False,
                args.generator == "ours")
    pair.workers = args.workers
    st = wait_for(lambda: ready(pair.td.try_get("/twq/stats")), 120,
                  "%s to load its entries and receive traffic" % tag, [gen, dut])
    return pair, st


def loaded_of(rn, tag):
    m = re.search(r"state: loaded (\d+) of (\d+)", rn.read(tag + ".err"))  # rte_log: stderr
    return int(m.group(1)) if m else None


# --- throughput: alternating windows -----------------------------------------------------

def n_rounds(args):
    """--rounds, or as many windows as --seconds holds."""
    return args.rounds or max(1, int(math.ceil(args.seconds / args.window - 1e-9)))


def run_rounds(rn, args, pairs, wins):
    """Warm each pair up, then run the rounds: every round one window per pair, in an order
    drawn at random (seeded), appended to wins[pair name]. Yields (round, order) after each."""
    rounds = n_rounds(args)
    log("warm-up %.1f s per pair, then %d rounds of %.2f s windows per pair (settle %.2f s), "
        "the order of the %d pairs drawn at random each round" %
        (args.warmup, rounds, args.window, args.settle, len(pairs)))
    for p in pairs:
        window(rn, p, args.warmup, 0.1)
    order_rng = random.Random(args.seed + 1)
    for r in range(rounds):
        order = list(pairs)
        order_rng.shuffle(order)
        for p in order:
            wins[p.name].append(window(rn, p, args.settle, args.window))
        yield r, order


def window(rn, pair, settle, seconds):
    """Resume a pair, let it settle, measure a window, stop the pair again. Returns the
    counter deltas of the window."""
    rn.resume(pair.dut)
    rn.resume(pair.gen)
    time.sleep(settle)
    a = pair.snapshot()
    time.sleep(seconds)
    b = pair.snapshot()
    rn.pause(pair.gen)
    rn.pause(pair.dut)
    pair.check_alive()

    def d(who, cmd, key):
        return b[who][1][cmd][key] - a[who][1][cmd][key]

    w = {"dt": b["dut"][0] - a["dut"][0], "dt_gen": b["gen"][0] - a["gen"][0],
         "dut_rx": d("dut", "/ethdev/stats,0", "ipackets"),
         "dut_tx": d("dut", "/ethdev/stats,0", "opackets")}
    if pair.ours:
        # bench_gen: what it put into memif is what was offered; short bursts are bursts
        # memif did not take whole (ring full: the side under test is the bottleneck)
        w.update(offered=d("gen", "/ethdev/stats,0", "opackets"),
                 gen_memif_tx=d("gen", "/ethdev/stats,0", "opackets"),
                 gen_memif_rx=d("gen", "/ethdev/stats,0", "ipackets"),
                 gen_bursts=d("gen", "/bench_gen/stats", "bursts"),
                 gen_short_bursts=d("gen", "/bench_gen/stats", "short_bursts"))
    else:
        w.update(offered=d("gen", "/ethdev/stats,0", "ipackets"),
                 gen_memif_tx=d("gen", "/ethdev/stats,1", "opackets"),
                 gen_memif_rx=d("gen", "/ethdev/stats,1", "ipackets"))
    if "/twq/stats" in pair.dut_cmds:
        for k in ("rx", "tx", "tx_dropped", "lookup_hit", "lookup_miss", "ack_sent",
                  "closed_rst", "dropped"):
            w["twq_" + k] = d("dut", "/twq/stats", k)
        w["entries"] = b["dut"][1]["/twq/stats"]["entries"]
    w["rate_mpps"] = w["dut_tx"] / w["dt"] / 1e6
    # Frames per second of CPU time of the side under test's forwarding thread: the time
    # slices other processes take from it do not count (those taken from its generator do:
    # it then polls an empty ring on the CPU).
    cpu = None
    if a["dut_cpu_ns"] is not None and b["dut_cpu_ns"] is not None and \
            len(a["dut_cpu_ns"]) == len(b["dut_cpu_ns"]):
        cpu = [(y - x) / 1e9 for x, y in zip(a["dut_cpu_ns"], b["dut_cpu_ns"])]
        w["dut_cpu_s"] = sum(cpu)
        w["rate_per_cpu_mpps"] = w["dut_tx"] / w["dut_cpu_s"] / 1e6 if w["dut_cpu_s"] else 0.0
    w["per_worker"] = per_worker(pair, a, b, cpu)
    return w


def per_worker(pair, a, b, cpu):
    """The window's counters per worker / forwarding lcore (queue i is worker i's): the side
    under test's TX (dpdk-twq: /twq/shards; testpmd: the ethdev's per-queue counters), its
    engine counters (dpdk-twq), the generator's per-queue counters (bench_gen) and the
    thread's time on a CPU."""
    out = []
    n = pair.workers
    for i in range(n):
        r = {}
        if "/twq/shards" in pair.dut_cmds:
            sa, sb = a["dut"][1]["/twq/shards"][str(i)], b["dut"][1]["/twq/shards"][str(i)]
            for k in ("rx", "tx", "tx_dropped", "lookup_hit", "lookup_miss", "ack_sent",
                      "closed_rst", "dropped", "busy_cycles"):
                r["twq_" + k] = sb[k] - sa[k]
            r["dut_tx"] = r["twq_tx"]
            r["entries"] = sb["entries_v4"] + sb["entries_v6"]
        else:
            ea, eb = a["dut"][1]["/ethdev/stats,0"], b["dut"][1]["/ethdev/stats,0"]
            r["dut_tx"] = eb["q_opackets"][i] - ea["q_opackets"][i]
            r["dut_rx"] = eb["q_ipackets"][i] - ea["q_ipackets"][i]
        if pair.ours:
            ga, gb = a["gen"][1]["/bench_gen/stats"], b["gen"][1]["/bench_gen/stats"]
            for k in ("tx", "rx", "bursts", "short_bursts"):
                r["gen_" + k] = gb["q%d_%s" % (i, k)] - ga["q%d_%s" % (i, k)]
            r["gen_frames"] = gb["q%d_frames" % i]
        r["rate_mpps"] = r["dut_tx"] / (b["dut"][0] - a["dut"][0]) / 1e6
        if cpu is not None and i < len(cpu):
            r["cpu_s"] = cpu[i]
            r["rate_per_cpu_mpps"] = r["dut_tx"] / cpu[i] / 1e6 if cpu[i] else 0.0
        out.append(r)
    return out


def totals(ws):
    """Rates over all windows of a side: packets summed over time summed."""
    t, tg = sum(w["dt"] for w in ws), sum(w["dt_gen"] for w in ws)
    r = {"windows": len(ws), "seconds": round(t, 3),
         "rate_mpps": sum(w["dut_tx"] for w in ws) / t / 1e6,
         "dut_rx_mpps": sum(w["dut_rx"] for w in ws) / t / 1e6,
         "offered_mpps": sum(w["offered"] for w in ws) / tg / 1e6,
         "gen_memif_rx_mpps": sum(w["gen_memif_rx"] for w in ws) / tg / 1e6}
    if all("dut_cpu_s" in w for w in ws):
        r["dut_cpu_share"] = sum(w["dut_cpu_s"] for w in ws) / t
        r["rate_per_cpu_mpps"] = sum(w["dut_tx"] for w in ws) / \
            max(1e-9, sum(w["dut_cpu_s"] for w in ws)) / 1e6
    if "gen_bursts" in ws[0]:
        r["gen_short_burst_frac"] = (sum(w["gen_short_bursts"] for w in ws) /
                                     max(1, sum(w["gen_bursts"] for w in ws)))
    for k in ws[0]:
        if k.startswith("twq_"):
            r["d_" + k[4:]] = sum(w[k] for w in ws)
    r["per_worker"] = []
    for i in range(len(ws[0]["per_worker"])):
        pw = [w["per_worker"][i] for w in ws]
        x = {"rate_mpps": sum(p["dut_tx"] for p in pw) / t / 1e6}
        if all("cpu_s" in p for p in pw):
            x["cpu_share"] = sum(p["cpu_s"] for p in pw) / t
            x["rate_per_cpu_mpps"] = sum(p["dut_tx"] for p in pw) / \
                max(1e-9, sum(p["cpu_s"] for p in pw)) / 1e6
        for k in pw[0]:
            if k.startswith("twq_") or k.startswith("gen_") and k != "gen_frames":
                x["d_" + k] = sum(p[k] for p in pw)
        for k in ("entries", "gen_frames"):
            if k in pw[-1]:
                x[k] = pw[-1][k]
        if x.get("d_twq_rx"):
            # dpdk-twq's busy_cycles: TSC cycles from each burst received to its replies
            # sent, i.e. the hit path and the TX burst, not the RX poll; a preemption inside
            # a burst counts too (an upper bound on a loaded machine)
            x["busy_cycles_per_pkt"] = x["d_twq_busy_cycles"] / x["d_twq_rx"]
        r["per_worker"].append(x)
    return r


def throughput(rn, args, results):
    cfg = os.path.join(args.out, "twq-throughput.ini")
    twq_cfg(cfg, args, 256)
    gname = "bench_gen" if args.generator == "ours" else "testpmd io"
    log("ceiling pair: %s <-> memif <-> testpmd macswap" % gname)
    c = start_ceiling(rn, args)
    rn.pause(c.gen, c.dut)
    aa = None
    if args.aa:
        log("A/A pair: %s <-> memif <-> testpmd macswap (the same as the ceiling)" % gname)
        aa = start_ceiling(rn, args, "ceiling_b", "macswap-b")
        rn.pause(aa.gen, aa.dut)
    log("TIME_WAIT pair: %s <-> memif <-> dpdk-twq, %d entries" % (gname, args.entries))
    w, _ = start_twq(rn, args, "twq", cfg, args.state,
                     lambda s: s if s and s["rx"] > 0 and s["entries"] == args.entries else None)
    sh = w.td.get("/twq/shards")
    shard0 = [sh[str(i)]["entries_v4"] + sh[str(i)]["entries_v6"] for i in range(args.workers)]
    log("shards after the load: %s entries" % " + ".join(str(x) for x in shard0))
    rn.pause(w.gen, w.dut)
    loaded = loaded_of(rn, "twq")
    pairs = [c, w] + ([aa] if aa else [])
    wins = {p.name: [] for p in pairs}
    for r, order in run_rounds(rn, args, pairs, wins):
        last = {k: v[-1] for k, v in wins.items()}
        pc = "" if not all(v.get("rate_per_cpu_mpps") for v in last.values()) else \
            "; per CPU second %.3f / %.3f Mpps, ratio %.3f%s" % (
                last["ceiling"]["rate_per_cpu_mpps"], last["time_wait"]["rate_per_cpu_mpps"],
                last["time_wait"]["rate_per_cpu_mpps"] / last["ceiling"]["rate_per_cpu_mpps"],
                ", A/A %.3f" % (last["ceiling_b"]["rate_per_cpu_mpps"] /
                                last["ceiling"]["rate_per_cpu_mpps"]) if aa else "")
        log("  round %2d: ceiling %.3f Mpps, TIME_WAIT %.3f Mpps, ratio %.3f%s%s  (order %s)" %
            (r, last["ceiling"]["rate_mpps"], last["time_wait"]["rate_mpps"],
             last["time_wait"]["rate_mpps"] / last["ceiling"]["rate_mpps"],
             ", A/A %.3f" % (last["ceiling_b"]["rate_mpps"] / last["ceiling"]["rate_mpps"])
             if aa else "", pc, " ".join(p.name for p in order)))
    for p in pairs:
        rn.resume(p.gen, p.dut)
    c.stop(rn)
    if aa:
        aa.stop(rn)
    rc = w.stop(rn)
    fin = parse_final_stats(rn.read("twq.out"))

    ct, wt = totals(wins["ceiling"]), totals(wins["time_wait"])
    wt["loaded"], wt["twq_exit"], wt["final"] = loaded, rc, fin
    wt["entries"] = wins["time_wait"][-1]["entries"]
    pair_ratios = [b["rate_mpps"] / a["rate_mpps"] for a, b in zip(wins["ceiling"],
                                                                  wins["time_wait"])]
    aa_ratios = [b["rate_mpps"] / a["rate_mpps"] for a, b in zip(wins["ceiling"],
                                                                wins["ceiling_b"])] if aa else []
    ratio = wt["rate_mpps"] / ct["rate_mpps"] if ct["rate_mpps"] else 0.0
    results["runs"] += [dict(ct, run="ceiling", windows_detail=wins["ceiling"]),
                        dict(wt, run="time_wait", windows_detail=wins["time_wait"])]
    if aa:
        bt = totals(wins["ceiling_b"])
        results["runs"].append(dict(bt, run="ceiling_b", windows_detail=wins["ceiling_b"]))
    results["ratio"] = ratio
    results["pair_ratios"] = pair_ratios
    results["aa_ratios"] = aa_ratios
    results["ratio_quartiles"] = quartiles(pair_ratios)
    results["aa_quartiles"] = quartiles(aa_ratios) if aa else None

    def cpu_ratios(x, y):
        return [b["rate_per_cpu_mpps"] / a["rate_per_cpu_mpps"]
                for a, b in zip(wins[x], wins[y])
                if a.get("rate_per_cpu_mpps") and b.get("rate_per_cpu_mpps")]
    pc_ratios = cpu_ratios("ceiling", "time_wait")
    pc_aa = cpu_ratios("ceiling", "ceiling_b") if aa else []
    results["per_cpu_ratios"], results["per_cpu_aa_ratios"] = pc_ratios, pc_aa

    checks = twq_checks(args, wt, loaded, rc, shard0)
    wt["checks"] = checks
    for ok, what in checks:
        log("  %s %s" % ("ok  " if ok else "FAIL", what))
    ok = all(x for x, _ in checks)

    print()
    print("dpdk-twq appliance benchmark: %d IPv4 entries, %d segments (%s), "
          "%d rounds of %.2f s per side, %s, side under test on %s" %
          (args.entries, args.segments, "bench_gen, random order" if args.generator == "ours"
           else "pcap, infinite_rx", n_rounds(args), args.window,
           "1 worker (lcores %s, bench_gen %s)" % (dut_lcores(args), gen_lcores(args))
           if args.workers == 1 else
           "%d workers (lcores %s), [ports] rss = off, one memif queue pair and one bench_gen "
           "lcore per worker (lcores %s)" % (args.workers, dut_lcores(args), gen_lcores(args)),
           "2 MiB hugepages" if args.hugepages else "4 KiB pages (--no-huge)%s" %
           (", --hugepages FELL BACK: " + args.hugepages_fallback
            if args.hugepages_fallback else "")))
    print("%-10s %8s %8s %10s %10s %10s %10s" % ("side", "windows", "seconds", "offered",
                                                 "side rx", "side tx", "gen rx"))
    sides = [("ceiling", ct), ("time_wait", wt)] + ([("ceiling_b", bt)] if aa else [])
    for name, r in sides:
        print("%-10s %8d %8.1f %10.3f %10.3f %10.3f %10.3f%s%s" %
              (name, r["windows"], r["seconds"], r["offered_mpps"], r["dut_rx_mpps"],
               r["rate_mpps"], r["gen_memif_rx_mpps"],
               "   gen bursts not taken whole: %.1f %%" % (100 * r["gen_short_burst_frac"])
               if "gen_short_burst_frac" in r else "",
               "; forwarding thread%s on a CPU %.0f %% of the time%s, %.3f Mpps per CPU "
               "second" % ("s" if args.workers > 1 else "", 100 * r["dut_cpu_share"],
                           " (summed)" if args.workers > 1 else "", r["rate_per_cpu_mpps"])
               if "dut_cpu_share" in r
               else ""))
    print("(Mpps over the windows; offered = %s, side = the side under test's memif port, "
          "gen rx = generator memif RX)" % ("bench_gen memif TX" if args.generator == "ours"
                                            else "generator pcap RX"))
    q = quartiles(pair_ratios)
    print("ratio per round (TIME_WAIT / ceiling of the same round), %d rounds: median %.3f, "
          "IQR %.3f .. %.3f, min %.3f, max %.3f" % (len(pair_ratios), q[1], q[0], q[2],
                                                   min(pair_ratios), max(pair_ratios)))
    if aa:
        q = quartiles(aa_ratios)
        print("A/A control (ceiling_b / ceiling, the same macswap on both), %d rounds: median "
              "%.3f, IQR %.3f .. %.3f, min %.3f, max %.3f" %
              (len(aa_ratios), q[1], q[0], q[2], min(aa_ratios), max(aa_ratios)))
    for what, v in (("per CPU second of the forwarding thread, TIME_WAIT / ceiling", pc_ratios),
                    ("per CPU second, A/A ceiling_b / ceiling", pc_aa)):
        if v:
            q = quartiles(v)
            print("ratio %s, %d rounds: median %.3f, IQR %.3f .. %.3f, min %.3f, max %.3f" %
                  (what, len(v), q[1], q[0], q[2], min(v), max(v)))
    print()
    print("%-10s %12s %14s %8s %10s %8s" % ("entries", "ceiling Mpps", "TIME_WAIT Mpps",
                                            "ratio", "seconds", "workers"))
    print("%-10d %12.3f %14.3f %8.3f %10.1f %8d" % (args.entries, ct["rate_mpps"],
                                                     wt["rate_mpps"], ratio, wt["seconds"],
                                                     args.workers))
    print("per worker (mean of %d): ceiling %.3f Mpps, TIME_WAIT %.3f Mpps, ratio %.3f "
          "(target >= 0.8: %s)" % (args.workers, ct["rate_mpps"] / args.workers,
                                   wt["rate_mpps"] / args.workers, ratio,
                                   "met" if ratio >= 0.8 else "NOT met"))
    for name, r in sides:
        for i, x in enumerate(r["per_worker"]):
            print("  %-10s worker %d: %.3f Mpps%s%s" % (
                name, i, x["rate_mpps"],
                ", on a CPU %.0f %% of the time, %.3f Mpps per CPU second" %
                (100 * x["cpu_share"], x["rate_per_cpu_mpps"]) if "cpu_share" in x else "",
                ", gen bursts not taken whole %.1f %%" %
                (100 * x["d_gen_short_bursts"] / max(1, x["d_gen_bursts"]))
                if "d_gen_bursts" in x else ""))
    for i, x in enumerate(wt["per_worker"]):
        print("  TIME_WAIT worker %d: busy %.0f TSC cycles per packet (hit path + TX burst, "
              "preemptions inside a burst included)" % (i, x.get("busy_cycles_per_pkt", -1)))
        print("  TIME_WAIT worker %d: rx %d, lookup_hit %d, lookup_miss %d, ack_sent %d, tx %d, "
              "tx_dropped %d, closed_rst %d, entries %d%s" % (
                  i, x["d_twq_rx"], x["d_twq_lookup_hit"], x["d_twq_lookup_miss"],
                  x["d_twq_ack_sent"], x["d_twq_tx"], x["d_twq_tx_dropped"],
                  x["d_twq_closed_rst"], x["entries"],
                  ", bench_gen queue %d: %s frames" % (i, x["gen_frames"])
                  if "gen_frames" in x else ""))
    print("load average: %s at the start, %s at the end" % (
        " ".join(results["machine"]["loadavg"]), " ".join(open("/proc/loadavg").read().split()[:3])))
    print("TIME_WAIT windows: rx %d, lookup_hit %d, ack_sent %d, tx %d, tx_dropped %d, "
          "closed_rst %d" % (wt["d_rx"], wt["d_lookup_hit"], wt["d_ack_sent"], wt["d_tx"],
                             wt["d_tx_dropped"], wt["d_closed_rst"]))
    print("checks: %s" % ("all passed" if ok else "FAILED: " + "; ".join(
        what for x, what in checks if not x)))
    return ok


def twq_checks(args, wt, loaded, rc, shard0):
    """The TIME_WAIT pair's windows measured TIME_WAIT work (totals and per worker)."""
    # It must be TIME_WAIT work: every segment a hit, every hit an ACK, no RST.
    slack = 0.01 * wt["d_rx"] + 64
    checks = [
        (loaded == args.entries, "loaded %s of %d entries" % (loaded, args.entries)),
        (wt["d_rx"] > 0, "dpdk-twq received traffic in the windows (%d)" % wt["d_rx"]),
        (abs(wt["d_lookup_hit"] - wt["d_rx"]) <= slack,
         "lookup_hit ~= rx in the windows (%d vs %d)" % (wt["d_lookup_hit"], wt["d_rx"])),
        (abs(wt["d_ack_sent"] - wt["d_lookup_hit"]) <= slack,
         "ack_sent ~= lookup_hit (%d vs %d)" % (wt["d_ack_sent"], wt["d_lookup_hit"])),
        (wt["d_closed_rst"] == 0 and wt["d_lookup_miss"] == 0,
         "no miss, no closed-port RST (%d, %d)" % (wt["d_lookup_miss"], wt["d_closed_rst"])),
        (abs(wt["d_tx"] + wt["d_tx_dropped"] - wt["d_ack_sent"]) <= slack,
         "tx + tx_dropped ~= ack_sent (%d + %d vs %d)" %
         (wt["d_tx"], wt["d_tx_dropped"], wt["d_ack_sent"])),
        (wt["entries"] == args.entries, "entries still %d at the end (%d)" %
         (args.entries, wt["entries"])),
        (rc == 0, "dpdk-twq exit status %s" % rc),
    ]
    # per worker: each one's queue carried only the segments of its own shard
    for i, x in enumerate(wt["per_worker"]):
        sl = 0.01 * x["d_twq_rx"] + 64
        checks += [
            (x["d_twq_rx"] > 0, "worker %d received traffic (%d)" % (i, x["d_twq_rx"])),
            (abs(x["d_twq_lookup_hit"] - x["d_twq_rx"]) <= sl and
             abs(x["d_twq_ack_sent"] - x["d_twq_lookup_hit"]) <= sl,
             "worker %d: lookup_hit ~= rx ~= ack_sent (%d, %d, %d)" %
             (i, x["d_twq_lookup_hit"], x["d_twq_rx"], x["d_twq_ack_sent"])),
            (x["d_twq_lookup_miss"] == 0 and x["d_twq_closed_rst"] == 0,
             "worker %d: no miss, no closed-port RST (%d, %d)" %
             (i, x["d_twq_lookup_miss"], x["d_twq_closed_rst"])),
            (x["entries"] == shard0[i], "worker %d: shard entries %d at the end, %d after "
             "the load" % (i, x["entries"], shard0[i]))]
        if args.generator == "ours" and args.segments == args.entries:
            checks.append((x.get("gen_frames") == x["entries"],
                           "worker %d: bench_gen's queue %d holds one frame per entry of "
                           "shard %d (%s frames, %d entries)" %
                           (i, i, i, x.get("gen_frames"), x["entries"])))
    return checks


def quartiles(v):
    """(Q1, median, Q3), linear between order statistics (statistics' 'inclusive')."""
    if len(v) < 2:
        return (v[0], v[0], v[0]) if v else (0.0, 0.0, 0.0)
    q = statistics.quantiles(v, n=4, method="inclusive")
    return (q[0], q[1], q[2])


# --- scaling: 1 and 2 workers in the same rounds --------------------------------------------

def side_args(args, workers, entries):
    """A copy of the options for the pairs of one worker count."""
    a = copy.copy(args)
    a.workers, a.entries, a.segments = workers, entries, entries
    a.twq_mem = args.twq_mem_of(entries)
    a.state = os.path.join(args.out, "state-%d.twq" % entries)
    return a


def scaling(rn, args, results):
    """--scaling: the pairs of 1 worker (--entries) and of 2 workers (--entries2) take turns
    in the same rounds: 1 worker's ceiling, A/A and TIME_WAIT pairs, and 2 workers' (each
    macswap with 2 forwarding lcores and queues, dpdk-twq with [ports] rss = off), in an
    order drawn at random each round. Per round: each worker count's TIME_WAIT / ceiling and
    A/A, and the scaling 2 workers / 1 worker of dpdk-twq and of the macswap ceiling."""
    sides = {1: side_args(args, 1, args.entries), 2: side_args(args, 2, args.entries2)}
    pairs, tw, shard0 = [], {}, {}
    for W, a in sides.items():
        write_state_file(a.state, a.entries, 7200000)
        cfg = os.path.join(args.out, "twq-throughput-w%d.ini" % W)
        twq_cfg(cfg, a, 256)
        log("%d worker(s), %d entries: ceiling, A/A and TIME_WAIT pairs" % (W, a.entries))
        c = start_ceiling(rn, a, "ceiling_w%d" % W, "macswap-w%d" % W)
        rn.pause(c.gen, c.dut)
        b = start_ceiling(rn, a, "ceiling_b_w%d" % W, "macswap-b-w%d" % W)
        rn.pause(b.gen, b.dut)
        t, _ = start_twq(rn, a, "twq-w%d" % W, cfg, a.state,
                         lambda s, n=a.entries: s if s and s["rx"] > 0 and s["entries"] == n
                         else None, "time_wait_w%d" % W)
        sh = t.td.get("/twq/shards")
        shard0[W] = [sh[str(i)]["entries_v4"] + sh[str(i)]["entries_v6"] for i in range(W)]
        log("  shards after the load: %s entries" % " + ".join(str(x) for x in shard0[W]))
        rn.pause(t.gen, t.dut)
        pairs += [c, b, t]
        tw[W] = t
    wins = {p.name: [] for p in pairs}
    for r, order in run_rounds(rn, args, pairs, wins):
        x = {k: v[-1]["rate_mpps"] for k, v in wins.items()}
        log("  round %2d: 1 worker: ceiling %.3f, TIME_WAIT %.3f, A/A %.3f Mpps; 2 workers: "
            "ceiling %.3f, TIME_WAIT %.3f, A/A %.3f Mpps; scaling TIME_WAIT %.3f, ceiling %.3f"
            % (r, x["ceiling_w1"], x["time_wait_w1"], x["ceiling_b_w1"], x["ceiling_w2"],
               x["time_wait_w2"], x["ceiling_b_w2"], x["time_wait_w2"] / x["time_wait_w1"],
               x["ceiling_w2"] / x["ceiling_w1"]))
    for p in pairs:
        rn.resume(p.gen, p.dut)
    rcs = {}
    for p in pairs:
        rc = p.stop(rn)
        if p.name.startswith("time_wait"):
            rcs[p.name] = rc
    tot = {k: totals(v) for k, v in wins.items()}
    ok = True
    for W, a in sides.items():
        name = "time_wait_w%d" % W
        wt = tot[name]
        wt["entries"] = wins[name][-1]["entries"]
        wt["final"] = parse_final_stats(rn.read("twq-w%d.out" % W))
        checks = twq_checks(a, wt, loaded_of(rn, "twq-w%d" % W), rcs[name], shard0[W])
        for good, what in checks:
            log("  %s [%d worker(s)] %s" % ("ok  " if good else "FAIL", W, what))
            ok = ok and good
        wt["checks"] = checks
    results["runs"] += [dict(v, run=k, windows_detail=wins[k]) for k, v in tot.items()]

    def per_round(num, den, key="rate_mpps"):
        return [b[key] / a[key] for a, b in zip(wins[den], wins[num]) if a.get(key) and
                b.get(key)]
    rows = [
        ("1 worker: TIME_WAIT / ceiling", "time_wait_w1", "ceiling_w1"),
        ("1 worker: A/A ceiling_b / ceiling", "ceiling_b_w1", "ceiling_w1"),
        ("2 workers: TIME_WAIT / ceiling", "time_wait_w2", "ceiling_w2"),
        ("2 workers: A/A ceiling_b / ceiling", "ceiling_b_w2", "ceiling_w2"),
        ("scaling of dpdk-twq: TIME_WAIT 2 workers / 1 worker", "time_wait_w2", "time_wait_w1"),
        ("scaling of the ceiling: macswap 2 / 1", "ceiling_w2", "ceiling_w1"),
        ("scaling of the A/A: macswap_b 2 / 1", "ceiling_b_w2", "ceiling_b_w1"),
    ]
    results["scaling"] = {}
    print()
    print("dpdk-twq appliance benchmark, 1 and 2 workers in the same rounds: 1 worker with %d "
          "entries (lcores %s), 2 workers with %d entries (lcores %s, [ports] rss = off); "
          "%d rounds of %.2f s per pair; side under test on %s" %
          (args.entries, dut_lcores(sides[1]), args.entries2, dut_lcores(sides[2]), n_rounds(args),
           args.window, "2 MiB hugepages" if args.hugepages else "4 KiB pages (--no-huge)%s" %
           (", --hugepages FELL BACK: " + args.hugepages_fallback
            if args.hugepages_fallback else "")))
    print("%-16s %8s %8s %10s %10s %10s %9s %12s" % ("pair", "windows", "seconds", "offered",
                                                     "side tx", "gen rx", "CPU share",
                                                     "Mpps/CPU s"))
    for k, v in tot.items():
        print("%-16s %8d %8.1f %10.3f %10.3f %10.3f %8.0f%% %12.3f" % (
            k, v["windows"], v["seconds"], v["offered_mpps"], v["rate_mpps"],
            v["gen_memif_rx_mpps"], 100 * v.get("dut_cpu_share", 0),
            v.get("rate_per_cpu_mpps", 0)))
        for i, x in enumerate(v["per_worker"]):
            print("%-16s   worker %d: %.3f Mpps, on a CPU %.0f %%, %.3f Mpps per CPU second%s" % (
                "", i, x["rate_mpps"], 100 * x.get("cpu_share", 0),
                x.get("rate_per_cpu_mpps", 0),
                ", busy %.0f TSC cycles per packet" % x["busy_cycles_per_pkt"]
                if "busy_cycles_per_pkt" in x else ""))
    print("ratios per round (median, IQR, min, max) of frames per second, and of frames per "
          "CPU second of the forwarding threads (summed over a side's threads):")
    for what, num, den in rows:
        v, vc = per_round(num, den), per_round(num, den, "rate_per_cpu_mpps")
        q, qc = quartiles(v), quartiles(vc)
        results["scaling"][what] = {"per_round": v, "per_round_per_cpu": vc,
                                    "quartiles": q, "quartiles_per_cpu": qc}
        print("  %-52s %6.3f (%.3f .. %.3f) [%.3f, %.3f]   per CPU s %6.3f (%.3f .. %.3f)" % (
            what, q[1], q[0], q[2], min(v), max(v), qc[1], qc[0], qc[2]))
    for W in (1, 2):
        wt = tot["time_wait_w%d" % W]
        for i, x in enumerate(wt["per_worker"]):
            print("  TIME_WAIT %d worker(s), worker %d: rx %d, lookup_hit %d, lookup_miss %d, "
                  "ack_sent %d, tx %d, tx_dropped %d, closed_rst %d, entries %d" % (
                      W, i, x["d_twq_rx"], x["d_twq_lookup_hit"], x["d_twq_lookup_miss"],
                      x["d_twq_ack_sent"], x["d_twq_tx"], x["d_twq_tx_dropped"],
                      x["d_twq_closed_rst"], x["entries"]))
    print("load average: %s at the start, %s at the end" % (
        " ".join(results["machine"]["loadavg"]),
        " ".join(open("/proc/loadavg").read().split()[:3])))
    print("checks: %s" % ("all passed" if ok else "FAILED: " + "; ".join(
        "[%d worker(s)] %s" % (W, what) for W in (1, 2)
        for x, what in tot["time_wait_w%d" % W]["checks"] if not x)))
    return ok


# --- the mass-expiry stall ---------------------------------------------------------------

def nonvoluntary_switches(pid, tid):
    try:
        with open("/proc/%d/task/%d/status" % (pid, tid)) as f:
            m = re.search(r"^nonvoluntary_ctxt_switches:\s*(\d+)", f.read(), re.M)
        return int(m.group(1)) if m else None
    except OSError:
        return None


def worker_tids(pid):
    """The threads of a DPDK process's worker lcores (rte-worker-1, -2, ...), in lcore
    order."""
    found = {}
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
                m = re.match(r"rte-worker-(\d+)$", f.read().strip())
            if m:
                found[int(m.group(1))] = int(t)
        except OSError:
            pass
    return [found[k] for k in sorted(found)]


def worker_tid(pid):
    tids = worker_tids(pid)
    return tids[0] if tids else None


def stall_run(rn, args, slice_, tag):
    """N entries falling due together due_ms after the load, traffic flowing; the scan's
    lock holds during the mass expiry."""
    cfg = os.path.join(args.out, "twq-stall-%d.ini" % slice_)
    twq_cfg(cfg, args, slice_)
    pair, st = start_twq(rn, args, tag, cfg, args.stall_state,
                         lambda s: s if s and s["rx"] > 0 and s["entries"] == args.entries
                         else None)
    td, pid = pair.td, pair.dut.pid
    wtid = worker_tid(pid)
    loaded = loaded_of(rn, tag)
    before = st
    ctl0, wk0 = nonvoluntary_switches(pid, pid), nonvoluntary_switches(pid, wtid)
    ctl1 = wk1 = None
    samples = [(time.monotonic(), st)]
    t_start = time.monotonic()
    while True:       # sample every 100 ms until all expired
        time.sleep(0.1)
        s = td.get("/twq/stats")
        samples.append((time.monotonic(), s))
        if s["entries"] == 0 and s["expired"] >= args.entries:
            ctl1, wk1 = nonvoluntary_switches(pid, pid), nonvoluntary_switches(pid, wtid)
            break
        if s["entries"] == args.entries:
            before = s
            ctl0, wk0 = nonvoluntary_switches(pid, pid), nonvoluntary_switches(pid, wtid)
        pair.check_alive()
        if time.monotonic() - t_start > args.stall_due_ms / 1000.0 + 60:
            raise Fail("entries did not expire (last %r)" % s["entries"])
    time.sleep(1.0)
    after = td.get("/twq/stats")
    rc = pair.stop(rn)
    fin = parse_final_stats(rn.read(tag + ".out"))
    d_slices = after["scan_slices"] - before["scan_slices"]
    d_hold_ns = (after["scan_mean_hold_ns"] * after["scan_slices"] -
                 before["scan_mean_hold_ns"] * before["scan_slices"])
    # throughput of the worker per 100 ms sample: before vs. the worst during expiry
    rates = []
    for (t0, s0), (t1, s1) in zip(samples, samples[1:]):
        rates.append(((s1["tx"] - s0["tx"]) / (t1 - t0) / 1e6, s0["entries"], s1["entries"]))
    steady = [x[0] for x in rates if x[1] == x[2] == args.entries]
    during = [x[0] for x in rates if x[1] == args.entries and x[2] < args.entries]
    r = {"run": "stall", "slice": slice_, "control_cpu": worker_cpus(args)[2], "loaded": loaded,
         "twq_exit": rc, "expired": after["expired"], "entries_after": after["entries"],
         "max_hold_us_before": before["scan_max_hold_us"],
         "max_hold_us_after_telemetry": after["scan_max_hold_us"],
         "scan_mean_hold_ns_overall": after["scan_mean_hold_ns"],
         "expiry_slices": d_slices,
         "expiry_mean_hold_ns": d_hold_ns / d_slices if d_slices else None,
         "expiry_total_hold_ms": d_hold_ns / 1e6,
         "control_preempted": ctl1 - ctl0 if None not in (ctl0, ctl1) else None,
         "worker_preempted": wk1 - wk0 if None not in (wk0, wk1) else None,
         "final": fin,
         "tx_mpps_steady_median": statistics.median(steady) if steady else None,
         "tx_mpps_expiry_window": during[0] if during else None}
    log("  stall slice %d: max hold %.1f us (final block; %s us before expiry), mean hold "
        "during expiry %.0f ns over %d holds (%.1f ms held in all); worker's longest wait for "
        "its shard %.1f us (%s waits, %s yields); control lcore preempted %s times, worker %s "
        "times from the last sample before expiry to the first after" %
        (slice_, fin.get("scan_max_hold_us", -1), before["scan_max_hold_us"],
         r["expiry_mean_hold_ns"] or -1, d_slices, r["expiry_total_hold_ms"],
         fin.get("lock_max_wait_us", -1), fin.get("lock_waits"), fin.get("lock_yields"),
         r["control_preempted"], r["worker_preempted"]))
    return r


def stall(rn, args, results):
    ok = True
    rows = []
    for sl in [int(x) for x in args.slices.split(",")]:
        log("stall run: %d entries due %d ms after load, scan_slice %d, control lcore on "
            "CPU %d" % (args.entries, args.stall_due_ms, sl, worker_cpus(args)[2]))
        r = stall_run(rn, args, sl, "twq-s%d" % sl)
        rn.cleanup()
        results["runs"].append(r)
        rows.append(r)
        if r["loaded"] != args.entries or r["expired"] < args.entries:
            ok = False
    print()
    print("dpdk-twq mass expiry: %d IPv4 entries due at once, traffic flowing, 1 worker on "
          "CPU %d, control lcore on CPU %d" % (args.entries, worker_cpus(args)[1][0],
                                               worker_cpus(args)[2]))
    print("%-6s %8s %12s %14s %10s %12s %10s %14s %14s" % (
        "slice", "holds", "max hold us", "mean hold ns", "held ms", "max wait us",
        "ctl preempt", "tx Mpps steady", "tx Mpps expiry"))
    for r in rows:
        f = r["final"]
        print("%-6d %8d %12.1f %14.0f %10.1f %12.1f %10s %14s %14s" % (
            r["slice"], r["expiry_slices"], f.get("scan_max_hold_us", -1),
            r["expiry_mean_hold_ns"] or -1, r["expiry_total_hold_ms"],
            f.get("lock_max_wait_us", -1), r["control_preempted"],
            "%.3f" % r["tx_mpps_steady_median"] if r["tx_mpps_steady_median"] else "-",
            "%.3f" % r["tx_mpps_expiry_window"] if r["tx_mpps_expiry_window"] else "-"))
    print("(max hold: scan_max_hold_us of the final stats block, worst lock hold over the "
          "run; mean hold: holds during the expiry pass; max wait: lock_max_wait_us of the "
          "final stats block, the worker's longest wait for its shard (the stall); ctl "
          "preempt: involuntary context switches of the control lcore's thread across the "
          "expiry pass; tx Mpps: 100 ms "
          "samples of /twq/stats tx, median before expiry and the sample containing it)")
    return ok


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
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="timed seconds per side, in --window windows")
    ap.add_argument("--window", type=float, default=1.0, help="seconds of one window")
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds a pair runs after being resumed before a window starts")
    ap.add_argument("--out", default=None, help="directory for files, logs, results.json "
                    "(default: a new one under /tmp)")
    ap.add_argument("--stall", action="store_true", help="the mass-expiry stall mode")
    ap.add_argument("--slices", default="64,256", help="scan_slice values for --stall")
    ap.add_argument("--stall-due-ms", type=int, default=10000,
                    help="remaining_ms of every entry in --stall (all due together)")
    ap.add_argument("--control-cpu", type=int, default=None,
                    help="CPU of the side under test's main lcore (dpdk-twq's control "
                    "lcore; default the last worker's CPU); on a generator's CPU it also "
                    "runs the generator under nice -n 19")
    ap.add_argument("--cpus", default="0,1",
                    help="CPUs to use, comma-separated (default 0,1): one worker: generator "
                    "on the first, worker on the second; W workers and 2W CPUs or more: the "
                    "queues' generators on the first W, the workers on the next W; fewer: "
                    "worker i on CPU i %% n, queue i's generator on the next")
    ap.add_argument("--segments", type=int, default=None,
                    help="distinct segments (default: one per entry with bench_gen, 4096 "
                    "in the pcap of --generator testpmd)")
    ap.add_argument("--generator", choices=("ours", "testpmd"), default="ours",
                    help="ours: bench_gen (pre-built frames, refcounted, random order over "
                    "all entries); testpmd: the pcap replay of before")
    ap.add_argument("--bench-gen", default=None,
                    help="path to bench_gen (default: test/bench/bench_gen of the build "
                    "that --twq is in)")
    ap.add_argument("--rounds", type=int, default=0,
                    help="rounds (default --seconds / --window)")
    ap.add_argument("--no-aa", dest="aa", action="store_false",
                    help="no A/A pair (a second macswap ceiling pair)")
    ap.add_argument("--payload", type=int, default=16)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--twq-mem", type=int, default=None,
                    help="EAL -m of dpdk-twq (MB; default 256 + 128 bytes per entry)")
    ap.add_argument("--hugepages", action="store_true",
                    help="run the side under test (dpdk-twq and both macswaps) on 2 MiB "
                    "hugepages already reserved (vm.nr_hugepages, hugetlbfs mounted; "
                    "--in-memory, bounded -m, own --file-prefix) instead of --no-huge; falls "
                    "back to 4 KiB pages, saying so, if too few are free")
    ap.add_argument("--workers", type=int, default=1, choices=range(1, 9), metavar="W",
                    help="workers of dpdk-twq (and forwarding lcores / queues of each "
                    "macswap and of bench_gen): W > 1 runs [ports] rss = off, bench_gen "
                    "sending each worker's queue the segments of the entries its shard holds")
    ap.add_argument("--scaling", action="store_true",
                    help="1 worker (--entries) and 2 workers (--entries2) in the same "
                    "rounds: 6 pairs (ceiling, A/A, TIME_WAIT for each), the scaling 2 / 1 "
                    "per round")
    ap.add_argument("--entries2", type=int, default=None,
                    help="entries of the 2-worker pairs with --scaling (default --entries)")
    ap.add_argument("--testpmd", default=twqtest.TESTPMD or "/usr/bin/dpdk-testpmd")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.twq = os.path.abspath(args.twq)
    if args.segments is None:
        args.segments = args.entries if args.generator == "ours" else 4096
    mem_given = args.twq_mem
    args.twq_mem_of = lambda n: mem_given or 256 + (n * 128 + (1 << 20) - 1) // (1 << 20)
    args.twq_mem = args.twq_mem_of(args.entries)
    if args.entries2 is None:
        args.entries2 = args.entries
    if args.scaling and (args.generator != "ours" or args.stall or args.workers != 1):
        print("bench_appliance: --scaling needs bench_gen (--generator ours), the throughput "
              "mode (not --stall) and no --workers", file=sys.stderr)
        return 2
    args.hugepages_fallback = None
    try:
        args.cpus = [int(x) for x in args.cpus.split(",")]
    except ValueError:
        args.cpus = []
    if len(args.cpus) < 2 or any(c < 0 or c >= os.cpu_count() for c in args.cpus):
        print("bench_appliance: --cpus wants two or more CPU numbers below %d (got %r)" %
              (os.cpu_count(), args.cpus), file=sys.stderr)
        return 2
    if args.workers > 1 and (args.generator != "ours" or args.stall):
        print("bench_appliance: --workers > 1 needs bench_gen (--generator ours) and the "
              "throughput mode (not --stall)", file=sys.stderr)
        return 2
    if args.bench_gen is None:
        args.bench_gen = os.path.join(os.path.dirname(os.path.dirname(args.twq)), "test",
                                      "bench", "bench_gen")
    args.bench_gen = os.path.abspath(args.bench_gen)
    need = [(args.twq, "dpdk-twq"), (args.testpmd, "dpdk-testpmd")]
    if args.generator == "ours":
        need.append((args.bench_gen, "bench_gen (--bench-gen)"))
    for path, what in need:
        if not os.access(path, os.X_OK):
            print("bench_appliance: %s not found or not executable: %s" % (what, path),
                  file=sys.stderr)
            return 2
    if args.entries < 1 or args.seconds <= 0 or args.window <= 0 or args.settle < 0:
        print("bench_appliance: --entries, --seconds and --window must be positive",
              file=sys.stderr)
        return 2
    args.out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="twq-appbench-"))
    os.makedirs(args.out, exist_ok=True)

    def on_signal(sig, frame):
        raise KeyboardInterrupt("signal %d" % sig)
    signal.signal(signal.SIGTERM, on_signal)

    rn = Runner(args.out, "twq-appbench", say=log)
    results = {"args": {k: v for k, v in vars(args).items()}, "machine": machine(),
               "runs": []}
    ok = False
    try:
        check_hugepages(args)
        results["args"]["hugepages_used"] = args.hugepages
        if args.generator == "testpmd":
            args.pcap = os.path.join(args.out, "segs.pcap")
            write_segments(args.pcap, args.entries, args.segments, args.payload, args.seed)
        if args.scaling:
            ok = scaling(rn, args, results)
        elif not args.stall:
            args.state = os.path.join(args.out, "state-%d.twq" % args.entries)
            write_state_file(args.state, args.entries, 7200000)    # cut to 2MSL on load
            ok = throughput(rn, args, results)
        else:
            args.stall_state = os.path.join(args.out, "state-%d-due%d.twq" %
                                            (args.entries, args.stall_due_ms))
            write_state_file(args.stall_state, args.entries, args.stall_due_ms)
            ok = stall(rn, args, results)
    except (Fail, KeyboardInterrupt) as e:
        ok = False
        print("bench_appliance: %s" % (e or "interrupted"), file=sys.stderr)
        results["error"] = str(e)
        print(rn.log_tails(1500), file=sys.stderr)
    finally:
        rn.cleanup()
        results["machine"]["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1, default=str)
        print("results: %s" % os.path.join(args.out, "results.json"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
