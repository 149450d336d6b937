#!/usr/bin/env bash
# Run dpdk-twq on its embedded default (config/default.ini): replay the bundled traffic
# against the bundled TIME_WAIT state over a net_pcap port, then show the replies it wrote.
# Exits with dpdk-twq's status.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=${DPDK_TWQ:-build/app/dpdk-twq}
if [ ! -x "$bin" ]; then
	echo "run-default.sh: $bin not found: build first (meson setup build && ninja -C build)" >&2
	exit 1
fi
if [ ! -f config/default/rx.pcap ] || [ ! -f config/default/state.twq ]; then
	echo "run-default.sh: generating config/default/rx.pcap and state.twq"
	/usr/bin/python3 test/scenarios/mk_default.py || {
		echo "run-default.sh: test/scenarios/mk_default.py failed (needs python3-scapy)" >&2
		exit 1
	}
fi
mkdir -p out
rm -f out/default-tx.pcap

"$bin" -l 0-1 --no-huge --no-pci -m 512 --file-prefix "twq-default-$$" \
	--vdev net_pcap0,rx_pcap=config/default/rx.pcap,tx_pcap=out/default-tx.pcap \
	-- --config config/default.ini --replay-exit
status=$?
# EAL leaves its runtime directory behind; this run's prefix is ours alone.
rm -rf "/var/run/dpdk/twq-default-$$" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/twq-default-$$"

if command -v tshark >/dev/null 2>&1 && [ -s out/default-tx.pcap ]; then
	echo
	echo "replies written to out/default-tx.pcap:"
	tshark -r out/default-tx.pcap -o tcp.relative_sequence_numbers:FALSE \
		-o tcp.calculate_timestamps:FALSE 2>/dev/null
fi
exit $status
