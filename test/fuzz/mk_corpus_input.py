#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpora of fuzz_statefile, fuzz_ini and fuzz_telparam (test/fuzz/corpus-*).

fuzz_statefile inputs are a switch byte (bit 0: the target fixes the CRC) then a file.
Run: /usr/bin/python3 test/fuzz/mk_corpus_input.py test/fuzz
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios"))
from twqstate import Entry, build_state  # noqa: E402

ENTRIES = [Entry("198.18.0.1", 80, "198.19.0.2", 40000, 1, 2, 3),
           Entry("2001:db8::1", 443, "2001:db8:1::2", 50000, 0xFFFFFFFF, 0, 65535, True, 123,
                 456, 7),
           Entry("198.18.0.1", 80, "198.19.0.2", 40000, 5, 6, 7, remaining_ms=0)]


def state_seeds():
    yield "v2-empty", b"\0" + build_state([])
    yield "v2-three", b"\0" + build_state(ENTRIES, 1700000000000, ts_clock_ms=123456)
    yield "v1-three", b"\0" + build_state(ENTRIES, 1700000000000, version=1)
    yield "v2-fixcrc", b"\1" + build_state(ENTRIES[:2], 5, ts_clock_ms=9)
    yield "v1-fixcrc", b"\1" + build_state(ENTRIES[:2], 5, version=1)
    d = bytearray(build_state(ENTRIES[:1]))
    d[48] = 5
    yield "bad-family", b"\1" + bytes(d)
    yield "garbage", b"\0" + b"TWQSTATE" + bytes(60)


INI = {
    "default": "[ports]\nnames = net_pcap0\n[engine]\nmsl_ms = 30000\ncapacity = 1024\n"
               "local_prefixes = 198.18.0.0/24, 2001:db8::/48\n[state]\nsave = /tmp/x.twq\n"
               "checkpoint_s = 5\n[replay]\nexit_idle_ms = 0\n",
    "crlf-bom": "\ufeff[engine]\r\nmsl_ms = 1000 ; comment\r\n\r\n; c\r\n",
    "no-equals": "[engine]\nmsl_ms 1000\n",
    "before-section": "msl_ms = 1\n[engine]\n",
    "unterminated": "[engine\nmsl_ms = 1\n",
    "twice": "[engine]\nmsl_ms = 1\nmsl_ms = 2\n",
    "binary": "\x7fELF\x02\x01\x01\x00\n",
    "empty-value": "[state]\nsave =\n",
}

TEL = {
    "v4": "198.18.0.1,80,198.19.0.2,40000",
    "v6": "2001:db8::1,443,2001:db8:1::2,50000",
    "empty-field": "198.18.0.1,,198.19.0.2,1",
    "mixed": "198.18.0.1,80,2001:db8::2,1",
    "plus": "198.18.0.1,+80,198.19.0.2,1",
    "five": "1.2.3.4,1,1.2.3.5,2,3",
}


def main(argv):
    top = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for sub, seeds in (("corpus-statefile", state_seeds()),
                       ("corpus-ini", ((k, v.encode()) for k, v in INI.items())),
                       ("corpus-telparam", ((k, v.encode()) for k, v in TEL.items()))):
        d = os.path.join(top, sub)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds:
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
