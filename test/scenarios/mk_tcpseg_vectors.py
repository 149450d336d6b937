#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Build the test vectors of lib/tcpseg's unit tests with Scapy.

Writes test/data/tcpseg_vectors.h: received frames with the reason and view tcpseg_parse()
must give, received frames with the exact reply frames tcpseg_build_reply() must make (SYN-ACKs
with options among them), and the option bytes tcpseg_opts_write() must write.
Every checksum is computed by Scapy (fields left None), so the expected bytes do not depend on
our code.

Usage: /usr/bin/python3 test/scenarios/mk_tcpseg_vectors.py [output]
(default output: test/data/tcpseg_vectors.h beside this script's parent directory)
"""

import os
import socket
import struct
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (Ether, Dot1Q, Dot1AD, IP, IPv6, TCP, UDP, Raw, ARP,  # noqa: E402
                       IPOption_NOP, IPOption_RR, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, ICMPv6EchoRequest, PadN, raw)

PEER_MAC = "02:00:00:00:00:01"
OUR_MAC = "02:00:00:00:00:02"
PEER4, OUR4 = "192.0.2.1", "198.51.100.7"
PEER6, OUR6 = "2001:db8::1", "2001:db8:1::7"

TS = [("NOP", None), ("NOP", None), ("Timestamp", (0x11223344, 0x55667788))]


def eth(vlans=()):
    """Ethernet from the peer to us with VLAN tags: list of (ethertype, vid)."""
    p = Ether(src=PEER_MAC, dst=OUR_MAC)
    for tpid, vid in vlans:
        p = p / (Dot1AD(vlan=vid, prio=1) if tpid == 0x88a8 else Dot1Q(vlan=vid, prio=2))
    return p


def tcp(**kw):
    kw.setdefault("sport", 40000)
    kw.setdefault("dport", 80)
    kw.setdefault("seq", 1000)
    kw.setdefault("ack", 2000)
    kw.setdefault("flags", "A")
    kw.setdefault("window", 512)
    return TCP(**kw)


def v4(**kw):
    kw.setdefault("src", PEER4)
    kw.setdefault("dst", OUR4)
    return IP(**kw)


def v6(**kw):
    kw.setdefault("src", PEER6)
    kw.setdefault("dst", OUR6)
    return IPv6(**kw)


class Vec:
    pass


parse_vecs = []
reply_vecs = []
closed_vecs = []
opts_vecs = []

# Bits of struct tcpseg_opts.present (lib/tcpseg/tcpseg_opt.h).
OPT_MSS, OPT_WSCALE, OPT_SACKOK, OPT_SACK, OPT_TS = 0x01, 0x02, 0x04, 0x08, 0x10


def c_name(name):
    return "tv_" + name


def add_parse(name, pkt, reason, vlans=0, l3=0, pad=b""):
    """A frame for tcpseg_parse(). For TCPSEG_OK the expected view is read back by Scapy."""
    v = Vec()
    v.name = name
    v.frame = raw(pkt) + pad
    v.reason = reason
    v.view = None
    if reason == "OK":
        p = Ether(v.frame)
        ip = p[IP] if IP in p else p[IPv6]
        t = p[TCP]
        view = {}
        if IP in p:
            view["src"] = socket.inet_pton(socket.AF_INET, ip.src)
            view["dst"] = socket.inet_pton(socket.AF_INET, ip.dst)
            view["is_ipv6"] = 0
            seg_len = ip.len - ip.ihl * 4
            view["l3_len"] = ip.ihl * 4
        else:
            view["src"] = socket.inet_pton(socket.AF_INET6, ip.src)
            view["dst"] = socket.inet_pton(socket.AF_INET6, ip.dst)
            view["is_ipv6"] = 1
            # IPv6 header plus extension headers: everything before TCP.
            view["l3_len"] = len(raw(ip)) - len(raw(t))
            assert l3 == 0 or l3 == view["l3_len"], name
            seg_len = ip.plen - (view["l3_len"] - 40)
        view["sport"], view["dport"] = t.sport, t.dport
        view["flags"], view["win"] = int(t.flags), t.window
        view["seq"], view["ack"] = t.seq, t.ack
        view["l4_len"] = t.dataofs * 4
        view["payload_len"] = seg_len - t.dataofs * 4
        view["n_vlan"] = vlans
        view["l2_len"] = 14 + 4 * vlans
        # Options from the frame's own bytes: Scapy may rewrite malformed ones.
        tcp_off = view["l2_len"] + view["l3_len"]
        view["opts"] = tcp_opts(v.frame[tcp_off + 20:tcp_off + t.dataofs * 4])
        v.view = view
    parse_vecs.append(v)
    return v


def tcp_opts(b):
    """Independent reading of TCP options for the expected view (RFC 9293, tcp_dooptions).

    As tcp_dooptions: a kind without its length byte, or a length below 2 or past the end,
    ends the list; what was read before it stays."""
    o = {"present": 0, "mss": 0, "wscale": 0, "sack": [], "tsval": 0, "tsecr": 0}
    i = 0
    while i < len(b):
        kind = b[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(b):
            break
        olen = b[i + 1]
        if olen < 2 or i + olen > len(b):
            break
        body = b[i + 2:i + olen]
        if kind == 2 and olen == 4:
            o["present"] |= 0x01
            o["mss"] = struct.unpack("!H", body)[0]
        elif kind == 3 and olen == 3:
            o["present"] |= 0x02
            o["wscale"] = body[0]
        elif kind == 4 and olen == 2:
            o["present"] |= 0x04
        elif kind == 5 and olen > 2 and (olen - 2) % 8 == 0:
            o["present"] |= 0x08
            o["sack"] = [struct.unpack("!II", body[k:k + 8]) for k in range(0, olen - 2, 8)]
        elif kind == 8 and olen == 10:
            o["present"] |= 0x10
            o["tsval"], o["tsecr"] = struct.unpack("!II", body)
        i += olen
    return o


def reply_frame(inp, r):
    """The reply tcpseg_build_reply() must make from frame inp for reply fields r."""
    p = Ether(inp)
    out = Ether(src=p.dst, dst=p.src)
    layer = p.payload
    while isinstance(layer, (Dot1Q, Dot1AD)):
        tag = layer.copy()
        tag.remove_payload()
        out = out / tag
        layer = layer.payload
    t = p[TCP]
    if r.get("syn_opts", 0):
        opts = syn_opts_list(r["syn_opts"] | (OPT_TS if r["has_ts"] else 0), r["mss"],
                             r["wscale"], r["tsval"], r["tsecr"])
    elif r["has_ts"]:
        opts = [("NOP", None), ("NOP", None), ("Timestamp", (r["tsval"], r["tsecr"]))]
    else:
        opts = []
    th = TCP(sport=t.dport, dport=t.sport, seq=r["seq"], ack=r["ack"], flags=r["flags"],
             window=r["win"], urgptr=0, options=opts)
    if IP in p:
        out = out / IP(version=4, ihl=5, tos=0, id=0, flags="DF", frag=0, ttl=64, proto=6,
                       src=p[IP].dst, dst=p[IP].src) / th
    else:
        out = out / IPv6(tc=0, fl=0, nh=6, hlim=64, src=p[IPv6].dst, dst=p[IPv6].src) / th
    return raw(out)


def syn_opts_list(present, mss, wscale, tsval, tsecr):
    """Scapy options of a Linux SYN-ACK (net/ipv4/tcp_output.c, tcp_options_write()): MSS;
    SACK_PERM + TS or NOP NOP TS; NOP NOP SACK_PERM without TS; NOP WS."""
    o = []
    if present & OPT_MSS:
        o.append(("MSS", mss))
    if present & OPT_TS:
        o += [("SAckOK", b"")] if present & OPT_SACKOK else [("NOP", None), ("NOP", None)]
        o.append(("Timestamp", (tsval, tsecr)))
    elif present & OPT_SACKOK:
        o += [("NOP", None), ("NOP", None), ("SAckOK", b"")]
    if present & OPT_WSCALE:
        o += [("NOP", None), ("WScale", wscale)]
    return o


def add_opts(name, present, mss=0, wscale=0, tsval=0, tsecr=0):
    """tcpseg_opts_write() of these options: the bytes Scapy encodes for syn_opts_list()."""
    v = Vec()
    v.name = name
    v.o = {"present": present, "mss": mss, "wscale": wscale, "tsval": tsval, "tsecr": tsecr}
    hdr = raw(TCP(options=syn_opts_list(present, mss, wscale, tsval, tsecr)))
    v.bytes = hdr[20:]
    assert len(v.bytes) % 4 == 0 and len(v.bytes) <= 20, name
    opts_vecs.append(v)


def add_reply(name, pkt, seq, ack, win, flags, ts=None, syn_opts=0, mss=0, wscale=0):
    v = Vec()
    v.name = name
    v.frame = raw(pkt)
    v.r = {"seq": seq, "ack": ack, "win": win, "flags": flags,
           "has_ts": 1 if ts else 0, "tsval": ts[0] if ts else 0, "tsecr": ts[1] if ts else 0,
           "syn_opts": syn_opts, "mss": mss, "wscale": wscale}
    v.out = reply_frame(v.frame, v.r)
    reply_vecs.append(v)


def add_closed(name, pkt):
    """RFC 793 page 65, "If the connection does not exist (CLOSED)"."""
    v = Vec()
    v.name = name
    v.frame = raw(pkt)
    t = Ether(v.frame)[TCP]
    flags = int(t.flags)
    seg_len = len(t.payload) + (1 if flags & 0x02 else 0) + (1 if flags & 0x01 else 0)
    v.sends = not flags & 0x04
    if flags & 0x10:
        v.r = {"seq": t.ack, "ack": 0, "flags": 0x04}
    else:
        v.r = {"seq": 0, "ack": (t.seq + seg_len) & 0xffffffff, "flags": 0x14}
    v.r.update({"win": 0, "has_ts": 0, "tsval": 0, "tsecr": 0, "syn_opts": 0, "mss": 0,
                "wscale": 0})
    v.out = reply_frame(v.frame, v.r) if v.sends else b""
    closed_vecs.append(v)


def build():
    Q1 = [(0x8100, 100)]
    QQ = [(0x88a8, 10), (0x8100, 20)]
    QQ2 = [(0x8100, 10), (0x8100, 20)]

    # --- frames that parse --------------------------------------------------------------
    add_parse("v4_ack", eth() / v4() / tcp(), "OK")
    add_parse("v4_data", eth() / v4() / tcp(flags="PA") / Raw(b"hello world"), "OK")
    add_parse("v4_padded", eth() / v4() / tcp(flags="A"), "OK", pad=b"\xaa" * 6)
    add_parse("v4_vlan", eth(Q1) / v4() / tcp(), "OK", vlans=1)
    add_parse("v4_qinq", eth(QQ) / v4() / tcp(flags="F"), "OK", vlans=2)
    add_parse("v4_qq_8100", eth(QQ2) / v4() / tcp(), "OK", vlans=2)
    add_parse("v4_ipopts", eth() / v4(options=[IPOption_RR(routers=["10.0.0.1", "10.0.0.2"])])
              / tcp() / Raw(b"xyz"), "OK")
    add_parse("v4_max_ihl", eth() / v4(options=[IPOption_NOP()] * 40) / tcp(), "OK")
    add_parse("v4_syn_opts", eth() / v4() / tcp(flags="S", seq=0xfffffffe, ack=0, options=[
        ("MSS", 1460), ("SAckOK", b""), ("Timestamp", (0xdeadbeef, 0)), ("NOP", None),
        ("WScale", 14)]), "OK")
    # Near misses of a Linux SYN's 20-byte layout (which the reader takes in one step): the
    # window scale with length 2 (skipped), the timestamps with length 11 (skipped: the list
    # goes on at the byte after its 11, a window scale).
    add_parse("v4_syn_ws_len2", eth() / v4() / tcp(flags="S", ack=0, dataofs=10) / Raw(
        b"\x02\x04\x05\xb4" b"\x04\x02\x08\x0a" b"\x00\x00\x00\x09" b"\x00\x00\x00\x00"
        b"\x01\x03\x02\x07"), "OK")
    add_parse("v4_syn_ts_len11", eth() / v4() / tcp(flags="S", ack=0, dataofs=10) / Raw(
        b"\x02\x04\x05\xb4" b"\x04\x02\x08\x0b" b"\x00\x00\x00\x09" b"\x00\x00\x00\x00"
        b"\x01\x03\x03\x07"), "OK")
    add_parse("v4_sack4", eth() / v4() / tcp(options=[("NOP", None), ("NOP", None), (
        "SAck", (1, 2, 3, 4, 5, 6, 0xfffffff0, 0x10))]), "OK")
    add_parse("v4_sack3_ts", eth() / v4() / tcp(options=[("NOP", None), ("NOP", None), (
        "Timestamp", (7, 8)), ("NOP", None), ("NOP", None), ("SAck", (10, 20, 30, 40, 50, 60))]),
        "OK")
    add_parse("v4_sack1", eth() / v4() / tcp(options=[("NOP", None), ("NOP", None), (
        "SAck", (0x80000000, 0x80000010))]), "OK")
    # MSS with length 3, WS with length 4, TS with length 8, SACK with 2+7: ignored; kind 30
    # (unknown) skipped; MSS after them still read.
    add_parse("v4_opts_wrong_len", eth() / v4() / tcp(options=[
        (2, b"\x05"), (3, b"\x01\x02"), (8, b"\x00" * 6), (5, b"\x00" * 7), (30, b"\x01\x02"),
        ("MSS", 536)]), "OK")
    # SACK-permitted with length 3 and TS with length 12 (both inside the header): skipped, the
    # window scale after them read; then EOL.
    add_parse("v6_opts_wrong_len", eth() / v6() / tcp(dataofs=10)
              / Raw(b"\x04\x03\x00" b"\x08\x0c" + b"\x11" * 10 + b"\x03\x03\x05" b"\x01\x00"),
              "OK", l3=40)
    # A malformed option list (tcp_dooptions): a length below 2, a length past the header or a
    # kind without its length byte ends the list; the options before it are kept and the
    # segment is processed.
    add_parse("opt_len0", eth() / v4() / tcp(dataofs=6) / Raw(b"\x01\x02\x00\x00"), "OK")
    add_parse("opt_len1", eth() / v4() / tcp(dataofs=6) / Raw(b"\x08\x01\x00\x00"), "OK")
    add_parse("opt_overrun", eth() / v4() / tcp(dataofs=7) / Raw(b"\x01\x01\x08\x0a\x00\x00\x00"
                                                                  b"\x01"), "OK")
    add_parse("opt_no_len", eth() / v4() / tcp(dataofs=6) / Raw(b"\x01\x01\x01\x02"), "OK")
    add_parse("opt_len0_v6", eth() / v6() / tcp(dataofs=6) / Raw(b"\x1e\x00\x00\x00"), "OK",
              l3=40)
    # MSS and window scale, then a TS option of length 0: MSS and WS kept, the valid TS
    # option after the bad one not read.
    add_parse("opt_keep_before_len0", eth() / v4() / tcp(flags="S", dataofs=11) / Raw(
        b"\x02\x04\x05\xb4" b"\x01\x03\x03\x07" b"\x08\x00"
        b"\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x02" b"\x00\x00"), "OK")
    # TS and SACK-permitted, then a SACK option of length 10 in the last 2 bytes: TS and
    # SACK-permitted kept; the payload is still there.
    add_parse("opt_keep_before_overrun_v6", eth(Q1) / v6() / tcp(flags="PA", dataofs=9) / Raw(
        b"\x01\x01\x08\x0a\x01\x02\x03\x04\x05\x06\x07\x08" b"\x04\x02" b"\x05\x0a"
        b"data"), "OK", vlans=1, l3=40)
    # MSS, then a window scale kind in the last byte, without its length.
    add_parse("opt_keep_before_no_len", eth() / v4() / tcp(flags="S", dataofs=7) / Raw(
        b"\x02\x04\x02\x18" b"\x01\x01\x01\x03"), "OK")
    # EOL ends the list: the length-0 option after it is not looked at.
    add_parse("v4_opts_eol", eth() / v4() / tcp(dataofs=7)
              / Raw(b"\x02\x04\x04\xb0\x00\x02\x00\x00"), "OK")
    add_parse("v6_ack", eth() / v6() / tcp(), "OK", l3=40)
    add_parse("v6_data_ts", eth(Q1) / v6() / tcp(flags="PA", options=TS) / Raw(b"A" * 100),
              "OK", vlans=1, l3=40)
    add_parse("v6_padded", eth() / v6() / tcp(), "OK", l3=40, pad=b"\x55" * 4)
    add_parse("v6_ext3", eth(QQ) / v6() / IPv6ExtHdrHopByHop() / IPv6ExtHdrRouting()
              / IPv6ExtHdrDestOpt(options=[]) / tcp(flags="FA") / Raw(b"bye"),
              "OK", vlans=2, l3=40 + 8 + 8 + 8)
    add_parse("v6_ext_long", eth() / v6() / IPv6ExtHdrDestOpt(options=[
        PadN(optdata=b"\x00" * 20)]) / tcp(), "OK", l3=40 + 24)
    ext8 = IPv6ExtHdrHopByHop()
    for _ in range(7):
        ext8 = ext8 / IPv6ExtHdrDestOpt()
    add_parse("v6_ext8", eth() / v6() / ext8 / tcp(), "OK", l3=40 + 64)

    # --- rejected frames ----------------------------------------------------------------
    add_parse("trunc_eth", raw(eth())[:13], "TRUNC_ETH")
    add_parse("trunc_vlan", raw(eth() / Dot1Q(vlan=3))[:16], "TRUNC_ETH")
    add_parse("trunc_vlan2", raw(eth(QQ) / v4())[:20], "TRUNC_ETH")
    add_parse("vlan3", eth(QQ + [(0x8100, 30)]) / v4() / tcp(), "VLAN_DEPTH")
    add_parse("not_ip_arp", eth() / ARP(), "NOT_IP")
    add_parse("not_ip_vlan", eth(Q1) / ARP(), "NOT_IP")
    add_parse("trunc_ip4", raw(eth() / v4() / tcp())[:14 + 19], "TRUNC_IP")
    add_parse("trunc_ip6", raw(eth() / v6() / tcp())[:14 + 39], "TRUNC_IP")
    add_parse("ver_6_in_4", Ether(src=PEER_MAC, dst=OUR_MAC, type=0x0800) / v6() / tcp(),
              "BAD_IP_VER")
    add_parse("ver_4_in_6", Ether(src=PEER_MAC, dst=OUR_MAC, type=0x86dd) / v4() / tcp()
              / Raw(b"\x00" * 20), "BAD_IP_VER")
    add_parse("ihl_4", eth() / v4(ihl=4) / tcp(), "BAD_IHL")
    add_parse("ihl_0", eth() / v4(ihl=0) / tcp(), "BAD_IHL")
    add_parse("ihl_past_frame", eth() / v4(ihl=15) / tcp(), "BAD_IHL")
    add_parse("ip4_len_short", eth() / v4(len=19) / tcp(), "BAD_IP_LEN")
    add_parse("ip4_len_long", eth() / v4(len=41) / tcp(), "BAD_IP_LEN")
    add_parse("ip4_len_long_opts", eth() / v4(options=[IPOption_NOP()] * 4, len=23) / tcp(),
              "BAD_IP_LEN")
    add_parse("ip6_len_long", eth() / v6(plen=21) / tcp(), "BAD_IP_LEN")
    add_parse("ip4_csum", eth() / v4(chksum=0x1234) / tcp(), "BAD_IP_CSUM")
    add_parse("ip4_csum_opts", eth() / v4(options=[IPOption_NOP()] * 4, chksum=0) / tcp(),
              "BAD_IP_CSUM")
    add_parse("frag4_mf", eth() / v4(flags="MF") / tcp(), "IP_FRAGMENT")
    add_parse("frag4_off", eth() / v4(frag=100) / tcp(), "IP_FRAGMENT")
    add_parse("frag6", eth() / v6() / IPv6ExtHdrFragment(m=1, id=7) / tcp(), "IP_FRAGMENT")
    add_parse("frag6_after_hbh", eth() / v6() / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment(
        offset=5, id=7) / tcp(), "IP_FRAGMENT")
    add_parse("addr4_dst_mcast", eth() / v4(dst="224.0.0.1") / tcp(), "BAD_ADDR")
    add_parse("addr4_dst_mcast_hi", eth() / v4(dst="239.255.255.255") / tcp(), "BAD_ADDR")
    add_parse("addr4_dst_bcast", eth() / v4(dst="255.255.255.255") / tcp(), "BAD_ADDR")
    add_parse("addr4_src_mcast", eth() / v4(src="230.1.2.3") / tcp(), "BAD_ADDR")
    add_parse("addr4_src_bcast", eth() / v4(src="255.255.255.255") / tcp(), "BAD_ADDR")
    add_parse("addr4_src_zero", eth() / v4(src="0.0.0.0") / tcp(), "BAD_ADDR")
    add_parse("addr6_dst_mcast", eth() / v6(dst="ff02::1") / tcp(), "BAD_ADDR")
    add_parse("addr6_src_mcast", eth() / v6(src="ff0e::5") / tcp(), "BAD_ADDR")
    add_parse("addr6_src_unspec", eth() / v6(src="::") / tcp(), "BAD_ADDR")
    ext9 = IPv6ExtHdrHopByHop()
    for _ in range(8):
        ext9 = ext9 / IPv6ExtHdrDestOpt()
    add_parse("ip6_ext9", eth() / v6() / ext9 / tcp(), "IP6_EXT")
    # Destination options header claiming 48 bytes in an 8-byte payload.
    add_parse("ip6_ext_trunc", eth() / v6(nh=60, plen=8) / Raw(b"\x06\x05" + b"\x00" * 6),
              "IP6_EXT")
    # Only one byte of an extension header inside the IPv6 payload.
    add_parse("ip6_ext_1byte", eth() / v6(nh=0, plen=1) / Raw(b"\x06" + b"\x00" * 20),
              "IP6_EXT")
    add_parse("not_tcp4_udp", eth() / v4() / UDP(sport=1, dport=2), "NOT_TCP")
    add_parse("not_tcp6_udp", eth() / v6() / UDP(sport=1, dport=2), "NOT_TCP")
    add_parse("not_tcp6_icmp", eth() / v6() / IPv6ExtHdrDestOpt() / ICMPv6EchoRequest(),
              "NOT_TCP")
    add_parse("not_tcp6_nonxt", eth() / v6(nh=59), "NOT_TCP")
    add_parse("trunc_tcp4", eth() / v4(proto=6) / Raw(raw(tcp())[:19]), "TRUNC_TCP")
    add_parse("trunc_tcp4_iplen", eth() / v4(proto=6, len=20 + 12) / Raw(raw(tcp())),
              "TRUNC_TCP")
    add_parse("trunc_tcp6", eth() / v6(nh=6) / Raw(raw(tcp())[:12]), "TRUNC_TCP")
    add_parse("doff_4", eth() / v4() / tcp(dataofs=4), "BAD_DOFF")
    add_parse("doff_past_seg", eth() / v4() / tcp(dataofs=6), "BAD_DOFF")
    add_parse("doff_past_seg6", eth() / v6() / tcp(dataofs=15, options=TS), "BAD_DOFF")
    add_parse("tcp4_csum", eth() / v4() / tcp(chksum=0xbeef), "BAD_TCP_CSUM")
    add_parse("tcp4_csum_data", eth() / v4() / tcp(chksum=0) / Raw(b"abc"), "BAD_TCP_CSUM")
    add_parse("tcp6_csum", eth() / v6() / tcp(chksum=0xbeef), "BAD_TCP_CSUM")
    add_parse("tcp6_csum_ext", eth() / v6() / IPv6ExtHdrDestOpt() / tcp(chksum=1)
              / Raw(b"abc"), "BAD_TCP_CSUM")
    # A payload byte changed after Scapy computed the checksum.
    good = bytearray(raw(eth() / v4() / tcp() / Raw(b"payload")))
    good[-1] ^= 0x01
    add_parse("tcp4_csum_payload_flip", Raw(bytes(good)), "BAD_TCP_CSUM")
    good = bytearray(raw(eth() / v6() / tcp() / Raw(b"payload!")))
    good[-2] ^= 0x80
    add_parse("tcp6_csum_payload_flip", Raw(bytes(good)), "BAD_TCP_CSUM")

    # --- replies ------------------------------------------------------------------------
    add_reply("r4_ack", eth() / v4() / tcp(flags="PA") / Raw(b"data" * 10),
              seq=5000, ack=6000, win=1024, flags=0x10)
    add_reply("r4_vlan_ts", eth(Q1) / v4(options=[IPOption_NOP()] * 8) / tcp(options=TS)
              / Raw(b"x" * 3), seq=0xffffffff, ack=0x80000000, win=65535, flags=0x10,
              ts=(0xcafef00d, 0x11223344))
    add_reply("r4_qinq_rst", eth(QQ) / v4() / tcp(flags="S", options=[("MSS", 1460)]),
              seq=0, ack=1001, win=0, flags=0x14)
    add_reply("r4_small_ts", eth() / v4() / tcp(), seq=1, ack=2, win=3, flags=0x11,
              ts=(1, 0))
    add_reply("r6_ack", eth() / v6() / tcp(flags="A") / Raw(b"z" * 64),
              seq=123456789, ack=987654321, win=8192, flags=0x10)
    add_reply("r6_ext_ts", eth(QQ) / v6() / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
              / tcp(flags="FA", options=TS) / Raw(b"q" * 17), seq=42, ack=43, win=100,
              flags=0x10, ts=(0xfffffffe, 0x11223344))
    add_reply("r6_vlan_rst", eth(Q1) / v6() / tcp(flags="A"), seq=2000, ack=0, win=0,
              flags=0x04)

    # --- SYN-ACKs with options, answered over the received SYN --------------------------
    # Every combination of MSS, window scale, SACK-permitted and timestamps (syn_opts 0 with
    # or without timestamps is the fast path: same bytes as an ACK's options).
    syn = tcp(flags="S", seq=0x01020304, ack=0, options=[
        ("MSS", 1460), ("SAckOK", b""), ("Timestamp", (0xdeadbeef, 0)), ("NOP", None),
        ("WScale", 7)])
    for bits in range(16):
        mss_on, ws_on, sack_on, ts_on = bits & 1, bits & 2, bits & 4, bits & 8
        syn_opts = (OPT_MSS if mss_on else 0) | (OPT_WSCALE if ws_on else 0) | \
            (OPT_SACKOK if sack_on else 0)
        name = "sa4_" + ("m" if mss_on else "") + ("w" if ws_on else "") + \
            ("s" if sack_on else "") + ("t" if ts_on else "") + ("" if bits else "none")
        add_reply(name, eth() / v4() / syn, seq=0x9abcdef0, ack=0x01020305, win=65535,
                  flags=0x12, ts=(0x12345678, 0xdeadbeef) if ts_on else None,
                  syn_opts=syn_opts, mss=1460, wscale=9)
    add_reply("sa6_mwst_qinq", eth(QQ) / v6() / IPv6ExtHdrDestOpt() / syn / Raw(b"tfo"),
              seq=0xfffffffe, ack=0x01020305, win=28800, flags=0x12,
              ts=(0xfffffff0, 0xdeadbeef), syn_opts=OPT_MSS | OPT_WSCALE | OPT_SACKOK,
              mss=1440, wscale=14)
    add_reply("sa6_ms_vlan", eth(Q1) / v6() / syn, seq=7, ack=0x01020305, win=1024,
              flags=0x12, syn_opts=OPT_MSS | OPT_SACKOK, mss=536, wscale=0)
    add_reply("sa4_mw_ipopts", eth(Q1) / v4(options=[IPOption_NOP()] * 4) / syn, seq=1,
              ack=0x01020305, win=512, flags=0x12, syn_opts=OPT_MSS | OPT_WSCALE, mss=65535,
              wscale=0)

    # --- tcpseg_opts_write() -------------------------------------------------------------
    for bits in range(16):
        present = (OPT_MSS if bits & 1 else 0) | (OPT_WSCALE if bits & 2 else 0) | \
            (OPT_SACKOK if bits & 4 else 0) | (OPT_TS if bits & 8 else 0)
        add_opts("o_%02x" % present, present, mss=1460 + bits, wscale=bits,
                 tsval=0x80000000 + bits, tsecr=0xfedcba98 - bits)
    add_opts("o_extremes", OPT_MSS | OPT_WSCALE | OPT_SACKOK | OPT_TS, mss=0xffff,
             wscale=255, tsval=0xffffffff, tsecr=0)

    # --- closed-port replies ------------------------------------------------------------
    add_closed("c4_syn", eth() / v4() / tcp(flags="S", seq=0xffffffff, ack=0,
                                            options=[("MSS", 1460)]))
    add_closed("c4_ack_data", eth(Q1) / v4() / tcp(flags="PA", seq=10, ack=0xabcdef01)
               / Raw(b"GET /"))
    add_closed("c4_rst", eth() / v4() / tcp(flags="R"))
    add_closed("c4_rstack", eth() / v4() / tcp(flags="RA"))
    add_closed("c6_fin_data", eth() / v6() / tcp(flags="F", seq=0xfffffff0, ack=0)
               / Raw(b"0123456789abcdef"))
    add_closed("c6_qinq_syn", eth(QQ) / v6() / IPv6ExtHdrDestOpt() / tcp(flags="S", seq=7,
                                                                         ack=0))
    add_closed("c6_ack", eth() / v6() / tcp(flags="A", seq=1, ack=0x7fffffff))


def c_bytes(name, b):
    lines = ["static const uint8_t %s[%d] = {" % (name, max(len(b), 1))]
    for i in range(0, len(b), 12):
        lines.append("\t" + " ".join("0x%02x," % x for x in b[i:i + 12]))
    lines.append("};")
    return "\n".join(lines)


def c_addr(a):
    b = ["0x%02x" % x for x in a]
    if len(b) > 8:
        return "{ .v6 = { %s,\n\t\t\t%s } }" % (", ".join(b[:8]), ", ".join(b[8:]))
    return "{ .v6 = { %s } }" % ", ".join(b)


def c_view(w):
    o = w["opts"]
    sack = ",\n\t\t\t\t".join("{ 0x%08xU, 0x%08xU }" % s for s in o["sack"]) or "{ 0 }"
    return ("{\n\t\t.src = %s,\n\t\t.dst = %s,\n"
            "\t\t.sport = %d, .dport = %d, .is_ipv6 = %d, .flags = 0x%02x, .win = %d,\n"
            "\t\t.seq = 0x%08xU, .ack = 0x%08xU, .payload_len = %d,\n"
            "\t\t.n_vlan = %d, .l2_len = %d, .l3_len = %d, .l4_len = %d,\n"
            "\t\t.opts = { .present = 0x%02x, .wscale = %d, .sack_count = %d, .mss = %d,\n"
            "\t\t\t.tsval = 0x%08xU, .tsecr = 0x%08xU,\n\t\t\t.sack = { %s } },\n\t}") % (
        c_addr(w["src"]), c_addr(w["dst"]), w["sport"], w["dport"], w["is_ipv6"], w["flags"],
        w["win"], w["seq"], w["ack"], w["payload_len"], w["n_vlan"], w["l2_len"],
        w["l3_len"], w["l4_len"], o["present"], o["wscale"], len(o["sack"]), o["mss"],
        o["tsval"], o["tsecr"], sack)


def c_reply(r):
    return ("{ .seq = 0x%08xU, .ack = 0x%08xU, .win = %d, .flags = 0x%02x,\n\t\t  .has_ts = %d, "
            ".tsval = 0x%08xU, .tsecr = 0x%08xU,\n\t\t  .syn_opts = 0x%02x, .wscale = %d, "
            ".mss = %d }") % (
        r["seq"], r["ack"], r["win"], r["flags"], r["has_ts"], r["tsval"], r["tsecr"],
        r["syn_opts"], r["wscale"], r["mss"])


def c_opts(o):
    return ("{ .present = 0x%02x, .wscale = %d, .mss = %d, .tsval = 0x%08xU, "
            ".tsecr = 0x%08xU }") % (o["present"], o["wscale"], o["mss"], o["tsval"], o["tsecr"])


def render():
    out = ["/* SPDX-License-Identifier: BSD-3-Clause",
           " * Copyright (c) 2026 The dpdk-twq authors",
           " */",
           "",
           "/*",
           " * GENERATED FILE, do not edit. Test vectors of lib/tcpseg built with Scapy (which",
           " * computes every checksum itself). Regenerate from the top of the tree with:",
           " *   /usr/bin/python3 test/scenarios/mk_tcpseg_vectors.py",
           " */",
           "",
           "#ifndef TCPSEG_VECTORS_H",
           "#define TCPSEG_VECTORS_H",
           "",
           "#include <stdbool.h>",
           "#include <stdint.h>",
           "",
           "#include \"tcpseg.h\"",
           "",
           "/** A frame for tcpseg_parse(), the reason it gives and, for TCPSEG_OK, the view. */",
           "struct tcpseg_parse_vec {",
           "\tconst char *name;",
           "\tconst uint8_t *frame;",
           "\tuint16_t len;",
           "\tenum tcpseg_reason reason;",
           "\tstruct tcpseg_view view;",
           "};",
           "",
           "/** A received frame, the reply fields, and the frame tcpseg_build_reply() makes. */",
           "struct tcpseg_reply_vec {",
           "\tconst char *name;",
           "\tconst uint8_t *in;",
           "\tuint16_t in_len;",
           "\tstruct tcpseg_reply reply;",
           "\tconst uint8_t *out;",
           "\tuint16_t out_len;",
           "};",
           "",
           "/** Options for tcpseg_opts_write() and the bytes it writes (Scapy's encoding). */",
           "struct tcpseg_opts_vec {",
           "\tconst char *name;",
           "\tstruct tcpseg_opts opts;",
           "\tconst uint8_t *bytes;",
           "\tuint16_t len;",
           "};",
           "",
           "/** A received frame at a closed port: tcpseg_closed_reply()'s result and frame. */",
           "struct tcpseg_closed_vec {",
           "\tconst char *name;",
           "\tconst uint8_t *in;",
           "\tuint16_t in_len;",
           "\tbool sends;",
           "\tstruct tcpseg_reply reply;",
           "\tconst uint8_t *out;",
           "\tuint16_t out_len;",
           "};",
           ""]
    for v in parse_vecs:
        out.append(c_bytes(c_name(v.name), v.frame))
        out.append("")
    for v in reply_vecs + closed_vecs:
        out.append(c_bytes(c_name(v.name) + "_in", v.frame))
        out.append("")
        out.append(c_bytes(c_name(v.name) + "_out", v.out))
        out.append("")
    for v in opts_vecs:
        out.append(c_bytes(c_name(v.name), v.bytes))
        out.append("")
    out.append("static const struct tcpseg_parse_vec tcpseg_parse_vecs[] = {")
    for v in parse_vecs:
        view = c_view(v.view) if v.view else "{ .l2_len = 0 }"
        out.append("\t{ \"%s\", %s, %d, TCPSEG_%s,\n\t%s },"
                   % (v.name, c_name(v.name), len(v.frame), v.reason, view))
    out.append("};")
    out.append("")
    out.append("static const struct tcpseg_reply_vec tcpseg_reply_vecs[] = {")
    for v in reply_vecs:
        out.append("\t{ \"%s\", %s_in, %d,\n\t\t%s,\n\t\t%s_out, %d },"
                   % (v.name, c_name(v.name), len(v.frame), c_reply(v.r), c_name(v.name),
                      len(v.out)))
    out.append("};")
    out.append("")
    out.append("static const struct tcpseg_closed_vec tcpseg_closed_vecs[] = {")
    for v in closed_vecs:
        out.append("\t{ \"%s\", %s_in, %d, %s,\n\t\t%s,\n\t\t%s_out, %d },"
                   % (v.name, c_name(v.name), len(v.frame), "true" if v.sends else "false",
                      c_reply(v.r), c_name(v.name), len(v.out)))
    out.append("};")
    out.append("")
    out.append("static const struct tcpseg_opts_vec tcpseg_opts_vecs[] = {")
    for v in opts_vecs:
        out.append("\t{ \"%s\", %s,\n\t\t%s, %d },"
                   % (v.name, c_opts(v.o), c_name(v.name), len(v.bytes)))
    out.append("};")
    out.append("")
    out.append("#endif /* TCPSEG_VECTORS_H */")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    dest = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data",
                                                             "tcpseg_vectors.h")
    build()
    with open(dest, "w") as f:
        f.write(render())
    print("wrote %s: %d parse, %d reply, %d closed, %d option vectors"
          % (dest, len(parse_vecs), len(reply_vecs), len(closed_vecs), len(opts_vecs)))


if __name__ == "__main__":
    main()
