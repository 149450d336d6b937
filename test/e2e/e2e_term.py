#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_term: real Linux clients against dpdk-twq's termination path, over net_tap in a
network namespace (test/e2e/tapnet.py), the kernel's TCP as the client.

    e2e_term.py APP curl         curl over IPv4 and IPv6: the body byte-identical to
                                 body_file; dpdk-twq closed first, so the connection is in
                                 its TIME_WAIT table (/twq/lookup, started > 0)
    e2e_term.py APP reuse        curl --local-port P twice in a row: the second goes through
    e2e_term.py APP reuse6191    our TIME_WAIT entry at once (reopen counted), [engine]
                                 rfc6191 off / on
    e2e_term.py APP ab           ab -n 300 -c 10: every request answered, started equals the
                                 connections we closed, entries expire after 2MSL
    e2e_term.py APP big          a 1 MiB body, byte-identical
    e2e_term.py APP killed       a client killed mid-request: the connection is reaped by the
                                 idle timeout
    e2e_term.py APP keepalive    keepalive_requests = 3: three requests on one connection
    e2e_term.py APP full         [listen] capacity 64, 80 clients: 64 live, the rest refused
    e2e_term.py APP flood        a SYN flood from addresses inside the namespace (Scapy): at
                                 most one SYN-ACK per SYN, no live connection made, counted
Every mode also captures the tap and has tshark check that nothing is malformed and no
checksum is wrong.
"""

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, Fail, need, wait_for, parse_final_stats  # noqa: E402
from tapnet import TapNet, PEER4, TWQ4, PEER6, TWQ6, CURL, AB, DUMPCAP  # noqa: E402
from e2e_tapnet import tshark_problems, tshark_count  # noqa: E402

PORT = 80


def write_ini(h, body, extra="", engine="", closed="", conns=1024):
    path = h.path("term.ini")
    with open(path, "w") as f:
        f.write("[ports]\nnames = net_tap0\n"
                "[engine]\nmsl_ms = 2000\ncapacity = 4096\ncapacity6 = 1024\n%s"
                "[control]\nscan_interval_ms = 50\n[closed]\n%s"
                "[listen]\naddresses = %s, %s\nports = %d\nbody_file = %s\n"
                "content_type = text/plain\ncapacity = %d\n%s" %
                (engine, closed, TWQ4, TWQ6, PORT, body, conns, extra))
    return path


def body_file(h, size, seed=1):
    rnd = random.Random(seed)
    data = bytes(rnd.getrandbits(8) for _ in range(size)) if size < 4096 else \
        (b"dpdk-twq says hello\n" * (size // 20 + 1))[:size]
    path = h.path("body-%d.bin" % size)
    with open(path, "wb") as f:
        f.write(data)
    return path, data


def start(h, tag, ini):
    net = TapNet(h, tag)
    p = net.start_twq(["--config", ini], mem=512)
    net.wait_up()
    return net, p


def stats(h, net):
    return h.telemetry(net.prefix, "/twq/stats")


def curl(net, url, tag, extra=(), v6=False, timeout=20):
    out = net.h.path(tag + ".body")
    argv = [CURL, "-sS", "--max-time", "10", "-o", out, "-D", net.h.path(tag + ".hdr"),
            "-w", "%{http_code} %{local_port}"] + list(extra) + [url]
    rc, o, e = net.run(argv, tag, timeout=timeout)
    data = open(out, "rb").read() if os.path.exists(out) else b""
    return rc, o.strip(), e, data


def lookup(h, net, laddr, lport, raddr, rport):
    return h.telemetry(net.prefix, "/twq/lookup,%s,%d,%s,%d" % (laddr, lport, raddr, rport))


def check_capture(h, pcap, label=""):
    bad = tshark_problems(pcap)
    h.check(not bad, "%stshark: no malformed frame, no bad checksum (%d problems) %s" %
            (label, len(bad), bad[:3]))


def finish(h, net, p):
    rc, out, err = h.stop(p, timeout=30)
    h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")
    return parse_final_stats(out), out


def mode_curl(h):
    path, data = body_file(h, 3000)
    net, p = start(h, "curl", write_ini(h, path))
    cap = net.capture("curl")
    for v6, host in ((False, TWQ4), (True, "[%s]" % TWQ6)):
        fam = "IPv6" if v6 else "IPv4"
        rc, o, e, got = curl(net, "http://%s:%d/index.html" % (host, PORT), "curl-" + fam)
        h.eq(rc, 0, "curl over %s exit status (%s)" % (fam, e.strip()[-200:]))
        code, lport = (o.split() + ["", ""])[:2]
        h.eq(code, "200", "curl over %s: HTTP status" % fam)
        h.check(got == data, "curl over %s: body byte-identical (%d bytes, sha1 %s)" %
                (fam, len(got), hashlib.sha1(got).hexdigest()[:12]))
        hdr = open(h.path("curl-%s.hdr" % fam), errors="replace").read()
        h.check("Content-Length: %d" % len(data) in hdr and "Connection: close" in hdr,
                "curl over %s: headers %r" % (fam, hdr.strip().splitlines()))
        if lport.isdigit():
            e = wait_for(lambda: lookup(h, net, TWQ6 if v6 else TWQ4, PORT,
                                        PEER6 if v6 else PEER4, int(lport))
                         .get("state") == "TIME_WAIT" or None, 5,
                         "the %s connection in our TIME_WAIT" % fam, [p])
            h.check(e, "/twq/lookup: the %s connection (local port %s) is in TIME_WAIT here"
                    % (fam, lport))
    st = stats(h, net)
    h.check(st.get("started", 0) >= 2, "engine started %s >= 2" % st.get("started"))
    h.check(st.get("handoffs", 0) >= 2, "handoffs %s >= 2" % st.get("handoffs"))
    h.eq(st.get("term_responses"), 2, "term_responses")
    h.eq(st.get("conns"), 0, "no live connection left")
    check_capture(h, net.stop_capture(cap))
    finish(h, net, p)


def mode_reuse(h, rfc6191):
    path, data = body_file(h, 500)
    net, p = start(h, "reuse", write_ini(h, path, engine="rfc6191 = %s\n" %
                                         ("on" if rfc6191 else "off")))
    cap = net.capture("reuse")
    lport = 40000 + os.getpid() % 20000
    url = "http://%s:%d/" % (TWQ4, PORT)
    rc1, o1, e1, got1 = curl(net, url, "first", ["--local-port", str(lport)])
    h.eq(rc1, 0, "first curl --local-port %d (%s)" % (lport, e1.strip()[-200:]))
    h.check(got1 == data, "first curl: body byte-identical")
    wait_for(lambda: lookup(h, net, TWQ4, PORT, PEER4, lport).get("state") == "TIME_WAIT"
             or None, 5, "the first connection in TIME_WAIT", [p])
    st0 = stats(h, net)
    t0 = time.monotonic()
    rc2, o2, e2, got2 = curl(net, url, "second", ["--local-port", str(lport)])
    dt = time.monotonic() - t0
    h.eq(rc2, 0, "second curl from the same port (%s)" % e2.strip()[-200:])
    h.check(got2 == data, "second curl: body byte-identical")
    # "at once": no SYN retransmission (Linux retries after 1 s).
    h.check(dt < 0.9, "second curl through our TIME_WAIT entry at once (%.3f s)" % dt)
    st = stats(h, net)
    reopened = (st.get("syn_reopen", 0) + st.get("syn_ts_reopen", 0)) - \
        (st0.get("syn_reopen", 0) + st0.get("syn_ts_reopen", 0))
    h.eq(reopened, 1, "engine syn_reopen + syn_ts_reopen (rfc6191 %s)" %
         ("on" if rfc6191 else "off"))
    # Linux's SYN carries timestamps: RFC 6191's rule when on, the seed's sequence rule off.
    key = "syn_ts_reopen" if rfc6191 else "syn_reopen"
    h.eq(st.get(key, 0) - st0.get(key, 0), 1, "reopened by %s" % key)
    h.eq(st.get("term_reopen", 0) - st0.get("term_reopen", 0), 1, "term_reopen")
    h.eq(st.get("reopen", 0) - st0.get("reopen", 0), 1, "worker reopen")
    h.eq(st.get("closed_rst", 0), 0, "no closed-port RST")
    pcap = net.stop_capture(cap)
    syns = tshark_count(pcap, "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.srcport == %d"
                        % lport)
    h.eq(syns, 2, "two SYNs from port %d on the wire (no retry)" % lport)
    check_capture(h, pcap)
    finish(h, net, p)


def mode_ab(h):
    need(AB, "ab (apache2-utils)")
    path, data = body_file(h, 1000)
    net, p = start(h, "ab", write_ini(h, path))
    cap = net.capture("ab", "tcp")
    n = 300
    rc, out, err = net.run([AB, "-n", str(n), "-c", "10", "-s", "10",
                            "http://%s:%d/" % (TWQ4, PORT)], "ab", timeout=90)
    h.eq(rc, 0, "ab exit status (%s)" % err.strip()[-200:])
    m = re.search(r"Complete requests:\s+(\d+)", out)
    h.eq(int(m.group(1)) if m else None, n, "ab: complete requests")
    m = re.search(r"Failed requests:\s+(\d+)", out)
    h.eq(int(m.group(1)) if m else None, 0, "ab: failed requests")
    m = re.search(r"Requests per second:\s+([\d.]+)", out)
    print("  ab: %s requests/s" % (m.group(1) if m else "?"))
    st = wait_for(lambda: (lambda s: s if s.get("conns") == 0 else None)(stats(h, net)), 10,
                  "every connection closed", [p])
    h.eq(st.get("term_responses"), n, "term_responses")
    h.eq(st.get("started"), st.get("term_timewait"),
         "started equals the connections we closed (term_timewait)")
    h.eq(st.get("started"), n, "started")
    h.check(st.get("entries", 0) > 0 or st.get("expired", 0) > 0,
            "entries %s / expired %s" % (st.get("entries"), st.get("expired")))
    # 2MSL = 4 s: every entry gone after it (scan every 50 ms).
    st = wait_for(lambda: (lambda s: s if s.get("entries") == 0 else None)(stats(h, net)), 12,
                  "every entry expired after 2MSL", [p])
    h.eq(st.get("expired"), n, "expired after 2MSL")
    check_capture(h, net.stop_capture(cap))
    finish(h, net, p)


def mode_big(h):
    path, data = body_file(h, 1 << 20)
    net, p = start(h, "big", write_ini(h, path))
    cap = net.capture("big", "tcp")
    t0 = time.monotonic()
    rc, o, e, got = curl(net, "http://%s:%d/big" % (TWQ4, PORT), "big", timeout=40)
    dt = time.monotonic() - t0
    h.eq(rc, 0, "curl 1 MiB exit status (%s)" % e.strip()[-200:])
    h.check(got == data, "1 MiB body byte-identical (%d bytes in %.2f s)" % (len(got), dt))
    st = stats(h, net)
    h.check(st.get("term_data_bytes", 0) >= len(data), "term_data_bytes %s" %
            st.get("term_data_bytes"))
    print("  retransmissions: %s" % st.get("term_retrans"))
    check_capture(h, net.stop_capture(cap))
    finish(h, net, p)


def mode_killed(h):
    """A client killed mid-request (no blank line sent yet) whose FIN/RST never arrives (the
    tap is down when it dies): only the idle timeout can reap the connection. Until then it
    sends one more header line every 0.1 s, each of which restarts the idle timeout: the
    connection stays ESTABLISHED for as long as the checks below take, and for longer than
    idle_ms."""
    idle = 1500
    path, data = body_file(h, 100)
    net, p = start(h, "silent", write_ini(h, path, extra="idle_ms = %d\n" % idle))
    code = ("import socket,time\ns=socket.create_connection((%r,%d))\n"
            "s.setsockopt(socket.IPPROTO_TCP,socket.TCP_NODELAY,1)\n"
            "s.send(b'GET / HTTP/1.1\\r\\nHost: x\\r\\n')\n"
            "for i in range(600):\n    time.sleep(0.1)\n    s.send(b'X-More: %%d\\r\\n' %% i)\n"
            % (TWQ4, PORT))
    c = net.start(["/usr/bin/python3", "-c", code], "client")
    st = wait_for(lambda: (lambda s: s if s.get("conns_established") == 1 else None)(
        stats(h, net)), 10, "the connection ESTABLISHED", [p])
    u_est = st["uptime_ms"]
    # Telemetry sees the live connection: /twq/conns lists it, /twq/lookup finds it.
    conns = h.telemetry(net.prefix, "/twq/conns")
    lst = conns.get("list") or []
    h.check(len(lst) == 1 and lst[0].startswith("%s,%d,%s," % (TWQ4, PORT, PEER4)) and
            lst[0].endswith(" established"), "/twq/conns lists it: %r" % lst)
    if lst:
        lk = h.telemetry(net.prefix, "/twq/lookup," + lst[0].split()[0])
        h.eq(lk.get("state"), "established", "/twq/lookup finds the live connection")
        h.eq(lk.get("snd_nxt"), lk.get("snd_una"), "/twq/lookup: nothing sent yet")
    # Still there (in the app's time) more than idle_ms after it was seen ESTABLISHED: the
    # header lines keep restarting the idle timeout.
    st = wait_for(lambda: (lambda s: s if s["uptime_ms"] > u_est + 2 * idle else None)(
        stats(h, net)), 15, "uptime %d ms" % (u_est + 2 * idle), [p])
    h.check(st.get("conns_established") == 1 and st.get("term_idle_timeout") == 0,
            "still ESTABLISHED at uptime %d ms, %d ms after it was seen so (idle_ms %d): "
            "conns_established %s, term_idle_timeout %s" %
            (st["uptime_ms"], st["uptime_ms"] - u_est, idle, st.get("conns_established"),
             st.get("term_idle_timeout")))
    h.check(c.poll() is None, "the client still sending (exit status %s)" % c.returncode)
    # The tap goes down: nothing the kernel sends on close reaches dpdk-twq.
    net.ip("link", "set", net.iface, "down")
    os.kill(c.pid, signal.SIGKILL)
    c.wait(timeout=5)
    t0 = time.monotonic()
    st = wait_for(lambda: (lambda s: s if s.get("conns") == 0 else None)(stats(h, net)), 15,
                  "the connection reaped by the idle timeout", [p])
    h.eq(st.get("term_idle_timeout"), 1, "term_idle_timeout (after %.1f s)" %
         (time.monotonic() - t0))
    finish(h, net, p)


def mode_flood(h):
    path, data = body_file(h, 100)
    net, p = start(h, "flood", write_ini(h, path, closed="rst_rate = 100\nrst_burst = 20\n"))
    cap = net.capture("flood", "tcp")
    n = 500
    # Sources inside the namespace's own /24 (the kernel answers our SYN-ACKs with RSTs,
    # which must not create anything either).
    code = ("import logging\nlogging.getLogger('scapy.runtime').setLevel(logging.ERROR)\n"
            "from scapy.all import Ether, IP, TCP, sendp, conf\nconf.verb = 0\n"
            "pk = [Ether(dst=%r)/IP(src='198.18.0.%%d' %% (10 + i %% 200), dst=%r)/"
            "TCP(sport=1024 + i, dport=%d, flags='S', seq=i * 7919, "
            "options=[('MSS', 1460), ('WScale', 7), ('SAckOK', b''), ('Timestamp', (i, 0))])"
            " for i in range(%d)]\nsendp(pk, iface=%r)\n" %
            ("02:00:5e:12:00:02", TWQ4, PORT, n, net.iface))
    rc, o, e = net.run(["/usr/bin/python3", "-c", code], "scapy", timeout=60)
    h.eq(rc, 0, "scapy flood sent (%s)" % e.strip()[-200:])
    st = wait_for(lambda: (lambda s: s if s.get("term_cookie_sent", 0) +
                           s.get("term_rst_limited", 0) >= n else None)(stats(h, net)), 10,
                  "every SYN answered or counted", [p])
    h.check(st.get("term_cookie_sent", 0) <= n, "SYN-ACKs %s <= SYNs %d" %
            (st.get("term_cookie_sent"), n))
    h.eq(st.get("conns"), 0, "no live connection made")
    h.eq(st.get("term_accepted"), 0, "term_accepted")
    pcap = net.stop_capture(cap)
    synacks = tshark_count(pcap, "tcp.flags.syn == 1 && tcp.flags.ack == 1 && "
                           "ip.src == %s" % TWQ4)
    h.check(synacks <= n, "SYN-ACKs on the wire %d <= %d" % (synacks, n))
    h.eq(synacks, st.get("term_cookie_sent"), "SYN-ACKs on the wire = term_cookie_sent")
    check_capture(h, pcap)
    # ACKs to a closed port from spoofed sources: RSTs at most burst + rate x time, the rest
    # withheld and counted ([closed] rst_rate = 100, rst_burst = 20).
    code2 = code.replace("dport=%d, flags='S'" % PORT, "dport=81, flags='A'")
    t0 = time.monotonic()
    rc, o, e = net.run(["/usr/bin/python3", "-c", code2], "scapy-ack", timeout=60)
    dt = time.monotonic() - t0
    h.eq(rc, 0, "scapy ACK flood to a closed port sent")
    st = wait_for(lambda: (lambda s: s if s.get("closed_rst", 0) +
                           s.get("closed_rst_limited", 0) >= n else None)(stats(h, net)), 10,
                  "every closed-port ACK answered or withheld", [p])
    h.check(st.get("closed_rst", 0) <= 20 + 100 * (dt + 1),
            "closed-port RSTs %s <= 20 + 100/s x %.1f s" % (st.get("closed_rst"), dt))
    h.check(st.get("closed_rst_limited", 0) >= n - 20 - 100 * (dt + 1),
            "closed_rst_limited %s" % st.get("closed_rst_limited"))
    finish(h, net, p)


def mode_keepalive(h):
    """keepalive_requests = 3: curl fetches three URLs over one connection; the third
    response says Connection: close and carries our FIN."""
    path, data = body_file(h, 700)
    net, p = start(h, "keep", write_ini(h, path, extra="keepalive_requests = 3\n"))
    cap = net.capture("keep", "tcp")
    url = "http://%s:%d/" % (TWQ4, PORT)
    out = h.path("keep.body")
    rc, o, e = net.run([CURL, "-sS", "--max-time", "10", "-o", out, "-o", out + "2", "-o",
                        out + "3", "-w", "%{num_connects} ", url + "a", url + "b", url + "c"],
                       "keep", timeout=30)
    h.eq(rc, 0, "curl three URLs (%s)" % e.strip()[-200:])
    bodies = [open(f, "rb").read() if os.path.exists(f) else b"" for f in
              (out, out + "2", out + "3")]
    h.check(all(b == data for b in bodies), "three bodies byte-identical (%s)" %
            [len(b) for b in bodies])
    h.eq(o.split(), ["1", "0", "0"], "curl: one connection made, reused twice")
    st = wait_for(lambda: (lambda s: s if s.get("conns") == 0 else None)(stats(h, net)), 5,
                  "the connection closed", [p])
    h.eq(st.get("term_accepted"), 1, "term_accepted")
    h.eq(st.get("term_responses"), 3, "term_responses")
    h.eq(st.get("started"), 1, "one TIME_WAIT entry started")
    check_capture(h, net.stop_capture(cap))
    finish(h, net, p)


def mode_full(h):
    """[listen] capacity = 64: 80 clients hold half-sent requests; 64 live connections, the
    others refused with a RST (term_table_full), nothing overwritten, no crash."""
    path, data = body_file(h, 100)
    net, p = start(h, "full", write_ini(h, path, conns=64))
    code = ("import socket,time\nss=[]\nfor i in range(80):\n"
            "    try:\n"
            "        s=socket.socket(); s.settimeout(5); s.connect((%r,%d))\n"
            "        s.send(b'GET / HTTP/1.1\\r\\n'); ss.append(s)\n"
            "    except OSError:\n        pass\n"
            "    time.sleep(0.01)\ntime.sleep(30)\n" % (TWQ4, PORT))
    c = net.start(["/usr/bin/python3", "-c", code], "clients")
    st = wait_for(lambda: (lambda s: s if s.get("term_table_full", 0) >= 16 else None)(
        stats(h, net)), 20, "16 connections refused", [p])
    h.eq(st.get("conns"), 64, "live connections: the capacity")
    h.eq(st.get("term_accepted"), 64, "term_accepted")
    h.check(st.get("term_table_full", 0) >= 16, "term_table_full %s >= 16" %
            st.get("term_table_full"))
    os.kill(c.pid, signal.SIGKILL)
    c.wait(timeout=5)
    finish(h, net, p)


MODES = {
    "full": mode_full,
    "keepalive": mode_keepalive,
    "curl": mode_curl,
    "reuse": lambda h: mode_reuse(h, False),
    "reuse6191": lambda h: mode_reuse(h, True),
    "ab": mode_ab,
    "big": mode_big,
    "killed": mode_killed,
    "flood": mode_flood,
}


def main():
    mode = sys.argv[2] if len(sys.argv) > 2 else "curl"
    need(twqtest.TSHARK, "tshark")
    need(DUMPCAP, "dumpcap")
    need(CURL, "curl")
    with Harness("term-" + mode) as h:
        MODES[mode](h)


if __name__ == "__main__":
    main()
