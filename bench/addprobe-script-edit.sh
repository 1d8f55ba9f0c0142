#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stap-addprobe script edits against the size of the script, with `cp` of the same file as the
# baseline in the same run.
#
#   bench/addprobe-script-edit.sh [BUILD_DIR] [OLD_BINARY]   (default build/; needs the linux-source-6.1 tree)
#
# For scripts of 5,000, 20,000 and 40,000 probes (the preamble plus `probe kernel.function("fN@x.c")...`
# lines), times, best of 3 wall clock:
#   append  - `stap-addprobe -o S fs/open.c:vfs_open` (one new pick; the extents cache is warm, so this
#             is the script edit: read, scan, check, append, atomic write under the folder lock)
#   remove  - `stap-addprobe -o S --remove fs/open.c:vfs_open` (scan, remove, write)
#   list    - `stap-addprobe -o S --list`
#   cp      - `cp S copy` (reading and writing the same bytes, the floor)
# and the ratio of each to cp. Linear edits keep the ratio flat as the script grows; the 40k/5k column
# says how the time grows (8 is linear). OLD_BINARY, if given, is timed the same way (e.g. a build of
# the commit before the change).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
old=${2:-}
B=$build/tools/stap-addprobe/stap-addprobe
K=${SA_KSRC:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant/src/linux-source-6.1}
[ -x "$B" ] || { echo "no $B: build first" >&2; exit 66; }
[ -e "$K/.sa-version" ] || { echo "no linux-source-6.1 tree at $K" >&2; exit 66; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache
export STAP_ASSISTANT_PREAMBLE="$src/share/preamble.stp"

# Best of 3 wall-clock seconds of "$@" (stdout/stderr dropped); setup runs before each try.
best() {
  local setup=$1; shift
  local b="" t s e
  for _ in 1 2 3; do
    eval "$setup"
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
  done
  printf '%.3f' "$b"
}

make_script() {  # make_script N FILE
  "$B" -C "$K" -o "$2" --dry-run fs/open.c:vfs_open >/dev/null 2>&1  # warms the extents cache
  sed -n '1,/end of preamble/p' "$src/share/preamble.stp" >"$2"
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "probe kernel.function(\"f%d@x.c\").call { trace_call() }\n", i }' >>"$2"
}

run_for() {  # run_for LABEL BINARY
  local label=$1 bin=$2 n s
  declare -A t
  for n in 5000 20000 40000; do
    s=$work/s$n.stp
    make_script "$n" "$work/base$n.stp"
    t[cp,$n]=$(best "cp $work/base$n.stp $s" cp "$s" "$work/copy.stp")
    t[append,$n]=$(best "cp $work/base$n.stp $s" "$bin" -C "$K" -o "$s" fs/open.c:vfs_open)
    "$bin" -C "$K" -o "$work/base$n.stp" fs/open.c:vfs_open >/dev/null 2>&1
    t[remove,$n]=$(best "cp $work/base$n.stp $s" "$bin" -C "$K" -o "$s" --remove fs/open.c:vfs_open)
    t[list,$n]=$(best "cp $work/base$n.stp $s" "$bin" -o "$s" --list)
  done
  echo "### $label"
  echo
  echo "| edit | 5,000 probes | 20,000 | 40,000 | 40k/5k | x cp at 40k |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  local op
  for op in cp append remove list; do
    printf '| %s | %s s | %s s | %s s | %.1f | %.1f |\n' "$op" "${t[$op,5000]}" "${t[$op,20000]}" "${t[$op,40000]}" \
      "$(echo "${t[$op,40000]} / ${t[$op,5000]}" | bc -l)" "$(echo "${t[$op,40000]} / ${t[cp,40000]}" | bc -l)"
  done
  echo
}

echo "stap-addprobe script edits, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo
run_for "this build ($B)" "$B"
[ -z "$old" ] || run_for "old binary ($old)" "$old"
