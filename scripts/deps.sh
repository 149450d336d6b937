#!/usr/bin/env bash
# Install what dpdk-twq needs from Debian 12's packages; does nothing when all are there.
set -euo pipefail

PKGS=(
	build-essential pkg-config meson ninja-build python3
	dpdk dpdk-dev libdpdk-dev libbsd-dev libpcap-dev
	libcmocka-dev clang libclang-rt-14-dev clang-format doxygen
	python3-scapy tshark iproute2 procps
	curl apache2-utils iputils-ping
	debhelper dpkg-dev python3-prometheus-client man-db systemd debootstrap
	wrk nginx-light
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# nginx-light (a benchmark's peer) must not start a system nginx: the benchmark runs its own
# in a namespace. Hold service starts during this install unless the machine already does.
held=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	held=1
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
[ -z "$held" ] || rm -f /usr/sbin/policy-rc.d
