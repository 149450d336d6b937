#!/usr/bin/env bash
# The libraries as a user gets them: install the build into a scratch root, build
# test/install/consumer.c through pkg-config alone, run it, and check that each installed
# shared library exports exactly the functions declared in the installed public headers.
#   check-abi.sh BUILD_DIR        prints "abi: ..." lines, exits non-zero on any mismatch
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
root=$(mktemp -d /tmp/twq-abi.XXXXXX)
prefix=twq-abi-$$
trap 'rm -rf "$root" "/var/run/dpdk/$prefix"' EXIT

meson install -C "$build" --destdir "$root" --quiet >/dev/null
libdir=$(find "$root" -name 'libtwq.so' -printf '%h\n' | head -1)
incdir=$(find "$root" -type d -name dpdk-twq -path '*include*' | head -1)
pcdir=$(find "$root" -name 'libtwq.pc' -printf '%h\n' | head -1)
fail=0
if [ -z "$libdir" ] || [ -z "$incdir" ] || [ -z "$pcdir" ]; then
	echo "abi: FAIL install layout: libtwq.so, include/dpdk-twq/ or libtwq.pc missing under $root"
	exit 1
fi

# Our pkg-config files name the install prefix: copies of them point at the scratch root
# (a sysroot or --define-variable would also move libdpdk's own paths).
mkdir -p "$root/pc"
for f in "$pcdir"/lib*.pc; do
	sed "s|^prefix=|prefix=$root|" "$f" >"$root/pc/$(basename "$f")"
done
export PKG_CONFIG_PATH=$root/pc
cflags=$(pkg-config --cflags libtwq libtcpseg)
libs=$(pkg-config --libs libtwq libtcpseg)
# shellcheck disable=SC2086
if ! cc -Werror -Wall -o "$root/consumer" test/install/consumer.c $cflags $libs; then
	echo "abi: FAIL consumer does not build with: cc $cflags ... $libs"
	exit 1
fi
out=$(LD_LIBRARY_PATH=$libdir timeout 30 "$root/consumer" --no-huge --no-pci -m 64 \
	--file-prefix "$prefix" --log-level=lib.eal:error 2>&1) || true
if grep -q '^consumer ok' <<<"$out"; then
	echo "abi: PASS consumer built through pkg-config and ran"
else
	echo "abi: FAIL consumer: $out"
	fail=1
fi

# Every exported symbol must be a function declared in an installed header, and every
# function declared there (not static inline) must be exported by some library.
protos=$(/usr/bin/python3 scripts/header_funcs.py "$incdir"/*.h)
exported=""
for so in "$libdir"/lib*.so; do
	case $(basename "$so") in libtwq.so | libtcpseg.so | libtcpterm.so) ;; *) continue ;; esac
	syms=$(nm -D --defined-only "$so" | awk 'NF == 3 {print $2, $3}')
	bad_data=$(awk '$1 !~ /^[TW]$/ {print $2}' <<<"$syms" | grep -v '^_' || true)
	funcs=$(awk '$1 ~ /^[TW]$/ {print $2}' <<<"$syms" | grep -v '^_' | sort -u)
	extra=$(comm -23 <(echo "$funcs") <(echo "$protos"))
	if [ -n "$extra" ] || [ -n "$bad_data" ]; then
		echo "abi: FAIL $(basename "$so") exports what no public header declares:" \
			$extra $bad_data
		fail=1
	else
		echo "abi: PASS $(basename "$so") exports $(echo "$funcs" | wc -l) functions," \
			"each declared in include/dpdk-twq/"
	fi
	exported="$exported $funcs"
done
missing=$(comm -23 <(echo "$protos") <(echo "$exported" | tr ' ' '\n' | sort -u))
if [ -n "$missing" ]; then
	echo "abi: FAIL declared in public headers but exported by no library:" $missing
	fail=1
else
	echo "abi: PASS every function prototype of the public headers is exported"
fi

# The installed headers are the public API: Doxygen must find every item documented.
sed -e "s|@VERSION@|check|;s|@OUTPUT@|$root/apidoc|;s|@INPUT@|$(echo "$incdir"/*.h)|" \
	-e "s|@WARN_AS_ERROR@|NO|" docs/api/Doxyfile.in >"$root/Doxyfile"
mkdir -p "$root/apidoc"
dox=$(doxygen "$root/Doxyfile" 2>&1 | sed "s|$incdir/||g")
if [ -n "$dox" ]; then
	echo "abi: FAIL doxygen warnings in the public headers:"
	echo "$dox" | head -40
	fail=1
else
	echo "abi: PASS doxygen: every public item of include/dpdk-twq/*.h is documented"
fi
exit $fail
