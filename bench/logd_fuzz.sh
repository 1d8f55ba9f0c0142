#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The long libFuzzer run of stap-logd's whole receive path (tools/stap-logd/fuzz/datagram_fuzz.cc:
# datagram -> parser -> receiver with small caps -> session store on a disk that fills -> session bytes
# and --json), with a memory limit. The CLI tier runs the same target for 20 s (tests/cli/stap-logd/fuzz.sh).
#   bench/logd_fuzz.sh [RUNS]      (default 10000000 inputs; corpus kept in build/logd-fuzz/corpus)
# MAX_TIME=SECONDS stops it earlier (libFuzzer -max_total_time; 0: no limit). SANITIZE=fuzzer,undefined
# builds without ASan (3x the inputs/s; the memory limit is then -rss_limit_mb alone), OPT=-O2.
# Prints the number of inputs run, the speed, the peak RSS and the result (exit 0: nothing found).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
runs=${1:-10000000}
out="$src/build/logd-fuzz"
bin="$out/datagram_fuzz-${SANITIZE:-fuzzer,address,undefined}${OPT:-}"
"$src/tools/stap-logd/fuzz/build.sh" "$bin"
mkdir -p "$out/corpus"
seed=${SEED:-$RANDOM$RANDOM}
echo "seed $seed, $runs inputs, -rss_limit_mb=512 -malloc_limit_mb=256, $(basename "$bin"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
"$bin" -runs="$runs" -max_total_time="${MAX_TIME:-0}" -seed="$seed" -rss_limit_mb=512 -malloc_limit_mb=256 -timeout=30 \
  -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" "$src/tools/stap-logd/fuzz/seeds" \
  >"$out/long-run.log" 2>&1 || rc=$?
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)" "$out/long-run.log"
[ "$rc" = 0 ] && echo "result: no crash, leak, sanitizer report or broken invariant" || { tail -30 "$out/long-run.log"; echo "result: fuzzer exited $rc"; }
exit "$rc"
