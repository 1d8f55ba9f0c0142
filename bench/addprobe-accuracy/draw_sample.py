#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Draws a NEW random accuracy sample from the test bed's DWARF on every run (never from stap-addprobe,
never tuned on): compile units of vmlinux and of the module .ko from the -dbg package, chosen at
random, read by dwarf_sample (libdw). From them:

  - lines, uniformly from the lines that have a line-table record plus the blank, comment and
    preprocessor (#if/#else/#endif...) lines among them (inside the span of their function's records);
  - functions, uniformly from the DWARF subprograms defined in those .c files, with code of their own
    ("out") or only inlined copies ("inline").

Usage: draw_sample.py DWARF_SAMPLE SA_KSRC VMLINUX MODULE_DIR SEED N > sample.tsv
Columns (what check.py reads): id category mode location dwarf_file module func func_start func_end note
"""
import bisect
import collections
import glob
import os
import random
import re
import subprocess
import sys

PP = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b")


def read_source(ksrc, rel, cache={}):
    if rel not in cache:
        try:
            with open(os.path.join(ksrc, rel), encoding="utf-8", errors="replace") as f:
                cache[rel] = f.read().split("\n")
        except OSError:
            cache[rel] = None
    return cache[rel]


def kind_of(text):
    s = text.strip()
    if not s:
        return "blank"
    if s.startswith("//") or s.startswith("/*") or s.startswith("*"):
        return "comment"
    if PP.match(s):
        return "pp"
    return None


def facts(tool, elf, seed, count):
    out = subprocess.run([tool, elf, str(seed), str(count)], capture_output=True, text=True, check=False)
    lines, funcs = collections.defaultdict(set), []
    for row in out.stdout.splitlines():
        f = row.split("\t")
        if f[0] == "L":
            lines[f[2]].add(int(f[3]))
        elif f[0] == "F":
            funcs.append((f[2], f[3], int(f[4]), f[5]))
    return lines, funcs


def main():
    tool, ksrc, vmlinux, module_dir, seed, n = sys.argv[1:7]
    seed, n = int(seed), int(n)
    rng = random.Random(seed)
    units = [("", vmlinux, 30)]
    kos = sorted(glob.glob(os.path.join(module_dir, "**", "*.ko"), recursive=True))
    for ko in rng.sample(kos, min(10, len(kos))):
        units.append((os.path.basename(ko)[:-3].replace("-", "_"), ko, 3))

    line_pool, func_pool = [], []
    for module, elf, count in units:
        lines, funcs = facts(tool, elf, rng.randrange(1 << 30), count)
        by_file = collections.defaultdict(list)
        for name, file, decl, how in funcs:
            by_file[file].append((decl, name))
        for file in by_file:
            by_file[file].sort()
        for name, file, decl, how in funcs:
            rel = os.path.normpath(file)
            if read_source(ksrc, rel) is None:
                continue
            func_pool.append(dict(cat="function_" + how, mode="function", loc=f"{rel}:{name}", dwarf=file,
                                  module=module, func=name, start=decl, end=decl))
        for file, recs in lines.items():
            rel = os.path.normpath(file)
            src = read_source(ksrc, rel)
            if src is None:
                continue
            decls = by_file.get(file, [])
            starts = [d for d, _ in decls]

            def owner(line):
                i = bisect.bisect_right(starts, line) - 1
                if i < 0:
                    return "", 0, 0
                end = starts[i + 1] - 1 if i + 1 < len(starts) else len(src)
                return decls[i][1], decls[i][0], end

            srt = sorted(recs)
            candidates = [(l, "line_record") for l in srt]
            # Blank, comment and #if lines between two records of the same function.
            for a, b in zip(srt, srt[1:]):
                if b - a > 30 or owner(a)[0] != owner(b)[0]:
                    continue
                for l in range(a + 1, b):
                    k = kind_of(src[l - 1]) if l - 1 < len(src) else None
                    if k and l not in recs:
                        candidates.append((l, "line_" + k))
            for l, cat in candidates:
                name, start, end = owner(l)
                line_pool.append(dict(cat=cat, mode="line", loc=f"{rel}:{l}", dwarf=file, module=module,
                                      func=name, start=start, end=end))

    # Lines and functions in proportion 3:2 (lines are where the mistakes were); each uniform in its pool.
    n_lines = min(len(line_pool), n * 3 // 5)
    picks = rng.sample(line_pool, n_lines) + rng.sample(func_pool, min(len(func_pool), n - n_lines))
    print("#id\tcategory\tmode\tlocation\tdwarf_file\tmodule\tfunc\tfunc_start\tfunc_end\tnote")
    seen = set()
    for i, p in enumerate(picks, 1):
        if p["loc"] in seen:
            continue
        seen.add(p["loc"])
        cat = p["cat"] + ("/module" if p["module"] else "")
        print(f"{i}\t{cat}\t{p['mode']}\t{p['loc']}\t{p['dwarf']}\t{p['module']}\t{p['func']}\t"
              f"{p['start']}\t{p['end']}\t")
    print(f"draw_sample: seed {seed}: {len(picks)} picks from {len(line_pool)} lines and {len(func_pool)} "
          f"functions in {len(units)} binaries", file=sys.stderr)


if __name__ == "__main__":
    main()
