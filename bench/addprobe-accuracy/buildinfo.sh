#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Compares stap-addprobe's Kbuild answers (built in / module NAME / not built) for every .c file of
# linux-source-6.1 with the DWARF: each compile unit of the test bed's vmlinux must be built in, each
# compile unit of the sample's module .ko must be in that module (spelled as DWARF spells it).
# Usage: bench/addprobe-accuracy/buildinfo.sh BUILD_DIR   (after setup.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: buildinfo.sh BUILD_DIR}" && pwd)
bench=$("$here/setup.sh" 2>/dev/null)
eval "$("$here/../../tools/stap-sandbox/stap-testbed" env)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
c++ -std=c++20 -O1 -I"$here/../../tools/stap-addprobe" -I"$here/../../tools/common" \
  "$here/buildinfo_check.cc" "$build/tools/stap-addprobe/libsa_addprobe_lib.a" \
  "$build/tools/common/libsa_common.a" -lfmt -ldl -o "$tmp/check"
(cd "$SA_KSRC" && find . -name '*.c' -not -path './tools/*' -not -path './scripts/*' \
  -not -path './Documentation/*' -not -path './samples/*' | sed 's|^\./||' | sort) >"$tmp/all"
start=$(date +%s.%N)
"$tmp/check" "$SA_KSRC" <"$tmp/all" >"$tmp/answers.tsv"
end=$(date +%s.%N)
python3 - "$tmp/answers.tsv" "$bench" "$(wc -l <"$tmp/all")" "$start" "$end" <<'PY'
import collections, os, sys
answers, bench = sys.argv[1], sys.argv[2]
bi = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(answers)}
kinds = collections.Counter(f[1] for f in bi.values())
prefix = "/build/reproducible-path/"
def check(pairs):
    ok, bad = 0, []
    for module, cu in pairs:
        rel = os.path.normpath(cu)
        if rel not in bi: continue
        f = bi[rel]
        if module is None:
            good = f[1] == "builtin"
        else:
            good = f[1] == "module" and f[2] == module and (f[4] or rel) == cu
        if good: ok += 1
        else: bad.append((cu, f[1:]))
    return ok, bad
vm = [(None, l.strip()) for l in open(os.path.join(bench, "vmlinux-cus.txt"))
      if l.strip().endswith(".c") and not l.startswith(prefix)]
mods = [tuple(l.rstrip("\n").split("\t")) for l in open(os.path.join(bench, "module-cus.tsv"))
        if l.rstrip().endswith(".c") and prefix not in l]
for name, pairs in (("vmlinux compile units", vm), ("module compile units", mods)):
    ok, bad = check(pairs)
    print(f"{name}: {ok} of {ok + len(bad)} right")
    for cu, f in bad[:10]:
        print(f"  wrong: {cu}: {' '.join(x for x in f if x)}")
print("answers for %s files: %s; %.1f s" % (sys.argv[3], ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
                                         float(sys.argv[5]) - float(sys.argv[4])))
PY
