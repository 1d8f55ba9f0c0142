#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks stap-addprobe's answers for the accuracy sample against the test bed's DWARF.

1. Runs `stap-addprobe --json --dry-run -r R` once for the --function picks and once for the --line
   picks (locations on stdin), in the source tree.
2. Builds one SystemTap script with every printed probe point and the ground-truth queries, each as
   an optional probe (`?`), and elaborates it with `stap -p2 -u -r R` (one run; not guru mode, so
   SystemTap's blocklist applies). The listing of derived probes says which points resolve.
   Ground truth: `kernel.statement("*@FILE:LINE")` (or the module form) names every function DWARF
   says owns a line; `kernel.function("F@FILE").call/.inline/.return` say whether F can be probed
   and whether DWARF allows a `.return`.
3. A pick is right when every printed probe elaborates, names a function DWARF says owns the line
   (or the requested function), and covers the exit when DWARF allows a `.return` (--function picks);
   or when the tool prints no probe, says why, and nothing there can be probed.

Usage: check.py SAMPLE STAP_ADDPROBE KSRC STAP_R RESULTS_TSV
Prints the table (markdown) on stdout and one line per wrong pick on stderr.
"""
import collections
import json
import re
import subprocess
import sys

POINT = re.compile(r'^(kernel|module\("([^"]+)"\))\.(function|statement)\("([^"@]*)@([^":]+)(?::(\d+))?"\)'
                   r'(?:\.(call|return|inline))?$')


def parse_point(text):
    """(module, kind, name, file, line, suffix) of a probe point, or None."""
    m = POINT.match(text.strip())
    if not m:
        return None
    module = m.group(2) or ""
    kind, name, file, line, suffix = m.group(3), m.group(4), m.group(5), m.group(6), m.group(7) or ""
    return (module, kind, name, file, int(line) if line else 0, suffix)


def points_of(probe_text):
    """Probe points of `probe A, B { body }`."""
    head = probe_text.strip()
    if head.startswith("probe "):
        head = head[len("probe "):]
    head = head.split("{", 1)[0].strip()
    return [p.strip() for p in re.split(r',(?![^(]*\))', head) if p.strip()]


def run_tool(tool, ksrc, stap_r, mode, locations):
    args = [tool, "--json", "--dry-run", "--cache-dir", "none", "-r", stap_r, "--" + mode, "-"]
    proc = subprocess.run(args, input="\n".join(locations) + "\n", cwd=ksrc, capture_output=True,
                          text=True)
    out = {}
    for line in proc.stdout.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        out[obj.get("input", "")] = obj
    return out


def point_text(module, kind, name, file, line, suffix):
    base = f'module("{module}")' if module else "kernel"
    where = f"{name}@{file}" + (f":{line}" if line else "")
    return f'{base}.{kind}("{where}")' + (f".{suffix}" if suffix else "")


class Elaboration:
    """One stap -p2 run over many optional probes; answers which queries resolved, and to what."""

    def __init__(self, stap_r):
        self.stap_r = stap_r
        self.queries = []
        self.derived = []

    def ask(self, point):
        if point not in self.queries:
            self.queries.append(point)

    def run(self, script_path):
        # A statement probe on a line without line records is an error even when optional; -v lists
        # every such error, so one more run without them succeeds.
        queries = list(self.queries)
        seen_bad = set()
        for _ in range(8):
            with open(script_path, "w") as f:
                for q in queries:
                    f.write(f"probe {q} ? {{ next }}\n")
            proc = subprocess.run(["stap", "-p2", "-u", "-v", "-r", self.stap_r, script_path],
                                  capture_output=True, text=True)
            bad = set(re.findall(r"no line records for (\S+?:\d+) ", proc.stderr))
            if proc.returncode == 0 or not bad:
                break
            # stap's error names FILE:LINE, not the query: "X@F:L" (a named ground-truth query on a
            # line X does not hold) and "*@F:L" (which may elaborate, in the functions that do hold
            # it) fail alike. Named queries on a bad FILE:LINE go first; a wildcard query goes only
            # when its FILE:LINE is still bad once the named ones are gone (or none was asked).
            # stap matches @FILE as a path suffix too: "*@kernel/signal.c:L" also reaches
            # arch/x86/kernel/signal.c, whose missing line L fails the run.
            def at(q, wildcard):
                m = re.search(r'@([^"]+:\d+)"\)', q)
                if not m or ('("*@' in q) != wildcard:
                    return None
                fl = m.group(1)
                return next((b for b in bad if b == fl or (wildcard and b.endswith("/" + fl))), None)
            named = {q for q in queries if at(q, False)}
            named_bad = {at(q, False) for q in named}
            wild = {q for q in queries if at(q, True) and (at(q, True) in seen_bad or at(q, True) not in named_bad)}
            seen_bad |= bad
            queries = [q for q in queries if q not in named and q not in wild]
        with open(script_path + ".err", "w") as f:
            f.write(proc.stderr)
        for line in proc.stdout.splitlines():
            d = parse_point(line.split("/*")[0].rstrip().rstrip("?"))
            if d:
                self.derived.append(d)
        return proc

    def matches(self, q):
        """Derived probes for query tuple q (name '*' matches any)."""
        module, kind, name, file, line, suffix = q
        return [d for d in self.derived
                if d[0] == module and d[1] == kind and d[5] == suffix and d[3] == file
                and (name == "*" or d[2] == name) and (line == 0 or d[4] == line)]


def main():
    sample_path, tool, ksrc, stap_r, results_path = sys.argv[1:6]
    picks = []
    for line in open(sample_path):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        picks.append(dict(id=f[0], cat=f[1], mode=f[2], loc=f[3], dwarf=f[4], module=f[5], func=f[6],
                          start=int(f[7]), end=int(f[8]), note=f[9] if len(f) > 9 else ""))
    answers = {}
    for mode in ("function", "line"):
        locs = [p["loc"] for p in picks if p["mode"] == mode]
        answers[mode] = run_tool(tool, ksrc, stap_r, mode, locs)

    el = Elaboration(stap_r)
    for p in picks:
        a = answers[p["mode"]].get(p["loc"], {})
        p["answer"] = a
        # share/json-format.md, format 1: each probe is {point, body, already_present}.
        p["points"] = [pt for probe in a.get("probes", [])
                       for pt in points_of(probe["point"] if isinstance(probe, dict) else probe)]
        loc_tail = p["loc"].rsplit(":", 1)[1]
        p["line"] = int(loc_tail) if loc_tail.isdigit() else 0
        p["target"] = "" if p["line"] else loc_tail
        for pt in p["points"]:
            if parse_point(pt):
                el.ask(pt)
        names = {p["target"]} if p["target"] else set()
        names |= {a.get("function", ""), a.get("source_function", "")}
        if p["line"]:
            el.ask(point_text(p["module"], "statement", "*", p["dwarf"], p["line"], ""))
            for n in (names | {p["func"]}) - {""}:
                if re.match(r"^[A-Za-z_]\w*$", n):
                    el.ask(point_text(p["module"], "statement", n, p["dwarf"], p["line"], ""))
        for pt in p["points"]:
            q = parse_point(pt)
            if q:
                names.add(q[2])
                if q[1] == "statement" and q[4] and q[4] != p["line"]:
                    el.ask(point_text(p["module"], "statement", "*", p["dwarf"], q[4], ""))
                    el.ask(point_text(p["module"], "statement", q[2], p["dwarf"], q[4], ""))
        for n in names - {""}:
            for suffix in ("call", "inline", "return"):
                el.ask(point_text(p["module"], "function", n, p["dwarf"], 0, suffix))
    proc = el.run(results_path + ".stp")
    if not el.derived:
        print("check: stap -p2 resolved nothing:\n" + proc.stderr[-3000:], file=sys.stderr)
        sys.exit(1)

    def resolves(module, kind, name, file, line, suffix):
        return bool(el.matches((module, kind, name, file, line, suffix)))

    def owners(p, line):
        return {d[2] for d in el.matches((p["module"], "statement", "*", p["dwarf"], line, ""))}

    per_cat = collections.OrderedDict()
    rows = []
    for p in picks:
        a, verdict, why = p["answer"], True, "ok"
        if not a:
            verdict, why = False, "no answer from stap-addprobe"
        elif p["points"]:
            parsed = [parse_point(pt) for pt in p["points"]]
            bad = [pt for pt, q in zip(p["points"], parsed) if not q or not el.matches(q)]
            names = {q[2] for q in parsed if q}
            if bad:
                verdict, why = False, "does not elaborate: " + bad[0]
            elif p["mode"] == "line":
                q = parsed[0]
                own = owners(p, p["line"])
                if q[1] != "statement":
                    verdict, why = False, "--line printed a function probe"
                elif own and "*" not in names and not (names & own):
                    verdict, why = False, f"line {p['line']} belongs to {sorted(own)}, probe names {sorted(names)}"
                elif not own:
                    # A line without records moves forward to a line with records of the same
                    # function (the sampler's extent: its decl_line up to the next subprogram's).
                    moved = owners(p, q[4])
                    if q[4] < p["line"] or not (p["start"] <= q[4] <= p["end"]):
                        verdict, why = False, f"snapped from {p['line']} to {q[4]} outside {p['func'] or 'any function'}"
                    elif "*" not in names and not (names & moved):
                        verdict, why = False, f"snapped from {p['line']} to {q[4]}, which belongs to {sorted(moved)}, probe names {sorted(names)}"
            else:
                fn = {a.get("function", ""), a.get("source_function", "")} - {""}
                if p["target"]:
                    if p["target"] not in fn:
                        verdict, why = False, f"resolved {sorted(fn)} for {p['target']}"
                else:
                    own = owners(p, p["line"])
                    if own and not (fn & own):
                        verdict, why = False, f"line {p['line']} belongs to {sorted(own)}, tool says {sorted(fn)}"
                if verdict:
                    has_return = any(q and q[5] == "return" for q in parsed)
                    for n in names:
                        if not has_return and resolves(p["module"], "function", n, p["dwarf"], 0, "return"):
                            verdict, why = False, f"missed {n}.return (DWARF allows it)"
        else:
            if not a.get("error") and not a.get("notes"):
                verdict, why = False, "no probe and no diagnostic"
            else:
                probeable = []
                if p["line"]:
                    probeable += sorted(owners(p, p["line"]))
                if p["target"]:
                    for suffix in ("call", "inline"):
                        if resolves(p["module"], "function", p["target"], p["dwarf"], 0, suffix):
                            probeable.append(f"{p['target']}.{suffix}")
                if probeable:
                    verdict, why = False, "printed nothing, but DWARF has " + ", ".join(probeable[:3]) + \
                        " (tool said: " + (a.get("error") or "; ".join(a.get("notes", [])))[:120] + ")"
        c = per_cat.setdefault(p["cat"], [0, 0])
        c[0] += verdict
        c[1] += 1
        rows.append((p, verdict, why))

    with open(results_path, "w") as out:
        out.write("#id\tcategory\tmode\tlocation\tright\twhy\tprobes\n")
        for p, v, why in rows:
            out.write(f"{p['id']}\t{p['cat']}\t{p['mode']}\t{p['loc']}\t{int(v)}\t{why}\t"
                      f"{' | '.join(p['points'])}\n")
            if not v:
                print(f"WRONG {p['cat']} {p['mode']} {p['loc']}: {why}", file=sys.stderr)
    total = [0, 0]
    print("| category | picks | right | share |")
    print("| --- | ---: | ---: | ---: |")
    for cat, (r, n) in per_cat.items():
        total[0] += r
        total[1] += n
        print(f"| {cat} | {n} | {r} | {100.0 * r / n:.1f}% |")
    print(f"| **all** | {total[1]} | {total[0]} | {100.0 * total[0] / total[1]:.1f}% |")


if __name__ == "__main__":
    main()
