#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_ops: what an operator sees (issue 12).

  - `-- --version` (and `--version` alone) answers without EAL: meson's project version and
    the DPDK version (pkg-config libdpdk), exit 0; the start banner has both.
  - `--ports` overrides `[ports] names`: a file naming a port that does not exist runs with
    `--ports net_pcap0`, and a file naming net_pcap0 fails with `--ports net_pcap7`.
  - rte_log: the drop of a malformed frame is logged at DEBUG with
    `--log-level twq.app:debug`, and not without it; each port's link state is logged at
    start.
  - rates: with net_pcap replaying forever (infinite_rx) frames that all get a closed-port
    RST, /twq/stats's tx_per_s and closed_rst_per_s equal rx_per_s (one window), and
    rx_per_s is the counters' own delta over time within a factor; cycles_per_pkt > 0 after
    traffic, and 0 with `--cycles off`.
  - /twq/ages: each loaded entry in the bucket its remaining time gives, sums == entries.
  - /twq/entries: filters return exactly the matching loaded entries, pages of limit=2 with
    the cursor visit every entry once, malformed parameters give an error dict.
  - link changes: on net_tap (link-status interrupts), the kernel side set down and up again
    inside the test's namespace gives a "Link down" and then a "Link up" line while running.
"""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, TelemetryClient  # noqa: E402
from twqstate import Entry, write_state  # noqa: E402
from segments import Flow, write_pcap, malformed_frames  # noqa: E402
from tapnet import TapNet  # noqa: E402

TOP = os.path.dirname(os.path.dirname(twqtest.HERE))
MSL = 200000


def project_version():
    with open(os.path.join(TOP, "meson.build")) as f:
        m = re.search(r"version:\s*'([^']+)'", f.read())
    return m.group(1)


def check_version(h):
    want = "dpdk-twq %s (DPDK %s" % (project_version(), subprocess.run(
        ["pkg-config", "--modversion", "libdpdk"], capture_output=True,
        text=True).stdout.strip())
    for args in (["--", "--version"], ["--version"], ["--no-huge", "-m", "1", "--", "--version"]):
        rc, out, err = h.run([h.app] + args, "version", timeout=10)
        h.eq(rc, 0, "%s: exit status" % " ".join(args))
        h.check(out.startswith(want), "%s prints %r: %r" % (" ".join(args), want, out.strip()))
        h.check("EAL" not in out + err, "%s starts no EAL" % " ".join(args))


def ini(h, name, port):
    p = h.path(name)
    with open(p, "w") as c:
        # promiscuous: the frames are for the TIME_WAIT path, not for app/l2.c's addresses;
        # rst_rate 0: every closed-port segment gets its RST (tx == rx in check_rates)
        c.write("[ports]\nnames = %s\npromiscuous = on\n[engine]\nmsl_ms = %d\ncapacity = 64\n"
                "capacity6 = 64\n[closed]\nrst_rate = 0\n" % (port, MSL))
    return p


def check_ports_and_log(h):
    flow = Flow(Entry("198.18.5.1", 80, "198.19.5.1", 40000, 1000, 2000, 512,
                      remaining_ms=60000))
    rx = h.path("bad.pcap")
    write_pcap(rx, [f for _, f in malformed_frames(flow)])
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (rx, h.path("bad-tx.pcap"))
    base = ["--replay-exit"]
    # the file names a port that does not exist; --ports picks the real one
    rc, out, err = h.run(h.twq_cmd(h.prefix("ports"), [vdev],
                                   ["--config", ini(h, "p9.ini", "net_pcap9"), "--ports",
                                    "net_pcap0"] + base), "ports", timeout=30)
    h.eq(rc, 0, "--ports net_pcap0 over a file naming net_pcap9: exit status")
    h.check("TWQ: port 0 net_pcap0: Link up" in err, "link state of net_pcap0 logged at start")
    banner = [l for l in err.splitlines() if "TWQ: dpdk-twq %s on DPDK" % project_version() in l]
    h.check(bool(banner), "start banner has both versions: %r" % banner[:1])
    h.check("TWQ: drop:" not in err, "no DEBUG drop line at the default level")
    st = twqtest.parse_final_stats(out)
    h.eq(st.get("dropped"), len(malformed_frames(flow)), "malformed frames dropped")
    # the file names the real port; --ports names one that does not exist
    rc, out, err = h.run(h.twq_cmd(h.prefix("ports7"), [vdev],
                                   ["--config", ini(h, "p0.ini", "net_pcap0"), "--ports",
                                    "net_pcap7"] + base), "ports7", timeout=30)
    h.eq(rc, 1, "--ports net_pcap7 over a file naming net_pcap0: exit status")
    h.check("no port named net_pcap7" in err, "message names the port of --ports")
    # the same run at twq.app:debug: one line per dropped frame, with its reason
    cmd = h.twq_cmd(h.prefix("debug"), [vdev], ["--config", ini(h, "p0.ini", "net_pcap0")] +
                    base)
    cmd.insert(cmd.index("--"), "--log-level=twq.app:debug")
    rc, out, err = h.run(cmd, "debug", timeout=30)
    h.eq(rc, 0, "--log-level twq.app:debug: exit status")
    lines = [l for l in err.splitlines() if l.startswith("TWQ: drop:")]
    want = sorted(r for r, _ in malformed_frames(flow))
    h.eq(sorted(l.split()[2] for l in lines), want, "one DEBUG drop line per frame, by reason")


def entries():
    # remaining times mid-bucket, several seconds from any bound
    rem = [15000, 40000, 40000, 55000, 100000, 200000, 300000, 300000]
    es = []
    for i, r in enumerate(rem):
        if i % 3 == 2:
            es.append(Entry("2001:db8::5", 443 if i % 2 else 80, "2001:db8:5::%x" % (i + 1),
                            41000 + i, 1000 + i, 2000 + i, 512, remaining_ms=r))
        else:
            es.append(Entry("198.18.5.%d" % (1 + i % 2), 80 if i % 2 else 443,
                            "198.19.5.%d" % (i + 1), 41000 + i, 1000 + i, 2000 + i, 512,
                            remaining_ms=r))
    return es


BOUNDS = [100, 1000, 5000, 10000, 20000, 30000, 45000, 60000, 120000, 240000]


def bucket(ms):
    for b in BOUNDS:
        if ms <= b:
            return "le_%d" % b
    return "gt_%d" % BOUNDS[-1]


def key(d):
    return (d["laddr"], d["lport"], d["raddr"], d["rport"])


def check_views(h, tc, es):
    ages = tc.get("/twq/ages")
    want = {}
    for e in es:
        want[bucket(e.remaining_ms)] = want.get(bucket(e.remaining_ms), 0) + 1
    got = {k: v for k, v in ages["all"].items() if k != "entries" and v}
    h.eq(got, want, "/twq/ages all: each entry in its bucket")
    h.eq(ages["all"]["entries"], len(es), "/twq/ages sums to the entries loaded")
    st = tc.get("/twq/stats")
    h.eq(ages["all"]["entries"], st["entries"], "/twq/ages sums to /twq/stats entries")
    h.eq(sum(v for k, v in ages["0"].items() if k != "entries"), ages["0"]["entries"],
         "/twq/ages shard 0 sums to its entries")

    every = {(e.laddr, e.lport, e.raddr, e.rport): e for e in es}
    for flt, sel in (("raddr=198.19.5.4", lambda e: e.raddr == "198.19.5.4"),
                     ("laddr=198.18.5.1", lambda e: e.laddr == "198.18.5.1"),
                     ("addr=2001:db8::5", lambda e: "2001:db8::5" in (e.laddr, e.raddr)),
                     ("port=443", lambda e: 443 in (e.lport, e.rport)),
                     ("lport=80,laddr=198.18.5.2", lambda e: e.lport == 80 and
                      e.laddr == "198.18.5.2"),
                     ("rport=41004", lambda e: e.rport == 41004),
                     ("", lambda e: True)):
        r = tc.get("/twq/entries," + flt if flt else "/twq/entries")
        got = sorted(key(d) for d in r.get("entries", {}).values())
        exp = sorted(k for k, e in every.items() if sel(e))
        h.eq(got, exp, "/twq/entries,%s: exactly the matching entries" % flt)
        h.eq((r.get("count"), r.get("done")), (len(exp), 1), "/twq/entries,%s count, done" % flt)
    for d in tc.get("/twq/entries,raddr=198.19.5.1")["entries"].values():
        h.check(abs(d["remaining_ms"] - every[key(d)].remaining_ms) < 20000,
                "remaining_ms near the loaded value (%d, %d)" %
                (d["remaining_ms"], every[key(d)].remaining_ms))
    seen, cursor, pages = [], None, 0
    while pages < 20:
        r = tc.get("/twq/entries,limit=2" + (",cursor=" + cursor if cursor else ""))
        seen += [key(d) for d in r["entries"].values()]
        pages += 1
        h.check(len(r["entries"]) <= 2, "page %d holds at most limit=2 entries" % pages)
        if r["done"]:
            break
        cursor = r["next"]
    h.eq(sorted(seen), sorted(every), "pages of 2 with the cursor: every entry exactly once")
    for bad, word in (("raddr=300.1.2.3", "raddr"), ("port=70000", "port"),
                      ("limit=65", "limit"), ("cursor=x", "cursor"), ("colour=red", "colour"),
                      ("raddr", "key=value"), ("cursor=9.0", "shard")):
        r = tc.get("/twq/entries," + bad)
        h.check(word in r.get("error", "") and "expected" in r,
                "/twq/entries,%s: error dict naming %s: %r" % (bad, word, r))
    r = tc.get("/twq/ages,1")
    h.check("error" in r and "expected" in r, "/twq/ages,1: error dict: %r" % r)


def check_rates(h, es):
    # segments of flows without an entry: each gets a closed-port RST (tx == rx)
    fl = [Flow(Entry("198.18.6.1", 80, "198.19.6.%d" % i, 42000 + i, 1, 2, 512))
          for i in range(1, 9)]
    rx = h.path("loop.pcap")
    write_pcap(rx, [f.data() for f in fl])
    state = h.path("s.twq")
    write_state(state, es)
    results = {}
    for cyc in ("on", "off"):
        pfx = h.prefix("rates-" + cyc)
        vdev = "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % rx
        p = h.start(h.twq_cmd(pfx, [vdev], ["--config", ini(h, "r.ini", "net_pcap0"),
                                            "--load", state, "--cycles", cyc]),
                    "rates-" + cyc)
        tc = TelemetryClient(pfx)
        twqtest.wait_for(lambda: (tc.try_get("/twq/stats") or {}).get("rate_period_ms", 0) > 0
                         and tc.get("/twq/stats")["rx_per_s"] > 0, 20, "a rate period",
                         [p])
        a = tc.get("/twq/stats")
        time.sleep(3)
        b = tc.get("/twq/stats")
        avg = (b["rx"] - a["rx"]) * 1000.0 / max(1, b["uptime_ms"] - a["uptime_ms"])
        results[cyc] = b
        if cyc == "on":
            h.check(900 <= b["rate_period_ms"] <= 1500, "rate period about 1 s (%d ms)" %
                    b["rate_period_ms"])
            h.check(b["rx_per_s"] > 0 and abs(b["tx_per_s"] - b["rx_per_s"]) <=
                    0.02 * b["rx_per_s"] + 2, "tx_per_s (%d) == rx_per_s (%d): every frame "
                    "answered" % (b["tx_per_s"], b["rx_per_s"]))
            h.check(abs(b["closed_rst_per_s"] - b["rx_per_s"]) <= 0.02 * b["rx_per_s"] + 2,
                    "closed_rst_per_s (%d) == rx_per_s" % b["closed_rst_per_s"])
            h.check(avg / 3 <= b["rx_per_s"] <= avg * 3, "rx_per_s %d within 3x of the "
                    "counters' delta over 3 s (%.0f/s)" % (b["rx_per_s"], avg))
            h.eq(b["ack_sent_per_s"], 0, "no ACK rate (no entry hit)")
            h.check(b["cycles_per_pkt"] > 0 and b["busy_cycles"] > 0,
                    "cycles_per_pkt %d > 0 after traffic" % b["cycles_per_pkt"])
            h.check(b["period_cycles_per_pkt"] > 0, "period_cycles_per_pkt %d > 0" %
                    b["period_cycles_per_pkt"])
            sh = tc.get("/twq/shards")["0"]
            h.check(sh["cycles_per_pkt"] > 0, "/twq/shards 0 cycles_per_pkt > 0")
            check_views(h, tc, es)
        else:
            h.check(b["rx"] > 0, "--cycles off: traffic (%d)" % b["rx"])
            h.eq((b["busy_cycles"], b["cycles_per_pkt"]), (0, 0), "--cycles off: no cycles")
        tc.close()
        rc, out, err = h.stop(p)
        h.eq(rc, 0, "cycles %s: exit status after SIGTERM" % cyc)
        st = twqtest.parse_final_stats(out)
        h.check(st.get("rx_per_s", 0) > 0 and st.get("period_s", 0) > 0,
                "final stats block shows rates (rx_per_s %s over %s s)" %
                (st.get("rx_per_s"), st.get("period_s")))


def check_link(h):
    p = h.path("tap.ini")
    with open(p, "w") as c:
        c.write("[ports]\nnames = net_tap0\n[engine]\ncapacity = 64\ncapacity6 = 64\n")
    net = TapNet(h, "lnk")
    app = net.start_twq(["--config", p], tag="link")
    net.wait_up()

    def lines():
        return [l for l in h.read("link.err").splitlines() if "TWQ: port 0 net_tap0: Link" in l]

    twqtest.wait_for(lambda: lines() and "Link up" in lines()[-1], 10, "a Link up line", [app])
    h.check("changes by interrupt, polled every second" in lines()[0],
            "start line says net_tap interrupts: %r" % lines()[0])
    n = len(lines())
    net.ip("link", "set", net.iface, "down")
    twqtest.wait_for(lambda: len(lines()) > n and "Link down" in lines()[-1], 10,
                     "a Link down line after ip link set down", [app])
    n = len(lines())
    net.ip("link", "set", net.iface, "up")
    twqtest.wait_for(lambda: len(lines()) > n and "Link up" in lines()[-1], 10,
                     "a Link up line after ip link set up", [app])
    print("\n".join(lines()))
    h.check(True, "link changes logged while running: down, then up")
    rc, out, err = h.stop(app)
    h.eq(rc, 0, "net_tap run: exit status after SIGTERM")


def main():
    with Harness("ops") as h:
        check_version(h)
        check_ports_and_log(h)
        check_rates(h, entries())
        check_link(h)


if __name__ == "__main__":
    main()
