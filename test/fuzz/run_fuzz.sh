#!/usr/bin/env bash
# Run a libFuzzer target for a bounded time: new inputs go to a scratch dir in the build tree,
# the committed corpus is read only. Usage: run_fuzz.sh FUZZER CORPUS WORKDIR SECONDS
set -euo pipefail
fuzzer=$1 corpus=$2 work=$3 secs=$4
rm -rf "$work"
mkdir -p "$work/new" "$work/artifacts"
trap 'rm -rf "$work/new"' EXIT
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=1600 \
	-artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/new" "$corpus"
