#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_run_default: the README's first command, scripts/run-default.sh (net_tap mode), with
this build's binary: four curl fetches answered (HTTP 200, the bundled body), the fourth
from the port of the third through dpdk-twq's TIME_WAIT entry, the stats block with started
equal to the four connections dpdk-twq closed; nothing left behind (namespace, process,
DPDK runtime directory)."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from twqtest import Harness, parse_final_stats  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    with Harness("run-default") as h:
        env = dict(os.environ, DPDK_TWQ=h.app)
        p = subprocess.Popen(["bash", os.path.join(TOP, "scripts", "run-default.sh")],
                             cwd=TOP, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            out, _ = p.communicate(timeout=10)
            h.check(False, "run-default.sh finished within 60 s")
        h.eq(p.returncode, 0, "run-default.sh exit status")
        body = open(os.path.join(TOP, "config", "default", "hello.txt")).read()
        fetched = re.findall(r"-> HTTP (\d+), (\d+) bytes, from local port (\d+)", out)
        h.eq([f[0] for f in fetched], ["200"] * 4, "four fetches answered")
        h.eq({int(f[1]) for f in fetched}, {len(body)}, "each got the bundled body's length")
        h.eq(out.count(body), 4, "the body printed four times, byte for byte")
        h.check(len(fetched) == 4 and fetched[2][2] == fetched[3][2] == "45000",
                "the last two from local port 45000")
        st = parse_final_stats(out)
        h.eq(st.get("started"), 4, "started (entries made by the engine)")
        h.eq(st.get("term_timewait"), 4, "term_timewait")
        h.eq(st.get("syn_ts_reopen"), 1, "the reused port went through the TIME_WAIT entry")
        h.eq(st.get("term_reopen"), 1, "term_reopen")
        ns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        m = re.search(r"--file-prefix (twq-default-\d+)", out)
        h.check(m is not None and not os.path.exists("/var/run/dpdk/" + m.group(1)),
                "DPDK runtime directory removed")
        h.check("twq-demo-%d" % p.pid not in ns, "namespace twq-demo-%d removed" % p.pid)
        if h.failures:
            print(out[-3000:])


if __name__ == "__main__":
    main()
