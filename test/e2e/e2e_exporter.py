#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_exporter: contrib/dpdk-twq-exporter serves dpdk-twq's telemetry to a real HTTP
client (curl) with Prometheus names, and the values agree with /twq/stats.

dpdk-twq replays the bundled pcap in a loop (net_pcap infinite_rx=1), so its counters grow
during the test. Around each scrape /twq/stats is read just before and just after on the
telemetry socket: every counter scraped must lie between the two reads. Also: the exporter
says dpdk_twq_up 0 while no dpdk-twq runs (before it starts and after it stops) and keeps
serving; per-worker series sum to the totals; the port's ethdev counters are there.

Usage: e2e_exporter.py PATH-TO-dpdk-twq [PATH-TO-dpdk-twq-exporter]
"""

import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, Fail, TelemetryClient, wait_for  # noqa: E402

TOP = os.path.dirname(os.path.dirname(twqtest.HERE))
EXPORTER = os.path.join(TOP, "contrib", "dpdk-twq-exporter")
CURL = shutil.which("curl")

# The names of today's /twq/stats keys, written out (not computed by the exporter's rule):
# key -> (metric, type, scale from the key's unit to the metric's).
GAUGES = {
    "workers": ("dpdk_twq_workers", 1),
    "entries": ("dpdk_twq_entries", 1),
    "entries_v4": ("dpdk_twq_entries_v4", 1),
    "entries_v6": ("dpdk_twq_entries_v6", 1),
    "lock_max_wait_us": ("dpdk_twq_lock_max_wait_seconds", 1e-6),
    "scan_max_hold_us": ("dpdk_twq_scan_max_hold_seconds", 1e-6),
    "scan_mean_hold_ns": ("dpdk_twq_scan_mean_hold_seconds", 1e-9),
    "uptime_ms": ("dpdk_twq_uptime_seconds", 1e-3),
}
COUNTERS = ["rx", "tx", "tx_dropped", "closed_rst", "closed_drop", "reopen", "lock_waits",
            "lock_yields", "dropped", "started", "expired", "lookup_hit", "lookup_miss",
            "ack_sent", "fin_rearm", "dupack_ignored", "restored", "load_loaded",
            "load_expired", "scans", "scan_slices"]
# Gauges that only grow while it runs (maxima, uptime): bounded by the two reads as well.
MONOTONIC_GAUGES = {"lock_max_wait_us", "scan_max_hold_us", "uptime_ms", "workers"}
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def scrape(h, url, tag):
    """GET url with curl: (http code, content type, {(name, labels): value}, {name: type})."""
    out = h.path(tag + ".prom")
    r = subprocess.run([CURL, "-sS", "-m", "10", "-o", out, "-w", "%{http_code} %{content_type}",
                        url], capture_output=True, text=True, timeout=20)
    if r.returncode != 0:
        return None
    code, _, ctype = r.stdout.partition(" ")
    samples, types = {}, {}
    with open(out) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# TYPE "):
                _, _, name, typ = line.split(" ", 3)
                types[name] = typ
            elif line and not line.startswith("#"):
                m = SAMPLE.match(line)
                if not m:
                    raise Fail("%s: not a Prometheus sample line: %r" % (tag, line))
                labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', m.group(2) or "")))
                samples[(m.group(1), labels)] = float(m.group(3))
    return int(code), ctype, samples, types


def between(h, lo, got, hi, what):
    # Values scaled to seconds (10 us -> 1e-05) differ from lo/hi * 1e-6 in the last bit of
    # a double; counters are integers, so a relative 1e-9 cannot hide a wrong value.
    eps = 1e-9 * max(abs(lo), abs(hi)) + 1e-15
    return h.check(got is not None and lo - eps <= got <= hi + eps,
                   "%s: %s <= %s <= %s" % (what, lo, got, hi))


def check_scrape(h, samples, types, before, after):
    """One scrape against /twq/stats read just before (before) and just after (after)."""
    def val(metric, **labels):
        return samples.get((metric, tuple(sorted(labels.items()))))

    h.eq(val("dpdk_twq_up", prefix=h.prefix_name), 1.0, "dpdk_twq_up while it runs")
    h.check(after["rx"] > before["rx"], "traffic flows during the scrape (rx %d -> %d)" %
            (before["rx"], after["rx"]))
    for k in COUNTERS:
        name = "dpdk_twq_%s_total" % k
        h.eq(types.get(name), "counter", "TYPE of %s" % name)
        between(h, before[k], val(name), after[k], name)
    for k, (name, scale) in GAUGES.items():
        h.eq(types.get(name), "gauge", "TYPE of %s" % name)
        got = val(name)
        if k in MONOTONIC_GAUGES:
            between(h, before[k] * scale, got, after[k] * scale, name)
        elif k == "scan_mean_hold_ns":
            h.check(got is not None and 0 <= got <= after["scan_max_hold_us"] * 1e-6 + 1e-6,
                    "%s = %s: at most the longest hold" % (name, got))
        else:
            between(h, min(before[k], after[k]) * scale, got, max(before[k], after[k]) * scale,
                    name)
    h.eq(types.get("dpdk_twq_drops_total"), "counter", "TYPE of dpdk_twq_drops_total")
    reasons = [k[len("drop_"):] for k in before if k.startswith("drop_")]
    h.check(len(reasons) >= 10, "/twq/stats has drop_<reason> keys (%d)" % len(reasons))
    for r in reasons:
        between(h, before["drop_" + r], val("dpdk_twq_drops_total", reason=r),
                after["drop_" + r], "dpdk_twq_drops_total{reason=%s}" % r)
    # Every numeric key of /twq/stats has a metric, known or not (new keys need no edit).
    names = {n for n, _ in samples}
    for k, v in before.items():
        if not isinstance(v, (int, float)) or k.startswith("drop_"):
            continue
        stem = "dpdk_twq_" + re.sub(r"_(ms|us|ns)$", "_seconds", k)
        h.check(stem in names or stem + "_total" in names,
                "/twq/stats %s is served (as %s or %s_total)" % (k, stem, stem))
    # Per worker: worker label, and the workers' counters add up to the totals.
    w_rx = {lab: v for (n, lab), v in samples.items() if n == "dpdk_twq_worker_rx_total"}
    h.eq(sorted(w_rx), [(("worker", str(i)),) for i in range(before["workers"])],
         "dpdk_twq_worker_rx_total labels")
    between(h, before["rx"], sum(w_rx.values()), after["rx"], "sum of dpdk_twq_worker_rx_total")
    h.eq(types.get("dpdk_twq_worker_entries_v4"), "gauge", "TYPE of dpdk_twq_worker_entries_v4")
    cap = val("dpdk_twq_worker_capacity", worker="0")
    h.eq(cap, 65536.0, "dpdk_twq_worker_capacity{worker=0} ([engine] capacity)")
    ipk = samples.get(("dpdk_twq_port_ipackets_total", (("name", "net_pcap0"), ("port", "0"))))
    h.check(ipk is not None and ipk >= before["rx"],
            "dpdk_twq_port_ipackets_total{port=0,name=net_pcap0} = %s >= rx before (%d)" %
            (ipk, before["rx"]))


def main():
    twqtest.need(CURL, "curl")
    exporter = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else EXPORTER
    twqtest.need(exporter, "dpdk-twq-exporter")
    r = subprocess.run(["/usr/bin/python3", "-c", "import prometheus_client"],
                       capture_output=True)
    if r.returncode != 0:
        print("SKIP: python3-prometheus-client is not installed")
        sys.exit(twqtest.SKIP)
    with Harness("exporter") as h:
        prefix = h.prefix("run")
        h.prefix_name = prefix
        port = free_port()
        url = "http://127.0.0.1:%d/metrics" % port
        exp = h.start(["/usr/bin/python3", exporter, "--prefix", prefix, "--listen",
                       "127.0.0.1:%d" % port], "exporter")

        # No dpdk-twq yet: served, up 0, nothing else of dpdk-twq.
        res = wait_for(lambda: scrape(h, url, "scrape0"), 15, "the exporter to serve " + url,
                       [exp])
        code, ctype, samples, types = res
        h.eq(code, 200, "HTTP status")
        h.check(ctype.startswith("text/plain") and "version=0.0.4" in ctype,
                "content type is Prometheus text 0.0.4 (%s)" % ctype)
        h.eq(samples.get(("dpdk_twq_up", (("prefix", prefix),))), 0.0,
             "dpdk_twq_up before dpdk-twq starts")
        h.check(not any(n == "dpdk_twq_rx_total" for n, _ in samples),
                "no dpdk_twq_rx_total without dpdk-twq")

        cfg = os.path.join(TOP, "config", "default.ini")
        state = os.path.join(TOP, "config", "default", "state.twq")
        pcap = os.path.join(TOP, "config", "default", "rx.pcap")
        twq = h.start(h.twq_cmd(prefix, ["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap],
                                ["--config", cfg, "--load", state], mem=512), "twq")
        tel = TelemetryClient(prefix)
        wait_for(lambda: (tel.try_get("/twq/stats") or {}).get("rx", 0) > 0, 20,
                 "dpdk-twq to receive the replay", [twq, exp])
        for i in (1, 2):
            # Counters must move during the scrape for the bounds to mean something; on a
            # loaded machine the worker may not run for a whole scrape: try again then.
            for _ in range(5):
                before = tel.get("/twq/stats")
                res = scrape(h, url, "scrape%d" % i)
                after = tel.get("/twq/stats")
                if res is None:
                    raise Fail("curl %s failed" % url)
                if after["rx"] > before["rx"]:
                    break
            code, _, samples, types = res
            print("scrape %d: %d samples, rx %d .. %d" % (i, len(samples), before["rx"],
                                                          after["rx"]))
            h.eq(code, 200, "scrape %d: HTTP status" % i)
            check_scrape(h, samples, types, before, after)
        tel.close()

        rc, _, _ = h.stop(twq, timeout=20)
        h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")
        res = scrape(h, url, "scrape3")
        h.check(res is not None and res[0] == 200, "exporter still serves after dpdk-twq stops")
        if res:
            h.eq(res[2].get(("dpdk_twq_up", (("prefix", prefix),))), 0.0,
                 "dpdk_twq_up after dpdk-twq stops")
        rc, out, err = h.stop(exp, timeout=10)
        h.eq(rc, 0, "exporter exit status after SIGTERM")
        h.check("serving" in out, "exporter said where it serves (%r)" % out.strip())


if __name__ == "__main__":
    main()
