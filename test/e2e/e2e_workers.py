#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_workers: several workers.

    e2e_workers.py APP refuse   2 workers on a port without RSS (net_pcap with two queues):
                                refused with a clear message, exit 1, no crash. Also with
                                `--rss off` (over a file saying on) on a port with one queue
                                pair: refused with a message naming the port, the count
                                asked and the max.
    e2e_workers.py APP queues   2 workers on net_pcap queues fed per worker (`[ports] rss =
                                off`): each flow's segments go into the queue file that the
                                Toeplitz rule picks (rte_softrss of src addr, dst addr, src
                                port, dst port with the symmetric key 0x6d,0x5a.. mod the
                                number of workers); each reply must come out of the same
                                queue's tx file, and /twq/shards and /twq/lookup must show
                                each entry in that shard.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, decode, check_replies  # noqa: E402
from twqstate import Entry, write_state  # noqa: E402
from segments import Flow, write_pcap, flow_worker  # noqa: E402

N = 2
LCORES = "0@0,1@1,2@1"     # main + 2 workers on 2 CPUs


def base_ini(extra=""):
    return ("[ports]\nnames = net_pcap0\npromiscuous = on\n%s[engine]\nmsl_ms = 30000\ncapacity = 64\n"
            "capacity6 = 64\n" % extra)


def refuse(h):
    with open(h.path("w.ini"), "w") as c:
        c.write(base_ini())
    q = [h.path("q%d.pcap" % i) for i in range(N)]
    for p in q:
        write_pcap(p, [])
    vdev = "net_pcap0," + ",".join("rx_pcap=%s" % p for p in q) + "," + \
        ",".join("tx_pcap=%s" % h.path("o%d.pcap" % i) for i in range(N))
    rc, out, err = h.run(h.twq_cmd(h.prefix("refuse"), [vdev],
                                   ["--config", h.path("w.ini"), "--replay-exit"],
                                   lcores=LCORES), "refuse", timeout=30)
    crash = rc < 0 or rc >= 128 or "Segmentation" in err or "Aborted" in err
    h.eq(rc, 1, "2 workers on a port without RSS: exit status")
    h.check(not crash, "no crash")
    line = [l for l in err.splitlines() if "net_pcap0" in l and "RSS" in l]
    h.check(bool(line), "message names the port and RSS: %r" % (line[0] if line else
                                                                  err[-400:]))

    # rss = off still needs one RX/TX queue pair per worker: one rx_pcap is not enough.
    # The file says on, the option --rss off overrides it.
    with open(h.path("on.ini"), "w") as c:
        c.write(base_ini("rss = on\n"))
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (q[0], h.path("o-off.pcap"))
    rc, out, err = h.run(h.twq_cmd(h.prefix("refuse-off"), [vdev],
                                   ["--config", h.path("on.ini"), "--rss", "off",
                                    "--replay-exit"],
                                   lcores=LCORES), "refuse-off", timeout=30)
    crash = rc < 0 or rc >= 128 or "Segmentation" in err or "Aborted" in err
    h.eq(rc, 1, "rss = off, 2 workers on a port with 1 queue pair: exit status")
    h.check(not crash, "rss = off: no crash")
    line = [l for l in err.splitlines() if "net_pcap0" in l and "at most 1 RX and 1 TX" in l
            and "2 workers need 2" in l]
    h.check(bool(line), "rss = off: message names the port, the max and the count asked: %r"
            % (line[0] if line else err[-400:]))


def queues(h):
    # flows: enough of them that both workers get several, IPv4 and IPv6. The symmetric key
    # repeats every 16 bits, so the hash depends only on the XOR of the tuple's 16-bit words:
    # the IPv4 peer ports step by 7 so that this XOR (and the worker) varies with i.
    fs = [Flow(Entry("198.18.4.1", 80, "198.19.4.%d" % i, 44000 + 7 * i, 100 * i, 200 * i, i,
                     remaining_ms=60000)) for i in range(1, 13)]
    fs += [Flow(Entry("2001:db8::4", 443, "2001:db8:4::%x" % i, 44100 + i, i, 3 * i, 9,
                      True, 5 * i, 7 * i, remaining_ms=60000)) for i in range(1, 9)]
    by_q = {w: [f for f in fs if flow_worker(f.e, N) == w] for w in range(N)}
    for w in range(N):
        print("worker %d: %d flows" % (w, len(by_q[w])))
        for v6 in (False, True):
            h.check(any(f.v6 == v6 for f in by_q[w]), "the Toeplitz rule gives worker %d "
                    "some IPv%d flows" % (w, 6 if v6 else 4))
    state = h.path("s.twq")
    write_state(state, [f.e for f in fs])
    rx = [h.path("q%d.pcap" % w) for w in range(N)]
    tx = [h.path("o%d.pcap" % w) for w in range(N)]
    exp = {}
    for w in range(N):
        frames, exp[w] = [], []
        for f in by_q[w]:
            frames += [f.data(), f.dupack()]
            exp[w].append(("q%d %s data -> ACK" % (w, f.name), f.expected_ack()))
        write_pcap(rx[w], frames)
    with open(h.path("w.ini"), "w") as c:
        c.write(base_ini("rss = off\n"))
    vdev = "net_pcap0," + ",".join("rx_pcap=%s" % p for p in rx) + "," + \
        ",".join("tx_pcap=%s" % p for p in tx)
    pfx = h.prefix("q")
    app = h.start(h.twq_cmd(pfx, [vdev], ["--config", h.path("w.ini"), "--load", state],
                            lcores=LCORES), "twq-q")
    total = sum(2 * len(by_q[w]) for w in range(N))
    st = h.poll_stats(pfx, lambda s: s["rx"] >= total and s["tx"] >= len(fs),
                      what="rx == %d" % total)
    h.eq(st["workers"], N, "stats workers")
    h.eq(twqtest.config_value(h.telemetry(pfx, "/twq/config"), "ports", "rss"), "off",
         "/twq/config ports rss")
    h.eq(st["lookup_miss"], 0, "no segment missed its entry (state loaded into the right "
         "shard)")
    shards = h.telemetry(pfx, "/twq/shards")
    for w in range(N):
        s = shards.get(str(w), {})
        n4 = sum(1 for f in by_q[w] if not f.v6)
        n6 = len(by_q[w]) - n4
        h.eq((s.get("entries_v4"), s.get("entries_v6")), (n4, n6),
             "/twq/shards %d entries (v4, v6)" % w)
        h.eq(s.get("rx"), 2 * len(by_q[w]), "/twq/shards %d rx" % w)
    for f in fs[:3] + fs[-3:]:
        lk = h.telemetry(pfx, "/twq/lookup," + f.lookup_params())
        h.eq((lk.get("state"), lk.get("shard")), ("TIME_WAIT", flow_worker(f.e, N)),
             "/twq/lookup %s shard" % f.name)
    rc, out, err = h.stop(app)
    h.eq(rc, 0, "exit status after SIGTERM")
    line = [l for l in out.splitlines() if l.startswith("port 0 net_pcap0:")]
    h.check(bool(line) and "%d RX + %d TX queues" % (N, N) in line[0] and
            "RSS off ([ports] rss = off" in line[0],
            "start line: %d queue pairs, RSS off by config: %r" % (N, line[:1]))
    for w in range(N):
        check_replies(h, decode(tx[w]), exp[w], "queue %d: " % w)


def main():
    twqtest.need(twqtest.TELEMETRY, "dpdk-telemetry.py")
    mode = sys.argv[2] if len(sys.argv) > 2 else "refuse"
    with Harness("workers-" + mode) as h:
        if mode == "refuse":
            refuse(h)
        else:
            twqtest.need(twqtest.TSHARK, "tshark")
            queues(h)


if __name__ == "__main__":
    main()
