#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_testpmd: Debian's dpdk-testpmd replays a capture (net_pcap, infinite_rx) into dpdk-twq
over net_memif for a few seconds; the ACKs come back over memif and testpmd forwards them to
its pcap port (tx to /dev/null). Checks: traffic flowed both ways, every segment dpdk-twq
received was a TIME_WAIT hit answered with an ACK, every ACK is either sent or counted as a TX
drop, and what testpmd got back matches dpdk-twq's tx within what was still in the memif ring.

Port numbering in testpmd: port 0 = net_pcap0, port 1 = net_memif0 (io forwarding pairs them).
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, parse_final_stats  # noqa: E402
from twqstate import Entry, write_state  # noqa: E402
from segments import Flow, write_pcap  # noqa: E402

RUN_S = 4
RING_SLACK = 4096     # frames that may sit in the memif rings and bursts when we stop


def pmd_port_stats(text):
    """{port: {RX-packets, RX-dropped, TX-packets, TX-dropped}} from testpmd's exit output."""
    out = {}
    for m in re.finditer(r"Forward statistics for port (\d+)\s+-+\s*\n(.*?)\n\s*-{10,}",
                         text, re.S):
        d = {k: int(v) for k, v in re.findall(r"([RT]X-[a-z]+):\s+(\d+)", m.group(2))}
        out[int(m.group(1))] = d
    return out


def pmd_cmd(pmd, cmd):
    """A command on testpmd's interactive prompt (its stdin)."""
    if pmd.poll() is None:
        pmd.stdin.write(cmd.encode() + b"\n")
        pmd.stdin.flush()


def main():
    twqtest.need(twqtest.TESTPMD, "dpdk-testpmd")
    twqtest.need(twqtest.TELEMETRY, "dpdk-telemetry.py")
    with Harness("testpmd") as h:
        fs = [Flow(Entry("198.18.3.1", 80, "198.19.3.%d" % i, 43000 + i, 1000 * i, 2000 * i,
                         100 + i, remaining_ms=60000)) for i in range(1, 9)]
        fs += [Flow(Entry("2001:db8::3", 80, "2001:db8:3::%d" % i, 43100 + i, i, 7 * i, 64,
                          True, 99 * i, 5 * i, remaining_ms=60000)) for i in range(1, 5)]
        state, rx = h.path("s.twq"), h.path("gen.pcap")
        write_state(state, [f.e for f in fs])
        write_pcap(rx, [f.data() for f in fs])          # every segment deserves an ACK
        with open(h.path("c.ini"), "w") as c:
            c.write("[ports]\nnames = net_memif0\npromiscuous = on\n[engine]\nmsl_ms = 30000\ncapacity = 64\n"
                    "capacity6 = 64\n")
        sock = h.path("memif.sock")

        pmd_pfx = h.prefix("pmd")
        pmd = h.start([twqtest.TESTPMD, "--no-huge", "--no-pci", "-m", "256", "--file-prefix",
                       pmd_pfx, "--lcores", "0@1,1@1", "--log-level", "*:notice",
                       "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1,tx_pcap=/dev/null" % rx,
                       "--vdev", "net_memif0,role=server,socket=%s" % sock, "--",
                       "-i", "--forward-mode=io", "--auto-start", "--total-num-mbufs=16384",
                       "--nb-cores=1"], "testpmd", stdin=twqtest.subprocess.PIPE)
        # testpmd's stdout is block-buffered into a file: ask its telemetry instead
        deadline = time.monotonic() + 20
        while True:
            if pmd.poll() is not None or time.monotonic() > deadline:
                raise twqtest.Fail("testpmd did not start forwarding")
            ps0 = h.telemetry(pmd_pfx, "/ethdev/stats,0", timeout=20)
            if ps0.get("ipackets", 0) > 0:
                break
            time.sleep(0.1)

        pfx = h.prefix("twq")
        app = h.start(h.twq_cmd(pfx, ["net_memif0,role=client,socket=%s" % sock],
                                ["--config", h.path("c.ini"), "--load", state],
                                lcores="0@1,1@0"), "twq")
        st = h.poll_stats(pfx, lambda s: s["rx"] > 0, timeout=20, what="traffic from testpmd")
        time.sleep(RUN_S)
        st = h.telemetry(pfx, "/twq/stats")
        print("twq /twq/stats while running: rx %d tx %d tx_dropped %d" %
              (st["rx"], st["tx"], st["tx_dropped"]))
        h.check(st["rx"] > 1000, "dpdk-twq received traffic while running (%d)" % st["rx"])

        # testpmd stops forwarding first (it prints its forward statistics then), and only
        # then does dpdk-twq go and the memif link with it. The other order crashes testpmd
        # now and then: DPDK 22.11's memif PMD unmaps the rings of a link its peer closed
        # while the forwarding lcore may still be in rx/tx_burst on them (SIGSEGV in
        # librte_net_memif, seen in about 1 run in 8).
        pmd_cmd(pmd, "stop")
        # forwarding has stopped once testpmd's memif port stops receiving; dpdk-twq then
        # answers what is left in the ring
        seen = [None]

        def stopped():
            cur = h.telemetry(pmd_pfx, "/ethdev/stats,1").get("ipackets")
            same, seen[0] = cur is not None and cur == seen[0], cur
            return same

        twqtest.wait_for(stopped, 10, "testpmd to stop forwarding after 'stop'", (pmd,))
        rc, out, err = h.stop(app)
        h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")
        pmd_cmd(pmd, "quit")
        prc, pout, perr = h.wait(pmd, 30)
        h.eq(prc, 0, "testpmd exit status")

        tw = parse_final_stats(out)
        ps = pmd_port_stats(pout)
        print("dpdk-twq final: %s" % {k: tw.get(k) for k in ("rx", "tx", "ack_sent",
                                                              "lookup_hit", "lookup_miss")})
        print("testpmd ports: %s" % ps)
        tx_dropped = tw.get("tx_dropped")
        if not h.check(0 in ps and 1 in ps and tw, "both final statistics parsed"):
            return
        twq_rx, twq_tx = tw["rx"], tw["tx"]
        back = ps[0]["TX-packets"]           # ACKs testpmd took from memif and forwarded
        sent = ps[0]["RX-packets"] - ps[1]["TX-dropped"]   # segments put on memif
        h.check(twq_tx > 0, "dpdk-twq sent ACKs (%d)" % twq_tx)
        h.check(back > 0, "testpmd received ACKs back over memif (%d)" % back)
        h.eq(tw["ack_sent"], twq_rx, "every segment dpdk-twq received was answered (ack_sent)")
        h.eq(tw["lookup_hit"], twq_rx, "every segment hit its TIME_WAIT entry")
        h.eq(twq_tx + tx_dropped, tw["ack_sent"], "every ACK sent or counted as a TX drop")
        h.check(0 <= twq_tx - back <= RING_SLACK,
                "ACKs back at testpmd (%d) = dpdk-twq tx (%d) less what was in flight (%d)" %
                (back, twq_tx, twq_tx - back))
        h.check(0 <= sent - twq_rx <= RING_SLACK,
                "segments dpdk-twq received (%d) = what testpmd put on memif (%d) less what "
                "was in flight (%d)" % (twq_rx, sent, sent - twq_rx))
        h.eq(ps[0]["TX-dropped"], 0, "testpmd dropped no ACK on its pcap port")


if __name__ == "__main__":
    main()
