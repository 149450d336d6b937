#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Write the bundled demo of config/default.ini: config/default/rx.pcap and state.twq.

    /usr/bin/python3 test/scenarios/mk_default.py [OUTDIR]    (default: config/default)

state.twq holds 10 TIME_WAIT entries (IPv4 and IPv6, four with timestamps) on addresses of
198.18.0.0/15 and 2001:db8::/32, each with 60 s left and no save time (so nothing is taken
off at load). rx.pcap is the peers' traffic, one frame per rule of the engine; the list
below (also printed with --list) says what dpdk-twq answers. The output is byte-for-byte
deterministic (fixed pcap timestamps), so the files are committed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from twqstate import Entry, write_state  # noqa: E402
from segments import Flow, write_pcap, malformed_frames  # noqa: E402

L4, L6 = "198.18.0.1", "2001:db8::1"
LIFE = 60000


def flows():
    def e4(n, lport, snd, rcv, win, ts=None):
        t = dict(has_ts=True, t_recent=ts[0], ts_offset=ts[1]) if ts else {}
        return Entry(L4, lport, "198.19.0.%d" % n, 50000 + n, snd, rcv, win,
                     remaining_ms=LIFE, **t)

    def e6(n, lport, snd, rcv, win, ts=None):
        t = dict(has_ts=True, t_recent=ts[0], ts_offset=ts[1]) if ts else {}
        return Entry(L6, lport, "2001:db8:1::%d" % n, 50000 + n, snd, rcv, win,
                     remaining_ms=LIFE, **t)

    return {
        "fin": Flow(e4(1, 80, 1000001, 2000001, 1024)),
        "fin_ts": Flow(e4(2, 443, 1000002, 2000002, 2048, (3000000, 0x10000000))),
        "rst": Flow(e4(3, 80, 1000003, 2000003, 1024)),
        "data": Flow(e4(4, 80, 1000004, 2000004, 512)),
        "dupack": Flow(e4(5, 80, 1000005, 2000005, 1024)),
        "syn": Flow(e4(6, 80, 1000006, 2000006, 1024)),
        "vlan": Flow(e4(7, 8080, 1000007, 2000007, 256, (7000000, 0x20000000)), vlan=42),
        "fin6": Flow(e6(8, 80, 1000008, 2000008, 4096, (8000000, 0x30000000))),
        "data6": Flow(e6(9, 443, 1000009, 2000009, 8192)),
        "quiet6": Flow(e6(10, 80, 1000010, 2000010, 1024, (10000000, 0x40000000))),
    }


def scenario():
    """(entries, [(frame, description, expected reply or None)])."""
    f = flows()
    ghost = Flow(Entry(L4, 80, "198.19.0.99", 50099, 4242, 4343, 0))
    t = []

    def ack(name, pkt, what):
        t.append((pkt, "%s: %s -> ACK (seq=snd_nxt, ack=rcv_nxt, win=last_win)" % (name, what),
                  f[name].expected_ack()))

    ack("fin", f["fin"].fin_retx(), "retransmitted FIN, re-arms 2MSL")
    ack("fin_ts", f["fin_ts"].fin_retx(), "retransmitted FIN with timestamps, TSecr=t_recent")
    t.append((f["rst"].rst(), "rst: RST -> nothing (RFC 1337)", None))
    ack("data", f["data"].data(), "data")
    t.append((f["dupack"].dupack(), "dupack: exact duplicate ACK -> nothing", None))
    syn = f["syn"].syn_above()
    t.append((syn, "syn: SYN above rcv_nxt -> leaves TIME_WAIT (syn_reopen), no listener: "
              "closed-port RST|ACK", f["syn"].expected_closed(syn)))
    again = f["syn"].dupack()
    t.append((again, "syn: ACK after it -> no entry left: closed-port RST",
              f["syn"].expected_closed(again)))
    ack("vlan", f["vlan"].data(), "data in VLAN 42, reply keeps the tag")
    ack("fin6", f["fin6"].fin_retx(), "IPv6 retransmitted FIN with timestamps")
    ack("data6", f["data6"].data(), "IPv6 data")
    t.append((f["data6"].dupack(), "data6: IPv6 exact duplicate ACK -> nothing", None))
    g = ghost.dupack()
    t.append((g, "no entry: ACK -> closed-port RST (seq=SEG.ACK)", ghost.expected_closed(g)))
    for reason, b in malformed_frames(f["data"])[:2]:
        t.append((b, "malformed (%s) -> counted drop, nothing" % reason, None))
    return [fl.e for fl in f.values()], t


def main(argv):
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = [a for a in argv[1:] if a != "--list"]
    outdir = args[0] if args else os.path.join(top, "config", "default")
    entries, t = scenario()
    if "--list" in argv:
        for i, (_, what, _) in enumerate(t, 1):
            print("%2d %s" % (i, what))
        return 0
    os.makedirs(outdir, exist_ok=True)
    write_state(os.path.join(outdir, "state.twq"), entries)
    write_pcap(os.path.join(outdir, "rx.pcap"), [x[0] for x in t])
    print("mk_default: wrote %d entries to %s/state.twq and %d frames to %s/rx.pcap"
          % (len(entries), outdir, len(t), outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
