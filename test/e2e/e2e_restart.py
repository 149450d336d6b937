#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_restart: --load / --save across a restart, and refused state files.

Run 1 loads entries, answers traffic, saves on SIGTERM. The saved file is read back with
twqstate.py (CRC, sizes, fields). Run 2 loads the saved file: the same segments get the same
answers (every field but TSval, whose clock moved; TSval - ts_offset must stay one clock).
Then corrupt, truncated, foreign, wrong-version and bad-record files: clear message naming the
problem and the file, non-zero exit, nothing loaded, no reply sent.
"""

import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, decode, parse_final_stats  # noqa: E402
from twqstate import Entry, write_state, read_state, build_state, crc32c, HDR2_SIZE  # noqa: E402
from segments import Flow, write_pcap, U32  # noqa: E402

MSL = 20000


def flows():
    return [
        Flow(Entry("198.18.1.1", 80, "198.19.1.1", 41001, 11, 22, 100, remaining_ms=30000)),
        Flow(Entry("198.18.1.1", 443, "198.19.1.2", 41002, 0xFFFFFFF0, 5, 200, True,
                   0x0BADCAFE, 0x12345678, remaining_ms=40000)),
        Flow(Entry("2001:db8::5", 80, "2001:db8:2::1", 41003, 1 << 31, 1, 300, True, 1, 2,
                   remaining_ms=40000)),
        Flow(Entry("2001:db8::5", 443, "2001:db8:2::2", 41004, 7, 8, 65535,
                   remaining_ms=35000), vlan=7),
    ]


def traffic(fs, with_syn):
    frames = []
    for f in fs[1:]:
        frames += [f.data(), f.dupack(), f.old_ack()]
    if with_syn:
        # fs[0] gets only a SYN: it ends the entry in run 1 (closed-port answer), and finds
        # no entry in run 2 (the same closed-port answer)
        frames.append(fs[0].syn_above())
    return frames


def run_replay(h, tag, state, rx, save=None, extra=(), timeout=30):
    tx = h.path(tag + "-tx.pcap")
    args = ["--config", h.path("r.ini"), "--load", state, "--replay-exit"] + list(extra)
    if save:
        args += ["--save", save]
    rc, out, err = h.run(h.twq_cmd(h.prefix(tag), ["net_pcap0,rx_pcap=%s,tx_pcap=%s" %
                                                    (rx, tx)], args), tag, timeout)
    return rc, out, err, tx


def main():
    twqtest.need(twqtest.TSHARK, "tshark")
    with Harness("restart") as h:
        with open(h.path("r.ini"), "w") as c:
            c.write("[ports]\nnames = net_pcap0\npromiscuous = on\n[engine]\nmsl_ms = %d\ncapacity = 64\n"
                    "capacity6 = 64\n" % MSL)
        fs = flows()
        s1, s2 = h.path("s1.twq"), h.path("s2.twq")
        write_state(s1, [f.e for f in fs])
        rx1 = h.path("rx1.pcap")
        write_pcap(rx1, traffic(fs, True))
        n1 = len(traffic(fs, True))

        print("== run 1: --load, traffic, --save on SIGTERM")
        pfx = h.prefix("run1")
        tx1 = h.path("run1-tx.pcap")
        app = h.start(h.twq_cmd(pfx, ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (rx1, tx1)],
                                ["--config", h.path("r.ini"), "--load", s1, "--save", s2]),
                      "run1")
        st = h.poll_stats(pfx, lambda s: s["rx"] >= n1, what="rx == %d" % n1)
        h.eq(st["load_loaded"], len(fs), "run 1 load_loaded")
        t_save = time.time()
        rc, out, err = h.stop(app)
        h.eq(rc, 0, "run 1 exit status after SIGTERM")
        h.check("state: saved %d entries" % (len(fs) - 1) in err,
                "run 1 says it saved %d entries" % (len(fs) - 1))
        saved, hdr = read_state(s2)   # raises on any format error
        h.check(True, "saved file valid per docs/state-file.md (size, magic, CRC-32C)")
        h.check(abs(hdr["saved_unix_ms"] / 1000.0 - t_save) < 10,
                "saved_unix_ms is the wall clock of the save (%d)" % hdr["saved_unix_ms"])
        want = {f.key(): f.e for f in fs[1:]}       # fs[0] was reopened by the SYN
        got = {(e.laddr, e.lport, e.raddr, e.rport): e for e in saved}
        h.eq(sorted(got), sorted(want), "saved keys (all but the reopened entry)")
        for k, e in want.items():
            g = got.get(k)
            if g is None:
                continue
            for fld in ("snd_nxt", "rcv_nxt", "last_win", "has_ts", "t_recent", "ts_offset"):
                h.eq(getattr(g, fld), getattr(e, fld), "saved %s %s" % (k[2], fld))
            h.check(0 < g.remaining_ms <= e.remaining_ms,
                    "saved %s remaining_ms %d in (0, %d]" % (k[2], g.remaining_ms,
                                                             e.remaining_ms))
        h.eq([n for n in os.listdir(h.tmp) if ".tmp" in n], [],
             "no temporary file left beside the save")

        print("== run 2: --load the saved file, same segments")
        rx2 = h.path("rx2.pcap")
        write_pcap(rx2, traffic(fs, True))
        rc, out, err, tx2 = run_replay(h, "run2", s2, rx2)
        h.eq(rc, 0, "run 2 exit status")
        h.check("state: loaded %d of %d entries" % (len(fs) - 1, len(fs) - 1) in err,
                "run 2 loaded every saved entry")
        r1, r2 = decode(tx1), decode(tx2)
        h.eq(len(r2), len(r1), "run 2 sends as many replies as run 1")
        keys = ["src", "dst", "vlan.id", "tcp.srcport", "tcp.dstport", "tcp.seq_raw",
                "tcp.ack_raw", "tcp.flags", "tcp.window_size_value",
                "tcp.options.timestamp.tsecr", "tcp.checksum.status", "ip.checksum.status"]
        offs = {(f.e.laddr, f.e.lport): f.e.ts_offset for f in fs}
        for i, (a, b) in enumerate(zip(r1, r2)):
            diff = [k for k in keys if a[k] != b[k]]
            h.check(not diff, "reply %d identical across the restart%s" %
                    (i + 1, "" if not diff else ": differs in %s (%s vs %s)" %
                     (diff, [a[k] for k in diff], [b[k] for k in diff])))
            if a["tcp.options.timestamp.tsval"] is not None:
                off = offs[(twqtest.norm_addr(a["src"]), a["tcp.srcport"])]
                c1 = (a["tcp.options.timestamp.tsval"] - off) & U32
                c2 = (b["tcp.options.timestamp.tsval"] - off) & U32
                h.check(0 <= (c2 - c1) & U32 < 120000,
                        "reply %d TSval advanced with the clock only (%d ms)" %
                        (i + 1, (c2 - c1) & U32))

        print("== version 1 still loads; version 2 continues the timestamp clock")
        ts = fs[1]                                    # has_ts, ts_offset 0x12345678
        now_ms = int(time.time() * 1000)
        v1 = h.path("v1.twq")
        write_state(v1, [f.e for f in fs], saved_unix_ms=now_ms - 2000, version=1)
        rx4 = h.path("rx4.pcap")
        write_pcap(rx4, [ts.data()])
        rc, out, err, tx = run_replay(h, "v1", v1, rx4)
        h.check(rc == 0 and "state: loaded %d of %d entries" % (len(fs), len(fs)) in err and
                "version 1" in err, "version 1 file loads (rc %d): %r" %
                (rc, [l for l in err.splitlines() if "state:" in l]))
        h.eq(len(decode(tx)), 1, "version 1 file: the entry answers")
        # A file saved at a clock far ahead of this host's (another host, a long uptime):
        # TSval = saved clock + time since the save + ts_offset, not this host's clock.
        clock = 3000000000
        v2 = h.path("v2-clock.twq")
        write_state(v2, [f.e for f in fs], saved_unix_ms=now_ms - 5000, ts_clock_ms=clock)
        rc, out, err, tx = run_replay(h, "v2clock", v2, rx4)
        rep = decode(tx)
        h.check(rc == 0 and len(rep) == 1, "version 2 file with a saved clock: one reply (rc %d)"
                % rc)
        if len(rep) == 1:
            tsval = rep[0]["tcp.options.timestamp.tsval"]
            ahead = (tsval - ts.e.ts_offset - clock) & U32
            h.check(5000 <= ahead < 5000 + 30000,
                    "TSval continues from the saved clock: TSval - ts_offset = saved clock + "
                    "%d ms (at least the 5000 ms since the save)" % ahead)
        h.check("timestamp clock continues at" in err, "load says the clock continues")

        print("== a file saved in the future: warned, no time taken off")
        fut = h.path("future.twq")
        write_state(fut, [f.e for f in fs], saved_unix_ms=now_ms + 3600 * 1000)
        rc, out, err, tx = run_replay(h, "future", fut, rx4)
        warn = [l for l in err.splitlines() if "in the future" in l]
        h.check(rc == 0 and warn and "no time is taken off" in warn[0],
                "future save time warned about, saying what was done: %r" %
                (warn[0] if warn else err[-300:]))
        h.check("state: loaded %d of %d entries" % (len(fs), len(fs)) in err,
                "future file: every entry loaded")
        line = [l for l in (out + err).splitlines() if "state: loaded" in l]
        h.check(line and "saved in the future: no time taken off" in line[0] and
                "s ago" not in line[0],
                "future file: the load line says so, not 'saved 0.0 s ago': %r" %
                (line[0] if line else None))

        print("== duplicates and entries that do not fit are counted as such")
        dup = h.path("dup.twq")
        e0 = fs[0].e
        many = [Entry("198.18.7.1", 80, "198.19.7.%d" % (i + 1), 45000 + i, 1, 2, 3)
                for i in range(70)]
        write_state(dup, [e0, e0, e0] + many)
        rc, out, err, tx = run_replay(h, "dup", dup, rx4)
        st = parse_final_stats(out)
        h.eq((st.get("load_loaded"), st.get("load_duplicate"), st.get("load_full"),
              st.get("load_expired")), (64, 2, 7, 0),
             "3 copies of one tuple + 70 more into a shard of 64: loaded, duplicate, full, "
             "expired")
        h.check("repeat a 4-tuple" in err and "did not fit" in err,
                "load report says duplicates and entries that did not fit")

        print("== refused state files")
        good = open(s2, "rb").read()
        bad = {}
        b = bytearray(good)
        b[HDR2_SIZE + 64 + 41] ^= 0x01                # a snd_nxt bit of record 1
        bad["corrupt"] = (bytes(b), ["CRC"])
        bad["truncated"] = (good[:-10], ["truncated"])
        bad["tiny"] = (good[:20], ["truncated"])
        b = bytearray(good)
        b[0:8] = b"NOTTWQST"
        b[-4:] = struct.pack("<I", crc32c(bytes(b[:-4])))
        bad["foreign"] = (bytes(b), ["magic"])
        b = bytearray(good)
        b[8:12] = struct.pack("<I", 3)
        b[-4:] = struct.pack("<I", crc32c(bytes(b[:-4])))
        bad["version"] = (bytes(b), ["version 3"])
        b = bytearray(good)
        b[HDR2_SIZE + 64] = 5                         # family of record 1
        b[-4:] = struct.pack("<I", crc32c(bytes(b[:HDR2_SIZE]), crc32c(bytes(b[HDR2_SIZE:-4]))))
        bad["family"] = (bytes(b), ["record 1", "family"])
        bad["count"] = (build_state([f.e for f in fs])[:-4 - 64] +
                        struct.pack("<I", 0), ["count"])
        rx3 = h.path("rx3.pcap")
        write_pcap(rx3, traffic(fs, False))
        for name, (data, words) in bad.items():
            p = h.path("bad-%s.twq" % name)
            with open(p, "wb") as f:
                f.write(data)
            rc, out, err, tx = run_replay(h, "bad-" + name, p, rx3)
            sig = rc < 0 or rc >= 128
            h.check(rc != 0 and not sig, "%s file: non-zero exit, not a signal (rc %d)" %
                    (name, rc))
            # the start banner's "load FILE" names the file too: the error is the other line
            msg = [l for l in err.splitlines() if p in l and "control: scan every" not in l]
            h.check(msg and all(w in msg[0] for w in words),
                    "%s file: message names the file and %s: %r" % (name, words,
                                                                     msg[0] if msg else err[-300:]))
            h.check("Segmentation" not in err + out and "Aborted" not in err + out,
                    "%s file: no crash" % name)
            h.check("state: loaded" not in err, "%s file: nothing loaded" % name)
            h.eq(len(decode(tx)), 0, "%s file: no reply sent" % name)


if __name__ == "__main__":
    main()
