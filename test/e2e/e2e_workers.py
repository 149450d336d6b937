#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_workers: several workers.

    e2e_workers.py APP refuse   2 workers on a port without RSS (net_pcap with two queues):
                                refused with a clear message, exit 1, no crash.
    e2e_workers.py APP queues   2 workers on net_pcap queues fed per worker: each flow's
                                segments go into the queue file that the Toeplitz rule picks
                                (rte_softrss of src addr, dst addr, src port, dst port with the
                                symmetric key 0x6d,0x5a.. mod the number of workers); each
                                reply must come out of the same queue's tx file, and
                                /twq/shards and /twq/lookup must show each entry in that shard.
                                Needs a way to run several queues without RSS: the test tries
                                `[ports] rss = off` and skips (77) if the app does not know it.
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
    return ("[ports]\nnames = net_pcap0\n%s[engine]\nmsl_ms = 30000\ncapacity = 64\n"
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


def queues(h):
    with open(h.path("probe.ini"), "w") as c:
        c.write(base_ini("rss = off\n"))
    rc, out, err = h.run(h.twq_cmd(h.prefix("probe2"), ["net_null0"],
                                   ["--config", h.path("probe.ini"), "--replay-exit"],
                                   lcores="0@0,1@1"), "probe2", timeout=30)
    if "rss" in err and ("unknown key" in err or "[ports] rss" in err):
        print("SKIP: the app has no way to run several queues without RSS ([ports] rss = off "
              "is refused: %s)" % [l for l in err.splitlines() if "rss" in l][:1])
        sys.exit(twqtest.SKIP)

    # flows: enough of them that both workers get several, IPv4 and IPv6
    fs = [Flow(Entry("198.18.4.1", 80, "198.19.4.%d" % i, 44000 + i, 100 * i, 200 * i, i,
                     remaining_ms=60000)) for i in range(1, 13)]
    fs += [Flow(Entry("2001:db8::4", 443, "2001:db8:4::%x" % i, 44100 + i, i, 3 * i, 9,
                      True, 5 * i, 7 * i, remaining_ms=60000)) for i in range(1, 9)]
    by_q = {w: [f for f in fs if flow_worker(f.e, N) == w] for w in range(N)}
    for w in range(N):
        print("worker %d: %d flows" % (w, len(by_q[w])))
        h.check(len(by_q[w]) > 0, "the Toeplitz rule gives worker %d some flows" % w)
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
