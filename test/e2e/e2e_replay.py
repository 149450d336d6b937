#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_replay: TIME_WAIT state + Scapy traffic -> dpdk-twq over net_pcap -> tshark.

Part A (rx_pcap): every rule of twq_input on IPv4, IPv6, VLAN and timestamped entries; each
reply's fields checked exactly; counters and /twq/lookup via dpdk-telemetry.py while the app
runs; 100 /twq/lookup calls change no counter; re-armed entry outlives an un-re-armed one;
SIGTERM -> exit 0.
Part B (rx_iface in a network namespace, live injection): an entry answers, then after 2MSL
it is gone and the same segment gets the closed-port RST.
"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, Fail, decode, check_replies  # noqa: E402
from twqstate import Entry, write_state  # noqa: E402
from segments import Flow, write_pcap, malformed_frames, U32  # noqa: E402

MSL = 4000          # 2MSL = 8000 ms in part A
SHORT = 2500        # remaining_ms of the re-arm pair
MSL_B = 2500        # part B: 2MSL = 5000 ms


def scenario():
    """(entries, frames, expected replies, expected counters, flows by name)."""
    L4, R4 = "198.18.0.1", "198.19.0.%d"
    L6, R6 = "2001:db8::1", "2001:db8:1::%x"
    f = {
        "v4": Flow(Entry(L4, 80, R4 % 10, 40010, 0x10000000, 0x20000000, 1024,
                         remaining_ms=8000)),
        "v4ts": Flow(Entry(L4, 443, R4 % 11, 40011, 0xFFFFFF00, 0x00000010, 502, True,
                           0x11223344, 0x7F000000, remaining_ms=8000)),
        "v6ts": Flow(Entry(L6, 80, R6 % 12, 40012, 3000000000, 123456789, 4000, True,
                           0xA0B0C0D0, 0x01020304, remaining_ms=8000)),
        "v6": Flow(Entry(L6, 8080, R6 % 13, 40013, 77, 88, 65535, remaining_ms=8000)),
        "vlan": Flow(Entry(L4, 80, R4 % 14, 40014, 5000, 6000, 300, remaining_ms=8000),
                     vlan=100),
        "vlan6": Flow(Entry(L6, 80, R6 % 15, 40015, 5001, 6001, 301, remaining_ms=8000),
                      vlan=200),
        "syn": Flow(Entry(L4, 80, R4 % 16, 40016, 9000, 9100, 512, remaining_ms=8000)),
        "rearm": Flow(Entry(L4, 80, R4 % 17, 40017, 100, 200, 10, remaining_ms=SHORT)),
        "norearm": Flow(Entry(L4, 80, R4 % 18, 40018, 100, 200, 10, remaining_ms=SHORT)),
    }
    # a flow with no entry (not in the state file)
    ghost = Flow(Entry(L4, 80, R4 % 99, 40099, 4242, 4343, 0))
    frames, exp = [], []
    counters = {"fin_rearm": 0, "ack_sent": 0, "dupack_ignored": 0, "rst_dropped": 0,
                "noack_dropped": 0, "syn_reopen": 0, "closed_rst": 0, "closed_drop": 0,
                "reopen": 0}

    def ack(name, pkt, what, rearm=False):
        frames.append(pkt)
        exp.append(("%s %s" % (name, what), f[name].expected_ack()))
        counters["ack_sent"] += 1
        if rearm:
            counters["fin_rearm"] += 1

    def none(name, pkt, counter):
        frames.append(pkt)
        counters[counter] += 1

    def closed(flow, pkt, what):
        frames.append(pkt)
        e = flow.expected_closed(pkt)
        if e is None:
            counters["closed_drop"] += 1
        else:
            exp.append((what, e))
            counters["closed_rst"] += 1

    for n in ("v4", "v4ts", "v6ts", "v6", "vlan", "vlan6"):
        ack(n, f[n].fin_retx(), "retransmitted FIN -> ACK", rearm=True)
        none(n, f[n].dupack(), "dupack_ignored")
        ack(n, f[n].data(), "data -> ACK")
        none(n, f[n].rst(), "rst_dropped")
    ack("v4", f["v4"].old_ack(), "old ACK -> ACK")
    none("v4", f["v4"].noack(), "noack_dropped")
    ack("v4ts", f["v4ts"].data(b"x" * 100), "more data -> ACK")
    # SYN above rcv_nxt: leaves TIME_WAIT, then the closed-port answer (RST|ACK)
    syn = f["syn"].syn_above()
    counters["syn_reopen"] += 1
    counters["reopen"] += 1
    closed(f["syn"], syn, "syn: SYN above rcv_nxt -> reopen -> closed-port RST|ACK")
    dup = f["syn"].dupack()
    closed(f["syn"], dup, "syn: ACK after reopen -> closed-port RST (seq = SEG.ACK)")
    # segments for no entry
    closed(ghost, ghost.dupack(), "no entry: ACK -> RST")
    closed(ghost, ghost.syn_above(), "no entry: SYN -> RST|ACK")
    closed(ghost, ghost.rst(), "no entry: RST -> nothing")
    closed(ghost, ghost.frame(0x19, 1000, 2000, b"fin+data"), "no entry: FIN|PSH|ACK -> RST")
    # re-arm pair: one gets a retransmitted FIN, the other nothing
    ack("rearm", f["rearm"].fin_retx(), "retransmitted FIN -> ACK", rearm=True)
    # malformed frames: counted drops, no reply
    bad = malformed_frames(f["v4"]) + malformed_frames(f["v6"]) + malformed_frames(f["vlan"])
    drops = {}
    for reason, b in bad:
        frames.append(b)
        drops["drop_" + reason] = drops.get("drop_" + reason, 0) + 1
    entries = [fl.e for fl in f.values()]
    return entries, frames, exp, counters, drops, f


def timed_lookup(tc, flow):
    """/twq/lookup of flow between two readings of the app's uptime_ms: (reply, u0, u1). An
    entry's deadline, in uptime, lies in [u0 + remaining_ms, u1 + remaining_ms].

    Time here is the app's own, read over one telemetry socket: uptime_ms counts from just
    after the state file was loaded and before the worker starts, so an entry loaded with
    remaining_ms R is due by uptime R, and one re-armed by a segment is due 2MSL after the
    worker handled it, at uptime 0 or later; a stats read that shows the segment's reply
    says by when."""
    u0 = tc.get("/twq/stats")["uptime_ms"]
    lk = tc.get("/twq/lookup," + flow.lookup_params())
    return lk, u0, tc.get("/twq/stats")["uptime_ms"]


def check_due(h, lk, u0, u1, lo, hi, what):
    """The entry of a timed_lookup() is there and due between uptime lo and hi (ms)."""
    if not h.check(lk.get("state") == "TIME_WAIT", "%s: there at uptime %d ms (%s)" %
                   (what, u0, lk.get("state"))):
        return None
    due = (u0 + lk["remaining_ms"], u1 + lk["remaining_ms"])
    h.check(due[1] >= lo and due[0] <= hi, "%s: due at uptime %d..%d ms, want %d..%d" %
            (what, due[0], due[1], lo, hi))
    return due


# Figures of the control lcore's own 2MSL scan, which runs on its own while we look.
SCAN_KEYS = ("scans", "scan_slices", "scan_mean_hold_ns", "scan_max_hold_us", "uptime_ms")


def is_rate(key):
    """A key of /twq/stats from the rates of the last closed period (app/rates.c)."""
    return key.endswith("_per_s") or key in ("period_cycles_per_pkt", "rate_period_ms",
                                              "rate_period_end_ms")


def lookups_observe_nothing(h, pfx, f):
    """100 /twq/lookup calls (entries and flows without one) change no counter of /twq/stats
    or /twq/shards: telemetry does not change what it observes."""
    tc = twqtest.TelemetryClient(pfx)
    try:
        before = (tc.get("/twq/stats"), tc.get("/twq/shards"))
        names = ["v4", "v4ts", "v6ts", "v6", "syn", "rearm", "norearm"]
        found = 0
        for i in range(100):
            lk = tc.get("/twq/lookup," + f[names[i % len(names)]].lookup_params())
            found += lk.get("state") == "TIME_WAIT"
        after = (tc.get("/twq/stats"), tc.get("/twq/shards"))
    finally:
        tc.close()
    h.check(0 < found < 100, "100 lookups, of entries and of flows without one (%d found)"
            % found)
    st0, st1 = before[0], after[0]
    # The rates are those of the last whole period (1 s) the control lcore closed: when it
    # closed another in between, they describe other time, not what the lookups did.
    rolled = st0["rate_period_end_ms"] != st1["rate_period_end_ms"]
    if rolled:
        print("a rate period ended during the lookups: the rates are not compared")
    changed = {k: (st0[k], st1.get(k)) for k in st0
               if k not in SCAN_KEYS and not (rolled and is_rate(k)) and st0[k] != st1.get(k)}
    h.eq(changed, {}, "/twq/stats counters changed by 100 /twq/lookup calls")
    h.check(st0["lookup_hit"] + st0["lookup_miss"] > 0,
            "the engine's lookup counters are live (%d hits, %d misses)" %
            (st0["lookup_hit"], st0["lookup_miss"]))
    changed = {k: (before[1]["0"][k], after[1]["0"].get(k)) for k in before[1]["0"]
               if before[1]["0"][k] != after[1]["0"].get(k)}
    h.eq(changed, {}, "/twq/shards 0 counters changed by 100 /twq/lookup calls")


def part_a(h):
    entries, frames, exp, counters, drops, f = scenario()
    state, rx, tx = h.path("a.twq"), h.path("a-rx.pcap"), h.path("a-tx.pcap")
    write_state(state, entries)
    write_pcap(rx, frames)
    pfx = h.prefix("a")
    app = h.start(h.twq_cmd(pfx, ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (rx, tx)],
                            ["--config", h.path("a.ini"), "--load", state]), "twq-a")
    n = len(frames)
    tc = twqtest.TelemetryClient(pfx)
    st = h.poll_stats(pfx, lambda s: s["rx"] >= n, what="rx == %d" % n, client=tc)
    # let the worker finish the last burst's TX
    st = h.poll_stats(pfx, lambda s: s["tx"] + s["tx_dropped"] >= len(exp), timeout=5,
                      what="tx == %d" % len(exp), client=tc)
    # The short pair first, while the un-re-armed one (due by uptime SHORT) is there.
    u_tx = st["uptime_ms"]
    lr = timed_lookup(tc, f["rearm"])
    ln = timed_lookup(tc, f["norearm"])
    print("/twq/stats: %s" % st)
    h.eq(st["rx"], n, "stats rx (frames sent)")
    h.eq(st["tx"], len(exp), "stats tx (replies)")
    h.eq(st["tx_dropped"], 0, "stats tx_dropped")
    for k, v in counters.items():
        h.eq(st[k], v, "stats " + k)
    for k, v in drops.items():
        h.eq(st.get(k), v, "stats " + k)
    h.eq(st["dropped"], sum(drops.values()), "stats dropped (malformed frames)")
    h.eq(st["restored"], len(entries), "stats restored")
    h.eq(st["load_loaded"], len(entries), "stats load_loaded")
    h.eq(st["expired"], 0, "stats expired at uptime %d ms, before any entry was due" % u_tx)
    h.eq(st["workers"], 1, "stats workers")

    # /twq/lookup of one entry with timestamps
    e = f["v4ts"].e
    lk = tc.get("/twq/lookup," + f["v4ts"].lookup_params())
    print("/twq/lookup v4ts: %s" % lk)
    h.eq(lk.get("state"), "TIME_WAIT", "lookup v4ts state")
    for k, v in (("snd_nxt", e.snd_nxt), ("rcv_nxt", e.rcv_nxt), ("last_win", e.last_win),
                 ("has_ts", 1), ("t_recent", e.t_recent), ("ts_offset", e.ts_offset),
                 ("shard", 0)):
        h.eq(lk.get(k), v, "lookup v4ts " + k)
    lk6 = tc.get("/twq/lookup," + f["v6ts"].lookup_params())
    h.eq(lk6.get("state"), "TIME_WAIT", "lookup v6ts state")
    h.eq(lk6.get("t_recent"), f["v6ts"].e.t_recent, "lookup v6ts t_recent")
    lks = tc.get("/twq/lookup," + f["syn"].lookup_params())
    h.eq(lks.get("state"), "none", "lookup of the entry a SYN reopened")

    # re-armed vs not, in the app's time (timed_lookup): the re-armed one is due 2MSL after
    # its FIN, the other by its loaded remaining_ms
    print("rearm (uptime %d..%d ms): %s\nnorearm (uptime %d..%d ms): %s" %
          (lr[1], lr[2], lr[0], ln[1], ln[2], ln[0]))
    check_due(h, *lr, 2 * MSL, u_tx + 2 * MSL, "re-armed entry, 2MSL after its FIN (handled "
              "by uptime %d ms)" % u_tx)
    due_n = check_due(h, *ln, 0, SHORT, "un-re-armed entry, by its loaded %d ms" % SHORT)
    # wait until the un-re-armed one expires: then the re-armed one must still be there
    deadline = time.monotonic() + SHORT / 1000.0 + 10
    while True:
        gone = timed_lookup(tc, f["norearm"])
        if gone[0].get("state") == "none" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    h.eq(gone[0].get("state"), "none", "un-re-armed entry expired (gone at uptime %d ms)" %
         gone[2])
    if due_n:
        h.check(gone[2] >= due_n[0], "un-re-armed entry not gone before it was due (uptime "
                "%d ms >= %d)" % (gone[2], due_n[0]))
    lr = timed_lookup(tc, f["rearm"])
    h.eq(lr[0].get("state"), "TIME_WAIT", "re-armed entry outlives it (uptime %d ms)" % lr[1])
    lookups_observe_nothing(h, pfx, f)
    st = tc.get("/twq/stats")
    # every other entry was re-armed (or reopened): due at uptime 2MSL or later
    h.check(st["uptime_ms"] < 2 * MSL, "read at uptime %d ms, before the re-armed entries "
            "were due (%d)" % (st["uptime_ms"], 2 * MSL))
    h.eq(st["expired"], 1, "stats expired == 1 (only the un-re-armed entry)")
    h.eq(st["entries"], len(entries) - 2, "stats entries (minus reopened and expired)")
    shards = tc.get("/twq/shards")
    h.eq(sorted(shards.keys()), ["0"], "/twq/shards has one shard")
    h.eq(shards["0"]["fin_rearm"], counters["fin_rearm"], "/twq/shards 0 fin_rearm")
    # The shard-lock counters: present as numbers in both, one worker's shard against the
    # totals.
    for k in ("lock_waits", "lock_yields", "lock_max_wait_us"):
        h.check(isinstance(st.get(k), int) and isinstance(shards["0"].get(k), int),
                "/twq/stats and /twq/shards have %s (%s, %s)" % (k, st.get(k),
                                                                 shards["0"].get(k)))
        # /twq/stats was read first and counters only grow
        h.check(isinstance(st.get(k), int) and st[k] <= shards["0"].get(k, -1),
                "/twq/stats %s (%s) <= /twq/shards 0 %s read after it (%s)" %
                (k, st.get(k), k, shards["0"].get(k)))
    cfg = tc.get("/twq/config")
    tc.close()
    print("/twq/config: %s" % cfg)
    h.eq(twqtest.config_value(cfg, "engine", "msl_ms"), MSL, "/twq/config engine msl_ms")
    h.eq(twqtest.config_value(cfg, "closed", "policy"), "rst", "/twq/config closed policy")
    # Every documented key, and nothing else, section by section.
    keys = {k: sorted(v) for k, v in cfg.items() if isinstance(v, dict)}
    h.eq(keys, {
        "ports": sorted(["names", "rx_desc", "tx_desc", "rss", "promiscuous"]),
        "engine": sorted(["msl_ms", "capacity", "capacity6", "rfc1337", "paws", "rfc6191",
                          "ack_limit", "ack_interval_ms", "local_prefixes"]),
        "control": sorted(["scan_interval_ms", "scan_slice", "stats_period_s", "cycles"]),
        "closed": sorted(["policy", "rst_rate", "rst_burst"]),
        "listen": sorted(["addresses", "ports", "body_file", "content_type", "mode",
                          "keepalive_requests", "capacity", "idle_ms", "fin_wait2_ms",
                          "rto_initial_ms", "rto_min_ms", "retries", "cookie_interval_ms",
                          "challenge_ack_limit", "sack"]),
        "state": sorted(["load", "save", "checkpoint_s"]),
        "replay": ["exit_idle_ms"],
    }, "/twq/config sections and keys")
    h.eq(twqtest.config_value(cfg, "engine", "rfc1337"), "on", "/twq/config engine rfc1337")

    rc, out, err = h.stop(app)
    h.eq(rc, 0, "exit status after SIGTERM")
    h.check("final statistics" in out, "final statistics printed at exit")

    # replies
    replies = decode(tx)
    check_replies(h, replies, exp, "A: ")
    # timestamps: TSval = clock + ts_offset: the same clock behind every TS reply
    clocks = []
    for r, (lab, e) in zip(replies, exp):
        if e["has_ts"] and r["tcp.options.timestamp.tsval"] is not None:
            fl = [x for x in f.values() if x.e.laddr == e["src"] and x.e.lport == e["sport"]
                  and x.e.raddr == e["dst"] and x.e.rport == e["dport"]][0]
            clocks.append((r["tcp.options.timestamp.tsval"] - fl.e.ts_offset) & U32)
    h.check(len(clocks) >= 5, "TS replies seen: %d" % len(clocks))
    if clocks:
        spread = max(clocks) - min(clocks)
        h.check(spread < 10000, "TSval - ts_offset is one clock across entries "
                "(spread %d ms, values %s)" % (spread, clocks))


def part_b(h):
    """Live injection in a netns: an entry answers, then after 2MSL it is gone."""
    ns = h.make_netns("rp")
    h.ns_run(ns, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
    h.ns_run(ns, ["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
    h.ns_run(ns, ["ip", "link", "add", "twq0", "type", "veth", "peer", "name", "peer0"])
    h.ns_run(ns, ["ip", "link", "set", "twq0", "up"])
    h.ns_run(ns, ["ip", "link", "set", "peer0", "up"])
    fl = Flow(Entry("198.18.0.1", 80, "198.19.0.50", 40050, 1111, 2222, 333,
                    remaining_ms=60000))
    state, tx = h.path("b.twq"), h.path("b-tx.pcap")
    write_state(state, [fl.e])
    pkt = fl.data()
    pfx = h.prefix("b")
    # Frames go out through one process started now: sending inside the 2MSL starts none.
    inj = h.start(["ip", "netns", "exec", ns] + twqtest.injector_cmd("peer0"), "inject",
                  stdin=subprocess.PIPE)
    app = h.start(h.twq_cmd(pfx, ["net_pcap0,rx_iface_in=twq0,tx_pcap=%s" % tx],
                            ["--config", h.path("a.ini"), "--load", state, "--msl-ms",
                             str(MSL_B)], netns=ns), "twq-b")
    tc = twqtest.TelemetryClient(pfx)
    st = h.poll_stats(pfx, lambda s: True, timeout=20, what="B: /twq/stats", client=tc)
    h.eq(st["entries"], 1, "B: entry loaded")
    due = check_due(h, *timed_lookup(tc, fl), 0, 2 * MSL_B,
                    "B: entry loaded with 60000 ms, cut to 2MSL = %d ms" % (2 * MSL_B))
    twqtest.inject(inj, [pkt])
    st = h.poll_stats(pfx, lambda s: s["rx"] >= 1 and s["tx"] >= 1, what="first reply",
                      client=tc)
    if due:
        h.check(st["uptime_ms"] < due[0], "B: segment handled by uptime %d ms, before the "
                "entry was due (%d)" % (st["uptime_ms"], due[0]))
    h.eq(st["ack_sent"], 1, "B: segment within 2MSL answered with an ACK")
    h.eq(st["expired"], 0, "B: nothing expired yet")
    st = h.poll_stats(pfx, lambda s: s["expired"] >= 1,
                      timeout=max(2 * MSL_B - st["uptime_ms"], 0) / 1000 + 10, what="expiry",
                      client=tc)
    print("B: expired by uptime %d ms (due at %s)" % (st["uptime_ms"], due))
    if due:
        h.check(st["uptime_ms"] >= due[0], "B: not expired before it was due (uptime %d ms "
                ">= %d)" % (st["uptime_ms"], due[0]))
    h.eq(st["entries"], 0, "B: no entries after 2MSL")
    lk = tc.get("/twq/lookup," + fl.lookup_params())
    h.eq(lk.get("state"), "none", "B: lookup after 2MSL")
    twqtest.inject(inj, [pkt])
    st = h.poll_stats(pfx, lambda s: s["rx"] >= 2 and s["tx"] >= 2, what="second reply",
                      client=tc)
    tc.close()
    inj.stdin.close()
    h.wait(inj, 10)
    h.eq(st["rx"], 2, "B: rx (nothing else on the veth)")
    h.eq(st["closed_rst"], 1, "B: closed_rst after 2MSL")
    h.eq(st["ack_sent"], 1, "B: no ACK from an expired entry")
    rc, out, err = h.stop(app)
    h.eq(rc, 0, "B: exit status after SIGTERM")
    replies = decode(tx)
    check_replies(h, replies, [("B: data within 2MSL -> ACK", fl.expected_ack()),
                               ("B: data after 2MSL -> closed-port RST",
                                fl.expected_closed(pkt))], "B: ")


def main():
    twqtest.need(twqtest.TSHARK, "tshark")
    twqtest.need(twqtest.TELEMETRY, "dpdk-telemetry.py")
    with Harness("replay") as h:
        with open(h.path("a.ini"), "w") as c:
            c.write("[ports]\nnames = net_pcap0\npromiscuous = on\n[engine]\nmsl_ms = %d\ncapacity = 1024\n"
                    "capacity6 = 256\n[control]\nscan_interval_ms = 20\n" % MSL)
        print("== part A: rx_pcap replay")
        part_a(h)
        print("== part B: live injection, expiry")
        part_b(h)


if __name__ == "__main__":
    main()
