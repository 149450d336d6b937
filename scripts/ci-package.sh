#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dpdk-twq authors
#
# Build the Debian packages of dpdk-twq and check them the way an installation would use
# them. Prints one "PASS name" / "FAIL name: why" / "SKIP name: why" line per check and ends
# with "pkg: N passed, N failed, N skipped" (the last line); exit status 1 if a check failed.
#
#   1. debian/changelog's version is meson's project version
#   2. man/*.8: `man --warnings` prints nothing; dpdk-twq.8's generated sections are current
#   3. `dpkg-buildpackage -us -uc -b` in a copy of the tree (tracked and untracked files,
#      not build directories), so the work tree is left alone
#   4. every package's Depends are installed on this machine (what apt would pull in)
#   5. the packages are installed with `dpkg --root` into an empty root (maintainer scripts
#      run chrootless with DPKG_ROOT set, so they touch nothing outside it); then every
#      entry of `dpkg -c` is in the root with its type, mode and link target, nothing else
#      is, `dpkg --verify` finds no changed file and /etc files are conffiles
#   6. `systemd-analyze verify` of the installed units (in a copy of the root with the
#      host's system units beside them; any message is a failure)
#   7. the installed binary: `--version` (TODO until the app has it), a replay of the
#      installed example /etc/dpdk-twq/default.ini, the service's start wrapper through a
#      save/load/SIGTERM cycle, and test/e2e/e2e_exporter.py against the installed
#      dpdk-twq and dpdk-twq-exporter. The binary runs from the root with LD_LIBRARY_PATH
#      pointing into it (DPDK itself comes from the machine, as Depends says).
#   8. a Debian 12 chroot made with debootstrap from apt's mirror: apt-get install of the
#      runtime packages (apt resolves their Depends), the installed example replayed with no path
#      overridden, and e2e_exporter.py inside it. SKIP when the mirror cannot be reached
#      or a download fails; TWQ_PKG_CHROOT=0 skips it.
#
# Needs root (the replays use EAL --no-huge but DPDK's runtime directory) and the packages
# of scripts/deps.sh; stages 1-7 need no network. About 2 minutes for 1-7 and 2 more for 8
# on 2 shared vCPUs.
# TWQ_PKG_KEEP=1 keeps the work directory (its path is printed).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
t_start=$(date +%s)
pass=0 fail=0 skip=0
ok() { echo "PASS $*"; pass=$((pass + 1)); }
bad() {
	local n=$1
	shift
	echo "FAIL $n: $*"
	fail=$((fail + 1))
}
skipped() {
	local n=$1
	shift
	echo "SKIP $n: $*"
	skip=$((skip + 1))
}

work=$(mktemp -d /tmp/twq-pkg.XXXXXX)
pids=()
prefixes=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null && sleep 1 && kill -KILL "$p" 2>/dev/null
	done
	for p in "${prefixes[@]}"; do
		rm -rf "/var/run/dpdk/$p"
	done
	if [ -n "${TWQ_PKG_KEEP:-}" ]; then
		echo "pkg: kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
finish() {
	echo "pkg: took $(($(date +%s) - t_start)) s"
	echo "pkg: $((pass)) passed, $((fail)) failed, $((skip)) skipped"
	[ "$fail" -eq 0 ]
	exit
}
# The last lines of a log, indented, after a FAIL line.
tail_log() { tail -n "${2:-15}" "$1" | sed 's/^/    /'; }

# --- 1. versions ---
meson_version=$(sed -n "s/^    version: '\([^']*\)',\$/\1/p" meson.build | head -1)
deb_version=$(dpkg-parsechangelog -S Version 2>/dev/null)
if [ -n "$meson_version" ] && [ "${deb_version%%-*}" = "$meson_version" ]; then
	ok "version: debian/changelog $deb_version = meson project version"
else
	bad "version" "debian/changelog says '$deb_version', meson.build '$meson_version':" \
		"add a debian/changelog entry (dch -v $meson_version)"
fi

# --- 2. man page ---
for page in man/*.[1-8]; do
	warn=$(man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -z "$warn" ]; then
		ok "man: man --warnings -l $page prints no warning"
	else
		bad "man" "man --warnings -l $page:"
		echo "$warn" | sed 's/^/    /'
	fi
done
if out=$(/usr/bin/python3 man/mkkeys.py --check 2>&1); then
	ok "man: generated OPTIONS and KEYS are current with config/README.md"
else
	bad "man" "$out"
fi

# --- 3. build ---
mkdir -p "$work/src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$work/src"
else
	tar --exclude='./build*' --exclude=./out -cf - . | tar -xf - -C "$work/src"
fi
t0=$(date +%s)
if (cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
	ok "build: dpkg-buildpackage -us -uc -b ($(($(date +%s) - t0)) s)"
else
	bad "build" "dpkg-buildpackage -us -uc -b failed; last lines of the log:"
	tail_log "$work/build.log" 25
	finish
fi
debs=()
for d in "$work"/*.deb; do
	case "$d" in *-dbgsym_*) ;; *) debs+=("$d") ;; esac
done
echo "pkg: built $(for d in "${debs[@]}"; do basename "$d"; done | tr '\n' ' ')"
cc_warn=$(grep -cE '^\.\./[^:]+:[0-9]+:[0-9]+: warning:' "$work/build.log" || true)
dox_warn=$(($(grep -c 'warning:' "$work/build.log" || true) - cc_warn))
echo "pkg: build log: $cc_warn compiler warnings, $dox_warn doxygen warnings (undocumented" \
	"members of the installed headers)"

# --- 4. dependencies present on this machine ---
own=" $(for d in "${debs[@]}"; do dpkg-deb -f "$d" Package; done | tr '\n' ' ') "
missing=""
for d in "${debs[@]}"; do
	IFS=',' read -ra deps <<<"$(dpkg-deb -f "$d" Depends)"
	for dep in "${deps[@]}"; do
		sat=0
		IFS='|' read -ra alts <<<"$dep"
		for alt in "${alts[@]}"; do
			name=$(echo "$alt" | sed 's/(.*//; s/:any//; s/ //g')
			rel=$(echo "$alt" | sed -n 's/.*(\(.*\)).*/\1/p')
			case "$own" in *" $name "*) sat=1 && break ;; esac
			v=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null |
				sed -n 's/^install ok installed //p')
			[ -n "$v" ] || continue
			if [ -z "$rel" ] || dpkg --compare-versions "$v" ${rel% *} "${rel#* }"; then
				sat=1 && break
			fi
		done
		[ "$sat" -eq 1 ] || missing="$missing $(basename "$d" | cut -d_ -f1): $dep;"
	done
done
if [ -z "$missing" ]; then
	ok "depends: every Depends of the packages is installed here"
else
	bad "depends" "not installed here:$missing"
fi

# --- 5. install into an empty root ---
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
if dpkg --root="$root" --force-script-chrootless --force-depends --log="$work/dpkg.log" \
	-i "${debs[@]}" >"$work/install.log" 2>&1; then
	ok "install: dpkg --root into an empty root"
else
	bad "install" "dpkg --root -i failed:"
	tail_log "$work/install.log"
	finish
fi
# Every entry of every package, as the package lists it, is in the root as it says.
listed="$work/listed"
: >"$listed"
problems="$work/problems"
: >"$problems"
for d in "${debs[@]}"; do
	dpkg-deb -c "$d" | while read -r perm _ _ _ _ path rest; do
		path=${path#.}
		[ "$path" = "/" ] && continue
		path=${path%/}
		echo "$path" >>"$listed"
		f="$root$path"
		case "$perm" in
		d*) [ -d "$f" ] && [ ! -L "$f" ] || echo "$path: not a directory" ;;
		l*)
			want=${rest#-> }
			[ -L "$f" ] && [ "$(readlink "$f")" = "$want" ] ||
				echo "$path: not a link to $want"
			;;
		-*)
			[ -f "$f" ] && [ ! -L "$f" ] || echo "$path: missing"
			[ -f "$f" ] && [ "$(stat -c %A "$f")" = "$perm" ] ||
				echo "$path: mode $(stat -c %A "$f" 2>/dev/null), package says $perm"
			;;
		esac
	done >>"$problems"
done
# ... and nothing else (but dpkg's own database and the helpers' state).
(cd "$root" && find . -mindepth 1 | sed 's/^\.//') | sort >"$work/found"
extra=$(sort -u "$listed" | comm -13 - "$work/found" |
	grep -v -e '^/var$' -e '^/var/lib$' -e '^/var/lib/dpkg' -e '^/var/lib/systemd' || true)
[ -z "$extra" ] || echo "$extra" | sed 's/$/: in the root but in no package/' >>"$problems"
n=$(sort -u "$listed" | wc -l)
if [ -s "$problems" ]; then
	bad "files" "entries not where the packages say:"
	head -20 "$problems" | sed 's/^/    /'
else
	ok "files: all $n entries of dpkg -c are in the root with their type, mode and link"
fi
v=$(dpkg --root="$root" --verify 2>&1)
if [ -z "$v" ]; then
	ok "files: dpkg --verify finds every installed file as packaged (md5sums)"
else
	bad "files" "dpkg --verify:"
	echo "$v" | head -10 | sed 's/^/    /'
fi
etc=$(grep '^/etc/.' "$listed" | while read -r p; do [ -d "$root$p" ] || echo "$p"; done | sort)
conf=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}\n' dpdk-twq |
	awk 'NF {print $1}' | sort)
if [ -n "$etc" ] && [ "$etc" = "$conf" ]; then
	ok "conffiles: $(echo "$conf" | tr '\n' ' ')"
else
	bad "conffiles" "files under /etc: $(echo "$etc" | tr '\n' ' '); conffiles:" \
		"$(echo "$conf" | tr '\n' ' ')"
fi
for f in /usr/bin/dpdk-twq /usr/bin/dpdk-twq-exporter /usr/share/man/man8/dpdk-twq.8.gz \
	/usr/share/man/man8/dpdk-twq-exporter.8.gz \
	/etc/dpdk-twq/dpdk-twq.ini /etc/dpdk-twq/dpdk-twq.env /etc/dpdk-twq/default.ini \
	/lib/systemd/system/dpdk-twq.service /lib/systemd/system/dpdk-twq@.service \
	/lib/systemd/system/dpdk-twq-exporter.service /usr/share/doc/dpdk-twq/operations.md.gz \
	/usr/include/dpdk-twq/twq.h /usr/include/dpdk-twq/tcpseg.h /usr/include/dpdk-twq/tcpterm.h \
	/usr/share/doc/dpdk-twq-dev/api/html/index.html; do
	[ -e "$root$f" ] || bad "layout" "$f is in no package"
done
# The -dev package as a user of it has it: its .pc files, moved to the root's prefix.
mkdir -p "$work/pc"
for pc in "$root"/usr/lib/*/pkgconfig/*.pc; do
	[ -f "$pc" ] && sed "s#^prefix=/usr\$#prefix=$root/usr#" "$pc" >"$work/pc/$(basename "$pc")"
done
pcs=$(find "$work/pc" -name '*.pc' | wc -l)
pkgconf() { PKG_CONFIG_PATH="$work/pc" pkg-config "$@"; }
if [ "$pcs" -ge 2 ] && pkgconf --cflags libtwq 2>/dev/null |
	grep -q -- "-I$root/usr/include/dpdk-twq"; then
	ok "dev: pkg-config --cflags libtwq gives /usr/include/dpdk-twq ($pcs .pc files)"
else
	bad "dev" "pkg-config --cflags libtwq: $(pkgconf --cflags libtwq 2>&1)"
fi
if [ -f test/install/consumer.c ]; then
	# A program of a user of the libraries, built with the installed -dev files only.
	cflags=$(pkgconf --cflags libtwq libtcpseg)
	libs=$(pkgconf --libs libtwq libtcpseg)
	# shellcheck disable=SC2086 # pkg-config's output is a word list
	if cc -Wall -Werror -o "$work/consumer" test/install/consumer.c $cflags $libs \
		>"$work/consumer.log" 2>&1; then
		LD_LIBRARY_PATH=$(echo "$root"/usr/lib/*-linux-gnu) timeout 30 "$work/consumer" \
			--no-huge --no-pci -m 64 --file-prefix "twq-pkg-c-$$" \
			--log-level=lib.eal:error >>"$work/consumer.log" 2>&1
		prefixes+=("twq-pkg-c-$$")
		if grep -q '^consumer ok' "$work/consumer.log"; then
			ok "dev: test/install/consumer.c built with the installed headers and .pc" \
				"files, runs on the installed libraries"
		else
			bad "dev" "consumer did not print 'consumer ok':"
			tail_log "$work/consumer.log"
		fi
	else
		bad "dev" "test/install/consumer.c does not build against the installed files:"
		tail_log "$work/consumer.log"
	fi
else
	skipped "dev-consumer" "test/install/consumer.c is not in this tree (lib/twq's ABI work" \
		"adds it)"
fi

# --- 6. systemd units ---
if command -v systemd-analyze >/dev/null; then
	vroot="$work/vroot"
	mkdir -p "$vroot/lib/systemd"
	cp -a /lib/systemd/system "$vroot/lib/systemd/"
	cp -a "$root/." "$vroot/"
	v=$(cd "$vroot" && MANPATH="$vroot/usr/share/man" systemd-analyze --root="$vroot" \
		verify dpdk-twq.service dpdk-twq@example.service dpdk-twq-exporter.service 2>&1)
	if [ -z "$v" ]; then
		ok "units: systemd-analyze verify dpdk-twq.service dpdk-twq@example.service" \
			"dpdk-twq-exporter.service"
	else
		bad "units" "systemd-analyze verify:"
		echo "$v" | sed 's/^/    /'
	fi
else
	skipped "units" "systemd-analyze not installed (apt-get install systemd)"
fi

# --- 7. run what was installed ---
libdir=$(dirname "$(ls "$root"/usr/lib/*/libtwq.so.0)")
bin="$root/usr/bin/dpdk-twq"
run() { LD_LIBRARY_PATH="$libdir" timeout "$@"; }
if run 10 "$bin" --no-huge --no-pci -m 64 --file-prefix "twq-pkg-h-$$" -- --help \
	>"$work/help.out" 2>&1; then
	ok "binary: the installed dpdk-twq runs (-- --help exits 0)"
else
	bad "binary" "-- --help:"
	tail_log "$work/help.out"
fi
prefixes+=("twq-pkg-h-$$" "twq-pkg-v-$$" "twq-pkg-r-$$" "twq-pkg-s1-$$" "twq-pkg-s2-$$")
if grep -q -- '--version' "$work/help.out"; then
	if run 10 "$bin" --version >"$work/version.out" 2>&1 ||
		run 10 "$bin" --no-huge --no-pci -m 64 --file-prefix "twq-pkg-v-$$" -- --version \
			>"$work/version.out" 2>&1; then
		if grep -q "$meson_version" "$work/version.out" &&
			grep -qi dpdk "$work/version.out"; then
			ok "version: dpdk-twq --version: $(grep -m1 "$meson_version" "$work/version.out")"
		else
			bad "version" "--version does not show $meson_version and the DPDK version:"
			tail_log "$work/version.out"
		fi
	else
		bad "version" "dpdk-twq --version failed:"
		tail_log "$work/version.out"
	fi
else
	skipped "version" "TODO: dpdk-twq has no --version yet (issue 12); this check runs" \
		"once -- --help lists it"
fi

# The installed replay example. Its [state] load is the packaged path; here the packaged
# files live under the root, so --load points there (the key itself is checked).
ini="$root/etc/dpdk-twq/default.ini"
load=$(sed -n 's/^load = //p' "$ini")
if [ "$load" = /usr/share/dpdk-twq/default/state.twq ] && [ -f "$root$load" ]; then
	ok "example: /etc/dpdk-twq/default.ini loads the packaged $load"
else
	bad "example" "/etc/dpdk-twq/default.ini: load = '$load' is not a packaged file"
fi
share="$root/usr/share/dpdk-twq/default"
run 60 "$bin" -l 0-1 --no-huge --no-pci -m 512 --file-prefix "twq-pkg-r-$$" \
	--vdev "net_pcap0,rx_pcap=$share/rx.pcap,tx_pcap=$work/replay-tx.pcap" \
	-- --config "$ini" --load "$root$load" --replay-exit >"$work/replay.out" 2>&1
rc=$?
entries=$(sed -n 's/.*state: loaded \([0-9]*\) of \1 entries.*/\1/p' "$work/replay.out")
rx=$(sed -n 's/.*worker 0 (lcore [0-9]*) *rx: *\([0-9]*\) *tx: *\([0-9]*\) .*/\1 \2/p' \
	"$work/replay.out")
if [ "$rc" -eq 0 ] && [ -n "$entries" ] && [ "$entries" -gt 0 ] &&
	[ -n "$rx" ] && [ "${rx#* }" -gt 0 ] && [ -s "$work/replay-tx.pcap" ]; then
	ok "replay: installed example: exit 0, $entries entries loaded, rx/tx ${rx/ //}," \
		"replies in the pcap"
else
	bad "replay" "installed example: exit $rc, entries '$entries', rx/tx '$rx':"
	tail_log "$work/replay.out"
fi

# The service's start wrapper as systemd runs it: first start without a state file (it
# saves one at the end of the replay), second start loads it and stops on SIGTERM, saving.
state="$work/state"
mkdir -p "$state"
sini="$work/service.ini"
sed "s#^load = .*#load = $root$load#" "$ini" >"$sini"
eal_test="-l 0-1 --no-huge --no-pci -m 512"
svc() { # prefix extra-vdev-args: start the wrapper in the background, its pid in $spid
	env DPDK_TWQ_BIN="$bin" LD_LIBRARY_PATH="$libdir" STATE_DIRECTORY="$state" \
		DPDK_TWQ_CONFIG="$sini" DPDK_TWQ_PREFIX="$1" \
		DPDK_TWQ_EAL="$eal_test --vdev net_pcap0,rx_pcap=$share/rx.pcap$2" \
		"$root/usr/libexec/dpdk-twq/dpdk-twq-service" >"$3" 2>&1 &
	spid=$!
	pids+=("$spid")
}
wait_pid() { # pid seconds: its exit status, or 124 (and SIGKILL) after that long
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			return
		fi
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	return 124
}
svc "twq-pkg-s1-$$" "" "$work/svc1.out"
wait_pid "$spid" 60
rc1=$?
saved1=$(sed -n 's/.*state: saved \([0-9]*\) entries.*/\1/p' "$work/svc1.out")
svc "twq-pkg-s2-$$" ",infinite_rx=1" "$work/svc2.out"
for _ in $(seq 100); do
	grep -q 'state: loaded' "$work/svc2.out" 2>/dev/null && break
	kill -0 "$spid" 2>/dev/null || break
	sleep 0.1
done
sleep 0.5
kill -TERM "$spid" 2>/dev/null
wait_pid "$spid" 30
rc2=$?
loaded2=$(sed -n "s#.*state: loaded \([0-9]*\) of [0-9]* entries from $state/state.twq.*#\1#p" \
	"$work/svc2.out")
saved2=$(sed -n 's/.*state: saved \([0-9]*\) entries.*/\1/p' "$work/svc2.out")
if [ "$rc1" -eq 0 ] && [ -n "$saved1" ] && [ "$rc2" -eq 0 ] && [ "$loaded2" = "$saved1" ] &&
	[ -n "$saved2" ]; then
	ok "service: start wrapper: 1st run saved $saved1 entries to the StateDirectory," \
		"2nd run loaded $loaded2, stopped by SIGTERM (exit 0) and saved $saved2"
else
	bad "service" "1st run exit $rc1 saved '$saved1'; 2nd run exit $rc2 loaded '$loaded2'" \
		"saved '$saved2':"
	tail_log "$work/svc1.out" 8
	tail_log "$work/svc2.out" 8
fi

ev=$(/usr/bin/python3 "$root/usr/bin/dpdk-twq-exporter" --version 2>&1)
if [ "$ev" = "dpdk-twq-exporter $meson_version" ]; then
	ok "exporter: --version says $meson_version"
else
	bad "exporter" "--version says '$ev', meson.build $meson_version (VERSION in" \
		"contrib/dpdk-twq-exporter)"
fi
# The installed exporter, scraped over HTTP (the e2e test, on the installed files).
if [ ! -x "$root/usr/bin/dpdk-twq-exporter" ]; then
	bad "exporter" "/usr/bin/dpdk-twq-exporter is not installed"
elif LD_LIBRARY_PATH="$libdir" timeout 90 /usr/bin/python3 test/e2e/e2e_exporter.py "$bin" \
	"$root/usr/bin/dpdk-twq-exporter" >"$work/exporter.out" 2>&1; then
	ok "exporter: $(tail -n 1 "$work/exporter.out") with the installed dpdk-twq and exporter"
else
	rc=$?
	if [ "$rc" -eq 77 ]; then
		skipped "exporter" "$(grep -m1 SKIP "$work/exporter.out")"
	else
		bad "exporter" "test/e2e/e2e_exporter.py on the installed files (exit $rc):"
		grep -e FAIL -e Error "$work/exporter.out" | head -10 | sed 's/^/    /'
	fi
fi
# --- 8. a real Debian 12 chroot (debootstrap), where apt resolves the Depends ---
# Needs debootstrap and the Debian mirror of apt's sources; SKIP without them, and when a
# download fails (the network, not the packages). The base system's .debs are kept in
# /var/cache/twq-debootstrap between runs. TWQ_PKG_CHROOT=0 skips the stage.
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/debian.sources \
	2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
chroot_dir="$work/chroot"
in_chroot() { # command...: run in the chroot with /proc, /sys and /dev, in a private
	# mount namespace (the mounts vanish with it, whatever happens)
	unshare -m --propagation private sh -c 'r=$1; shift; mount --bind /proc "$r/proc" &&
		mount --bind /sys "$r/sys" && mount --bind /dev "$r/dev" && exec chroot "$r" "$@"' \
		sh "$chroot_dir" "$@"
}
if [ "${TWQ_PKG_CHROOT:-1}" = 0 ]; then
	skipped "chroot" "TWQ_PKG_CHROOT=0"
elif ! command -v debootstrap >/dev/null; then
	skipped "chroot" "debootstrap is not installed (scripts/deps.sh installs it)"
elif ! timeout 20 curl -fsS -o /dev/null "$mirror/dists/bookworm/Release"; then
	skipped "chroot" "the Debian mirror $mirror cannot be reached"
else
	t0=$(date +%s)
	mkdir -p /var/cache/twq-debootstrap
	if ! timeout 600 debootstrap --variant=minbase --cache-dir=/var/cache/twq-debootstrap \
		bookworm "$chroot_dir" "$mirror" >"$work/debootstrap.log" 2>&1; then
		skipped "chroot" "debootstrap bookworm failed (log: $(tail -n 1 "$work/debootstrap.log"))"
	else
		mkdir -p "$chroot_dir/tmp/debs" "$chroot_dir/tmp/t/test"
		cp "${debs[@]}" "$chroot_dir/tmp/debs/"
		cp -r test/e2e test/scenarios "$chroot_dir/tmp/t/test/"
		cp -r config "$chroot_dir/tmp/t/"
		# The runtime packages: dpdk-twq-dev would pull in all of libdpdk-dev (minutes
		# here); its files and Depends are checked in stages 4 and 5. Of the Recommends,
		# what the checks use: the pcap PMD and the exporter's client library.
		cdebs=()
		for d in "${debs[@]}"; do
			case "$d" in *-dev_*) ;; *) cdebs+=("/tmp/debs/$(basename "$d")") ;; esac
		done
		in_chroot sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends \
			-o Dpkg::Options::=--force-unsafe-io "$@" librte-net-pcap23 \
			python3-prometheus-client curl' \
			sh "${cdebs[@]}" >"$work/chroot-install.log" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ] && grep -q -e '^E: Failed to fetch' -e '^W: Failed to fetch' \
			-e 'Temporary failure resolving' -e 'Could not connect' \
			"$work/chroot-install.log"; then
			skipped "chroot" "apt could not download: $(grep -m1 -e Failed -e 'Could not' \
				-e Temporary "$work/chroot-install.log")"
		elif [ "$rc" -ne 0 ]; then
			bad "chroot" "apt-get install of the packages in a Debian 12 chroot failed:"
			tail_log "$work/chroot-install.log"
		else
			ok "chroot: debootstrap bookworm, apt-get install of the packages and their" \
				"Depends ($(($(date +%s) - t0)) s)"
			in_chroot timeout 60 /usr/bin/dpdk-twq -l 0-1 --no-huge --no-pci -m 512 \
				--file-prefix "twq-pkg-ch-$$" \
				--vdev net_pcap0,rx_pcap=/usr/share/dpdk-twq/default/rx.pcap,tx_pcap=/tmp/tx.pcap \
				-- --config /etc/dpdk-twq/default.ini --replay-exit >"$work/chroot-replay.out" 2>&1
			rc=$?
			if [ "$rc" -eq 0 ] && grep -q 'state: loaded [1-9][0-9]* of' \
				"$work/chroot-replay.out" && [ -s "$chroot_dir/tmp/tx.pcap" ]; then
				ok "chroot: /etc/dpdk-twq/default.ini replayed as installed (no path" \
					"overridden): exit 0, $(grep -m1 -o 'loaded [0-9]* of [0-9]*' \
					"$work/chroot-replay.out") entries, replies written"
			else
				bad "chroot" "replay of /etc/dpdk-twq/default.ini: exit $rc:"
				tail_log "$work/chroot-replay.out"
			fi
			if in_chroot timeout 90 /usr/bin/python3 /tmp/t/test/e2e/e2e_exporter.py \
				/usr/bin/dpdk-twq /usr/bin/dpdk-twq-exporter >"$work/chroot-exp.out" 2>&1; then
				ok "chroot: $(tail -n 1 "$work/chroot-exp.out") (installed exporter and" \
					"python3-prometheus-client)"
			else
				bad "chroot" "e2e_exporter.py in the chroot:"
				grep -e FAIL -e Error "$work/chroot-exp.out" | head -10 | sed 's/^/    /'
			fi
		fi
	fi
fi
finish
