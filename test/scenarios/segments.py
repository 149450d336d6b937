# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""Traffic helpers for dpdk-twq scenarios and end-to-end tests (Scapy, python3-scapy).

A Flow is one TIME_WAIT entry (twqstate.Entry: l* = the appliance, r* = the peer) plus the
peer's side of it: it builds the segments the peer might send and the reply the engine's
rules (lib/twq/twq.h, twq_input) call for. Addresses stay in 198.18.0.0/15 and 2001:db8::/32.

Also here: the Toeplitz hash (rte_softrss) that picks a flow's worker, malformed frames,
and a pcap writer with fixed timestamps so that generated files are byte-for-byte stable.
"""

import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from twqstate import Entry  # noqa: E402

import logging  # noqa: E402
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.layers.l2 import Ether, Dot1Q  # noqa: E402
from scapy.layers.inet import IP, TCP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.packet import Raw  # noqa: E402
from scapy.utils import PcapWriter  # noqa: E402

PEER_MAC = "02:00:00:00:00:02"    # the peer (sender of the segments we generate)
TWQ_MAC = "02:00:00:00:00:01"     # the appliance
BASE_TIME = 1767225600            # 2026-01-01T00:00:00Z: fixed pcap timestamps

ACK, FIN, SYN, RST, PSH = 0x10, 0x01, 0x02, 0x04, 0x08

# The symmetric RSS key of the app: 0x6d, 0x5a repeated, 40 bytes.
RSS_KEY = bytes([0x6D, 0x5A] * 20)

U32 = 0xFFFFFFFF


def toeplitz(data, key=RSS_KEY):
    """Toeplitz hash of data (bytes, network order), as rte_softrss computes it."""
    kint = int.from_bytes(key, "big")
    klen = len(key) * 8
    h = 0
    for i, byte in enumerate(data):
        for b in range(8):
            if byte & (0x80 >> b):
                pos = i * 8 + b
                h ^= (kint >> (klen - 32 - pos)) & U32
    return h


def rss_hash(src, dst, sport, dport):
    """Hash of a segment as it arrives: (src addr, dst addr, src port, dst port)."""
    s = ipaddress.ip_address(src).packed
    d = ipaddress.ip_address(dst).packed
    return toeplitz(s + d + sport.to_bytes(2, "big") + dport.to_bytes(2, "big"))


def flow_worker(entry, n_workers):
    """Worker (shard, RX queue) of an entry's flow: hash of the peer's segments mod n."""
    return rss_hash(entry.raddr, entry.laddr, entry.rport, entry.lport) % n_workers


class Flow:
    """An entry and the peer that talks to it."""

    def __init__(self, entry, vlan=None, peer_tsval=None, name=""):
        self.e = entry
        self.vlan = vlan
        self.name = name or "%s:%d<-%s:%d" % (entry.laddr, entry.lport, entry.raddr,
                                              entry.rport)
        self.v6 = ipaddress.ip_address(entry.laddr).version == 6
        # the peer's clock for TSval of its segments: newer than t_recent
        self.peer_tsval = peer_tsval if peer_tsval is not None else (entry.t_recent + 1000) & U32

    def key(self):
        return (self.e.laddr, self.e.lport, self.e.raddr, self.e.rport)

    def lookup_params(self):
        """Parameters of /twq/lookup for this entry."""
        return "%s,%d,%s,%d" % self.key()

    def frame(self, flags, seq, ack=0, payload=b"", win=8192, ts=None, vlan="default",
              src=None, dst=None, sport=None, dport=None):
        """A frame from the peer. ts: None (timestamps if the entry has them), False (none),
        or (tsval, tsecr)."""
        if ts is None:
            ts = (self.peer_tsval, self.e.snd_nxt and 1 or 0) if self.e.has_ts else False
        opts = [("NOP", None), ("NOP", None), ("Timestamp", ts)] if ts else []
        ip_src = src or self.e.raddr
        ip_dst = dst or self.e.laddr
        l3 = IPv6(src=ip_src, dst=ip_dst) if self.v6 else IP(src=ip_src, dst=ip_dst, id=1)
        l4 = TCP(sport=sport or self.e.rport, dport=dport or self.e.lport, seq=seq & U32,
                 ack=ack & U32, flags=flags, window=win, options=opts)
        pkt = l3 / l4
        if payload:
            pkt = pkt / Raw(payload)
        vid = self.vlan if vlan == "default" else vlan
        l2 = Ether(src=PEER_MAC, dst=TWQ_MAC)
        if vid is not None:
            return l2 / Dot1Q(vlan=vid) / pkt
        return l2 / pkt

    # Segments of the rules, with what each must get.
    def fin_retx(self, **kw):
        """A retransmitted FIN: seq + 0 + 1 == rcv_nxt. Gets an ACK and re-arms 2MSL."""
        return self.frame(FIN | ACK, self.e.rcv_nxt - 1, self.e.snd_nxt, **kw)

    def rst(self, **kw):
        """An RST at rcv_nxt: dropped (RFC 1337), nothing sent."""
        return self.frame(RST | ACK, self.e.rcv_nxt, self.e.snd_nxt, ts=False, **kw)

    def data(self, payload=b"late data", **kw):
        """Data at rcv_nxt: gets an ACK."""
        return self.frame(PSH | ACK, self.e.rcv_nxt, self.e.snd_nxt, payload, **kw)

    def dupack(self, **kw):
        """Exact duplicate ACK (seq == rcv_nxt, ack == snd_nxt, no data): nothing sent."""
        return self.frame(ACK, self.e.rcv_nxt, self.e.snd_nxt, **kw)

    def old_ack(self, **kw):
        """An ACK for something other than snd_nxt: gets an ACK."""
        return self.frame(ACK, self.e.rcv_nxt, self.e.snd_nxt - 100, **kw)

    def noack(self, **kw):
        """A segment without ACK (nor SYN/RST): dropped."""
        return self.frame(PSH, self.e.rcv_nxt, 0, b"x", **kw)

    def syn_above(self, delta=100000, **kw):
        """A SYN with seq above rcv_nxt: ends the entry (syn_reopen)."""
        return self.frame(SYN, self.e.rcv_nxt + delta, 0, **kw)

    def expected_ack(self):
        """Reply fields of an ACK from this entry (TSval is checked separately)."""
        e = self.e
        d = {"src": e.laddr, "dst": e.raddr, "sport": e.lport, "dport": e.rport,
             "seq": e.snd_nxt, "ack": e.rcv_nxt, "flags": ACK, "win": e.last_win,
             "tsecr": e.t_recent if e.has_ts else None, "has_ts": e.has_ts,
             "vlan": self.vlan}
        return d

    def expected_closed(self, pkt):
        """The closed-port answer (RFC 793) to a segment pkt of this flow, or None."""
        t = pkt[TCP]
        flags = int(t.flags)
        if flags & RST:
            return None
        l3 = pkt[IPv6] if self.v6 else pkt[IP]
        d = {"src": l3.dst, "dst": l3.src, "sport": t.dport, "dport": t.sport,
             "has_ts": False, "tsecr": None, "vlan": pkt[Dot1Q].vlan if Dot1Q in pkt else None}
        if flags & ACK:
            d.update(seq=t.ack, ack=0, flags=RST, win=0)
        else:
            seglen = len(bytes(t.payload)) + (1 if flags & SYN else 0) + (1 if flags & FIN else 0)
            d.update(seq=0, ack=(t.seq + seglen) & U32, flags=RST | ACK, win=0)
        return d


# Malformed frames: each is a counted drop (tcpseg reason) and gets no reply.
def malformed_frames(flow):
    """[(tcpseg reason name, frame bytes)] for a flow: each must be dropped and counted."""
    out = []
    l2 = 14 + (4 if flow.vlan is not None else 0)
    l3 = 40 if flow.v6 else 20
    e = flow.e
    # TCP header cut to 10 bytes, IP length consistent with the cut: trunc_tcp
    full = flow.frame(ACK, e.rcv_nxt, e.snd_nxt, ts=False)
    tcp10 = bytes(full[TCP])[:10]
    if flow.v6:
        p = Ether(src=PEER_MAC, dst=TWQ_MAC) / IPv6(src=e.raddr, dst=e.laddr, nh=6) / Raw(tcp10)
    else:
        p = Ether(src=PEER_MAC, dst=TWQ_MAC) / IP(src=e.raddr, dst=e.laddr, proto=6, id=1) / Raw(tcp10)
    if flow.vlan is None:
        out.append(("trunc_tcp", bytes(p)))
    # bad TCP checksum
    b = bytearray(bytes(flow.frame(PSH | ACK, e.rcv_nxt, e.snd_nxt, b"bad csum", ts=False)))
    b[l2 + l3 + 16] ^= 0x55
    out.append(("bad_tcp_csum", bytes(b)))
    # data offset 15 words (60 bytes) beyond a 28-byte segment; checksum right
    p = flow.frame(ACK, e.rcv_nxt, e.snd_nxt, b"12345678", ts=False)
    p[TCP].dataofs = 15
    out.append(("bad_doff", bytes(p)))
    # data offset below 5 words
    p = flow.frame(ACK, e.rcv_nxt, e.snd_nxt, ts=False)
    p[TCP].dataofs = 3
    out.append(("bad_doff", bytes(p)))
    if not flow.v6:
        # IPv4 header checksum wrong
        b = bytearray(bytes(full))
        b[l2 + 10] ^= 0xFF
        out.append(("bad_ip_csum", bytes(b)))
    # frame shorter than its Ethernet header
    out.append(("trunc_eth", bytes(full)[:10]))
    return out


def write_pcap(path, frames, base_time=BASE_TIME, step=0.001):
    """Write frames (Scapy packets or bytes, kept exactly) with fixed, increasing timestamps."""
    w = PcapWriter(path, linktype=1, sync=True)
    try:
        for i, f in enumerate(frames):
            pkt = Raw(bytes(f))
            pkt.time = base_time + i * step
            w.write(pkt)
    finally:
        w.close()
