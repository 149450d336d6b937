#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_checkpoint: [state] checkpoint_s keeps the state file current, so SIGKILL loses at
most one interval; the temporary file is made safely; the save path is checked at start.

Run 1 loads entries, receives a SYN that ends one (B), a retransmitted FIN that re-arms
another (D) and nothing for one about to expire (C), writes a checkpoint every second and is
killed with SIGKILL. The file it left is valid (twqstate.py), at most one interval old, holds
every entry still in TIME_WAIT with the times it had (D re-armed) and neither B nor C. A
symlink planted at the old fixed temporary name (FILE.tmp) is never followed. Run 2 loads
that file: the same entries, B still gone (its SYN gets the closed-port RST). Then bad save
paths (a FIFO and a device among them: never replaced) are refused at start, before any port
is set up, with the origin of the setting.
"""

import os
import signal
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, decode  # noqa: E402
from twqstate import Entry, write_state, read_state  # noqa: E402
from segments import Flow, write_pcap  # noqa: E402

MSL = 30000
INTERVAL_S = 1


def flows():
    keep = [Flow(Entry("198.18.5.1", 80, "198.19.5.%d" % (i + 1), 43000 + i, 100 + i, 200 + i,
                       300, remaining_ms=50000)) for i in range(8)]
    b = Flow(Entry("198.18.5.1", 80, "198.19.6.1", 44001, 11, 22, 33, remaining_ms=50000))
    c = Flow(Entry("198.18.5.1", 80, "198.19.6.2", 44002, 11, 22, 33, remaining_ms=700))
    d = Flow(Entry("2001:db8::5", 443, "2001:db8:6::4", 44004, 7, 8, 9, True, 5, 6,
                   remaining_ms=20000))
    return keep, b, c, d


def write_ini(path, extra=""):
    with open(path, "w") as f:
        f.write("[ports]\nnames = net_pcap0\npromiscuous = on\n[engine]\nmsl_ms = %d\ncapacity = 64\n"
                "capacity6 = 64\n[state]\ncheckpoint_s = %d\n%s" % (MSL, INTERVAL_S, extra))


def main():
    twqtest.need(twqtest.TSHARK, "tshark")
    with Harness("checkpoint") as h:
        keep, b, c, d = flows()
        s0, s1 = h.path("s0.twq"), h.path("s1.twq")
        write_state(s0, [f.e for f in keep + [b, c, d]])
        write_ini(h.path("c.ini"))
        rx1 = h.path("rx1.pcap")
        frames = [b.syn_above(), d.fin_retx()]
        write_pcap(rx1, frames)
        # The old fixed temporary name, planted as a symlink to a file that must not change.
        victim = h.path("victim")
        with open(victim, "w") as f:
            f.write("precious\n")
        os.symlink(victim, s1 + ".tmp")

        print("== run 1: checkpoints every %d s, then SIGKILL" % INTERVAL_S)
        pfx = h.prefix("run1")
        tx1 = h.path("run1-tx.pcap")
        app = h.start(h.twq_cmd(pfx, ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (rx1, tx1)],
                                ["--config", h.path("c.ini"), "--load", s0, "--save", s1]),
                      "run1")
        st = h.poll_stats(pfx, lambda s: s["rx"] >= len(frames), what="rx == %d" %
                          len(frames))
        t_rx = time.time()

        def checkpoint_after(t):
            try:
                return os.stat(s1).st_mtime > t + 0.05 and read_state(s1)
            except (OSError, ValueError):
                return False
        # Wait until C is due and a checkpoint was written after that and after the traffic.
        t_c_due = t_rx + 0.7
        twqtest.wait_for(lambda: checkpoint_after(max(t_rx, t_c_due)), 10,
                         "a checkpoint after the traffic", [app])
        time.sleep(INTERVAL_S * 1.5)
        t_kill = time.time()
        os.kill(app.pid, signal.SIGKILL)
        rc, out, err = h.wait(app, 10)
        h.eq(rc, -signal.SIGKILL, "run 1 killed by SIGKILL")
        h.check("state: saved" not in err, "run 1 did not save at stop (it was killed)")
        h.check("checkpoint_s" not in err, "run 1 (with --save) has no checkpoint_s warning")

        saved, hdr = read_state(s1)   # raises on any format error
        h.check(True, "checkpoint left by the killed run is valid (size, magic, CRC-32C)")
        h.eq(hdr["version"], 2, "checkpoint version")
        age = t_kill - hdr["saved_unix_ms"] / 1000.0
        h.check(0 <= age <= INTERVAL_S + 1.0,
                "checkpoint was written %.2f s before the kill (at most one interval of "
                "%d s, plus 1 s of slack)" % (age, INTERVAL_S))
        h.check(hdr["ts_clock_ms"] > 0, "checkpoint holds the timestamp clock (%d ms)" %
                hdr["ts_clock_ms"])
        got = {(e.laddr, e.lport, e.raddr, e.rport): e for e in saved}
        want = {f.key(): f.e for f in keep + [d]}
        h.eq(sorted(got), sorted(want), "checkpoint keys: every live entry, not the one the "
             "SYN ended (B) nor the expired one (C)")
        for k, e in want.items():
            g = got.get(k)
            if g is None:
                continue
            for fld in ("snd_nxt", "rcv_nxt", "last_win", "has_ts", "t_recent", "ts_offset"):
                h.eq(getattr(g, fld), getattr(e, fld), "checkpoint %s %s" % (k[2], fld))
        dk = got.get(d.key())
        if dk is not None:
            h.check(dk.remaining_ms > 50000, "D was re-armed by its FIN before the checkpoint "
                    "(remaining %d ms > 50000; loaded with 20000)" % dk.remaining_ms)
        mode = stat.S_IMODE(os.stat(s1).st_mode)
        h.eq(oct(mode), oct(0o600), "checkpoint file mode")
        with open(victim) as f:
            h.eq(f.read(), "precious\n", "symlink target at FILE.tmp untouched")
        h.check(os.path.islink(s1 + ".tmp"), "the planted FILE.tmp symlink is still a symlink")
        left = [n for n in os.listdir(h.tmp) if n.startswith(".s1.twq.tmp-")]
        h.check(len(left) <= 1, "at most one temporary file left by the kill (%s)" % left)

        print("== run 2: --load the checkpoint")
        rx2, tx2 = h.path("rx2.pcap"), h.path("run2-tx.pcap")
        frames2 = [f.data() for f in keep] + [b.syn_above()]
        write_pcap(rx2, frames2)
        rc, out, err = h.run(h.twq_cmd(h.prefix("run2"), ["net_pcap0,rx_pcap=%s,tx_pcap=%s" %
                                                          (rx2, tx2)],
                                       ["--config", h.path("c.ini"), "--load", s1,
                                        "--replay-exit"]), "run2", timeout=30)
        h.eq(rc, 0, "run 2 exit status")
        n = len(want)
        h.check("state: loaded %d of %d entries" % (n, n) in err,
                "run 2 loaded the %d entries of the checkpoint" % n)
        # c.ini sets checkpoint_s on line 9 and run 2 has no save path: said, not refused.
        h.check("c.ini:9: [state] checkpoint_s = %d has no effect: checkpoints need [state] save "
                "or --save" % INTERVAL_S in err,
                "run 2 warns that checkpoint_s without a save path does nothing")
        rep = decode(tx2)
        h.eq(len(rep), len(frames2), "run 2 answers every segment")
        if len(rep) == len(frames2):
            for i, f in enumerate(keep):
                h.eq((rep[i]["tcp.seq_raw"], rep[i]["tcp.ack_raw"]),
                     (f.e.snd_nxt, f.e.rcv_nxt), "run 2 reply %d from the restored entry" % i)
            h.eq(rep[-1]["tcp.flags"] & 0x04, 0x04,
                 "run 2: B's SYN finds no entry (closed-port RST): it did not come back")

        print("== save paths refused at start")
        # Not files to replace: the rename would put a regular file in their place (as root,
        # --save /dev/null would replace the system's /dev/null).
        fifo, dev = h.path("fifo.twq"), h.path("null.twq")
        os.mkfifo(fifo)
        os.mknod(dev, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        cases = [
            ("FIFO as file", ["--save", fifo], "", ["option --save", "fifo.twq", "a FIFO"]),
            ("device as file", ["--save", dev], "", ["option --save", "null.twq", "a device"]),
            ("missing directory", ["--save", h.path("no-such-dir/x.twq")], "",
             ["option --save", "no-such-dir", "No such file"]),
            ("directory as file", ["--save", h.tmp], "", ["option --save", "is a directory"]),
            ("parent is a file", [], "save = %s/x.twq\n" % victim,
             ["c-bad.ini:", "[state] save", "victim is not a directory"]),
        ]
        for name, opts, extra, words in cases:
            write_ini(h.path("c-bad.ini"), extra)
            t0 = time.monotonic()
            rc, out, err = h.run(h.twq_cmd(h.prefix("bad"), ["net_pcap0,rx_pcap=%s" % rx2],
                                           ["--config", h.path("c-bad.ini")] + opts),
                                 "bad-save", timeout=30)
            line = [l for l in err.splitlines() if all(w in l for w in words)]
            h.check(rc == 1 and line, "%s: exit %d (want 1), message naming %s: %r" %
                    (name, rc, words, line[0] if line else err.strip()[-300:]))
            h.check("TWQ: engine:" not in err, "%s: refused before the ports and shards (%.1f s)" %
                    (name, time.monotonic() - t0))
        h.check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO given as --save is still a FIFO")
        h.check(stat.S_ISCHR(os.lstat(dev).st_mode), "the device given as --save is still one")


if __name__ == "__main__":
    main()
