#!/usr/bin/env python3
"""Builds the stap-addprobe accuracy sample: picks (a function or a line) across linux-source-6.1 in
files that Debian's config builds, by category, reproducibly (fixed seed).

Which files are built comes from the DWARF, not from stap-addprobe: the compile units of the test
bed's vmlinux and of the sample's module .ko (bench/addprobe-accuracy/setup.sh lists them). Functions
and their extents come from universal-ctags (--fields=+ne), classified by the text of their
declaration (static, inline, __init). Lines are classified by a small scanner (blank, comment, code,
brace depth, #if regions evaluated against Debian's .config).

Usage: make_sample.py SA_KSRC BENCH_DIR CONFIG > sample.tsv
Columns: id category mode location dwarf_file module func func_start func_end note
"""
import collections
import json
import os
import random
import re
import subprocess
import sys

SEED = 20261127
QUOTA = collections.OrderedDict([
    ("function", 50),        # ordinary functions, FILE:FUNCTION
    ("line", 50),            # code lines inside ordinary functions, --line
    ("syscall", 30),         # lines in SYSCALL_DEFINEn bodies (half --function, half --line)
    ("static_shared", 30),   # static functions whose name is static in another built file too
    ("module", 45),          # functions and lines in module files (some spelled with ../)
    ("static_inline", 30),   # static inline helpers in .c files, FILE:FUNCTION
    ("blank_comment", 30),   # blank and comment lines inside function bodies, --line
    ("outside", 20),         # lines outside any function, --line
    ("ifdef_disabled", 20),  # code lines in #if regions this config disables, --line
    ("init", 15),            # __init functions, FILE:FUNCTION
    ("not_built", 10),       # functions in files this config does not build, FILE:FUNCTION
])

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MACRO_FUNC = re.compile(r"^[A-Z0-9_]+$")


def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")


def classify_lines(lines):
    """Per line (0-based): 'blank', 'comment', 'pp' (preprocessor), 'brace', or 'code'; and the
    brace depth at the start of the line (strings and comments ignored roughly)."""
    kinds, depths = [], []
    in_comment = False
    depth = 0
    pp_cont = False
    for raw in lines:
        depths.append(depth)
        s = raw.strip()
        if pp_cont:
            kinds.append("pp")
            pp_cont = s.endswith("\\")
            continue
        code = []
        i = 0
        while i < len(raw):
            if in_comment:
                end = raw.find("*/", i)
                if end < 0:
                    i = len(raw)
                else:
                    in_comment = False
                    i = end + 2
                continue
            if raw.startswith("/*", i):
                in_comment = True
                i += 2
                continue
            if raw.startswith("//", i):
                break
            c = raw[i]
            if c in "\"'":
                j = i + 1
                while j < len(raw) and raw[j] != c:
                    j += 2 if raw[j] == "\\" else 1
                code.append("x")
                i = j + 1
                continue
            code.append(c)
            i += 1
        text = "".join(code).strip()
        if not s:
            kinds.append("blank")
        elif not text:
            kinds.append("comment")
        elif text.startswith("#"):
            kinds.append("pp")
            pp_cont = s.endswith("\\")
            continue
        elif text in ("{", "}", "};", "},", "} else {", "else", "do {", "} while (0);"):
            kinds.append("brace")
        else:
            kinds.append("code")
        depth += text.count("{") - text.count("}")
        depth = max(depth, 0)
    return kinds, depths


def config_values(path):
    vals = {}
    for line in read_lines(path):
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


PP_IF = re.compile(r"^\s*#\s*(ifdef|ifndef|if)\b\s*(.*)$")
PP_ELSE = re.compile(r"^\s*#\s*(else|elif)\b")
PP_END = re.compile(r"^\s*#\s*endif\b")


def disabled_regions(lines, cfg):
    """(first, last) 0-based line ranges of #if bodies this config disables, for the simple forms
    #ifdef CONFIG_X, #ifndef CONFIG_X, #if defined(CONFIG_X), #if IS_ENABLED(CONFIG_X)."""
    regions = []
    stack = []  # (start line, disabled?)
    for i, line in enumerate(lines):
        m = PP_IF.match(line)
        if m:
            kind, expr = m.group(1), m.group(2).strip()
            off = None
            mm = re.fullmatch(r"(CONFIG_\w+)", expr)
            if kind in ("ifdef", "ifndef") and mm:
                on = cfg.get(mm.group(1)) == "y"
                off = not on if kind == "ifdef" else on
            elif kind == "if":
                mm = re.fullmatch(r"defined\s*\(?\s*(CONFIG_\w+)\s*\)?", expr)
                if mm:
                    off = cfg.get(mm.group(1)) != "y"
                mm = re.fullmatch(r"IS_ENABLED\s*\(\s*(CONFIG_\w+)\s*\)", expr)
                if mm:
                    off = cfg.get(mm.group(1)) not in ("y", "m")
            stack.append([i, off])
            continue
        if PP_ELSE.match(line) and stack:
            start, off = stack[-1]
            if off:
                regions.append((start + 1, i - 1))
            stack[-1] = [i, None]  # the #else side is not used (its truth needs the whole chain)
            continue
        if PP_END.match(line) and stack:
            start, off = stack.pop()
            if off:
                regions.append((start + 1, i - 1))
    return regions


def ctags_functions(src, files):
    """{file: [tag, ...]} with name, line, end (1-based) for function definitions."""
    out = collections.defaultdict(list)
    proc = subprocess.run(["ctags", "--c-kinds=f", "--fields=+ne", "--output-format=json", "-L", "-",
                           "-o", "-"], input="\n".join(files), cwd=src, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        try:
            t = json.loads(line)
        except ValueError:
            continue
        if t.get("kind") == "function" and "end" in t:
            out[t["path"]].append(t)
    for f in out:
        out[f].sort(key=lambda t: t["line"])
    return out


def declaration(lines, tag):
    """The declaration text: the name's line and up to two lines before it that belong to it."""
    i = tag["line"] - 1
    text = [lines[i]]
    for j in (i - 1, i - 2):
        if j < 0:
            break
        s = lines[j].strip()
        if not s or s.endswith((";", "}", "*/")) or s.startswith(("#", "/*", "*", "//")):
            break
        text.insert(0, s)
    return " ".join(text)


def body_start(lines, tag):
    """0-based index of the line holding the body's opening brace."""
    for i in range(tag["line"] - 1, tag["end"]):
        if "{" in lines[i]:
            return i
    return tag["line"] - 1


class Pool:
    def __init__(self, src, cfg):
        self.src, self.cfg = src, cfg
        self.cache = {}

    def file(self, rel):
        if rel not in self.cache:
            lines = read_lines(os.path.join(self.src, rel))
            kinds, depths = classify_lines(lines)
            self.cache[rel] = (lines, kinds, depths, disabled_regions(lines, self.cfg))
        return self.cache[rel]


def main():
    src, bench, config = sys.argv[1], sys.argv[2], sys.argv[3]
    rnd = random.Random(SEED)
    cfg = config_values(config)
    prefix = "/build/reproducible-path/"
    builtin = []
    for line in read_lines(os.path.join(bench, "vmlinux-cus.txt")):
        line = line.strip()
        if not line.endswith(".c") or line.startswith(prefix) or ".." in line:
            continue
        if os.path.exists(os.path.join(src, line)):
            builtin.append(line)
    modules = []  # (module, rel, dwarf spelling)
    for line in read_lines(os.path.join(bench, "module-cus.tsv")):
        if "\t" not in line:
            continue
        mod, cu = line.split("\t")
        rel = os.path.normpath(cu)
        if cu.endswith(".c") and not cu.startswith(prefix) and os.path.exists(os.path.join(src, rel)):
            modules.append((mod, rel, cu))
    builtin.sort()
    modules.sort()
    rnd.shuffle(builtin)
    rnd.shuffle(modules)
    pool_files = builtin[:700]
    mod_files = modules[:160] + [m for m in modules[160:] if ".." in m[2]][:25]
    tags = ctags_functions(src, pool_files + [m[1] for m in mod_files])
    pool = Pool(src, cfg)
    picks = collections.defaultdict(list)
    seen = set()

    def add(cat, mode, loc, dwarf, module, tag, note=""):
        key = (mode, loc)
        if key in seen or len(picks[cat]) >= QUOTA[cat]:
            return False
        seen.add(key)
        picks[cat].append((cat, mode, loc, dwarf, module,
                           tag["name"] if tag else "", tag["line"] if tag else 0,
                           tag["end"] if tag else 0, note))
        return True

    def plain(tag, decl):
        name = tag["name"]
        return (IDENT.match(name) and not MACRO_FUNC.match(name) and name + "(" in decl.replace(" (", "(")
                and not re.search(r"\binline\b|__always_inline|\b__init\b|\b__exit\b", decl))

    # Names defined static in more than one file of the pool.
    static_files = collections.defaultdict(set)
    for f in pool_files:
        lines = pool.file(f)[0]
        for t in tags.get(f, []):
            d = declaration(lines, t)
            if plain(t, d) and re.search(r"\bstatic\b", d):
                static_files[t["name"]].add(f)

    for f in pool_files:
        lines, kinds, depths, regions = pool.file(f)
        ftags = tags.get(f, [])
        in_func = set()
        for t in ftags:
            in_func.update(range(t["line"] - 3, t["end"] + 1))
        for t in ftags:
            d = declaration(lines, t)
            name = t["name"]
            first = body_start(lines, t) + 1
            body = [i for i in range(first, t["end"] - 1)]
            code = [i for i in body if kinds[i] == "code"]
            if re.match(r"^SYSCALL_DEFINE[0-6]$", name) and code:
                i = rnd.choice(code)
                mode = "function" if len(picks["syscall"]) % 2 == 0 else "line"
                add("syscall", mode, f"{f}:{i + 1}", f, "", t)
                continue
            if plain(t, d):
                if len(static_files.get(name, ())) >= 2 and rnd.random() < 0.5:
                    add("static_shared", "function", f"{f}:{name}", f, "", t)
                elif rnd.random() < 0.15:
                    add("function", "function", f"{f}:{name}", f, "", t)
                if code and rnd.random() < 0.12:
                    i = rnd.choice(code)
                    if not any(a <= i <= b for a, b in regions):
                        add("line", "line", f"{f}:{i + 1}", f, "", t)
                blanks = [i for i in body if kinds[i] in ("blank", "comment")]
                if blanks and rnd.random() < 0.1:
                    add("blank_comment", "line", f"{f}:{rnd.choice(blanks) + 1}", f, "", t)
            elif IDENT.match(name) and re.search(r"\bstatic\b", d) and re.search(r"\binline\b|__always_inline", d):
                if rnd.random() < 0.3:
                    add("static_inline", "function", f"{f}:{name}", f, "", t)
            elif IDENT.match(name) and re.search(r"\b__init\b", d) and not re.search(r"\binline\b", d):
                if rnd.random() < 0.3:
                    add("init", "function", f"{f}:{name}", f, "", t)
            for a, b in regions:
                if first <= a and b < t["end"] - 1:
                    cands = [i for i in range(a, b + 1) if kinds[i] == "code"]
                    if cands and rnd.random() < 0.5:
                        add("ifdef_disabled", "line", f"{f}:{rnd.choice(cands) + 1}", f, "", t)
        # Outside functions: depth 0, not within a function's extent or the 3 lines before it.
        outside = [i for i in range(len(lines)) if depths[i] == 0 and i + 1 not in in_func
                   and kinds[i] in ("blank", "comment", "pp", "code")
                   and not (kinds[i] == "code" and not lines[i].rstrip().endswith(";"))]
        if outside and ftags and rnd.random() < 0.05:
            i = rnd.choice(outside)
            add("outside", "line", f"{f}:{i + 1}", f, "", None, kinds[i])

    for mod, f, dwarf in mod_files:
        lines, kinds, depths, regions = pool.file(f)
        for t in tags.get(f, []):
            d = declaration(lines, t)
            if not plain(t, d):
                continue
            first = body_start(lines, t) + 1
            code = [i for i in range(first, t["end"] - 1) if kinds[i] == "code"
                    and not any(a <= i <= b for a, b in regions)]
            chance = 0.25 if ".." in dwarf else 0.04
            if rnd.random() < chance:
                if code and rnd.random() < 0.5:
                    add("module", "line", f"{f}:{rnd.choice(code) + 1}", dwarf, mod, t)
                else:
                    add("module", "function", f"{f}:{t['name']}", dwarf, mod, t)

    # Not built: other architectures' files, and x86 files that are in no compile unit.
    built = set(builtin) | {m[1] for m in modules}
    others = []
    for top in ("arch/arm64/kernel", "arch/powerpc/kernel", "arch/riscv/kernel", "arch/s390/kernel",
                "drivers/net/ethernet/freescale", "drivers/soc/qcom"):
        d = os.path.join(src, top)
        others += sorted(os.path.join(top, n) for n in os.listdir(d) if n.endswith(".c"))
    rnd.shuffle(others)
    ntags = ctags_functions(src, others[:60])
    for f in others[:60]:
        if f in built:
            continue
        lines = pool.file(f)[0]
        cands = [t for t in ntags.get(f, []) if plain(t, declaration(lines, t))]
        if cands:
            t = rnd.choice(cands)
            add("not_built", "function", f"{f}:{t['name']}", f, "", t)

    print("#id\tcategory\tmode\tlocation\tdwarf_file\tmodule\tfunc\tfunc_start\tfunc_end\tnote")
    n = 0
    for cat in QUOTA:
        for p in picks[cat]:
            n += 1
            print("\t".join([str(n)] + [str(x) for x in p]))
    for cat in QUOTA:
        print(f"make_sample: {cat}: {len(picks[cat])} of {QUOTA[cat]}", file=sys.stderr)


if __name__ == "__main__":
    main()
