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
  for f in "${sources[@]}" "$src"/tools/common/*.h "$src"/tools/stap-logd/*.h "$here/coverage-ignore.txt" "$0"; do
    [ "$f" -nt "$out" ] && newer=yes
  done
  [ $newer = no ] && exit 0
fi
CXX=${CXX:-clang++-14}
command -v "$CXX" >/dev/null || { echo "build.sh: error: $CXX not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 69; }
mkdir -p "$(dirname "$out")"
# One compiler per source, two at a time: this is most of the fuzz test's time on a busy machine.
# shellcheck disable=SC2054  # -fsanitize takes a comma-separated list
# SANITIZE (default fuzzer,address,undefined) and OPT (default -O1) choose the build.
sanitize=${SANITIZE:-fuzzer,address,undefined}
flags=(-std=c++20 -g "${OPT:--O1}" -fno-sanitize-recover=undefined -I"$src/tools/common" -I"$src/tools/stap-logd")
# The --json formatter is nlohmann's serializer: it runs and is checked on every input, but without
# coverage instrumentation, whose comparison hooks in it were 40% of the run (perf), 3x fewer inputs/s.
uninstrumented=line_format
objs=() pids=() failed=0
for f in "${sources[@]}"; do
  o="$out.$(basename "$f" .cc).o"
  objs+=("$o")
  if [ ${#pids[@]} -ge 2 ]; then  # wait for the oldest job by its PID (wait -n races with jobs)
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
  san=(-fsanitize="$sanitize" -fsanitize-coverage-ignorelist="$here/coverage-ignore.txt")
  [ "$(basename "$f" .cc)" = $uninstrumented ] && san=(-fsanitize="${sanitize/fuzzer,/}")
  "$CXX" "${flags[@]}" "${san[@]}" -c "$f" -o "$o" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed = 0 ] || { echo "build.sh: error: compiling failed" >&2; exit 1; }
for o in "${objs[@]}"; do [ -s "$o" ] || { echo "build.sh: error: $o not built" >&2; exit 1; }; done
"$CXX" "${flags[@]}" -fsanitize="$sanitize" "${objs[@]}" -o "$out.tmp"
rm -f "${objs[@]}"
mv "$out.tmp" "$out"
