#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_listen: several listeners that differ in response ([listen] and [listen.NAME]).

    e2e_listen.py APP two       [listen] on port 80 and [listen.api] on port 8080, each with
                                its own body and Content-Type (and [listen.raw] in raw mode
                                on 7000): curl (and a raw TCP client) to each port over net_tap
                                gets its own body byte-identical and its own Content-Type;
                                the banner, /twq/config and responses_<listener> show each
    e2e_listen.py APP dupport   a port in two listeners, and a [listen.NAME] without
                                ports: refused at start, exit 1, with the file's line numbers
"""

import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, need  # noqa: E402
from tapnet import TWQ4, TWQ6, CURL, DUMPCAP  # noqa: E402
from e2e_term import body_file, start, curl, check_capture, finish  # noqa: E402

BASE = ("[ports]\nnames = net_tap0\n"
        "[engine]\nmsl_ms = 2000\ncapacity = 4096\ncapacity6 = 1024\n"
        "[control]\nscan_interval_ms = 50\n")


def write(h, name, text):
    path = h.path(name)
    with open(path, "w") as f:
        f.write(text)
    return path


def header(hdr, name):
    for line in hdr.splitlines():
        if line.lower().startswith(name.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return None


def raw_get(net, port, tag):
    """A raw TCP client inside the namespace: send a line, read until the server closes."""
    code = ("import socket,sys\n"
            "s=socket.create_connection((%r,%d),timeout=10)\n"
            "s.sendall(b'hello\\r\\n')\n"
            "d=b''\n"
            "while True:\n"
            "    b=s.recv(65536)\n"
            "    if not b: break\n"
            "    d+=b\n" % (TWQ4, port))
    out = net.h.path(tag + ".out")
    rc, o, e = net.run(["/usr/bin/python3", "-c", code + "open(%r,'wb').write(d)\n" % out],
                       tag, timeout=20)
    return rc, e, open(out, "rb").read() if os.path.exists(out) else b""


def mode_two(h):
    web, web_data = body_file(h, 3000, seed=1)
    api, api_data = body_file(h, 700, seed=2)
    raw, raw_data = body_file(h, 300, seed=3)
    h.check(web_data != api_data, "the two bodies differ")
    ini = write(h, "two.ini", BASE +
                "[listen]\naddresses = %s, %s\nports = 80\nbody_file = %s\n"
                "content_type = text/html\n"
                "[listen.api]\nports = 8080, 8081\nbody_file = %s\n"
                "content_type = application/json\nkeepalive_requests = 2\n"
                "[listen.raw]\nports = 7000\nbody_file = %s\nmode = raw\n" %
                (TWQ4, TWQ6, web, api, raw))
    net, p = start(h, "two", ini)
    cap = net.capture("two")
    cases = (("web", TWQ4, 80, web_data, "text/html", "Connection: close"),
             ("api", TWQ4, 8080, api_data, "application/json", None),
             ("api6", "[%s]" % TWQ6, 8081, api_data, "application/json", None))
    for tag, host, port, data, ctype, conn in cases:
        rc, o, e, got = curl(net, "http://%s:%d/x" % (host, port), "curl-" + tag)
        h.eq(rc, 0, "curl %s (port %d) exit status (%s)" % (tag, port, e.strip()[-200:]))
        h.eq(o.split()[0] if o else "", "200", "curl %s: HTTP status" % tag)
        h.check(got == data, "curl %s (port %d): its own body, byte-identical (%d bytes, "
                "sha1 %s)" % (tag, port, len(got), hashlib.sha1(got).hexdigest()[:12]))
        hdr = open(h.path("curl-%s.hdr" % tag), errors="replace").read()
        h.eq(header(hdr, "Content-Type"), ctype, "curl %s: its own Content-Type" % tag)
        h.eq(header(hdr, "Content-Length"), str(len(data)), "curl %s: Content-Length" % tag)
        if conn is not None:
            h.check(conn in hdr, "curl %s: %s" % (tag, conn))
    rc, e, got = raw_get(net, 7000, "raw")
    h.eq(rc, 0, "raw client on port 7000 exit status (%s)" % e.strip()[-200:])
    h.check(got == raw_data, "raw listener: the body's bytes as they are (%d bytes, want %d)"
            % (len(got), len(raw_data)))
    st = h.poll_stats(net.prefix, lambda s: s.get("term_responses", 0) >= 4, 10,
                      "every response acknowledged")
    h.eq(st.get("responses_listen"), 1, "responses_listen ([listen], one curl)")
    h.eq(st.get("responses_listen_api"), 2, "responses_listen_api ([listen.api], two curls)")
    h.eq(st.get("responses_listen_raw"), 1, "responses_listen_raw ([listen.raw])")
    h.eq(st.get("term_responses"), 4, "term_responses, all listeners")
    cfg = h.telemetry(net.prefix, "/twq/config")
    api_cfg = cfg.get("listen/api", {})
    h.eq((api_cfg.get("ports"), api_cfg.get("body_file"), api_cfg.get("content_type"),
          api_cfg.get("mode"), api_cfg.get("keepalive_requests")),
         ("8080, 8081", api, "application/json", "http", 2), "/twq/config listen/api")
    h.eq(cfg.get("listen/raw", {}).get("mode"), "raw", "/twq/config listen/raw mode")
    h.eq(cfg.get("listen", {}).get("content_type"), "text/html", "/twq/config [listen]")
    check_capture(h, net.stop_capture(cap))
    final, out = finish(h, net, p)
    # the banner is rte_log's (twq.app, INFO): on stderr, "TWQ: " first
    lines = [l[len("TWQ: "):] for l in h.read(p.tag + ".err").splitlines()
             if l.startswith("TWQ: listener ")]
    h.eq(len(lines), 3, "banner: one line per listener %r" % lines)
    want = ("listener 1 [listen.api]: ports 8080, 8081, http mode, body %s (700 bytes), "
            "type application/json, 2 request(s) per connection" % api)
    h.check(want in lines, "banner: %r" % want)
    h.check(any(l.startswith("listener 2 [listen.raw]: ports 7000, raw mode") for l in lines),
            "banner: the raw listener")


def refused(h, tag, text, words):
    ini = write(h, tag + ".ini", text)
    rc, out, err = h.run(h.twq_cmd(h.prefix(tag), ["net_null0"], ["--config", ini], mem=64),
                         tag, timeout=30)
    words = [w.replace("@CFG@", ini) for w in words]
    msg = [l for l in err.splitlines() if all(w in l for w in words)]
    h.check(rc == 1 and msg, "%s: exit %d (want 1), stderr line with %s: %r" %
            (tag, rc, words, msg[0] if msg else err.strip()[-400:]))


def mode_dupport(h):
    body = write(h, "b.txt", "x")
    listen = "[listen]\naddresses = 198.18.0.2\nports = 80, 443\nbody_file = %s\n" % body
    base = "[ports]\nnames = net_null0\n" + listen
    # Lines: [listen] 3, its ports 5; the first [listen.NAME] header is line 7.
    refused(h, "dup", base + "[listen.a]\nports = 8080\nbody_file = %s\n"
            "[listen.b]\nports = 9000, 443\nbody_file = %s\n" % (body, body),
            ["@CFG@:11:", "[listen.b] ports = 9000, 443", "port 443",
             "[listen] ports (line 5)"])
    refused(h, "dup2", base + "[listen.a]\nbody_file = %s\nports = 8080\n"
            "[listen.b]\nports = 8080\nbody_file = %s\n" % (body, body),
            ["@CFG@:11:", "port 8080", "[listen.a] ports (line 9)"])
    refused(h, "noports", base + "[listen.a]\nbody_file = %s\n" % body,
            ["@CFG@:7:", "[listen.a] has no ports"])
    refused(h, "badname", base + "[listen.a-b]\nports = 1\nbody_file = %s\n" % body,
            ["@CFG@:7:", "[listen.a-b]", "NAME"])
    refused(h, "widekey", base + "[listen.a]\nports = 1\nbody_file = %s\ncapacity = 9\n" % body,
            ["@CFG@:10:", "unknown key capacity in [listen.a]", "appliance-wide"])
    refused(h, "badport", base + "[listen.a]\nports = 1, 70000\nbody_file = %s\n" % body,
            ["@CFG@:8:", "[listen.a] ports = 1, 70000"])


MODES = {"two": mode_two, "dupport": mode_dupport}


def main():
    mode = sys.argv[2] if len(sys.argv) > 2 else "two"
    if mode == "two":
        need(twqtest.TSHARK, "tshark")
        need(DUMPCAP, "dumpcap")
        need(CURL, "curl")
    with Harness("listen-" + mode) as h:
        MODES[mode](h)


if __name__ == "__main__":
    main()
