#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_default: the bundled demo (config/default.ini with config/default/rx.pcap and
state.twq, as scripts/run-default.sh runs it) gives the answers test/scenarios/mk_default.py
documents, and the committed files are what mk_default.py generates today.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, decode, check_replies  # noqa: E402
import mk_default  # noqa: E402

TOP = os.path.dirname(os.path.dirname(twqtest.HERE))


def main():
    twqtest.need(twqtest.TSHARK, "tshark")
    with Harness("default") as h:
        d = os.path.join(TOP, "config", "default")
        rc = mk_default.main(["mk_default.py", h.tmp])
        h.eq(rc, 0, "mk_default.py runs")
        for name in ("rx.pcap", "state.twq"):
            with open(os.path.join(d, name), "rb") as a, open(h.path(name), "rb") as b:
                h.check(a.read() == b.read(), "config/default/%s is up to date with "
                        "mk_default.py" % name)
        entries, table = mk_default.scenario()
        tx = h.path("default-tx.pcap")
        cmd = h.twq_cmd(h.prefix("run"), ["net_pcap0,rx_pcap=config/default/rx.pcap,"
                                           "tx_pcap=%s" % tx],
                        ["--config", "config/default.ini", "--replay-exit"], mem=512)
        print("$ (cd %s) %s" % (TOP, " ".join(cmd)))
        p = twqtest.subprocess.Popen(cmd, cwd=TOP, stdout=open(h.path("run.out"), "w"),
                                     stderr=open(h.path("run.err"), "w"))
        p.tag = "run"
        h.procs.append(p)
        rc, out, err = h.wait(p, 60)
        h.eq(rc, 0, "bundled demo exit status")
        h.check("state: loaded %d of %d" % (len(entries), len(entries)) in err,
                "bundled state loaded")
        st = twqtest.parse_final_stats(out)
        h.eq(st.get("rx"), len(table), "bundled demo rx")
        for k in ("fin_rearm", "syn_reopen", "rst_dropped", "dupack_ignored"):
            h.check(st.get(k, 0) >= 1, "bundled demo shows %s (%s)" % (k, st.get(k)))
        h.check(sum(v for k, v in st.items() if k.startswith("drop_")) >= 1,
                "bundled demo shows a counted drop")
        exp = [(what, e) for _, what, e in table if e is not None]
        check_replies(h, decode(tx), exp, "demo: ")


if __name__ == "__main__":
    main()
