#!/usr/bin/env bash
# Run dpdk-twq's main job on this machine, no hardware needed (as root):
#   run-default.sh          a real client in a network namespace talks to dpdk-twq over
#                           net_tap (config/tap.ini): curl fetches a few times, once reusing
#                           its port through dpdk-twq's TIME_WAIT entry, then dpdk-twq stops
#                           and prints its stats block (started > 0: entries made by the
#                           engine from connections it closed). Everything it creates (the
#                           namespace with the tap, DPDK's runtime directory) is removed.
#   run-default.sh replay   the second mode: replay the bundled traffic against the bundled
#                           TIME_WAIT state over a net_pcap port (config/default.ini), then
#                           show the replies it wrote (out/default-tx.pcap).
# Exits with dpdk-twq's status (1 if a step before it fails).
set -uo pipefail
cd "$(dirname "$0")/.."

bin=${DPDK_TWQ:-build/app/dpdk-twq}
mode=${1:-tap}
if [ ! -x "$bin" ]; then
	echo "run-default.sh: $bin not found: build first (meson setup build && ninja -C build)" >&2
	exit 1
fi
prefix="twq-default-$$"
cleanup_runtime() {
	# EAL leaves its runtime directory behind; this run's prefix is ours alone.
	rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"
}

replay() {
	if [ ! -f config/default/rx.pcap ] || [ ! -f config/default/state.twq ]; then
		echo "run-default.sh: generating config/default/rx.pcap and state.twq"
		/usr/bin/python3 test/scenarios/mk_default.py || {
			echo "run-default.sh: test/scenarios/mk_default.py failed (needs python3-scapy)" >&2
			exit 1
		}
	fi
	mkdir -p out
	rm -f out/default-tx.pcap
	"$bin" -l 0-1 --no-huge --no-pci -m 512 --file-prefix "$prefix" \
		--vdev net_pcap0,rx_pcap=config/default/rx.pcap,tx_pcap=out/default-tx.pcap \
		-- --config config/default.ini --replay-exit
	status=$?
	cleanup_runtime
	if command -v tshark >/dev/null 2>&1 && [ -s out/default-tx.pcap ]; then
		echo
		echo "replies written to out/default-tx.pcap:"
		tshark -r out/default-tx.pcap -o tcp.relative_sequence_numbers:FALSE \
			-o tcp.calculate_timestamps:FALSE 2>/dev/null
	fi
	exit $status
}

[ "$mode" = replay ] && replay
if [ "$mode" != tap ]; then
	echo "usage: run-default.sh [tap|replay]" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "run-default.sh: the net_tap demo needs root (a network namespace and a tap);" \
		"run it as root, or 'run-default.sh replay' for the pcap replay" >&2
	exit 1
fi
for t in curl ip ss; do
	command -v $t >/dev/null 2>&1 || {
		echo "run-default.sh: $t not found: run scripts/deps.sh" >&2
		exit 1
	}
done

ns="twq-demo-$$"
iface="twqdemo$$"
iface=${iface:0:15}
pid=
tailpid=
log=
finish() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	# tail stops by itself once dpdk-twq has gone, after the last of its output.
	[ -n "$tailpid" ] && wait "$tailpid" 2>/dev/null
	[ -n "$log" ] && rm -f "$log"
	ip netns del "$ns" 2>/dev/null
	cleanup_runtime
}
trap finish EXIT
trap 'exit 1' INT TERM

ip netns add "$ns" || exit 1
in_ns() { ip netns exec "$ns" "$@"; }
log=$(mktemp "${TMPDIR:-/tmp}/twq-default-$$.XXXXXX") || exit 1

# dpdk-twq runs inside the namespace: its tap is created there and never exists outside.
echo "\$ ip netns exec $ns $bin -l 0-1 --no-huge --no-pci -m 512 --file-prefix $prefix" \
	"--vdev net_tap0,iface=$iface,mac=02:00:5e:12:00:02 -- --config config/tap.ini"
# (ip netns exec execs dpdk-twq: $! is dpdk-twq's own pid, for the stop below). Its output
# goes to $log, which tail shows as it comes, and where its start is read.
ip netns exec "$ns" "$bin" -l 0-1 --no-huge --no-pci -m 512 --file-prefix "$prefix" \
	--log-level '*:notice' --log-level 'twq.*:info' \
	--vdev "net_tap0,iface=$iface,mac=02:00:5e:12:00:02" \
	-- --config config/tap.ini >"$log" 2>&1 &
pid=$!
tail -n +1 -s 0.1 --pid="$pid" -f "$log" &
tailpid=$!

# Wait until it runs: it says "running:" once its port has started (rte_eth_dev_start()
# gives the kernel end of the tap the port's MAC, so the kernel end's own is set after
# that) and its workers are launched. At most 30 s (a loaded machine).
for _ in $(seq 1 300); do
	grep -q '^TWQ: running: ' "$log" && break
	kill -0 "$pid" 2>/dev/null || { echo "run-default.sh: dpdk-twq exited" >&2; exit 1; }
	sleep 0.1
done
grep -q '^TWQ: running: ' "$log" ||
	{ echo "run-default.sh: dpdk-twq not running after 30 s" >&2; exit 1; }
# The kernel end of the tap: a host of its own (the tap PMD gave it the port's MAC).
in_ns ip link set dev "$iface" address 02:00:5e:12:00:01
in_ns ip link set lo up
in_ns ip addr add 198.18.0.1/24 dev "$iface"
in_ns ip -6 addr add 2001:db8::1/64 dev "$iface" nodad
in_ns ip link set "$iface" up
sleep 0.3

fetch() { # label, curl arguments...
	local label=$1
	shift
	echo
	echo "\$ curl $*    # $label"
	in_ns curl -sS --max-time 10 -w '  -> HTTP %{http_code}, %{size_download} bytes, from local port %{local_port}\n' "$@"
}
fetch "IPv4" http://198.18.0.2/
fetch "IPv6" "http://[2001:db8::2]/"
# settle WHAT SS-FILTER...: until the kernel end has no TCP socket that matches (ss(8)), at
# most 30 s. Each connection here ends with dpdk-twq's ACK of the kernel's FIN (dpdk-twq
# closed first): when its socket is gone, dpdk-twq has its TIME_WAIT entry.
settle() {
	local what=$1 open
	shift
	for _ in $(seq 1 300); do
		open=$(in_ns ss -Htan "$@") || return 1
		[ -z "$open" ] && return 0
		sleep 0.1
	done
	echo "run-default.sh: $what still open after 30 s:" >&2
	in_ns ss -tan "$@" >&2
}
fetch "port 45000" --local-port 45000 http://198.18.0.2/
settle "local port 45000" sport = :45000
fetch "port 45000 again: through dpdk-twq's TIME_WAIT entry at once" --local-port 45000 \
	http://198.18.0.2/
echo
echo "\$ ping -c 1 198.18.0.2"
in_ns ping -c 1 -W 1 198.18.0.2 | head -2

settle "a connection to dpdk-twq" dport = :80
kill -TERM "$pid"
wait "$pid"
status=$?
pid=
exit $status
