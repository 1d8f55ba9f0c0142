#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer targets for stap-addprobe's location parser and script scanner with Debian's
# clang-14:
#   tools/stap-addprobe/fuzz/build.sh OUTPUT_DIR
# makes OUTPUT_DIR/location_fuzz and OUTPUT_DIR/script_fuzz, each rebuilt only when a source is newer.
# Run them with e.g.
#   OUTPUT_DIR/location_fuzz -max_total_time=20 CORPUS_DIR tools/stap-addprobe/fuzz/seeds/location
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
out=${1:?usage: build.sh OUTPUT_DIR}
CXX=${CXX:-clang++-14}
command -v "$CXX" >/dev/null || { echo "build.sh: error: $CXX not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 69; }
mkdir -p "$out"
# shellcheck disable=SC2054  # -fsanitize takes a comma-separated list
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$src/tools/common" -I"$src/tools/stap-addprobe")
build_one() {  # build_one NAME SOURCES...
  local name=$1; shift
  local bin=$out/$name f newer=no
  if [ -x "$bin" ]; then
    for f in "$@" "$src"/tools/common/*.h "$src"/tools/stap-addprobe/*.h; do [ "$f" -nt "$bin" ] && newer=yes; done
    [ $newer = no ] && return 0
  fi
  "$CXX" "${flags[@]}" "$@" -o "$bin.tmp"
  mv "$bin.tmp" "$bin"
}
# Two compilers at once at most: the machine is shared.
build_one location_fuzz "$here/location_fuzz.cc" "$src/tools/stap-addprobe/location.cc" "$src/tools/common/diag.cc" &
p1=$!
build_one script_fuzz "$here/script_fuzz.cc" "$src/tools/stap-addprobe/script_edit.cc" "$src/tools/common/diag.cc" &
p2=$!
rc=0
wait $p1 || rc=1
wait $p2 || rc=1
[ $rc = 0 ] || { echo "build.sh: error: compiling failed" >&2; exit 1; }
