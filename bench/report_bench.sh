#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stap-report speed and memory: bench/report_bench.sh [STAP_REPORT] [SEED]
#
# Generates 1,000,000- and 4,000,000-line sessions (bench/report_gen.py, seed printed), then runs over
# each, one after the other on an otherwise idle core if possible: `wc -l`, a plain awk pass that
# counts the calls of each function, and stap-report's summary (default table), --json and --errors.
# Prints elapsed and CPU (user + system) seconds, peak RSS, lines per CPU second and the ratio to the
# awk pass. Each command runs 3 times; the fastest run (by CPU) is shown.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tool=${1:-$here/../build/tools/stap-report/stap-report}
seed=${2:-$RANDOM}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sa-report-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "seed $seed; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# measure LABEL LINES CMD...: best of 3 by CPU time; prints a table row.
awk_cpu=
measure() {
  local label=$1 lines=$2; shift 2
  local best='' row
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >/dev/null
    read -r el us sy rss <"$tmp/time"
    cpu=$(echo "$us + $sy" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$cpu < $best" | bc -l)" = 1 ]; then
      best=$cpu
      row="$el $cpu $rss"
    fi
  done
  read -r el cpu rss <<<"$row"
  [ "$label" = awk ] && awk_cpu=$cpu
  local rate ratio
  rate=$(echo "$lines / ($cpu + 0.0001)" | bc -l)
  ratio=$(echo "$cpu / ($awk_cpu + 0.0001)" | bc -l)
  printf '| %s | %s | %.2f | %.2f | %d | %.2f M | %.2fx |\n' "$label" "$lines" "$el" "$cpu" "$((rss / 1024))" \
    "$(echo "$rate / 1000000" | bc -l)" "$ratio"
}

echo "| command | lines | elapsed s | CPU s | peak RSS MiB | lines per CPU s | CPU / awk |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for lines in 1000000 4000000; do
  f=$tmp/s$lines.log
  python3 "$here/report_gen.py" "$lines" "$seed" >"$f"
  measure awk "$lines" awk '$4 == "->" { c[$5]++ } END { for (f in c) n++; print n }' "$f"
  measure "wc -l" "$lines" wc -l "$f"
  measure "stap-report" "$lines" "$tool" "$f"
  measure "stap-report --json" "$lines" "$tool" --json "$f"
  measure "stap-report --errors" "$lines" "$tool" --errors "$f"
  measure "stap-report --folded" "$lines" "$tool" --folded "$f"
  echo "| ($(du -m "$f" | cut -f1) MiB file) | | | | | | |"
done
