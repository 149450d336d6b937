# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Shared plumbing of the end-to-end tests: processes, EAL arguments, telemetry, tshark.

Every test runs inside `with Harness("name") as h:` which, even on failure or timeout, kills
the processes it started (by pid), deletes the network namespaces it made, the DPDK runtime
directories of its file prefixes and its temporary directory. Runner (processes, prefixes,
clean-up), TelemetryClient, wait_for and parse_final_stats also serve
test/bench/bench_appliance.py.

Exit codes: 0 pass, 1 fail, 77 skip (a needed tool is absent).
"""

import json
import os
import re
import shutil
import signal
import socket
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


def wait_for(cond, timeout, what, procs=()):
    """Poll cond() every 0.1 s until it returns something true, and return that. Fails when
    one of procs exits first or after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        for p in procs:
            if p.poll() is not None:
                raise Fail("%s exited (status %s) while waiting for %s" %
                           (p.tag, p.returncode, what))
        if time.monotonic() > deadline:
            raise Fail("timed out (%d s) waiting for %s" % (timeout, what))
        time.sleep(0.1)


class Runner:
    """DPDK processes and what they leave behind. Processes are started with their output in
    files under tmp and are stopped by pid; cleanup() kills what is still running (a paused
    process is resumed first), deletes the DPDK runtime directories of the file prefixes made
    here and the files registered in self.files. Used by Harness (e2e tests) and by
    test/bench/bench_appliance.py."""

    def __init__(self, tmp, stem, say=print):
        self.tmp = tmp
        self.stem = stem            # file prefixes are <stem>-<tag>-<pid>
        self.say = say
        self.procs = []
        self.by_prefix = {}
        self.prefixes = []
        self.files = []
        self.paused = set()

    # --- files ---
    def path(self, name):
        return os.path.join(self.tmp, name)

    def prefix(self, tag):
        p = "%s-%s-%d" % (self.stem, tag, os.getpid())
        shutil.rmtree(os.path.join(RUNTIME_DIR, p), ignore_errors=True)
        self.prefixes.append(p)
        return p

    def read(self, name):
        try:
            with open(self.path(name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # --- processes ---
    def eal(self, prefix, vdevs, mem=256, lcores="0@0,1@1"):
        a = ["--no-huge", "--no-pci", "-m", str(mem), "--file-prefix", prefix,
             "--lcores", lcores, "--log-level", "*:notice", "--log-level", "twq.*:info"]
        for v in vdevs:
            a += ["--vdev", v]
        return a

    def start(self, cmd, tag, stdin=subprocess.DEVNULL):
        """Start cmd with stdout and stderr in <tmp>/<tag>.out and .err."""
        out = open(self.path(tag + ".out"), "w+")
        err = open(self.path(tag + ".err"), "w+")
        self.say("$ " + " ".join(cmd))
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=stdin)
        p.tag, p.out_file, p.err_file = tag, out, err
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

    def run(self, cmd, tag, timeout=30):
        return self.wait(self.start(cmd, tag), timeout)

    def stop(self, p, timeout=15, sig=signal.SIGTERM, enter=False):
        """Stop p with sig, or with Enter on its stdin (testpmd: start it with
        stdin=subprocess.PIPE), resuming it first if paused; wait as wait() does."""
        self.resume(p)
        if p.poll() is None:
            try:
                if enter:
                    p.stdin.write(b"\n")
                    p.stdin.flush()
                else:
                    p.send_signal(sig)
            except OSError:
                pass
        return self.wait(p, timeout)

    def pause(self, *ps):
        """SIGSTOP: every thread of each process stops (and uses no CPU) until resume()."""
        for p in ps:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGSTOP)
                self.paused.add(p)

    def resume(self, *ps):
        for p in ps:
            if p in self.paused:
                self.paused.discard(p)
                if p.poll() is None:
                    os.kill(p.pid, signal.SIGCONT)

    def dump(self, tag):
        print("---- %s stdout ----\n%s---- %s stderr ----\n%s----" %
              (tag, self.read(tag + ".out"), tag, self.read(tag + ".err")))

    def log_tails(self, n):
        """The last n characters of every process's stdout and stderr, for a failure."""
        out = []
        for p in self.procs:
            for ext in (".out", ".err"):
                txt = self.read(p.tag + ext)
                if txt.strip():
                    out.append("---- %s%s (last %d chars) ----\n%s" % (p.tag, ext, n, txt[-n:]))
        return "\n".join(out)

    def kill_all(self):
        """Kill (by pid) every process still running; close their files."""
        for p in self.procs:
            self.resume(p)
            if p.poll() is None:
                try:
                    p.terminate()
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
                except OSError:
                    pass
            for f in (p.stdin, getattr(p, "out_file", None), getattr(p, "err_file", None)):
                if f and hasattr(f, "close"):
                    try:
                        f.close()
                    except OSError:
                        pass

    def remove_runtime(self):
        """Delete the runtime directories of our file prefixes and the registered files."""
        for pfx in self.prefixes:
            shutil.rmtree(os.path.join(RUNTIME_DIR, pfx), ignore_errors=True)
        self.prefixes = []
        for f in self.files:
            try:
                os.unlink(f)
            except OSError:
                pass
        self.files = []

    def cleanup(self):
        self.kill_all()
        self.procs = []
        self.by_prefix = {}
        self.remove_runtime()


class TelemetryClient:
    """One DPDK process's telemetry socket, spoken directly (the protocol of
    dpdk-telemetry.py: connect, read the info message, then one JSON reply per command), so
    that reading counters inside a timed window starts no process."""

    def __init__(self, prefix, timeout=20):
        path = os.path.join(RUNTIME_DIR, prefix, "dpdk_telemetry.v2")
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                s.settimeout(5)
                s.connect(path)
                info = json.loads(s.recv(4096).decode())
                self.maxlen = info.get("max_output_len", 16384)
                self.s = s
                return
            except (OSError, ValueError):
                s.close()
                if time.monotonic() > deadline:
                    raise Fail("no telemetry socket at %s" % path)
                time.sleep(0.2)

    def get(self, cmd):
        """The value (a dict) of one command, e.g. get("/ethdev/stats,0")."""
        try:
            self.s.send(cmd.encode())
            d = json.loads(self.s.recv(self.maxlen).decode())
        except (OSError, ValueError) as e:
            raise Fail("telemetry %s: %s" % (cmd, e))
        v = d.get(cmd.split(",", 1)[0])
        if not isinstance(v, dict):
            raise Fail("telemetry %s: %r" % (cmd, d))
        return v

    def try_get(self, cmd):
        """get(), or None while the command is not registered yet (start-up)."""
        try:
            return self.get(cmd)
        except Fail:
            return None

    def close(self):
        self.s.close()


class Harness(Runner):
    def __init__(self, name):
        Runner.__init__(self, None, "twq-e2e-%s" % name)
        self.name = name
        self.app = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
        self.netns = []
        self.failures = []
        self.t0 = time.monotonic()

    # --- lifetime ---
    def __enter__(self):
        if self.app is None or not os.access(self.app, os.X_OK):
            print("FAIL: usage: %s PATH-TO-dpdk-twq (got %r)" % (sys.argv[0], self.app))
            sys.exit(1)
        self.tmp = tempfile.mkdtemp(prefix="twq-e2e-%s-" % self.name)
        return self

    def __exit__(self, et, ev, tb):
        self.kill_all()
        if et is not None or self.failures:
            tails = self.log_tails(3000)
            if tails:
                print(tails)
        for ns in self.netns:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        self.remove_runtime()
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

    # --- processes ---
    def twq_cmd(self, prefix, vdevs, args, mem=256, lcores="0@0,1@1", netns=None):
        cmd = [self.app] + self.eal(prefix, vdevs, mem, lcores) + ["--"] + list(args)
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        return cmd

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

    def poll_stats(self, prefix, cond, timeout=15, what="condition", client=None):
        """/twq/stats every 0.1 s until cond(stats); fails after timeout seconds or when the
        process of prefix exits. client: a TelemetryClient of prefix, which starts no process
        per read (for reads inside a timed window); otherwise dpdk-telemetry.py each time."""
        deadline = time.monotonic() + timeout
        st = {}
        while time.monotonic() < deadline:
            if client is None:
                st = self.telemetry(prefix, "/twq/stats")
            else:
                owner = self.by_prefix.get(prefix)
                if owner is not None and owner.poll() is not None:
                    raise Fail("waiting for %s: %s (prefix %s) has exited with status %d" %
                               (what, owner.tag, prefix, owner.returncode))
                st = client.try_get("/twq/stats") or {}
            if st and cond(st):
                return st
            time.sleep(0.1)
        raise Fail("timed out (%.0f s) waiting for %s; last /twq/stats: %s" %
                   (timeout, what, st))

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
    """The counters of the app's final statistics block: drops by reason (drop_REASON), the
    engine counters, worker 0's counters (rx, tx, ..., lock_max_wait_us, dropped: the names of
    /twq/shards), the shard and control figures (entries, scans, scan_max_hold_us, ...: the
    names of /twq/stats). Whole numbers as int, times with a decimal point as float."""
    d = {}
    i = text.rfind("final statistics")
    if i < 0:
        return d
    text = text[i:]

    def num(v):
        return float(v) if "." in v else int(v)

    m = re.search(r"drops by reason:(.*)", text)
    if m:
        toks = m.group(1).split()
        if toks != ["none"]:
            for k, v in zip(toks[0::2], toks[1::2]):
                d["drop_" + k] = int(v)
    m = re.search(r"  engine:(.*?)\n  shards:", text, re.S)
    if m:
        toks = m.group(1).split()
        for k, v in zip(toks[0::2], toks[1::2]):
            d[k] = int(v)
    for pat in (r"worker 0 \(lcore \d+\)(.*)", r"  shards:(.*)", r"  control:(.*)",
                r"  rates:(.*)"):
        m = re.search(pat, text)
        if m:
            for k, v in re.findall(r"(\w+): ([\d.]+)", m.group(1)):
                d[k] = num(v)
    # L2 results (l2_*) and the termination path (conns, conns_*, term_*), summed over
    # workers, several lines each.
    for m in re.finditer(r"^  (?:l2|termination):(.*)$", text, re.M):
        for k, v in re.findall(r"(\w+): ([\d.]+)", m.group(1)):
            d[k] = num(v)
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


def injector_cmd(iface):
    """A command that sends on iface, with a raw socket, each frame written to its stdin as
    one line of hex, until stdin closes: start it (stdin=subprocess.PIPE) before a timed
    window and inject() inside it, which starts no process."""
    code = ("import socket,sys\n"
            "s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\n"
            "s.bind((%r,0))\n"
            "for h in sys.stdin: s.send(bytes.fromhex(h))\n") % iface
    return ["/usr/bin/python3", "-S", "-c", code]


def inject(p, frames):
    """Hand frames (bytes or Scapy packets) to a process of injector_cmd()."""
    if p.poll() is not None:
        raise Fail("%s exited (status %s) before injecting" % (p.tag, p.returncode))
    for f in frames:
        p.stdin.write(bytes(f).hex().encode() + b"\n")
    p.stdin.flush()


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
