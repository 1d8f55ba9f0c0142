#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The stap-addprobe accuracy benchmark: draws a NEW random sample from the test bed's DWARF on every
# run (draw_sample.py + dwarf_sample.c; the seed is printed, --seed N repeats a run), runs the built
# stap-addprobe on every pick and checks each answer with stap -p2 alone (check.py, one batched run).
# Usage: bench/addprobe-accuracy/run.sh BUILD_DIR [--seed N] [--n PICKS]
# Prints the seed and the per-category table; wrong picks go to stderr, every verdict to
# $SA_CACHE/bench-addprobe/results-SEED.tsv. 300 picks take ~5-10 minutes on the shared machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR [--seed N] [--n PICKS]}" && pwd)
shift
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
n=300
while [[ $# -gt 0 ]]; do
  case $1 in
    --seed) seed=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
bench=$("$here/setup.sh")
eval "$("$here/../../tools/stap-sandbox/stap-testbed" env)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046  # pkg-config's flags are separate words
cc -O1 -o "$tmp/dwarf_sample" "$here/dwarf_sample.c" $(pkg-config --cflags --libs libdw)
echo "seed $seed, $n picks"
python3 "$here/draw_sample.py" "$tmp/dwarf_sample" "$SA_KSRC" "$SA_VMLINUX" "$bench/dbg" "$seed" "$n" \
  >"$bench/sample-$seed.tsv"
python3 "$here/check.py" "$bench/sample-$seed.tsv" "$build/tools/stap-addprobe/stap-addprobe" "$SA_KSRC" \
  "$bench/r" "$bench/results-$seed.tsv"
