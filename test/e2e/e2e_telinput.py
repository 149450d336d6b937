#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_telinput: telemetry never answers a partial reply as if it were whole, and refuses
malformed parameters with an error dict that says what was expected.

dpdk-twq runs with a --save path longer than a telemetry string holds (127 characters):
/twq/config must answer an error dict naming the key, not the configuration without its
last sections. /twq/lookup with bad parameters (none, 3 fields, an empty field, a '+' port,
a port above 65535, mixed families, trailing comma) answers {"error": ..., "expected": ...};
/twq/stats with a parameter answers an error; a good lookup still works.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness  # noqa: E402
from twqstate import Entry, write_state  # noqa: E402
from segments import write_pcap  # noqa: E402


def main():
    with Harness("telinput") as h:
        deep = h.path("d" * 60 + "/" + "e" * 60)
        os.makedirs(deep)
        save = os.path.join(deep, "state.twq")
        h.check(len(save) >= 128, "save path is %d characters" % len(save))
        state = h.path("s.twq")
        write_state(state, [Entry("198.18.8.1", 80, "198.19.8.1", 46001, 1, 2, 3)])
        rx = h.path("empty.pcap")
        write_pcap(rx, [])
        with open(h.path("t.ini"), "w") as f:
            f.write("[ports]\nnames = net_pcap0\n[engine]\ncapacity = 64\ncapacity6 = 64\n"
                    "[state]\ncheckpoint_s = 0\n")
        pfx = h.prefix("run")
        app = h.start(h.twq_cmd(pfx, ["net_pcap0,rx_pcap=%s" % rx],
                                ["--config", h.path("t.ini"), "--load", state, "--save", save]),
                      "run")
        cfg = h.telemetry(pfx, "/twq/config")
        h.check(set(cfg) == {"error"} and "[state] save" in cfg["error"],
                "/twq/config with a %d-character path: an error naming the key, no partial "
                "reply: %r" % (len(save), cfg))
        good = h.telemetry(pfx, "/twq/lookup,198.18.8.1,80,198.19.8.1,46001")
        h.eq(good.get("state"), "TIME_WAIT", "good lookup still answers")
        bad = ["", "198.18.8.1,80,198.19.8.1", "198.18.8.1,,198.19.8.1,46001",
               "198.18.8.1,+80,198.19.8.1,46001", "198.18.8.1,80,198.19.8.1,65536",
               "198.18.8.1,80,2001:db8::1,46001", "198.18.8.1,80,198.19.8.1,46001,",
               "198.18.8.300,80,198.19.8.1,46001"]
        for p in bad:
            cmd = "/twq/lookup" + ("," + p if p else "")
            r = h.telemetry(pfx, cmd)
            h.check("error" in r and "laddr,lport,raddr,rport" in r.get("expected", ""),
                    "%s: error dict with what is expected: %r" % (cmd, r))
        r = h.telemetry(pfx, "/twq/stats,x")
        h.check("error" in r and "no parameters" in r["error"],
                "/twq/stats,x: error dict: %r" % r)
        rc, out, err = h.stop(app)
        h.eq(rc, 0, "exit status after SIGTERM")


if __name__ == "__main__":
    main()
