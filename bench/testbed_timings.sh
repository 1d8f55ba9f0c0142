#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/testbed_timings.sh [RUNS]: how long the test bed's steps take, warm (prepare first): a reused
# `prepare`, a `stap -p2` of one function, a `stap -p4 -g -DSTP_NO_OVERLOAD` of a small guru script
# that is new to stap's module cache (the autoconf cache is warm; the module is really compiled), and
# a guest boot that runs `true` and powers off. Prints a Markdown table, median and range of RUNS
# (default 3) runs each. Run it on an otherwise idle machine to compare figures.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
tb=$src/tools/stap-sandbox/stap-testbed
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/sa-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
"$tb" prepare >/dev/null 2>&1 || { echo "testbed_timings: error: stap-testbed prepare failed" >&2; exit 69; }

# seconds CMD...: wall time of CMD in seconds (3 decimals); CMD's output is discarded, failure aborts.
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; echo "testbed_timings: error: $* failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

compile_new() {
  cat > "bench_$1.stp" <<STP
// run $1 $RANDOM$RANDOM: a new text, so stap's module cache does not answer
%{ #include <linux/sched.h> %}
function tgid:long() %{ STAP_RETVALUE = current->tgid; %}
probe kernel.function("vfs_read") { if (pid() == target()) printf("%d %d\n", tgid(), \$count) }
STP
  "$tb" stap -p4 -g -DSTP_NO_OVERLOAD -m "bench_$1" "bench_$1.stp"
}

row() {  # row NAME TIMES...: median and range
  local name=$1; shift
  local sorted; sorted=$(printf '%s\n' "$@" | sort -n)
  local n=$# med min max
  med=$(sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted"); min=$(head -n1 <<<"$sorted"); max=$(tail -n1 <<<"$sorted")
  printf '| %s | %s | %s–%s |\n' "$name" "$med" "$min" "$max"
}

p=() p2=() p4=() g=()
for i in $(seq "$runs"); do
  p+=("$(seconds "$tb" prepare)")
  p2+=("$(seconds "$tb" stap -p2 -e 'probe kernel.function("vfs_read") { next }')")
  p4+=("$(seconds compile_new "$i")")
  g+=("$(seconds "$tb" guest --run true)")
done
accel=$(cat "${SA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant}"/accel.* 2>/dev/null | head -n1)
echo "| step ($runs runs, guest accelerator: ${accel:-?}) | median s | range s |"
echo "| --- | ---: | ---: |"
row "stap-testbed prepare (reused)" "${p[@]}"
row "stap -p2, one function" "${p2[@]}"
row "stap -p4 -g, small guru script" "${p4[@]}"
row "guest boot, run true, power off" "${g[@]}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
