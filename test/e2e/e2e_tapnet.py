#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""e2e_tapnet: dpdk-twq on a net_tap port inside a network namespace, the kernel as its peer.

    e2e_tapnet.py APP up    the tap comes up in the namespace with its addresses; the kernel's
                            ARP requests and Neighbor Solicitations for dpdk-twq's addresses
                            reach dpdk-twq (its rx counter and the capture agree); it stops
                            cleanly on SIGTERM.
    e2e_tapnet.py APP l2    dpdk-twq owns [listen] addresses: the kernel resolves them (ARP and
                            ND, the neighbour entry holds dpdk-twq's MAC), ping and ping -6 are
                            answered, the l2 counters say so, and tshark finds no malformed
                            frame and no bad checksum in the capture.
    e2e_tapnet.py APP cksum0
                            a reply whose TCP checksum is 0 goes out as 0x0000, never as
                            0xffff (the two stand for the same sum, but RFC 1624 rules out
                            0xffff and tshark flags it): an ACK to a closed port gets a RST
                            whose sequence number is the ACK's, so a second ACK chosen from
                            the first RST's checksum makes the second RST's checksum 0.
    e2e_tapnet.py APP ipck0
                            the same for the IPv4 header checksum: a second ACK whose source
                            address is chosen from the first RST's IPv4 checksum gets a RST
                            whose IPv4 checksum is 0x0000 (the tap PMD's IPv4 "offload" wrote
                            0xffff, which tshark accepts but RFC 1624 rules out).
"""

import ipaddress
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twqtest  # noqa: E402
from twqtest import Harness, Fail, need, wait_for  # noqa: E402
from tapnet import TapNet, PEER4, TWQ4, PEER6, TWQ6, TWQ_MAC, PEER_MAC, DUMPCAP  # noqa: E402


def ini(h, listen=True):
    path = h.path("tap.ini")
    with open(path, "w") as f:
        f.write("[ports]\nnames = net_tap0\n[engine]\nmsl_ms = 1000\ncapacity = 64\n"
                "capacity6 = 64\n")
        if listen:
            f.write("[listen]\naddresses = %s, %s\n" % (TWQ4, TWQ6))
    return path


def tshark_problems(pcap):
    """Frames tshark calls malformed or with a bad checksum (expert info), as text lines."""
    r = subprocess.run([twqtest.TSHARK, "-r", pcap, "-n", "-o", "tcp.check_checksum:TRUE",
                        "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                        "-Y", "_ws.malformed || _ws.expert.severity >= error || "
                        "ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                        "icmp.checksum.status == 0 || icmpv6.checksum.status == 0"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Fail("tshark -r %s: %s" % (pcap, r.stderr))
    return [l for l in r.stdout.splitlines() if l.strip()]


def tshark_count(pcap, filt):
    r = subprocess.run([twqtest.TSHARK, "-r", pcap, "-n", "-Y", filt], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise Fail("tshark -r %s -Y %s: %s" % (pcap, filt, r.stderr))
    return len([l for l in r.stdout.splitlines() if l.strip()])


def up(h):
    net = TapNet(h, "up")
    p = net.start_twq(["--config", ini(h, listen=False)])
    net.wait_up()
    tel = lambda: h.telemetry(net.prefix, "/twq/stats")  # noqa: E731
    wait_for(lambda: h.telemetry(net.prefix, "/twq/stats") is not None, 20, "telemetry", [p])
    cap = net.capture("up")
    rx0 = tel()["rx"]
    # Nothing answers yet: the kernel asks ARP (3 tries) and ND for the addresses.
    net.run(["ping", "-c", "2", "-W", "1", "-i", "0.5", TWQ4], "ping4", timeout=15)
    net.run(["ping", "-6", "-c", "1", "-W", "1", TWQ6], "ping6", timeout=15)
    pcap = net.stop_capture(cap)
    arp = tshark_count(pcap, "arp.opcode == 1 && arp.dst.proto_ipv4 == %s" % TWQ4)
    ns = tshark_count(pcap, "icmpv6.type == 135 && icmpv6.nd.ns.target_address == %s" % TWQ6)
    h.check(arp >= 1, "capture: %d ARP request(s) for %s from the kernel" % (arp, TWQ4))
    h.check(ns >= 1, "capture: %d Neighbor Solicitation(s) for %s" % (ns, TWQ6))
    rx = tel()["rx"] - rx0
    h.check(rx >= arp + ns, "dpdk-twq received them: rx +%d (>= %d)" % (rx, arp + ns))
    rc, out, err = h.stop(p, timeout=20)
    h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")
    h.check("final statistics" in out, "final statistics printed")


def l2(h):
    net = TapNet(h, "l2")
    p = net.start_twq(["--config", ini(h)])
    net.wait_up()
    wait_for(lambda: h.telemetry(net.prefix, "/twq/stats") is not None, 20, "telemetry", [p])
    cap = net.capture("l2")
    rc4, out4, _ = net.run(["ping", "-c", "3", "-W", "2", "-i", "0.2", TWQ4], "ping4",
                           timeout=20)
    rc6, out6, _ = net.run(["ping", "-6", "-c", "3", "-W", "2", "-i", "0.2", TWQ6], "ping6",
                           timeout=20)
    h.eq(rc4, 0, "ping %s exit status" % TWQ4)
    h.check(re.search(r"3 packets transmitted, 3 received", out4) is not None,
            "ping: 3 of 3 answered (%s)" % out4.strip().splitlines()[-2:])
    h.eq(rc6, 0, "ping -6 %s exit status" % TWQ6)
    h.check(re.search(r"3 packets transmitted, 3 received", out6) is not None,
            "ping -6: 3 of 3 answered (%s)" % out6.strip().splitlines()[-2:])
    n4, n6 = net.neigh(TWQ4), net.neigh(TWQ6)
    h.check(TWQ_MAC in n4.lower(), "kernel neighbour entry for %s: %r" % (TWQ4, n4))
    h.check(TWQ_MAC in n6.lower(), "kernel neighbour entry for %s: %r" % (TWQ6, n6))
    # An address not ours, in the same subnet: never answered, counted.
    net.run(["ping", "-c", "1", "-W", "1", "198.18.0.9"], "ping-other", timeout=10)
    st = h.telemetry(net.prefix, "/twq/stats")
    pcap = net.stop_capture(cap)
    h.check(st.get("l2_arp_reply", 0) >= 1, "l2_arp_reply %s >= 1" % st.get("l2_arp_reply"))
    h.check(st.get("l2_nd_advert", 0) >= 1, "l2_nd_advert %s >= 1" % st.get("l2_nd_advert"))
    h.eq(st.get("l2_echo4_reply"), 3, "l2_echo4_reply")
    h.eq(st.get("l2_echo6_reply"), 3, "l2_echo6_reply")
    h.check(st.get("l2_arp_other", 0) >= 1, "ARP for 198.18.0.9 counted: l2_arp_other %s"
            % st.get("l2_arp_other"))
    h.eq(tshark_count(pcap, "arp.opcode == 2 && arp.src.proto_ipv4 == 198.18.0.9"), 0,
         "no ARP reply for an address not ours")
    h.eq(tshark_count(pcap, "icmp.type == 0 && ip.src == %s" % TWQ4), 3, "echo replies seen")
    h.eq(tshark_count(pcap, "icmpv6.type == 129 && ipv6.src == %s" % TWQ6), 3,
         "ICMPv6 echo replies seen")
    h.check(tshark_count(pcap, "icmpv6.type == 136 && ipv6.src == %s && "
                         "icmpv6.opt.linkaddr == %s" % (TWQ6, TWQ_MAC)) >= 1,
            "a Neighbor Advertisement with our link-layer address")
    bad = tshark_problems(pcap)
    h.check(not bad, "tshark: no malformed frame, no bad checksum %s" % bad[:5])
    rc, out, err = h.stop(p, timeout=20)
    h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")


def closed_ack(seq_ack, src=PEER4):
    """An ACK from @src (the kernel side's address) to a closed port of dpdk-twq, raw bytes."""
    from scapy.all import Ether, IP, TCP
    return bytes(Ether(src=PEER_MAC, dst=TWQ_MAC) / IP(src=src, dst=TWQ4) /
                 TCP(sport=40000, dport=9, flags="A", seq=1000, ack=seq_ack, window=512))


def rsts(pcap):
    """(seq, checksum, checksum status, IPv4 checksum, its status) of every RST from dpdk-twq
    in the capture."""
    r = subprocess.run([twqtest.TSHARK, "-r", pcap, "-n", "-o", "tcp.check_checksum:TRUE",
                        "-o", "ip.check_checksum:TRUE",
                        "-o", "tcp.relative_sequence_numbers:FALSE", "-Y",
                        "tcp.flags.reset == 1 && ip.src == %s" % TWQ4, "-T", "fields",
                        "-e", "tcp.seq", "-e", "tcp.checksum", "-e", "tcp.checksum.status",
                        "-e", "ip.checksum", "-e", "ip.checksum.status"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Fail("tshark -r %s: %s" % (pcap, r.stderr))
    out = []
    for line in r.stdout.splitlines():
        f = line.split("\t")
        out.append((int(f[0]), int(f[1], 16), f[2], int(f[3], 16), f[4]))
    return out


def closed_net(h, tag):
    """dpdk-twq up on net_tap, the kernel side's neighbour entry for TWQ4 set."""
    net = TapNet(h, tag)
    p = net.start_twq(["--config", ini(h)])
    net.wait_up()
    wait_for(lambda: h.telemetry(net.prefix, "/twq/stats") is not None, 20, "telemetry", [p])
    net.ip("neigh", "replace", TWQ4, "lladdr", TWQ_MAC, "dev", net.iface)
    return net, p


def closed_rst(h, net, frame, n):
    """Send @frame, an ACK to a closed port, and wait for the n-th RST: its rsts() tuple (the
    only RST in the capture) and the capture."""
    cap = net.capture("%s%d" % (net.tag, n), "tcp")
    rc, _, e = net.run(twqtest.send_frames_cmd(net.iface, [frame]), "send%d" % n)
    h.eq(rc, 0, "ACK %d sent (%s)" % (n, e.strip()[-200:]))
    h.poll_stats(net.prefix, lambda s: s.get("closed_rst", 0) >= n, 10, "RST %d" % n)
    pcap = net.stop_capture(cap)
    got = rsts(pcap)
    h.eq(len(got), 1, "one RST on the wire")
    return got[0], pcap


def ck_add(a, b):
    """a + b in 16-bit one's complement (end-around carry)."""
    t = a + b
    return (t & 0xffff) + (t >> 16)


def cksum0(h):
    net, p = closed_net(h, "ck0")
    a0 = 0x12340000
    (seq, ck, status, _, _), _ = closed_rst(h, net, closed_ack(a0), 1)
    h.eq(seq, a0, "the RST's sequence number is the ACK's acknowledgment number")
    h.eq(status, "1", "the first RST's checksum is good")
    # The checksum is ~S, S the one's complement sum of the rest; adding ~S to the sequence
    # number's low 16 bits (end-around carry) makes the sum 0xffff: the checksum is then 0.
    a1 = (a0 & ~0xffff) | ck_add(a0 & 0xffff, ck)
    (seq, ck, status, _, _), pcap = closed_rst(h, net, closed_ack(a1), 2)
    h.eq(seq, a1, "the second RST's sequence number is the second ACK's")
    h.eq("0x%04x" % ck, "0x0000", "the second RST's TCP checksum")
    h.eq(status, "1", "the second RST's checksum is good")
    bad = tshark_problems(pcap)
    h.check(not bad, "tshark: no malformed frame, no bad checksum %s" % bad[:5])
    rc, out, err = h.stop(p, timeout=20)
    h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")


def ipck0(h):
    net, p = closed_net(h, "ip0")
    (_, _, _, ck, status), _ = closed_rst(h, net, closed_ack(0x12340000), 1)
    h.eq(status, "1", "the first RST's IPv4 checksum is good")
    # The RST's IPv4 header (no identification, fixed TTL) sums the addresses: adding its
    # checksum to the low 16 bits of the ACK's source address (the RST's destination), with
    # end-around carry, makes the next RST's IPv4 checksum 0.
    a = int(ipaddress.IPv4Address(PEER4))
    src = str(ipaddress.IPv4Address((a & ~0xffff) | ck_add(a & 0xffff, ck)))
    (_, _, _, ck, status), pcap = closed_rst(h, net, closed_ack(0x12340000, src), 2)
    h.eq("0x%04x" % ck, "0x0000", "the second RST's IPv4 checksum (to %s)" % src)
    h.eq(status, "1", "the second RST's IPv4 checksum is good")
    bad = tshark_problems(pcap)
    h.check(not bad, "tshark: no malformed frame, no bad checksum %s" % bad[:5])
    rc, out, err = h.stop(p, timeout=20)
    h.eq(rc, 0, "dpdk-twq exit status after SIGTERM")


def main():
    mode = sys.argv[2] if len(sys.argv) > 2 else "up"
    need(twqtest.TSHARK, "tshark")
    need(DUMPCAP, "dumpcap")
    with Harness("tapnet-" + mode) as h:
        {"up": up, "l2": l2, "cksum0": cksum0, "ipck0": ipck0}[mode](h)


if __name__ == "__main__":
    main()
