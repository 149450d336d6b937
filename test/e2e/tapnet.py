# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Real Linux clients for dpdk-twq: a network namespace, a net_tap port, the kernel's TCP.

    with Harness("name") as h:
        net = TapNet(h, "t")                    # netns + names, nothing started yet
        p = net.start_twq(["--config", ini])    # dpdk-twq inside the netns, net_tap port
        net.wait_up()                           # the tap is up with its addresses
        cap = net.capture("all")                # dumpcap on the tap (optional)
        net.run(["curl", ...])                  # a client inside the netns
        net.stop_capture(cap); decode(...)

dpdk-twq runs inside the namespace (`ip netns exec`), so its `--vdev net_tap0,iface=...`
creates the tap there: the kernel side of the port never exists in the root namespace, the
PMD's ioctls on the interface keep finding it, and nothing a test does can reach another
network. The kernel side gets PEER4/24 and PEER6/64 (no default route, DAD off); dpdk-twq
owns TWQ4 and TWQ6 (its `[listen] addresses`) and the MAC TWQ_MAC; the kernel side gets
PEER_MAC (the tap PMD would give it TWQ_MAC too). Addresses come from
198.18.0.0/15 and 2001:db8::/32 only. Everything is cleaned up by Harness: the processes by
pid, the namespace (which takes the tap with it), the DPDK runtime directory.
"""

import os
import shutil
import subprocess
import time

from twqtest import Fail, wait_for

PEER4, TWQ4 = "198.18.0.1", "198.18.0.2"
PEER6, TWQ6 = "2001:db8::1", "2001:db8::2"
TWQ_MAC = "02:00:5e:12:00:02"
PEER_MAC = "02:00:5e:12:00:01"
CURL = shutil.which("curl")
AB = shutil.which("ab")
DUMPCAP = shutil.which("dumpcap")


class TapNet:
    def __init__(self, h, tag):
        self.h = h
        self.tag = tag
        self.ns = h.make_netns(tag)
        # An interface name has at most 15 characters; unique per test process.
        self.iface = ("twq%s%d" % (tag[:3], os.getpid()))[:15]
        self.prefix = None
        self.proc = None
        self.caps = []

    def vdev(self):
        return "net_tap0,iface=%s,mac=%s" % (self.iface, TWQ_MAC)

    def start_twq(self, args, mem=256, lcores="0@0,1@1", tag="twq"):
        """Start dpdk-twq with the net_tap port inside the namespace; returns its process."""
        self.prefix = self.h.prefix(tag)
        cmd = self.h.twq_cmd(self.prefix, [self.vdev()], args, mem=mem, lcores=lcores,
                             netns=self.ns)
        self.proc = self.h.start(cmd, tag)
        return self.proc

    def ip(self, *args, check=True):
        r = subprocess.run(["ip", "netns", "exec", self.ns, "ip"] + list(args),
                           capture_output=True, text=True, timeout=10)
        if check and r.returncode != 0:
            raise Fail("in %s: ip %s: %s" % (self.ns, " ".join(args), r.stderr.strip()))
        return r.stdout

    def wait_up(self, timeout=20):
        """Wait for the tap, give it its addresses and bring it up."""
        def present():
            r = subprocess.run(["ip", "netns", "exec", self.ns, "ip", "link", "show",
                                self.iface], capture_output=True, text=True, timeout=10)
            return r.returncode == 0
        wait_for(present, timeout, "tap %s in %s" % (self.iface, self.ns), [self.proc])
        # Telemetry answers once the ports are started: rte_eth_dev_start() restores the
        # port's MAC, which the tap PMD writes onto the kernel side too, so the kernel side's
        # own MAC is set after that.
        self.h.telemetry(self.prefix, "/twq/stats", timeout=timeout)
        # The tap PMD gives the kernel side the port's own MAC: the kernel end is a host of
        # its own on this wire, with its own address.
        self.ip("link", "set", "dev", self.iface, "address", PEER_MAC)
        self.ip("link", "set", "lo", "up")
        self.ip("addr", "add", PEER4 + "/24", "dev", self.iface)
        self.ip("-6", "addr", "add", PEER6 + "/64", "dev", self.iface, "nodad")
        self.ip("link", "set", self.iface, "up")
        # No neighbour is learned from us before we answer: flush whatever the kernel has.
        self.ip("neigh", "flush", "dev", self.iface, check=False)
        return self

    def sysctl(self, key, value):
        subprocess.run(["ip", "netns", "exec", self.ns, "sysctl", "-qw",
                        "%s=%s" % (key, value)], capture_output=True, timeout=10)

    def cmd(self, argv):
        return ["ip", "netns", "exec", self.ns] + list(argv)

    def run(self, argv, tag, timeout=30):
        """Run a client inside the namespace (bounded); returns (rc, stdout, stderr)."""
        return self.h.run(self.cmd(argv), tag, timeout=timeout)

    def start(self, argv, tag):
        return self.h.start(self.cmd(argv), tag)

    def capture(self, name, filt=None):
        """dumpcap on the tap inside the namespace, into <tmp>/<name>.pcap; returns a handle
        for stop_capture() once it is capturing."""
        if not DUMPCAP:
            raise Fail("dumpcap not found (Debian package tshark)")
        path = self.h.path(name + ".pcap")
        argv = [DUMPCAP, "-q", "-P", "-i", self.iface, "-w", path]
        if filt:
            argv += ["-f", filt]
        p = self.start(argv, "dumpcap-" + name)
        # dumpcap writes the file header once it captures.
        wait_for(lambda: os.path.exists(path) and os.path.getsize(path) >= 24, 10,
                 "dumpcap on %s" % self.iface, [p])
        time.sleep(0.2)
        self.caps.append(p)
        return (p, path)

    def stop_capture(self, cap):
        p, path = cap
        time.sleep(0.3)  # what is in flight reaches the file
        self.h.stop(p, timeout=10)
        return path

    def neigh(self, addr):
        """The kernel's neighbour entry for addr on the tap ('' when none)."""
        return self.ip("neigh", "show", addr, "dev", self.iface, check=False).strip()
