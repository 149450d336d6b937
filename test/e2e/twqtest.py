# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Shared plumbing of the end-to-end tests: processes, EAL arguments, telemetry, tshark.

Every test runs inside `with Harness("name") as h:` which, even on failure or timeout, kills
the processes it started (by pid), deletes the network namespaces it made, the DPDK runtime
directories of its file prefixes and its temporary directory.

Exit codes: 0 pass, 1 fail, 77 skip (a needed tool is absent).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(os.path.dirname(HERE), "scenarios")
sys.path.insert(0, SCEN)

SKIP = 77
TELEMETRY = shutil.which("dpdk-telemetry.py") or "/usr/bin/dpdk-telemetry.py"
TSHARK = shutil.which("tshark")
TESTPMD = shutil.which("dpdk-testpmd")
RUNTIME_DIR = "/var/run/dpdk"


class Fail(Exception):
    pass


def need(path, what):
    if not path or not os.path.exists(path):
        print("SKIP: %s not found (%s)" % (what, path))
        sys.exit(SKIP)


class Harness:
    def __init__(self, name):
        self.name = name
        self.app = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
        self.procs = []
        self.by_prefix = {}
        self.prefixes = []
        self.netns = []
        self.failures = []
        self.tmp = None
        self.t0 = time.monotonic()

    # --- lifetime ---
    def __enter__(self):
        if self.app is None or not os.access(self.app, os.X_OK):
            print("FAIL: usage: %s PATH-TO-dpdk-twq (got %r)" % (sys.argv[0], self.app))
            sys.exit(1)
        self.tmp = tempfile.mkdtemp(prefix="twq-e2e-%s-" % self.name)
        return self

    def __exit__(self, et, ev, tb):
        for p in self.procs:
            if p.poll() is None:
                try:
                    p.terminate()
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
                except OSError:
                    pass
            for f in (p.stdout, p.stderr, p.stdin):
                if f and hasattr(f, "close"):
                    try:
                        f.close()
                    except OSError:
                        pass
        if et is not None or self.failures:
            for p in self.procs:
                for ext in (".out", ".err"):
                    txt = self.read(p.tag + ext)
                    if txt:
                        print("---- %s%s (last 3000 chars) ----\n%s" % (p.tag, ext, txt[-3000:]))
        for ns in self.netns:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        for pfx in self.prefixes:
            shutil.rmtree(os.path.join(RUNTIME_DIR, pfx), ignore_errors=True)
        if self.tmp and not os.environ.get("TWQ_E2E_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp:
            print("kept %s" % self.tmp)
        if et is Fail:
            print("FAIL: %s" % ev)
            sys.exit(1)
        if et is not None and et is not SystemExit:
            return False
        if et is None:
            self.finish()
        return False

    def finish(self):
        dt = time.monotonic() - self.t0
        if self.failures:
            print("\n%d check(s) failed in %.1f s:" % (len(self.failures), dt))
            for f in self.failures:
                print("  - " + f)
            sys.exit(1)
        print("PASS %s (%.1f s)" % (self.name, dt))
        sys.exit(0)

    # --- checks ---
    def check(self, cond, what):
        if cond:
            print("  ok   " + what)
        else:
            print("  FAIL " + what)
            self.failures.append(what)
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, "%s: got %r, want %r" % (what, got, want))

    # --- files ---
    def path(self, name):
        return os.path.join(self.tmp, name)

    def prefix(self, tag):
        p = "twq-e2e-%s-%s-%d" % (self.name, tag, os.getpid())
        self.prefixes.append(p)
        return p

    # --- processes ---
    def eal(self, prefix, vdevs, mem=256, lcores="0@0,1@1"):
        a = ["--no-huge", "--no-pci", "-m", str(mem), "--file-prefix", prefix,
             "--lcores", lcores, "--log-level", "*:notice"]
        for v in vdevs:
            a += ["--vdev", v]
        return a

    def twq_cmd(self, prefix, vdevs, args, mem=256, lcores="0@0,1@1", netns=None):
        cmd = [self.app] + self.eal(prefix, vdevs, mem, lcores) + ["--"] + list(args)
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        return cmd

    def start(self, cmd, tag, stdin=subprocess.DEVNULL):
        out = open(self.path(tag + ".out"), "w+")
        err = open(self.path(tag + ".err"), "w+")
        print("$ " + " ".join(cmd))
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=stdin)
        p.tag = tag
        self.procs.append(p)
        if "--file-prefix" in cmd:
            self.by_prefix[cmd[cmd.index("--file-prefix") + 1]] = p
        return p

    def wait(self, p, timeout):
        """Wait for p; on timeout kill it and fail. Returns (rc, stdout, stderr)."""
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)
            raise Fail("%s did not finish within %s s" % (p.tag, timeout))
        return rc, self.read(p.tag + ".out"), self.read(p.tag + ".err")

    def read(self, name):
        try:
            with open(self.path(name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def run(self, cmd, tag, timeout=30):
        return self.wait(self.start(cmd, tag), timeout)

    def stop(self, p, timeout=15, sig=signal.SIGTERM):
        if p.poll() is None:
            p.send_signal(sig)
        return self.wait(p, timeout)

    def dump(self, tag):
        print("---- %s stdout ----\n%s---- %s stderr ----\n%s----" %
              (tag, self.read(tag + ".out"), tag, self.read(tag + ".err")))

    # --- telemetry ---
    def telemetry(self, prefix, cmd, timeout=10):
        """Send one command with dpdk-telemetry.py; return its value (dict)."""
        key = cmd.split(",", 1)[0]
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            owner = self.by_prefix.get(prefix)
            if owner is not None and owner.poll() is not None:
                raise Fail("telemetry %s: %s (prefix %s) has exited with status %d" %
                           (cmd, owner.tag, prefix, owner.returncode))
            r = subprocess.run([sys.executable, TELEMETRY, "-f", prefix], input=cmd + "\n",
                               capture_output=True, text=True, timeout=10)
            last = r.stdout + r.stderr
            for line in r.stdout.splitlines():
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                if key in d and isinstance(d[key], dict):
                    return d[key]
            time.sleep(0.2)
        raise Fail("telemetry %s on %s gave no answer: %s" % (cmd, prefix, last[-500:]))

    def poll_stats(self, prefix, cond, timeout=15, what="condition"):
        deadline = time.monotonic() + timeout
        st = {}
        while time.monotonic() < deadline:
            st = self.telemetry(prefix, "/twq/stats")
            if cond(st):
                return st
            time.sleep(0.1)
        raise Fail("timed out waiting for %s; last /twq/stats: %s" % (what, st))

    # --- network namespaces ---
    def make_netns(self, tag):
        ns = "twqe2e-%s-%d" % (tag, os.getpid())
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        r = subprocess.run(["ip", "netns", "add", ns], capture_output=True, text=True)
        if r.returncode != 0:
            raise Fail("ip netns add %s: %s" % (ns, r.stderr))
        self.netns.append(ns)
        return ns

    def ns_run(self, ns, cmd):
        r = subprocess.run(["ip", "netns", "exec", ns] + cmd, capture_output=True, text=True,
                           timeout=30)
        if r.returncode != 0:
            raise Fail("in %s: %s: %s" % (ns, " ".join(cmd), r.stderr))
        return r.stdout


# --- tshark ---
FIELDS = ["frame.number", "frame.len", "vlan.id", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "ip.ttl", "ipv6.hlim", "ip.checksum.status", "tcp.srcport", "tcp.dstport",
          "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.window_size_value", "tcp.len",
          "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
          "tcp.checksum.status", "tcp.hdr_len"]
INT_FIELDS = {"frame.number", "frame.len", "vlan.id", "ip.ttl", "ipv6.hlim", "tcp.srcport",
              "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.window_size_value", "tcp.len",
              "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
              "ip.checksum.status", "tcp.checksum.status", "tcp.hdr_len"}


def decode(pcap):
    """Every frame of a capture as a dict of FIELDS (None where absent), checksums verified."""
    if not os.path.exists(pcap) or os.path.getsize(pcap) == 0:
        return []
    cmd = [TSHARK, "-r", pcap, "-n", "-o", "tcp.check_checksum:TRUE",
           "-o", "ip.check_checksum:TRUE", "-o", "tcp.relative_sequence_numbers:FALSE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Fail("tshark -r %s: %s" % (pcap, r.stderr))
    out = []
    for line in r.stdout.splitlines():
        vals = line.split("\t")
        d = {}
        for f, v in zip(FIELDS, vals + [""] * (len(FIELDS) - len(vals))):
            if v == "":
                d[f] = None
            elif f == "tcp.flags":
                d[f] = int(v, 16)
            elif f in INT_FIELDS:
                d[f] = int(v, 0)
            else:
                d[f] = v
        d["src"] = d["ip.src"] or d["ipv6.src"]
        d["dst"] = d["ip.dst"] or d["ipv6.dst"]
        out.append(d)
    return out


def norm_addr(a):
    import ipaddress
    return str(ipaddress.ip_address(a)) if a else a


def check_reply(h, got, exp, label):
    """Compare one decoded reply with an expectation of segments.Flow.expected_*()."""
    ok = True
    fields = [("src", norm_addr(got["src"]), norm_addr(exp["src"])),
              ("dst", norm_addr(got["dst"]), norm_addr(exp["dst"])),
              ("tcp.srcport", got["tcp.srcport"], exp["sport"]),
              ("tcp.dstport", got["tcp.dstport"], exp["dport"]),
              ("tcp.seq_raw", got["tcp.seq_raw"], exp["seq"]),
              ("tcp.ack_raw", got["tcp.ack_raw"], exp["ack"]),
              ("tcp.flags", got["tcp.flags"], exp["flags"]),
              ("tcp.window_size_value", got["tcp.window_size_value"], exp["win"]),
              ("tcp.len", got["tcp.len"], 0),
              ("tcp.checksum.status (1 = good)", got["tcp.checksum.status"], 1),
              ("vlan.id", got["vlan.id"], exp["vlan"]),
              ("has TS option", got["tcp.options.timestamp.tsval"] is not None, exp["has_ts"])]
    if exp["has_ts"]:
        fields.append(("tcp.options.timestamp.tsecr", got["tcp.options.timestamp.tsecr"],
                       exp["tsecr"]))
    if got["ip.src"]:
        fields.append(("ip.checksum.status (1 = good)", got["ip.checksum.status"], 1))
        fields.append(("ip.ttl", got["ip.ttl"], 64))
    else:
        fields.append(("ipv6.hlim", got["ipv6.hlim"], 64))
    bad = ["%s %r != %r" % (n, g, w) for n, g, w in fields if g != w]
    ok = h.check(not bad, "%s: reply %s" % (label, "; ".join(bad) if bad else
                 "fields as expected (seq %d ack %d flags 0x%02x win %d%s)" %
                 (exp["seq"], exp["ack"], exp["flags"], exp["win"],
                  " tsecr %d" % exp["tsecr"] if exp["has_ts"] else "")))
    return ok


def check_replies(h, replies, expected, label=""):
    """replies (decoded, output order) against [(label, expectation)] in input order."""
    h.eq(len(replies), len(expected), "%snumber of replies" % label)
    for i, (lab, exp) in enumerate(expected):
        if i >= len(replies):
            h.check(False, "%s: no reply (expected %s)" % (lab, exp))
            continue
        check_reply(h, replies[i], exp, lab)


def parse_final_stats(text):
    """The engine counters and drops of the app's final statistics block."""
    d = {}
    i = text.rfind("final statistics")
    if i < 0:
        return d
    text = text[i:]
    m = re.search(r"drops by reason:(.*)", text)
    if m:
        toks = m.group(1).split()
        if toks != ["none"]:
            for k, v in zip(toks[0::2], toks[1::2]):
                d["drop_" + k] = int(v)
    m = re.search(r"  engine:(.*?)\n  entries:", text, re.S)
    if m:
        toks = m.group(1).split()
        for k, v in zip(toks[0::2], toks[1::2]):
            d[k] = int(v)
    m = re.search(r"worker 0 \(lcore \d+\) rx: (\d+)  tx: (\d+)", text)
    if m:
        d["rx"], d["tx"] = int(m.group(1)), int(m.group(2))
    return d


def send_frames_cmd(iface, frames):
    """A command that sends frames (bytes or Scapy packets) on iface with a raw socket; it
    starts fast (no Scapy import), for timing-sensitive injection."""
    hexes = [bytes(f).hex() for f in frames]
    code = ("import socket\n"
            "s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\n"
            "s.bind((%r,0))\n"
            "for h in %r: s.send(bytes.fromhex(h))\n") % (iface, hexes)
    return ["/usr/bin/python3", "-S", "-c", code]


def config_value(cfg, section, key):
    """A key of /twq/config, whichever way the app names it (section.key, section_key, or
    nested)."""
    for k in ("%s.%s" % (section, key), "%s_%s" % (section, key)):
        if k in cfg:
            return cfg[k]
    sub = cfg.get(section)
    if isinstance(sub, dict):
        return sub.get(key)
    return None
