#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpus of fuzz_segment and fuzz_term: one file per input, a control byte then
a frame.

Flows match the entries fuzz_segment.c makes (198.18.0.1:80 <- 198.18.0.2:1234 and
2001:db8::1 port 80 <- 2001:db8::2 port 1234, snd_nxt 1000, rcv_nxt 2000), which fuzz_term.c
keeps as live connections; port 4321 is a new peer to fuzz_term's listener on port 80.
Run: /usr/bin/python3 test/fuzz/mk_corpus.py test/fuzz/corpus
"""
import os
import sys

from scapy.all import IP, TCP, Dot1Q, Ether, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, Raw

ETH = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01")
V4 = IP(src="198.18.0.2", dst="198.18.0.1")
V6 = IPv6(src="2001:db8::2", dst="2001:db8::1")
TS = [("NOP", None), ("NOP", None), ("Timestamp", (600, 1000))]
OLD_TS = [("Timestamp", (100, 1000))]
ALL_OPTS = [("MSS", 1460), ("WScale", 7), ("SAckOK", b""), ("SAck", (1, 2, 3, 4)),
            ("Timestamp", (700, 1)), ("EOL", None)]


def frames():
    for ip in (V4, V6):
        yield "fin", ETH / ip / TCP(sport=1234, dport=80, flags="FA", seq=1999, ack=1000)
        yield "data", ETH / ip / TCP(sport=1234, dport=80, flags="PA", seq=2000, ack=1000,
                                     options=TS) / Raw(b"x" * 40)
        yield "dupack", ETH / ip / TCP(sport=1234, dport=80, flags="A", seq=2000, ack=1000)
        yield "rst", ETH / ip / TCP(sport=1234, dport=80, flags="R", seq=2000)
        yield "syn", ETH / ip / TCP(sport=1234, dport=80, flags="S", seq=5000, options=TS)
        yield "syn_old", ETH / ip / TCP(sport=1234, dport=80, flags="S", seq=5000,
                                        options=OLD_TS)
        yield "miss", ETH / ip / TCP(sport=999, dport=80, flags="S", seq=1)
        yield "opts", ETH / ip / TCP(sport=1234, dport=80, flags="A", seq=2000, ack=1000,
                                     options=ALL_OPTS)
        # A malformed option list (length 0 after a timestamp): parsing stops there, the SYN
        # still reaches the engine with its timestamp.
        yield "badopt", ETH / ip / TCP(sport=1234, dport=80, flags="S", seq=1500, dataofs=9) / \
            Raw(b"\x01\x01\x08\x0a\x00\x00\x02\x58\x00\x00\x03\xe8\x03\x00\x00\x00")
        yield "http", ETH / ip / TCP(sport=1234, dport=80, flags="PA", seq=2000, ack=1000,
                                     options=TS) / Raw(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        yield "lsyn", ETH / ip / TCP(sport=4321, dport=80, flags="S", seq=7000,
                                     options=[("MSS", 1460), ("SAckOK", b""),
                                              ("Timestamp", (900, 0)), ("WScale", 7)])
        yield "lack", ETH / ip / TCP(sport=4321, dport=80, flags="PA", seq=7001, ack=12345,
                                     options=TS) / Raw(b"GET / HTTP/1.1\r\n\r\n")
        yield "vlan", ETH / Dot1Q(vlan=5) / ip / TCP(sport=1234, dport=80, flags="A", seq=1)
        yield "qinq", (Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01", type=0x88a8) /
                       Dot1Q(vlan=6) / Dot1Q(vlan=7) / ip /
                       TCP(sport=1234, dport=80, flags="A", seq=1))
    yield "v4opts", ETH / IP(src="198.18.0.2", dst="198.18.0.1", options=b"\x01\x01\x01\x00") / \
        TCP(sport=1234, dport=80, flags="A", seq=3)
    yield "v6ext", ETH / V6 / IPv6ExtHdrDestOpt() / TCP(sport=1234, dport=80, flags="A", seq=3)
    yield "v6frag", ETH / V6 / IPv6ExtHdrFragment() / TCP(sport=1234, dport=80, flags="A")
    yield "v4frag", ETH / IP(src="198.18.0.2", dst="198.18.0.1", flags="MF") / TCP()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, pkt in frames():
        fam = "6" if IPv6 in pkt else "4"
        for ctl in (0x00, 0x15):
            path = os.path.join(out, "%s%s-%02x" % (name, fam, ctl))
            with open(path, "wb") as fh:
                fh.write(bytes([ctl]) + bytes(pkt))
    print("wrote corpus to", out)


if __name__ == "__main__":
    main()
