#!/usr/bin/env bash
# The stap-addprobe accuracy benchmark: runs the built stap-addprobe on every pick of sample.tsv and
# checks each answer against the test bed's DWARF with stap -p2 (see check.py for what "right" is).
# Usage: bench/addprobe-accuracy/run.sh BUILD_DIR [--resample]
# Prints the per-category table; wrong picks go to stderr, every verdict to
# $SA_CACHE/bench-addprobe/results.tsv. Takes ~10 minutes (one stap -p2 over ~1,200 probe points).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR [--resample]}" && pwd)
bench=$("$here/setup.sh")
eval "$("$here/../../tools/stap-sandbox/stap-testbed" env)"
if [[ ${2:-} == --resample || ! -s $here/sample.tsv ]]; then
  python3 "$here/make_sample.py" "$SA_KSRC" "$bench" "$SA_KHEADERS/.config" >"$here/sample.tsv"
fi
python3 "$here/check.py" "$here/sample.tsv" "$build/tools/stap-addprobe/stap-addprobe" "$SA_KSRC" \
  "$bench/r" "$bench/results.tsv"
