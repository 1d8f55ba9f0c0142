#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stap-addprobe speed, against universal-ctags and plain libclang parses in the same run.
#
#   bench/addprobe-speed.sh [BUILD_DIR]      (default build/; needs the linux-source-6.1 tree)
#
# Ten files Debian's config builds, ten picks in each (FILE:LINE two lines into functions that ctags
# lists, spread over the file), with an empty extents cache:
#   - first pick in each file (parses: Kbuild facts + skip-bodies parse + token scan + cache write),
#   - the nine repeat picks in each file (cache hits: no parse, no libclang load),
#   - the 100 picks in total,
# and, for the same files: `ctags -x --c-kinds=f` (best of 3), a full libclang parse and a
# skip-bodies parse with the same flags (bench/addprobe_parse.cc, libclang linked normally), and the
# start-up cost of a process that links libclang (best of 10) next to stap-addprobe --version.
# Prints a Markdown table and the totals, wall time and CPU time (user + system: what the machine's
# load does not change).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
B=$build/tools/stap-addprobe/stap-addprobe
K=${SA_KSRC:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant/src/linux-source-6.1}
[ -x "$B" ] || { echo "no $B: build first" >&2; exit 66; }
[ -e "$K/.sa-version" ] || { echo "no linux-source-6.1 tree at $K" >&2; exit 66; }
files=(kernel/sched/core.c fs/open.c mm/filemap.c fs/ext4/inode.c net/ipv4/tcp.c kernel/fork.c
       fs/namei.c mm/page_alloc.c drivers/net/virtio_net.c kernel/bpf/syscall.c)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache

g++ -std=c++20 -O2 -o "$work/parse" "$src/bench/addprobe_parse.cc" -I"$src/tools/common" \
  -I"$src/tools/stap-addprobe" -I/usr/lib/llvm-14/include "$build/tools/stap-addprobe/libsa_addprobe_lib.a" \
  "$build/tools/common/libsa_common.a" -L/usr/lib/llvm-14/lib -lclang -lfmt -Wl,-rpath,/usr/lib/llvm-14/lib

now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
# timed CMD...: runs it, appends "wall_ms cpu_ms" to $work/times, returns its status.
timed() {
  local rc=0 TIMEFORMAT='%3R %3U %3S'
  { time "$@" >/dev/null 2>>"$work/err" || rc=$?; } 2>"$work/t1"
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$work/t1" | tail -1 >>"$work/times"
  return $rc
}
best_of() {  # best_of N CMD... : best wall ms
  local n=$1 best=999999 t d; shift
  for _ in $(seq "$n"); do t=$(now); "$@" >/dev/null 2>&1 || true; d=$(ms_since "$t"); [ "$d" -lt "$best" ] && best=$d; done
  echo "$best"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cd "$K"
echo "| file | lines | functions (ctags) | ctags ms | full parse ms | skip-bodies parse ms | first pick ms | first / skip | repeat pick ms (median, max of 9) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| | | | wall | wall (CPU) | wall (CPU) | wall (CPU) | CPU | wall (CPU median) |"
all_repeats=()
sum_first=0; sum_skip=0; sum_first_cpu=0; sum_skip_cpu=0; sum_full=0; sum_ctags=0; picks=0; failed=0
for f in "${files[@]}"; do
  ctags -x --c-kinds=f "$f" 2>/dev/null | awk '{print $3}' | sort -n >"$work/funcs" || true
  nfunc=$(wc -l <"$work/funcs")
  # Ten functions spread over the file; pick two lines into each.
  awk -v n="$nfunc" 'n > 0 && (NR - 1) % int((n + 9) / 10) == 0 {print $1 + 2}' "$work/funcs" | head -10 >"$work/lines"
  mapfile -t lines <"$work/lines"
  "$work/parse" "$K" "$f" >"$work/p"  # right before the first pick; not a process substitution, whose
  read -r full skip full_cpu skip_cpu _ <"$work/p"  # late reaping would count in the next `time`
  : >"$work/times"
  timed "$B" --dry-run "$f:${lines[0]}" || failed=$((failed + 1))
  read -r first first_cpu <"$work/times"
  picks=$((picks + 1))
  : >"$work/times"
  for l in "${lines[@]:1}"; do
    timed "$B" --dry-run "$f:$l" || failed=$((failed + 1))
    picks=$((picks + 1))
  done
  cut -d' ' -f1 "$work/times" >"$work/reps"
  mapfile -t reps <"$work/reps"
  all_repeats+=("${reps[@]}")
  rmed=$(printf '%s\n' "${reps[@]}" | median)
  rmax=$(printf '%s\n' "${reps[@]}" | sort -n | tail -1)
  rcpu=$(cut -d' ' -f2 "$work/times" | median)
  sum_first_cpu=$((sum_first_cpu + first_cpu)); sum_skip_cpu=$((sum_skip_cpu + skip_cpu))
  ctags_ms=$(best_of 3 ctags -x --c-kinds=f "$f")
  echo "| $f | $(wc -l <"$f") | $nfunc | $ctags_ms | $full ($full_cpu) | $skip ($skip_cpu) | $first ($first_cpu) | $(awk -v a="$first_cpu" -v b="$skip_cpu" 'BEGIN{printf "%.2f", a/b}') | $rmed, $rmax ($rcpu) |"
  sum_first=$((sum_first + first)); sum_skip=$((sum_skip + skip)); sum_full=$((sum_full + full))
  sum_ctags=$((sum_ctags + ctags_ms))
done
# The loop above also ran ctags and the parses; count only stap-addprobe's own picks in the total.
picks_ms=$sum_first
for r in "${all_repeats[@]}"; do picks_ms=$((picks_ms + r)); done
echo
echo "- $picks picks over ${#files[@]} files (empty cache): $(awk -v m="$picks_ms" 'BEGIN{printf "%.2f", m/1000}') s of stap-addprobe wall time ($failed picks ended in an error, see below)"
echo "- first picks: $sum_first ms wall, $sum_first_cpu ms CPU in total; skip-bodies parses alone: $sum_skip ms wall, $sum_skip_cpu ms CPU; full parses: $sum_full ms wall; ctags: $sum_ctags ms wall"
echo "- repeat picks: median $(printf '%s\n' "${all_repeats[@]}" | median) ms, max $(printf '%s\n' "${all_repeats[@]}" | sort -n | tail -1) ms over ${#all_repeats[@]}"
echo "- process start: stap-addprobe --version $(best_of 10 "$B" --version) ms; a program linking libclang-14 (--noop) $(best_of 10 "$work/parse" --noop) ms (best of 10)"
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -s "$work/err" ]; then echo; echo "Diagnostics of the picks:"; echo '```'; sort "$work/err" | uniq | head -20; echo '```'; fi
