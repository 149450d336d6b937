#!/usr/bin/env bash
# dpdk-twq quick start.
#   quickstart.sh run    install what is missing, build, run the appliance's main job:
#                        curl against dpdk-twq over net_tap in a netns (scripts/run-default.sh)
#   quickstart.sh test   install what is missing, build (plain, sanitizers, fuzz), run all tests
#                        and end with a line "N passed, N failed"
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

build() { # dir [meson options...]: quiet when it works, the compiler's words when it does not
	local dir=$1 log
	shift
	log=$(mktemp)
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$log" 2>&1 || { tail -40 "$log"; rm -f "$log"; return 1; }
	else
		meson configure "$dir" "$@" >"$log" 2>&1 || { tail -40 "$log"; rm -f "$log"; return 1; }
	fi
	if ! ninja -C "$dir" >"$log" 2>&1; then
		grep -E -A8 'FAILED|error' "$log" | head -60
		echo "== build $dir: FAILED (ninja -C $dir to see it all)"
		rm -f "$log"
		return 1
	fi
	rm -f "$log"
}

# Print "passed failed skipped" of the last meson test run in a build dir.
tally() {
	/usr/bin/python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
try:
    with open(sys.argv[1]) as fh:
        for line in fh:
            r = json.loads(line).get("result")
            if r == "OK":
                p += 1
            elif r == "SKIP":
                s += 1
            else:
                f += 1
except FileNotFoundError:
    f += 1
print(p, f, s)
PY
}

run_suites() { # dir label suites...
	local dir=$1 label=$2
	shift 2
	local args=()
	for s in "$@"; do args+=(--suite "$s"); done
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" "${args[@]}" --print-errorlogs --num-processes 2 || true
	read -r p f s < <(tally "$dir")
	echo "== $label: $p passed, $f failed, $s skipped"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	total_s=$((total_s + s))
}

run_check() { # label command... : one check, counted as one passed or failed test
	local label=$1
	shift
	if "$@"; then
		total_p=$((total_p + 1))
	else
		echo "== $label: FAILED"
		total_f=$((total_f + 1))
	fi
}

cmd=${1:-}
case "$cmd" in
run)
	bash scripts/deps.sh
	build build -Dwerror=true
	exec bash scripts/run-default.sh
	;;
test)
	bash scripts/deps.sh
	total_p=0 total_f=0 total_s=0
	build build -Dwerror=true -Dtests=enabled
	run_suites build "release build" unit e2e
	run_check "formatting" bash scripts/check-style.sh
	run_check "file and function sizes" /usr/bin/python3 scripts/check-size.py
	run_check "installed ABI and API reference" bash scripts/check-abi.sh build
	run_check "Debian packages (build, install, run)" bash scripts/ci-package.sh
	build build-asan -Dwerror=true -Dtests=enabled -Dbuildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_suites build-asan "sanitizer build" unit e2e
	CC=clang build build-fuzz -Dwerror=true -Dtests=enabled -Dfuzz=true -Dbuildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false
	run_suites build-fuzz "fuzz (clang, libFuzzer, ASan/UBSan)" fuzz
	echo "$total_p passed, $total_f failed, $total_s skipped"
	[ "$total_f" -eq 0 ]
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
