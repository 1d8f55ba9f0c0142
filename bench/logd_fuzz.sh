#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The long libFuzzer run of stap-logd's whole receive path (tools/stap-logd/fuzz/datagram_fuzz.cc:
# datagram -> parser -> receiver with small caps -> session store on a disk that fills -> session bytes
# and --json), with a memory limit. The CLI tier runs the same target for 20 s (tests/cli/stap-logd/fuzz.sh).
#   bench/logd_fuzz.sh [RUNS]      (default 10000000 inputs; corpus kept in build/logd-fuzz/corpus)
# MAX_TIME=SECONDS stops it earlier (libFuzzer -max_total_time; 0: no limit). SANITIZE=fuzzer,undefined
# builds without ASan (3x the inputs/s; the memory limit is then -rss_limit_mb alone), OPT=-O2.
# WORKERS=N (default 1) runs N fuzzer processes on the one corpus folder (each RUNS/N inputs, seeds
# SEED, SEED+1, ...; each takes up what the others add, libFuzzer's -reload), as -jobs would, but with
# each process's own figures. Prints the number of inputs run, the speed, the peak RSS, the load
# average and the result (exit 0: nothing found).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
runs=${1:-10000000}
workers=${WORKERS:-1}
out="$src/build/logd-fuzz"
bin="$out/datagram_fuzz-${SANITIZE:-fuzzer,address,undefined}${OPT:-}"
"$src/tools/stap-logd/fuzz/build.sh" "$bin"
mkdir -p "$out/corpus"
seed=${SEED:-$RANDOM$RANDOM}
start=$(date +%s)
echo "seed $seed, $runs inputs, $workers worker(s), -rss_limit_mb=512 -malloc_limit_mb=256 each, $(basename "$bin"), started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
pids=()
for w in $(seq 1 "$workers"); do
  "$bin" -runs=$((runs / workers)) -max_total_time="${MAX_TIME:-0}" -seed=$((seed + w - 1)) -rss_limit_mb=512 \
    -malloc_limit_mb=256 -timeout=30 -reload=10 -print_final_stats=1 -artifact_prefix="$out/" \
    "$out/corpus" "$src/tools/stap-logd/fuzz/seeds" >"$out/long-run-$w.log" 2>&1 &
  pids+=($!)
done
echo "fuzzer PIDs: ${pids[*]} (logs $out/long-run-N.log)"
rc=0 failed=()
for w in $(seq 1 "$workers"); do
  r=0
  wait "${pids[$((w - 1))]}" || r=$?
  [ "$r" = 0 ] || { rc=$r; failed+=("$w"); }
done
secs=$(($(date +%s) - start))
echo "ended $(date -u +%H:%M:%S) UTC after $secs s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The CPU time of the workers and of the build, if it ran (bash's `times` for the children), what the run costs
# on a machine shared with others.
times >"$out/cpu-times"
echo "CPU time of the workers (user, system): $(tail -1 "$out/cpu-times")"
for w in $(seq 1 "$workers"); do
  echo "worker $w (seed $((seed + w - 1))): $(grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)" \
    "$out/long-run-$w.log" | sed 's/^stat:://; s/: */ /' | tr '\n' ' ')"
done
total=$(for w in $(seq 1 "$workers"); do cat "$out/long-run-$w.log"; done | awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }')
echo "total: $total inputs in $secs s, $((total / (secs > 0 ? secs : 1))) inputs/s"
[ "$rc" = 0 ] && echo "result: no crash, leak, sanitizer report or broken invariant" && exit 0
for w in "${failed[@]}"; do tail -30 "$out/long-run-$w.log"; done
echo "result: fuzzer exited $rc (worker(s) ${failed[*]})"
exit "$rc"
