#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
"""The dpdk-twq TIME_WAIT state file (docs/state-file.md), written and read from Python.

Module use:

    from twqstate import Entry, write_state, read_state
    e = Entry(laddr="198.18.0.1", lport=80, raddr="198.19.0.10", rport=40000,
              snd_nxt=1000, rcv_nxt=2000, last_win=512, remaining_ms=60000)
    write_state("state.twq", [e])              # saved_unix_ms = 0: no time taken off
    entries, hdr = read_state("state.twq")     # validates like the loader does

CLI:

    twqstate.py show FILE          print the header and every record; exit 1 if invalid
    twqstate.py check FILE         validate only; exit 0/1
    twqstate.py write FILE JSON    write FILE from a JSON list of entry objects
                                   (keys of Entry; addresses as text)
    twqstate.py selftest           CRC-32C check value and a write/read round trip

Everything is little-endian; the trailer is the CRC-32C (Castagnoli, reflected polynomial
0x82f63b78, init 0xffffffff, final XOR 0xffffffff) of every byte before it.
"""

import ipaddress
import json
import struct
import sys
from dataclasses import dataclass, asdict

MAGIC = b"TWQSTATE"
VERSION = 2                                       # written; 1 and 2 are read
HDR_SIZE = 32                                     # version 1
HDR2_SIZE = 48                                    # version 2
REC_SIZE = 64
TRAILER_SIZE = 4
FLAG_TS = 0x01
TS_CLOCK_MAX = 1 << 47                            # a larger ts_clock_ms is refused

_HDR = struct.Struct("<8sIIQQ")                   # magic, version, record_size, count, saved
_HDR2 = struct.Struct("<8sIIQQQQ")                # ... then ts_clock_ms, reserved (version 2)
_REC = struct.Struct("<BBHHH16s16sIIIIII")        # see docs/state-file.md, Record
assert _HDR.size == HDR_SIZE and _HDR2.size == HDR2_SIZE and _REC.size == REC_SIZE


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data, crc=0):
    """CRC-32C of data; crc continues a previous result (0 to start)."""
    c = crc ^ 0xFFFFFFFF
    t = _CRC_TABLE
    for b in data:
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


class StateError(ValueError):
    """The file is not a valid state file; the message says why."""


@dataclass
class Entry:
    """One TIME_WAIT entry, as the appliance sees it: l* is the appliance, r* the peer."""
    laddr: str
    lport: int
    raddr: str
    rport: int
    snd_nxt: int
    rcv_nxt: int
    last_win: int = 0
    has_ts: bool = False
    t_recent: int = 0
    ts_offset: int = 0
    remaining_ms: int = 60000

    @property
    def family(self):
        return ipaddress.ip_address(self.laddr).version

    def pack(self):
        la = ipaddress.ip_address(self.laddr)
        ra = ipaddress.ip_address(self.raddr)
        if la.version != ra.version:
            raise ValueError("laddr and raddr of different families: %s, %s"
                             % (self.laddr, self.raddr))
        lb = la.packed.ljust(16, b"\0")
        rb = ra.packed.ljust(16, b"\0")
        return _REC.pack(la.version, FLAG_TS if self.has_ts else 0, self.last_win,
                         self.lport, self.rport, lb, rb, self.snd_nxt & 0xFFFFFFFF,
                         self.rcv_nxt & 0xFFFFFFFF,
                         (self.t_recent if self.has_ts else 0) & 0xFFFFFFFF,
                         (self.ts_offset if self.has_ts else 0) & 0xFFFFFFFF,
                         self.remaining_ms, 0)

    @classmethod
    def unpack(cls, rec, index=0):
        (fam, flags, win, lport, rport, lb, rb, snd, rcv, trec, tsoff, rem,
         resv) = _REC.unpack(rec)
        if fam not in (4, 6):
            raise StateError("record %d: family %d is neither 4 nor 6" % (index, fam))
        if flags & ~FLAG_TS:
            raise StateError("record %d: unknown flag bits 0x%02x" % (index, flags))
        if resv != 0:
            raise StateError("record %d: reserved field not 0" % index)
        if not flags & FLAG_TS and (trec or tsoff):
            raise StateError("record %d: t_recent or ts_offset set without the timestamp flag"
                             % index)
        if fam == 4:
            if any(lb[4:]) or any(rb[4:]):
                raise StateError("record %d: IPv4 address with bytes past the first 4" % index)
            la, ra = ipaddress.IPv4Address(lb[:4]), ipaddress.IPv4Address(rb[:4])
        else:
            la, ra = ipaddress.IPv6Address(lb), ipaddress.IPv6Address(rb)
        return cls(str(la), lport, str(ra), rport, snd, rcv, win, bool(flags & FLAG_TS),
                   trec, tsoff, rem)


def build_state(entries, saved_unix_ms=0, version=VERSION, magic=MAGIC,
                record_size=REC_SIZE, ts_clock_ms=0, reserved=0):
    """The bytes of a state file. Version 1: CRC-32C of header then records; version 2:
    CRC-32C of the records then the 48-byte header (docs/state-file.md). The arguments after
    saved_unix_ms exist to make old and bad files."""
    recs = b"".join(e.pack() for e in entries)
    if version == 1:
        hdr = _HDR.pack(magic, version, record_size, len(entries), saved_unix_ms)
        return hdr + recs + struct.pack("<I", crc32c(hdr + recs))
    hdr = _HDR2.pack(magic, version, record_size, len(entries), saved_unix_ms, ts_clock_ms,
                     reserved)
    return hdr + recs + struct.pack("<I", crc32c(hdr, crc32c(recs)))


def write_state(path, entries, saved_unix_ms=0, **kw):
    data = build_state(entries, saved_unix_ms, **kw)
    with open(path, "wb") as f:
        f.write(data)
    return data


def parse_state(data):
    """Validate as the loader does; return (entries, header dict) or raise StateError."""
    if len(data) < HDR_SIZE + TRAILER_SIZE:
        raise StateError("truncated: %d bytes" % len(data))
    magic, version, rsize, count, saved = _HDR.unpack_from(data)
    if magic != MAGIC:
        raise StateError("magic is not TWQSTATE")
    if version not in (1, 2):
        raise StateError("version %d, only versions 1 and 2 are understood" % version)
    if rsize != REC_SIZE:
        raise StateError("record_size %d, expected %d" % (rsize, REC_SIZE))
    hsize = HDR_SIZE if version == 1 else HDR2_SIZE
    if len(data) != hsize + REC_SIZE * count + TRAILER_SIZE:
        raise StateError("size %d does not match count %d" % (len(data), count))
    ts_clock = 0
    if version == 2:
        _, _, _, _, _, ts_clock, resv = _HDR2.unpack_from(data)
        if resv != 0:
            raise StateError("header reserved field not 0")
        if ts_clock > TS_CLOCK_MAX:
            raise StateError("ts_clock_ms %d is above 2^47" % ts_clock)
    want, = struct.unpack_from("<I", data, len(data) - TRAILER_SIZE)
    if version == 1:
        got = crc32c(data[:-TRAILER_SIZE])
    else:
        got = crc32c(data[:hsize], crc32c(data[hsize:-TRAILER_SIZE]))
    if want != got:
        raise StateError("CRC-32C mismatch: file 0x%08x, content 0x%08x" % (want, got))
    entries = [Entry.unpack(data[hsize + i * REC_SIZE:hsize + (i + 1) * REC_SIZE], i)
               for i in range(count)]
    return entries, {"version": version, "record_size": rsize, "count": count,
                     "saved_unix_ms": saved, "ts_clock_ms": ts_clock}


def read_state(path):
    with open(path, "rb") as f:
        return parse_state(f.read())


def _selftest():
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"56789", crc32c(b"1234")) == 0xE3069283
    es = [Entry("198.18.0.1", 80, "198.19.0.2", 40000, 1, 2, 3),
          Entry("2001:db8::1", 443, "2001:db8:1::2", 50000, 0xFFFFFFFF, 0, 65535, True,
                123, 456, 7)]
    for v in (1, 2):
        data = build_state(es, 12345, version=v, ts_clock_ms=777 if v == 2 else 0)
        got, hdr = parse_state(data)
        assert got == es and hdr["saved_unix_ms"] == 12345, (got, hdr)
        assert hdr["version"] == v and hdr["ts_clock_ms"] == (777 if v == 2 else 0), hdr
    for bad in (data[:-1], b"X" + data[1:], data[:40] + bytes([data[40] ^ 1]) + data[41:],
                data[:60] + bytes([data[60] ^ 1]) + data[61:]):
        try:
            parse_state(bad)
        except StateError:
            continue
        raise AssertionError("bad file accepted")
    print("twqstate selftest ok")


def main(argv):
    if len(argv) >= 2 and argv[1] == "selftest":
        _selftest()
        return 0
    if len(argv) == 3 and argv[1] in ("show", "check"):
        try:
            entries, hdr = read_state(argv[2])
        except (OSError, StateError) as e:
            print("%s: %s" % (argv[2], e), file=sys.stderr)
            return 1
        if argv[1] == "show":
            print(json.dumps({"header": hdr, "entries": [asdict(e) for e in entries]},
                             indent=1))
        return 0
    if len(argv) == 4 and argv[1] == "write":
        with open(argv[3]) as f:
            entries = [Entry(**o) for o in json.load(f)]
        write_state(argv[2], entries)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
