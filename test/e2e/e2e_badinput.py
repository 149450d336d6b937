#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_badinput: bad configuration, options, ports, memory and files are refused with a
message naming the problem (non-zero exit, never a crash); malformed frames are counted drops
that get no reply.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, decode, parse_final_stats  # noqa: E402
from twqstate import Entry, write_state  # noqa: E402
from segments import Flow, write_pcap, malformed_frames  # noqa: E402

BASE = {
    # promiscuous: the malformed frames are for tcpseg_parse() to count, not for app/l2.c
    "ports": [("names", "net_pcap0"), ("promiscuous", "on")],
    "engine": [("msl_ms", "1000"), ("capacity", "64"), ("capacity6", "64")],
}


def ini(sections):
    out = []
    for sec, kvs in sections.items():
        out.append("[%s]" % sec)
        out += ["%s = %s" % kv for kv in kvs]
    return "\n".join(out) + "\n"


def with_key(section, key, value):
    s = {k: list(v) for k, v in BASE.items()}
    s.setdefault(section, [])
    s[section] = [kv for kv in s[section] if kv[0] != key] + [(key, value)]
    return s


# (name, config sections, extra options, EAL memory MB, words stderr must contain, exit)
CONFIG_CASES = [
    ("unknown key", with_key("engine", "bogus_key", "1"), [], 64, ["bogus_key", "[engine]"], 1),
    ("unknown section", dict(BASE, nosuch=[("x", "1")]), [], 64, ["[nosuch]"], 1),
    ("msl 0", with_key("engine", "msl_ms", "0"), [], 64, ["[engine] msl_ms = 0"], 1),
    ("msl too big", with_key("engine", "msl_ms", "99999999999"), [], 64,
     ["[engine] msl_ms = 99999999999"], 1),
    ("capacity below floor", with_key("engine", "capacity", "5"), [], 64,
     ["[engine] capacity = 5"], 1),
    ("capacity not a number", with_key("engine", "capacity6", "lots"), [], 64,
     ["[engine] capacity6 = lots"], 1),
    ("rx_desc out of range", with_key("ports", "rx_desc", "7"), [], 64,
     ["[ports] rx_desc = 7"], 1),
    ("bad bool", with_key("engine", "paws", "maybe"), [], 64, ["[engine] paws = maybe"], 1),
    ("bad rss", with_key("ports", "rss", "maybe"), [], 64,
     ["[ports] rss = maybe", "on or off"], 1),
    ("option --rss", BASE, ["--rss", "maybe"], 64,
     ["option --rss", "[ports] rss = maybe", "on or off"], 2),
    ("prefix length", with_key("engine", "local_prefixes", "198.18.0.0/33"), [], 64,
     ["[engine] local_prefixes = 198.18.0.0/33"], 1),
    ("prefix address", with_key("engine", "local_prefixes", "198.18.0.300/24"), [], 64,
     ["[engine] local_prefixes = 198.18.0.300/24"], 1),
    ("prefix without length", with_key("engine", "local_prefixes", "2001:db8::"), [], 64,
     ["[engine] local_prefixes = 2001:db8::"], 1),
    ("bad policy", with_key("closed", "policy", "reject"), [], 64,
     ["[closed] policy = reject"], 1),
    ("ack_limit out of range", with_key("engine", "ack_limit", "1000"), [], 64,
     ["[engine] ack_limit = 1000"], 1),
    ("key given twice", dict(BASE, engine=BASE["engine"] + [("msl_ms", "2000")]), [], 64,
     ["msl_ms"], 1),
    ("option --closed-policy", BASE, ["--closed-policy", "bogus"], 64,
     ["--closed-policy", "bogus"], 2),
    ("option --msl-ms", BASE, ["--msl-ms", "-5"], 64, ["--msl-ms", "-5"], 2),
    ("unknown option", BASE, ["--frobnicate"], 64, ["--frobnicate"], 2),
    ("unknown port", with_key("ports", "names", "net_pcap7"), [], 64, ["net_pcap7"], 1),
    ("too little memory", BASE, ["--capacity", "268435456"], 64,
     ["not enough memory", "capacity"], 1),
    ("missing --load file", BASE, ["--load", "@TMP@/no-such-state.twq"], 64,
     ["@TMP@/no-such-state.twq"], 1),
    ("missing --config file", None, [], 64, ["@TMP@/no-such.ini"], 1),
    ("bad address", with_key("listen", "addresses", "198.18.0.300"), [], 64,
     ["[listen] addresses", "198.18.0.300", "not an IPv4 or IPv6 address"], 1),
    ("multicast address", with_key("listen", "addresses", "198.18.0.2, ff02::1"), [], 64,
     ["[listen] addresses", "ff02::1", "not a unicast IPv6 address"], 1),
    ("bad listen port", with_key("listen", "ports", "80, 0"), [], 64,
     ["[listen] ports = 80, 0", "not a port from 1 to 65535"], 1),
    ("listen port twice", with_key("listen", "ports", "80 80"), [], 64,
     ["[listen] ports = 80 80", "listed twice"], 1),
    ("ports without body_file", with_key("listen", "ports", "80"), [], 64,
     ["[listen] ports = 80", "needs [listen] body_file"], 1),
    ("missing body_file", dict(BASE, listen=[("ports", "80"), ("addresses", "198.18.0.2"),
                                             ("body_file", "/nonexistent/no-such-body")]), [], 64,
     ["body_file /nonexistent/no-such-body", "No such file"], 1),
    ("bad mode", with_key("listen", "mode", "ftp"), [], 64,
     ["[listen] mode = ftp", "http or raw"], 1),
    ("bad rst_rate", with_key("closed", "rst_rate", "-1"), [], 64,
     ["[closed] rst_rate = -1"], 1),
]


def main():
    twqtest.need(twqtest.TSHARK, "tshark")
    with Harness("badinput") as h:
        rx = h.path("one.pcap")
        fl = Flow(Entry("198.18.2.1", 80, "198.19.2.1", 42001, 1, 2, 3))
        write_pcap(rx, [fl.data()])
        for i, (name, sections, opts, mem, words, want_rc) in enumerate(CONFIG_CASES):
            cfg = h.path("case%d.ini" % i)
            if sections is None:
                cfg = h.path("no-such.ini")
            else:
                with open(cfg, "w") as f:
                    f.write(ini(sections))
            opts = [o.replace("@TMP@", h.tmp) for o in opts]
            words = [w.replace("@TMP@", h.tmp) for w in words]
            tag = "case%d" % i
            tx = h.path(tag + "-tx.pcap")
            rc, out, err = h.run(h.twq_cmd(h.prefix(tag), ["net_pcap0,rx_pcap=%s,tx_pcap=%s"
                                                            % (rx, tx)],
                                           ["--config", cfg, "--replay-exit"] + opts, mem=mem),
                                 tag, timeout=30)
            crash = rc < 0 or rc >= 128 or "Segmentation" in err or "Aborted" in err
            msg = [l for l in err.splitlines() if all(w in l for w in words)]
            h.check(rc == want_rc and not crash and msg,
                    "%s: exit %d (want %d), stderr line naming %s: %r" %
                    (name, rc, want_rc, words, msg[0] if msg else err.strip()[-400:]))

        print("== malformed frames: counted drops, no reply")
        fls = [Flow(Entry("198.18.2.1", 80, "198.19.2.2", 42002, 10, 20, 30)),
               Flow(Entry("2001:db8::7", 80, "2001:db8:3::1", 42003, 10, 20, 30)),
               Flow(Entry("198.18.2.1", 80, "198.19.2.3", 42004, 10, 20, 30), vlan=9)]
        state = h.path("m.twq")
        write_state(state, [f.e for f in fls])
        frames, drops = [], {}
        for f in fls:
            for reason, b in malformed_frames(f):
                frames.append(b)
                drops[reason] = drops.get(reason, 0) + 1
        # a frame that is not IP and one with three VLAN tags
        frames.append(bytes.fromhex("020000000001020000000002" "0806") + bytes(46))
        drops["not_ip"] = 1
        b = bytes(fls[0].dupack(ts=False))
        frames.append(b[:12] + bytes.fromhex("8100000181000002810000030800") + b[14:])
        drops["vlan_depth"] = 1
        rxm, txm = h.path("malformed.pcap"), h.path("malformed-tx.pcap")
        write_pcap(rxm, frames)
        with open(h.path("m.ini"), "w") as f:
            f.write(ini(BASE))
        rc, out, err = h.run(h.twq_cmd(h.prefix("mal"), ["net_pcap0,rx_pcap=%s,tx_pcap=%s" %
                                                          (rxm, txm)],
                                       ["--config", h.path("m.ini"), "--load", state,
                                        "--replay-exit"]), "malformed", timeout=30)
        h.eq(rc, 0, "malformed replay exit status")
        st = parse_final_stats(out)
        print("final stats: %s" % st)
        h.eq(st.get("rx"), len(frames), "malformed: rx")
        h.eq(st.get("tx"), 0, "malformed: tx (no reply)")
        for reason, n in sorted(drops.items()):
            h.eq(st.get("drop_" + reason), n, "malformed: drops counted as %s" % reason)
        h.eq(sum(v for k, v in st.items() if k.startswith("drop_")), len(frames),
             "malformed: every frame a counted drop")
        h.eq(st.get("lookup_hit", 0) + st.get("lookup_miss", 0), 0,
             "malformed: nothing reached the engine")
        h.eq(len(decode(txm)), 0, "malformed: reply capture empty")


if __name__ == "__main__":
    main()
