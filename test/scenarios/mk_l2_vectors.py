#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Build the test vectors of app/l2.c's unit test with Scapy.

Writes test/data/l2_vectors.h: received frames, the result app_l2_input() must give and, for
the answers it builds in place (ARP reply, Neighbor Advertisement, echo replies), the exact
reply frame. Scapy computes every checksum and length (fields left None), so the expected
bytes do not depend on our code.

Usage: /usr/bin/python3 test/scenarios/mk_l2_vectors.py [output]
"""

import os
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (Ether, Dot1Q, Dot1AD, IP, IPv6, TCP, UDP, ICMP, Raw, ARP,  # noqa: E402
                       ICMPv6EchoRequest, ICMPv6EchoReply, Padding, ICMPv6ND_NS, ICMPv6ND_NA,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, IPv6ExtHdrHopByHop,
                       in6_getnsma, in6_getnsmac, inet_pton, socket)

PEER_MAC = "02:00:00:00:00:01"
OUR_MAC = "02:00:00:00:00:02"
OTHER_MAC = "02:00:00:00:00:09"
PEER4, OUR4, OUR4B, OTHER4 = "198.18.0.1", "198.18.0.2", "198.18.7.7", "198.18.0.9"
PEER6, OUR6, OUR6B, OTHER6 = "2001:db8::1", "2001:db8::2", "2001:db8:0:7::7", "2001:db8::9"
# The addresses the test gives app_l2_add_addresses().
ADDRESSES = "%s, %s %s,%s" % (OUR4, OUR6, OUR4B, OUR6B)

VECS = []


def snm(a):
    return socket.inet_ntop(socket.AF_INET6, in6_getnsma(inet_pton(socket.AF_INET6, a)))


def snm_mac(a):
    return in6_getnsmac(in6_getnsma(inet_pton(socket.AF_INET6, a)))


def eth(dst=OUR_MAC, src=PEER_MAC, vlans=()):
    p = Ether(src=src, dst=dst)
    for tpid, vid in vlans:
        p = p / (Dot1AD(vlan=vid, prio=1) if tpid == 0x88a8 else Dot1Q(vlan=vid, prio=2))
    return p


def add(name, pkt, result, reply=None, promisc=False):
    VECS.append((name, bytes(pkt), result, bytes(reply) if reply is not None else None,
                 promisc))


def arp_cases():
    req = ARP(op=1, hwsrc=PEER_MAC, psrc=PEER4, hwdst="00:00:00:00:00:00", pdst=OUR4)
    rep = ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4, hwdst=PEER_MAC, pdst=PEER4)
    add("arp_request_broadcast", eth(dst="ff:ff:ff:ff:ff:ff") / req, "ARP_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC) / rep)
    add("arp_request_unicast", eth() / req, "ARP_REPLY", eth(dst=PEER_MAC, src=OUR_MAC) / rep)
    vl = [(0x88a8, 100), (0x8100, 200)]
    add("arp_request_qinq", eth(dst="ff:ff:ff:ff:ff:ff", vlans=vl) / req, "ARP_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC, vlans=vl) / rep)
    req_b = ARP(op=1, hwsrc=PEER_MAC, psrc=PEER4, pdst=OUR4B)
    add("arp_request_second_address", eth(dst="ff:ff:ff:ff:ff:ff") / req_b, "ARP_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC) /
        ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4B, hwdst=PEER_MAC, pdst=PEER4))
    # RFC 5227 probe: sender address 0, answered to target address 0.
    probe = ARP(op=1, hwsrc=PEER_MAC, psrc="0.0.0.0", pdst=OUR4)
    add("arp_probe", eth(dst="ff:ff:ff:ff:ff:ff") / probe, "ARP_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC) /
        ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4, hwdst=PEER_MAC, pdst="0.0.0.0"))
    # Padded to 60 bytes as on a wire: the padding is kept (the reply has the same length).
    padded = eth(dst="ff:ff:ff:ff:ff:ff") / req / Padding(load=b"\0" * 18)
    add("arp_request_padded", padded, "ARP_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC) / rep / Padding(load=b"\0" * 18))
    add("arp_request_other_address", eth(dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=PEER_MAC, psrc=PEER4, pdst=OTHER4), "ARP_OTHER")
    add("arp_reply_in", eth() / ARP(op=2, hwsrc=PEER_MAC, psrc=PEER4, hwdst=OUR_MAC,
                                    pdst=OUR4), "ARP_OTHER")
    add("arp_request_other_mac", eth(dst=OTHER_MAC) / req, "NOT_OUR_MAC")
    add("arp_request_multicast_mac", eth(dst="01:00:5e:00:00:01") / req, "MCAST")
    add("arp_truncated", bytes(eth(dst="ff:ff:ff:ff:ff:ff") / req)[:30], "TRUNC")
    add("arp_request_multicast_sha", eth(dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc="01:00:00:00:00:01", psrc=PEER4, pdst=OUR4), "ARP_OTHER")


def na(dst, dst_mac, target, s=1, vlans=()):
    return (eth(dst=dst_mac, src=OUR_MAC, vlans=vlans) / IPv6(src=target, dst=dst, hlim=255) /
            ICMPv6ND_NA(tgt=target, R=0, S=s, O=1) / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC))


def nd_cases():
    ns = ICMPv6ND_NS(tgt=OUR6) / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)
    add("ns_multicast", eth(dst=snm_mac(OUR6)) / IPv6(src=PEER6, dst=snm(OUR6), hlim=255) / ns,
        "ND_ADVERT", na(PEER6, PEER_MAC, OUR6))
    vl = [(0x8100, 300)]
    add("ns_multicast_vlan", eth(dst=snm_mac(OUR6), vlans=vl) /
        IPv6(src=PEER6, dst=snm(OUR6), hlim=255) / ns, "ND_ADVERT",
        na(PEER6, PEER_MAC, OUR6, vlans=vl))
    # Unicast (neighbour unreachability detection), no option: the reply grows by 8 bytes.
    add("ns_unicast_no_option", eth() / IPv6(src=PEER6, dst=OUR6, hlim=255) /
        ICMPv6ND_NS(tgt=OUR6), "ND_ADVERT", na(PEER6, PEER_MAC, OUR6))
    nsb = ICMPv6ND_NS(tgt=OUR6B) / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)
    add("ns_second_address", eth(dst=snm_mac(OUR6B)) /
        IPv6(src=PEER6, dst=snm(OUR6B), hlim=255) / nsb, "ND_ADVERT", na(PEER6, PEER_MAC, OUR6B))
    # Duplicate address detection of our address: defended to all-nodes, S clear.
    add("ns_dad", eth(dst=snm_mac(OUR6)) / IPv6(src="::", dst=snm(OUR6), hlim=255) /
        ICMPv6ND_NS(tgt=OUR6), "ND_ADVERT", na("ff02::1", "33:33:00:00:00:01", OUR6, s=0))
    add("ns_dad_unicast", eth() / IPv6(src="::", dst=OUR6, hlim=255) / ICMPv6ND_NS(tgt=OUR6),
        "ND_OTHER")
    add("ns_other_target_multicast", eth(dst=snm_mac(OTHER6)) /
        IPv6(src=PEER6, dst=snm(OTHER6), hlim=255) / ICMPv6ND_NS(tgt=OTHER6), "MCAST")
    add("ns_other_target_unicast", eth() / IPv6(src=PEER6, dst=OUR6, hlim=255) /
        ICMPv6ND_NS(tgt=OTHER6), "ND_OTHER")
    add("ns_hop_limit_64", eth(dst=snm_mac(OUR6)) / IPv6(src=PEER6, dst=snm(OUR6), hlim=64) /
        ns, "ND_OTHER")
    add("ns_bad_checksum", eth(dst=snm_mac(OUR6)) / IPv6(src=PEER6, dst=snm(OUR6), hlim=255) /
        ICMPv6ND_NS(tgt=OUR6, cksum=0x1234) / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC),
        "BAD_ICMP")
    add("ns_zero_length_option", eth(dst=snm_mac(OUR6)) /
        IPv6(src=PEER6, dst=snm(OUR6), hlim=255) / ICMPv6ND_NS(tgt=OUR6) /
        Raw(b"\x01\x00" + b"\0" * 6), "ND_OTHER")
    add("ns_wrong_group", eth(dst=snm_mac(OUR6B)) / IPv6(src=PEER6, dst=snm(OUR6B), hlim=255) /
        ns, "ND_OTHER")
    add("ipv6_multicast_other", eth(dst="33:33:00:00:00:01") /
        IPv6(src=PEER6, dst="ff02::1") / ICMPv6EchoRequest(), "MCAST")
    add("na_in_multicast", eth(dst="33:33:00:00:00:01") /
        IPv6(src=PEER6, dst="ff02::1", hlim=255) / ICMPv6ND_NA(tgt=PEER6), "MCAST")


def echo4(src=PEER4, dst=OUR4, payload=b"0123456789abcdef" * 3, **kw):
    return IP(src=src, dst=dst, id=0x4242, flags="DF", ttl=kw.pop("ttl", 61), **kw) / \
        ICMP(type=8, id=0x77, seq=3) / Raw(payload)


def echo4_reply(payload=b"0123456789abcdef" * 3, dst=PEER4, src=OUR4, **kw):
    return IP(src=src, dst=dst, id=0x4242, flags="DF", ttl=64, **kw) / \
        ICMP(type=0, id=0x77, seq=3) / Raw(payload)


def icmp_cases():
    rep_eth = eth(dst=PEER_MAC, src=OUR_MAC)
    add("echo4", eth() / echo4(), "ECHO4_REPLY", rep_eth / echo4_reply())
    add("echo4_tos", eth() / echo4(tos=0x20), "ECHO4_REPLY", rep_eth / echo4_reply(tos=0x20))
    add("echo4_second_address", eth() / echo4(dst=OUR4B), "ECHO4_REPLY",
        rep_eth / echo4_reply(src=OUR4B))
    vl = [(0x8100, 5), (0x8100, 6)]
    add("echo4_two_vlans", eth(vlans=vl) / echo4(), "ECHO4_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC, vlans=vl) / echo4_reply())
    # A short request padded to 60 bytes on the wire: the reply is cut to the IP length.
    add("echo4_padded", eth() / echo4(payload=b"hi") / Padding(load=b"\0" * 12), "ECHO4_REPLY",
        rep_eth / echo4_reply(payload=b"hi"))
    add("echo4_bad_icmp_checksum", eth() / IP(src=PEER4, dst=OUR4) /
        ICMP(type=8, chksum=0x1111) / Raw(b"x"), "BAD_ICMP")
    add("echo4_bad_ip_checksum", eth() / IP(src=PEER4, dst=OUR4, chksum=0x1111) /
        ICMP(type=8) / Raw(b"x"), "BAD_IP")
    add("echo4_fragment", eth() / IP(src=PEER4, dst=OUR4, flags="MF") / ICMP(type=8) /
        Raw(b"x" * 8), "BAD_IP")
    add("echo4_from_broadcast", eth() / IP(src="255.255.255.255", dst=OUR4) / ICMP(type=8),
        "BAD_IP")
    add("echo4_other_address", eth() / echo4(dst=OTHER4), "NOT_OUR_ADDR")
    add("echo4_broadcast_mac", eth(dst="ff:ff:ff:ff:ff:ff") / echo4(dst="198.18.0.255"),
        "MCAST")
    add("icmp4_timestamp", eth() / IP(src=PEER4, dst=OUR4) / ICMP(type=13), "ICMP_OTHER")
    add("icmp4_unreachable", eth() / IP(src=PEER4, dst=OUR4) / ICMP(type=3, code=3) /
        IP(src=OUR4, dst=PEER4) / UDP(), "ICMP_OTHER")
    add("echo4_truncated_ip_length", bytes(eth() / echo4())[:40], "BAD_IP")
    e6 = IPv6(src=PEER6, dst=OUR6, hlim=50, tc=0x20) / ICMPv6EchoRequest(id=9, seq=10,
                                                                          data=b"ping6" * 9)
    add("echo6", eth() / e6, "ECHO6_REPLY", rep_eth /
        IPv6(src=OUR6, dst=PEER6, hlim=64, tc=0x20) / ICMPv6EchoReply(id=9, seq=10,
                                                                      data=b"ping6" * 9))
    add("echo6_vlan", eth(vlans=[(0x8100, 7)]) / e6, "ECHO6_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC, vlans=[(0x8100, 7)]) /
        IPv6(src=OUR6, dst=PEER6, hlim=64, tc=0x20) / ICMPv6EchoReply(id=9, seq=10,
                                                                      data=b"ping6" * 9))
    add("echo6_bad_checksum", eth() / IPv6(src=PEER6, dst=OUR6) /
        ICMPv6EchoRequest(cksum=0x2222), "BAD_ICMP")
    add("echo6_other_address", eth() / IPv6(src=PEER6, dst=OTHER6) / ICMPv6EchoRequest(),
        "NOT_OUR_ADDR")
    add("echo6_multicast_source", eth() / IPv6(src="ff02::1", dst=OUR6) / ICMPv6EchoRequest(),
        "BAD_IP")
    add("icmp6_reply_in", eth() / IPv6(src=PEER6, dst=OUR6) / ICMPv6EchoReply(), "ICMP_OTHER")


def tcp_cases():
    t = TCP(sport=40000, dport=80, flags="S", seq=1)
    add("tcp4_ours", eth() / IP(src=PEER4, dst=OUR4) / t, "PASS")
    add("tcp4_ours_vlan", eth(vlans=[(0x8100, 9)]) / IP(src=PEER4, dst=OUR4) / t, "PASS")
    add("tcp4_other_address", eth() / IP(src=PEER4, dst=OTHER4) / t, "NOT_OUR_ADDR")
    add("tcp4_other_mac", eth(dst=OTHER_MAC) / IP(src=PEER4, dst=OUR4) / t, "NOT_OUR_MAC")
    add("tcp4_broadcast_mac", eth(dst="ff:ff:ff:ff:ff:ff") / IP(src=PEER4, dst=OUR4) / t,
        "MCAST")
    add("tcp6_ours", eth() / IPv6(src=PEER6, dst=OUR6) / t, "PASS")
    add("tcp6_hop_by_hop", eth() / IPv6(src=PEER6, dst=OUR6B) / IPv6ExtHdrHopByHop() / t,
        "PASS")
    add("tcp6_other_address", eth() / IPv6(src=PEER6, dst=OTHER6) / t, "NOT_OUR_ADDR")
    add("tcp6_multicast_mac", eth(dst="33:33:00:00:00:02") / IPv6(src=PEER6, dst=OUR6) / t,
        "MCAST")
    add("udp4_ours", eth() / IP(src=PEER4, dst=OUR4) / UDP(), "PROTO")
    add("src_mac_multicast", eth(src="03:00:00:00:00:01") / IP(src=PEER4, dst=OUR4) / t,
        "BAD_SRC_MAC")
    add("src_mac_ours", eth(src=OUR_MAC) / IP(src=PEER4, dst=OUR4) / t, "BAD_SRC_MAC")
    add("ipv4_wrong_version", bytes(eth() / IP(src=PEER4, dst=OUR4) / t)[:14] + b"\x65" +
        bytes(eth() / IP(src=PEER4, dst=OUR4) / t)[15:], "BAD_IP")
    add("lldp", Ether(src=PEER_MAC, dst="01:80:c2:00:00:0e", type=0x88cc) / Raw(b"\0" * 46),
        "MCAST")
    add("unicast_other_ethertype", Ether(src=PEER_MAC, dst=OUR_MAC, type=0x88b5) /
        Raw(b"\0" * 46), "ETHERTYPE")
    add("three_vlans", eth(vlans=[(0x88a8, 1), (0x8100, 2), (0x8100, 3)]) /
        IP(src=PEER4, dst=OUR4) / t, "ETHERTYPE")
    add("runt", bytes(eth())[:10], "TRUNC")
    add("vlan_truncated", bytes(eth(vlans=[(0x8100, 1)]))[:16], "TRUNC")
    # Promiscuous: whatever is not ours to answer goes on to the engine as before.
    add("promisc_tcp_other_mac", eth(dst=OTHER_MAC) / IP(src=PEER4, dst=OTHER4) / t, "PASS",
        promisc=True)
    add("promisc_udp", eth(dst=OTHER_MAC) / IP(src=PEER4, dst=OTHER4) / UDP(), "PASS",
        promisc=True)
    add("promisc_arp_ours", eth(dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=PEER_MAC, psrc=PEER4, pdst=OUR4), "ARP_REPLY",
        eth(dst=PEER_MAC, src=OUR_MAC) /
        ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4, hwdst=PEER_MAC, pdst=PEER4), promisc=True)


def c_bytes(name, b):
    lines = ["static const uint8_t %s[%d] = {" % (name, max(len(b), 1))]
    for i in range(0, len(b), 12):
        lines.append("\t" + " ".join("0x%02x," % x for x in b[i:i + 12]))
    lines.append("};")
    return "\n".join(lines)


def render():
    out = ["/* SPDX-License-Identifier: BSD-3-Clause",
           " * Copyright (c) 2026 The dpdk-twq authors",
           " */", "",
           "/*",
           " * GENERATED FILE, do not edit. Test vectors of app/l2.c built with Scapy (which",
           " * computes every checksum itself). Regenerate from the top of the tree with:",
           " *   /usr/bin/python3 test/scenarios/mk_l2_vectors.py",
           " */", "",
           "#ifndef L2_VECTORS_H", "#define L2_VECTORS_H", "",
           "#include <stdbool.h>", "#include <stdint.h>", "", '#include "l2.h"', "",
           "/** A received frame, app_l2_input()'s result and, for an answer, its frame. */",
           "struct l2_vec {",
           "\tconst char *name;", "\tconst uint8_t *in;", "\tuint16_t in_len;",
           "\tenum app_l2_result result;", "\tconst uint8_t *out;", "\tuint16_t out_len;",
           "\tbool promisc;", "};", "",
           '#define L2_VEC_MAC {{0x%s}}' % ", 0x".join(OUR_MAC.split(":")),
           '#define L2_VEC_ADDRESSES "%s"' % ADDRESSES, ""]
    for name, inp, _, rep, _ in VECS:
        out.append(c_bytes("l2v_%s_in" % name, inp))
        if rep is not None:
            out.append(c_bytes("l2v_%s_out" % name, rep))
    out += ["", "static const struct l2_vec l2_vecs[] = {"]
    for name, inp, res, rep, promisc in VECS:
        o = ("l2v_%s_out, %d" % (name, len(rep))) if rep is not None else "NULL, 0"
        out.append('\t{"%s", l2v_%s_in, %d, APP_L2_%s, %s, %s},' %
                   (name, name, len(inp), res, o, "true" if promisc else "false"))
    out += ["};", "", "#endif /* L2_VECTORS_H */", ""]
    return "\n".join(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    dest = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data",
                                                              "l2_vectors.h")
    arp_cases()
    nd_cases()
    icmp_cases()
    tcp_cases()
    with open(dest, "w") as f:
        f.write(render())


if __name__ == "__main__":
    main()
