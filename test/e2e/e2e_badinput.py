#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_badinput: bad configuration, options, ports, memory and files are refused with a
message naming the problem (non-zero exit, never a crash); malformed frames are counted drops
that get no reply.
"""

import os
import sys
import time

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

# Files that rte_cfgfile alone would misread: (name, bytes, extra options, words stderr must
# contain, exit status). @CFG@ is the file's path. Every refusal names the file and the line.
HEAD = "[ports]\nnames = net_pcap0\n"
RAW_CASES = [
    ("line without '='", HEAD + "[engine]\nmsl_ms 1000\n", [],
     ["@CFG@:4:", "no '='", "msl_ms 1000"], 1),
    ("key before any section", "msl_ms = 1000\n" + HEAD, [],
     ["@CFG@:1:", "before any [section]"], 1),
    ("unterminated section", HEAD + "[engine\nmsl_ms = 1000\n", [],
     ["@CFG@:3:", "'[engine'", "does not end with ']'"], 1),
    ("binary file", "\x7fELF\x02\x01\x01\x00\x00" + "\x00" * 40, [],
     ["@CFG@:1:", "not a text file"], 1),
    ("not UTF-8", HEAD + "[state]\nsave = /tmp/\xff.twq\n", [], ["@CFG@:4:", "not UTF-8"], 1),
    ("leading +", HEAD + "[engine]\nmsl_ms = +1000\n", [],
     ["@CFG@:4:", "[engine] msl_ms = +1000", "integer"], 1),
    ("leading zero", HEAD + "[engine]\nmsl_ms = 01000\n", [],
     ["@CFG@:4:", "[engine] msl_ms = 01000"], 1),
    ("inner blank", HEAD + "[engine]\nmsl_ms = 1 000\n", [],
     ["@CFG@:4:", "[engine] msl_ms = 1 000"], 1),
    ("empty list field", "[ports]\nnames = net_pcap0,,\n", [],
     ["@CFG@:2:", "[ports] names = net_pcap0,,", "empty"], 1),
    ("empty prefix field", HEAD + "[engine]\nlocal_prefixes = ,198.18.0.0/24\n", [],
     ["@CFG@:4:", "local_prefixes = ,198.18.0.0/24", "empty"], 1),
    ("prefix with host bits", HEAD + "[engine]\nlocal_prefixes = 198.18.0.1/24\n", [],
     ["@CFG@:4:", "198.18.0.1/24", "host bits", "198.18.0.0/24"], 1),
    ("IPv6 prefix with host bits", HEAD + "[engine]\nlocal_prefixes = 2001:db8::1/64\n", [],
     ["@CFG@:4:", "2001:db8::1/64", "host bits", "2001:db8::/64"], 1),
    ("key twice", HEAD + "[engine]\nmsl_ms = 1000\nmsl_ms = 2000\n", [],
     ["@CFG@:5:", "given twice", "line 4"], 1),
    ("unknown key", HEAD + "[engine]\nbogus = 1\n", [], ["@CFG@:4:", "unknown key bogus"], 1),
    ("--replay-exit against exit_idle_ms = 0", HEAD + "[replay]\nexit_idle_ms = 0\n",
     ["--replay-exit"], ["--replay-exit", "@CFG@:4:", "exit_idle_ms = 0"], 2),
    ("option with leading +", HEAD, ["--msl-ms", "+5"], ["option --msl-ms", "+5"], 2),
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

        print("== config files rte_cfgfile would misread: refused with file and line")
        for i, (name, text, opts, words, want_rc) in enumerate(RAW_CASES):
            cfg = h.path("raw%d.ini" % i)
            with open(cfg, "wb") as f:
                f.write(text.encode("latin-1"))
            words = [w.replace("@CFG@", cfg) for w in words]
            tag = "raw%d" % i
            rc, out, err = h.run(h.twq_cmd(h.prefix(tag), ["net_pcap0,rx_pcap=%s" % rx],
                                           ["--config", cfg] + opts), tag, timeout=30)
            crash = rc < 0 or rc >= 128 or "Segmentation" in err or "Aborted" in err
            msg = [l for l in err.splitlines() if all(w in l for w in words)]
            h.check(rc == want_rc and not crash and msg,
                    "%s: exit %d (want %d), stderr line naming %s: %r" %
                    (name, rc, want_rc, words, msg[0] if msg else err.strip()[-400:]))
        cfg_dir = h.path("conf.d")
        os.mkdir(cfg_dir)
        rc, out, err = h.run(h.twq_cmd(h.prefix("cfgdir"), ["net_pcap0,rx_pcap=%s" % rx],
                                       ["--config", cfg_dir]), "cfgdir", timeout=30)
        h.check(rc == 1 and cfg_dir in err and "is a directory" in err,
                "directory as --config: exit %d, %r" % (rc, err.strip()[-300:]))
        # Accepted as documented: a UTF-8 BOM, CRLF line ends, ';' comments, blanks.
        cfg = h.path("bom-crlf.ini")
        with open(cfg, "wb") as f:
            f.write(b"\xef\xbb\xbf[ports]\r\nnames = net_pcap0 ; the port\r\n\r\n"
                    b"[engine]\r\n\tmsl_ms\t=\t1234\r\n[replay]\r\nexit_idle_ms = 200\r\n")
        rc, out, err = h.run(h.twq_cmd(h.prefix("bom"), ["net_pcap0,rx_pcap=%s" % rx],
                                       ["--config", cfg]), "bom", timeout=30)
        h.check(rc == 0 and "msl 1234 ms" in out,
                "UTF-8 BOM, CRLF, comments and tabs accepted and read right: exit %d, %r" %
                (rc, [l for l in out.splitlines() if l.startswith("engine:")]))

        print("== --load of what is not a state file: refused at once, never read whole")
        fifo, big, link = h.path("fifo.twq"), h.path("big.twq"), h.path("link.twq")
        os.mkfifo(fifo)
        with open(big, "wb") as f:      # 1 GB sparse: zeros (no magic), no disk used
            f.truncate(1 << 30)
        garbage = h.path("garbage.twq")
        with open(garbage, "wb") as f:
            f.write(b"\x7fELF" + os.urandom(4092))
        real = h.path("real.twq")
        write_state(real, [fl.e])
        os.symlink(real, link)
        with open(h.path("l.ini"), "w") as f:
            f.write(ini(BASE))
        load_cases = [
            ("FIFO", fifo, ["fifo.twq", "not a regular file", "a FIFO"]),
            ("directory", h.tmp, ["not a regular file", "a directory"]),
            ("device", "/dev/zero", ["/dev/zero", "not a regular file", "a device"]),
            ("1 GB sparse file", big, ["big.twq", "not a dpdk-twq state file"]),
            ("garbage", garbage, ["garbage.twq", "not a dpdk-twq state file"]),
            ("symlink", link, ["link.twq", "symbolic link"]),
        ]
        for name, path, words in load_cases:
            tag = "load-" + name.split()[0].lower()
            tx = h.path(tag + "-tx.pcap")
            t0 = time.monotonic()
            try:
                rc, out, err = h.run(h.twq_cmd(h.prefix(tag), ["net_pcap0,rx_pcap=%s,tx_pcap=%s"
                                                                % (rx, tx)],
                                               ["--config", h.path("l.ini"), "--load", path,
                                                "--replay-exit"]), tag, timeout=20)
            except twqtest.Fail as e:
                h.check(False, "--load %s: %s" % (name, e))
                continue
            dt = time.monotonic() - t0
            crash = rc < 0 or rc >= 128 or "Segmentation" in err or "Aborted" in err
            msg = [l for l in err.splitlines() if all(w in l for w in words)]
            h.check(rc == 1 and not crash and msg and dt < 2.0,
                    "--load %s: exit %d in %.2f s (want 1, under 2 s), message naming %s: %r"
                    % (name, rc, dt, words, msg[0] if msg else err.strip()[-300:]))
            h.check("state: loaded" not in out, "--load %s: nothing loaded" % name)

        print("== SIGTERM during the start (a load under way) stops it")
        many = h.path("many.twq")
        write_state(many, [Entry("198.18.9.1", 80, "198.19.%d.%d" % (i // 250, i % 250 + 1),
                                 1024 + i % 60000, 1, 2, 3) for i in range(50000)])
        with open(h.path("many.ini"), "w") as f:
            f.write(ini(with_key("engine", "capacity", "65536")))
        pfx = h.prefix("sigload")
        app = h.start(h.twq_cmd(pfx, ["net_pcap0,rx_pcap=%s" % rx],
                                ["--config", h.path("many.ini"), "--load", many]), "sigload")
        twqtest.wait_for(lambda: "engine:" in h.read("sigload.out"), 20, "start-up", [app])
        app.send_signal(15)
        rc, out, err = h.wait(app, 10)
        h.check(rc in (0, 1), "SIGTERM at start: exit %d (0 or 1), not hung or killed" % rc)

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
