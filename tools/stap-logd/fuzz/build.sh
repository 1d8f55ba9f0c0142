#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer target for stap-logd's datagram parser with Debian's clang-14:
#   tools/stap-logd/fuzz/build.sh OUTPUT_BINARY
# Rebuilds only when a source is newer than the binary. Run it with e.g.
#   OUTPUT_BINARY -max_total_time=20 CORPUS_DIR tools/stap-logd/fuzz/seeds
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
out=${1:?usage: build.sh OUTPUT_BINARY}
sources=("$here/datagram_fuzz.cc" "$src/tools/common/log_protocol.cc" "$src/tools/common/diag.cc"
         "$src/tools/stap-logd/receiver.cc" "$src/tools/stap-logd/session_store.cc"
         "$src/tools/stap-logd/file_system.cc" "$src/tools/stap-logd/line_format.cc"
         "$src/tools/common/session_line.cc")
if [ -x "$out" ]; then
  newer=no
  for f in "${sources[@]}" "$src"/tools/common/*.h "$src"/tools/stap-logd/*.h; do
    [ "$f" -nt "$out" ] && newer=yes
  done
  [ $newer = no ] && exit 0
fi
CXX=${CXX:-clang++-14}
command -v "$CXX" >/dev/null || { echo "build.sh: error: $CXX not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 69; }
mkdir -p "$(dirname "$out")"
# One compiler per source, two at a time: this is most of the fuzz test's time on a busy machine.
# shellcheck disable=SC2054  # -fsanitize takes a comma-separated list
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$src/tools/common" -I"$src/tools/stap-logd")
objs=() pids=() failed=0
for f in "${sources[@]}"; do
  o="$out.$(basename "$f" .cc).o"
  objs+=("$o")
  if [ ${#pids[@]} -ge 2 ]; then  # wait for the oldest job by its PID (wait -n races with jobs)
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
  "$CXX" "${flags[@]}" -c "$f" -o "$o" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed = 0 ] || { echo "build.sh: error: compiling failed" >&2; exit 1; }
for o in "${objs[@]}"; do [ -s "$o" ] || { echo "build.sh: error: $o not built" >&2; exit 1; }; done
"$CXX" "${flags[@]}" "${objs[@]}" -o "$out.tmp"
rm -f "${objs[@]}"
mv "$out.tmp" "$out"
