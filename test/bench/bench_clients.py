#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""bench_clients: the same wrk command, with `Connection: close`, against dpdk-twq over
net_tap and against Debian's nginx over a veth pair, side by side in one run.

    bench_clients.py --twq build/app/dpdk-twq [--rounds 10] [--seconds 3] [--conns 16]
                     [--body 1024] [--out DIR]

Three sides, each in network namespaces made here (addresses from 198.18.0.0/15 only, no
route at all beyond the /24 of the link):
  twq     wrk in namespace A, dpdk-twq inside A on a net_tap port (test/e2e/tapnet.py:
          kernel side 198.18.0.1, dpdk-twq 198.18.0.2), control lcore on CPU 0, worker on
          CPU 1; SIGSTOPped while the other sides are measured (its worker busy-polls).
  nginx   wrk in namespace B (198.18.2.1), nginx in namespace C (198.18.2.2), a veth pair
          between; nginx with its own config, pid file and logs in the run's directory,
          `worker_processes 1` on CPU 1, listening only on 198.18.2.2:80.
  nginx2  the same again on 198.18.3.0/24 (namespaces D, E): the A/A control, whose ratio
          to nginx is the noise floor of this run.
wrk runs on CPU 0 (taskset) with one thread. Each round runs every side once for --seconds,
in an order drawn at random per round; requests/s per side, and per round the ratios
twq/nginx and nginx2/nginx, are reported as median and interquartile range.

Checks (exit 1 when one fails): every wrk window has no socket error and no non-2xx
response and at least one request; after the run dpdk-twq has no live connection,
`started` equals the connections it closed into TIME_WAIT (`term_timewait`), and the
responses it sent cover every request wrk counted. Everything made here (processes by pid,
namespaces, veths, DPDK runtime directory, the temporary directory unless --out) is removed
on exit, failure and SIGINT/SIGTERM included; the whole run is bounded by an alarm.
"""

import argparse
import json
import os
import random
import resource
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import twqtest  # noqa: E402
from twqtest import Harness, Fail, wait_for  # noqa: E402
from tapnet import TapNet, TWQ4  # noqa: E402

WRK = shutil.which("wrk")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PATH = "/body"


class Bench(Harness):
    """twqtest.Harness without its PASS/exit at the end, with our own application path."""

    def __init__(self, app, out):
        Harness.__init__(self, "clients")
        self.app = app
        self.out = out
        self.links = []

    def __enter__(self):
        if self.out:
            os.makedirs(self.out, exist_ok=True)
            self.tmp = self.out
        else:
            Harness.__enter__(self)
        os.chmod(self.tmp, 0o755)  # nginx's worker runs as nobody
        return self

    def __exit__(self, et, ev, tb):
        self.kill_all()
        for ns in self.netns:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        self.netns = []
        self.remove_runtime()
        if not self.out and self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if et is Fail:
            print("FAIL: %s" % ev)
            sys.exit(1)
        return False


def ns_sh(ns, *argv):
    r = subprocess.run(["ip", "netns", "exec", ns] + list(argv), capture_output=True,
                       text=True, timeout=20)
    if r.returncode != 0:
        raise Fail("in %s: %s: %s" % (ns, " ".join(argv), r.stderr.strip()))
    return r.stdout


class VethPair:
    """Client namespace and server namespace with a veth pair between: 198.18.N.1 and .2."""

    def __init__(self, h, tag, net):
        self.cli = h.make_netns(tag + "c")
        self.srv = h.make_netns(tag + "s")
        self.caddr, self.saddr = "198.18.%d.1" % net, "198.18.%d.2" % net
        a, b = ("tv%s%da" % (tag, os.getpid()))[-15:], ("tv%s%db" % (tag, os.getpid()))[-15:]
        # Made inside the client namespace, one end moved: nothing exists in the root one.
        ns_sh(self.cli, "ip", "link", "add", a, "type", "veth", "peer", "name", b)
        ns_sh(self.cli, "ip", "link", "set", b, "netns", self.srv)
        for ns, dev, addr in ((self.cli, a, self.caddr), (self.srv, b, self.saddr)):
            ns_sh(ns, "ip", "link", "set", "lo", "up")
            ns_sh(ns, "ip", "addr", "add", addr + "/24", "dev", dev)
            ns_sh(ns, "ip", "link", "set", dev, "up")
            ns_sh(ns, "sysctl", "-qw", "net.ipv4.ip_local_port_range=1024 65535")


def start_nginx(h, pair, tag, body_dir):
    d = h.path(tag)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""daemon off;
user www-data;
worker_processes 1;
worker_cpu_affinity 10;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path %(d)s/body; proxy_temp_path %(d)s/proxy;
    fastcgi_temp_path %(d)s/fcgi; uwsgi_temp_path %(d)s/uwsgi; scgi_temp_path %(d)s/scgi;
    server_tokens off;
    keepalive_requests 1;
    server {
        listen %(addr)s:80;
        location = %(path)s { root %(root)s; default_type text/plain; }
    }
}
""" % {"d": d, "addr": pair.saddr, "path": PATH, "root": body_dir})
    p = h.start(["ip", "netns", "exec", pair.srv, NGINX, "-p", d,
                 "-e", os.path.join(d, "error.log"), "-c", conf], tag)
    wait_for(lambda: "%s:80" % pair.saddr in ns_sh(pair.srv, "ss", "-Hltn") or None, 10,
             "nginx %s listening" % tag, [p])
    return p


def write_ini(h, body_path):
    path = h.path("twq.ini")
    with open(path, "w") as f:
        f.write("[ports]\nnames = net_tap0\n"
                "[engine]\nmsl_ms = 2000\ncapacity = 1048576\ncapacity6 = 1024\n"
                "rfc6191 = on\n[control]\nscan_interval_ms = 50\n"
                "[closed]\npolicy = rst\n"
                "[listen]\naddresses = %s\nports = 80\nbody_file = %s\n"
                "content_type = text/plain\ncapacity = 65536\n" % (TWQ4, body_path))
    return path


def parse_wrk(out):
    r = {"rps": None, "requests": 0, "non2xx": 0, "sockerr": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        r["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        r["requests"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        r["sockerr"] = sum(int(x) for x in m.groups())
    return r


def quart(v):
    v = sorted(v)
    if len(v) < 2:
        return (v[0], v[0], v[0]) if v else (0, 0, 0)
    q = statistics.quantiles(v, n=4, method="inclusive")
    return q[0], statistics.median(v), q[2]


def cpu_times():
    """Per CPU (user+nice+system+irq+softirq, idle+iowait, steal) in clock ticks."""
    out = {}
    with open("/proc/stat") as f:
        for line in f:
            p = line.split()
            if p[0].startswith("cpu") and p[0] != "cpu":
                v = [int(x) for x in p[1:9]]
                out[p[0]] = (v[0] + v[1] + v[2] + v[5] + v[6], v[3] + v[4], v[7])
    return out


def cpu_share(t0, t1):
    """{cpuN: (busy, steal)} as fractions of the window, from two cpu_times()."""
    r = {}
    for c in t0:
        d = [b - a for a, b in zip(t0[c], t1[c])]
        tot = sum(d) or 1
        r[c] = (round(d[0] / tot, 3), round(d[2] / tot, 3))
    return r


def server_task(h, side, twq, ngx):
    """/proc path of the thread that serves: dpdk-twq's worker, nginx's worker process."""
    if side == "twq":
        for tid in os.listdir("/proc/%d/task" % twq.pid):
            with open("/proc/%d/task/%s/comm" % (twq.pid, tid)) as f:
                if f.read().strip() == "rte-worker-1":
                    return "/proc/%d/task/%s" % (twq.pid, tid)
        raise Fail("no rte-worker-1 thread in dpdk-twq")
    m = ngx[side].pid
    with open("/proc/%d/task/%d/children" % (m, m)) as f:
        kids = f.read().split()
    if len(kids) != 1:
        raise Fail("%s: %d worker processes, want 1" % (side, len(kids)))
    return "/proc/%s" % kids[0]


def sched(path):
    """(ns on a CPU, involuntary context switches) of a task."""
    with open(path + "/schedstat") as f:
        run = int(f.read().split()[0])
    with open(path + "/status") as f:
        nv = int(re.search(r"nonvoluntary_ctxt_switches:\s+(\d+)", f.read()).group(1))
    return run, nv


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--twq", required=True)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--conns", type=int, default=16)
    ap.add_argument("--body", type=int, default=1024)
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for what, path in (("wrk (Debian package wrk)", WRK), ("nginx (nginx-light)", NGINX)):
        if not path or not os.access(path, os.X_OK):
            print("bench_clients: %s not found: run scripts/deps.sh" % what)
            return 2
    if os.geteuid() != 0:
        print("bench_clients: needs root (network namespaces, a tap, DPDK)")
        return 2
    budget = 120 + a.rounds * 3 * (a.seconds + 6)
    signal.signal(signal.SIGALRM, lambda s, f: (_ for _ in ()).throw(Fail(
        "the run took longer than its bound of %d s" % budget)))
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(Fail("SIGTERM")))
    signal.alarm(budget)
    rnd = random.Random(a.seed)
    failures = []
    with Bench(os.path.abspath(a.twq), a.out) as h:
        www = h.path("www")
        os.makedirs(www, exist_ok=True)
        os.chmod(www, 0o755)
        body = bytes(rnd.getrandbits(8) % 94 + 33 for _ in range(a.body))
        with open(os.path.join(www, PATH.lstrip("/")), "wb") as f:
            f.write(body)
        os.chmod(os.path.join(www, PATH.lstrip("/")), 0o644)
        uptime0 = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

        net = TapNet(h, "bc")
        twq = net.start_twq(["--config", write_ini(h, os.path.join(www, "body"))], mem=1024)
        net.wait_up()
        net.sysctl("net.ipv4.ip_local_port_range", "1024 65535")
        pairs = {"nginx": VethPair(h, "n1", 2), "nginx2": VethPair(h, "n2", 3)}
        ngx = {k: start_nginx(h, v, k, www) for k, v in pairs.items()}
        sides = {"twq": (net.ns, TWQ4), "nginx": (pairs["nginx"].cli, pairs["nginx"].saddr),
                 "nginx2": (pairs["nginx2"].cli, pairs["nginx2"].saddr)}
        # Each side answers the same bytes before anything is measured.
        for k, (ns, addr) in sides.items():
            if k == "twq":
                h.resume(twq)
            r = subprocess.run(["ip", "netns", "exec", ns, "curl", "-sS", "--max-time", "5",
                                "http://%s%s" % (addr, PATH)], capture_output=True, timeout=10)
            if r.stdout != body:
                raise Fail("%s: curl got %d bytes, not the %d-byte body (%s)" %
                           (k, len(r.stdout), len(body), r.stderr[-200:]))
        print("bench_clients: every side answers the %d-byte body; load %s" %
              (len(body), loadavg()))
        h.pause(twq)

        res = {k: [] for k in sides}
        per_round = []
        for rd in range(a.rounds):
            order = list(sides)
            rnd.shuffle(order)
            row = {}
            for k in order:
                ns, addr = sides[k]
                if k == "twq":
                    h.resume(twq)
                    time.sleep(0.3)
                argv = ["ip", "netns", "exec", ns, "taskset", "-c", "0", WRK, "-t1",
                        "-c%d" % a.conns, "-d%ds" % a.seconds, "--timeout", "5s",
                        "-H", "Connection: close", "http://%s%s" % (addr, PATH)]
                task = server_task(h, k, twq, ngx)
                sc0 = sched(task)
                ru0, ct0 = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_times()
                rc, out, err = h.run(argv, "wrk-%s-%d" % (k, rd), timeout=a.seconds + 20)
                ru1, ct1 = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_times()
                sc1 = sched(task)
                if k == "twq":
                    h.pause(twq)
                w = parse_wrk(out)
                w["load"] = loadavg()
                # wrk's own CPU time (user + system: the client's TCP in syscalls) per
                # second of the window, and each CPU's busy and steal share.
                w["wrk_cpu"] = round((ru1.ru_utime + ru1.ru_stime - ru0.ru_utime -
                                      ru0.ru_stime) / a.seconds, 3)
                w["cpus"] = cpu_share(ct0, ct1)
                # The server's thread: its time on a CPU per second of window, and how
                # many times the scheduler took the CPU from it (involuntary switches).
                w["srv_cpu"] = round((sc1[0] - sc0[0]) / 1e9 / a.seconds, 3)
                w["srv_preempt"] = sc1[1] - sc0[1]
                row[k] = w
                res[k].append(w)
                if rc != 0 or w["rps"] is None or w["requests"] == 0 or w["non2xx"] or \
                        w["sockerr"]:
                    failures.append("round %d %s: rc %d, %s; %s" % (rd, k, rc, w,
                                                                    (out + err)[-300:]))
            per_round.append(row)
            print("round %2d (%s): %s  load %s" % (
                rd, ",".join(order),
                "  ".join("%s %8.0f/s" % (k, row[k]["rps"] or 0) for k in sides),
                loadavg()))

        h.resume(twq)
        st = wait_for(lambda: (lambda s: s if s.get("conns") == 0 else None)(
            h.telemetry(net.prefix, "/twq/stats")), 20, "every dpdk-twq connection closed",
            [twq])
        wrk_twq = sum(w["requests"] for w in res["twq"])
        if st.get("started") != st.get("term_timewait"):
            failures.append("started %s != term_timewait %s" % (st.get("started"),
                                                                 st.get("term_timewait")))
        ends = sum(st.get("term_" + c, 0) for c in (
            "timewait", "last_ack_closed", "rst_closed", "abort_retries", "fw2_timeout",
            "idle_timeout"))
        # Made: from a cookie, or a SYN that reopened one of our TIME_WAIT entries (wrk
        # reuses its ports; such a connection may end in SYN-RECEIVED, never accepted).
        made = st.get("term_cookie_good", 0) + st.get("term_reopen", 0)
        if made != ends:
            failures.append("connections made (cookie_good + reopen) %d != ended %d" %
                            (made, ends))
        if st.get("term_responses", 0) < wrk_twq:
            failures.append("term_responses %s < the %d requests wrk counted" %
                            (st.get("term_responses"), wrk_twq))
        for k in ("nginx", "nginx2"):
            if ngx[k].poll() is not None:
                failures.append("%s exited early (%s)" % (k, ngx[k].returncode))
        uptime1 = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

        ratios = {
            "twq/nginx": [r["twq"]["rps"] / r["nginx"]["rps"] for r in per_round
                          if r["twq"]["rps"] and r["nginx"]["rps"]],
            "nginx2/nginx (A/A)": [r["nginx2"]["rps"] / r["nginx"]["rps"] for r in per_round
                                   if r["nginx2"]["rps"] and r["nginx"]["rps"]],
        }
        print("\nwrk -t1 -c%d -d%ds -H 'Connection: close', %d-byte body, %d rounds" %
              (a.conns, a.seconds, a.body, a.rounds))
        for k in sides:
            q1, med, q3 = quart([w["rps"] or 0 for w in res[k]])
            print("  %-20s median %9.0f req/s  IQR %9.0f - %9.0f" % (k, med, q1, q3))
            print("  %-20s server thread on CPU %.2f s/s, preempted %d times per window;" % (
                "", statistics.median(w["srv_cpu"] for w in res[k]),
                statistics.median(w["srv_preempt"] for w in res[k])))
            print("  %-20s wrk CPU %.2f s/s; CPU busy %s; steal %s (medians)" % (
                "", statistics.median(w["wrk_cpu"] for w in res[k]),
                "/".join("%.2f" % statistics.median(w["cpus"][c][0] for w in res[k])
                         for c in sorted(res[k][0]["cpus"])),
                "/".join("%.2f" % statistics.median(w["cpus"][c][1] for w in res[k])
                         for c in sorted(res[k][0]["cpus"]))))
        for k, v in ratios.items():
            q1, med, q3 = quart(v)
            print("  %-20s median %9.3f        IQR %9.3f - %9.3f" % (k, med, q1, q3))
        print("  dpdk-twq: started %s, term_timewait %s, term_responses %s, requests wrk "
              "counted %d,\n    made %d (cookie_good + reopen), ended %d (of which "
              "term_rst_closed %s: wrk's RSTs at the end of its windows),\n    term_retrans %s, "
              "entries %s, lock_max_wait_us %s" %
              (st.get("started"), st.get("term_timewait"), st.get("term_responses"), wrk_twq,
               made, ends, st.get("term_rst_closed"), st.get("term_retrans"),
               st.get("entries"), st.get("lock_max_wait_us")))
        print("  before: %s\n  after:  %s" % (uptime0, uptime1))
        with open(h.path("results.json") if a.out else os.devnull, "w") as f:
            json.dump({"args": vars(a), "rounds": per_round, "ratios": ratios, "stats": st,
                       "uptime": [uptime0, uptime1], "failures": failures}, f, indent=1)
        h.stop(twq, timeout=30)
        for k in ngx:
            h.stop(ngx[k], timeout=10, sig=signal.SIGQUIT)
    signal.alarm(0)
    if failures:
        print("\n%d check(s) failed:" % len(failures))
        for f in failures:
            print("  - " + f)
        return 1
    print("every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
