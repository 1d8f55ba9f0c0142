# SPDX-License-Identifier: GPL-2.0-or-later
# stap-report on a real session: stap-sandbox traces `ls` in the QEMU guest (getdents64, filldir64
# with a line probe), and --json, --errors and --chrome give the numbers the session's lines give when
# counted here independently (a small python pass: line counts per mark and function, error values,
# per-thread pairing for the latencies).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env
sandbox=$SA_SOURCE_DIR/tools/stap-sandbox/stap-sandbox

expect_exit 0 "$sandbox" --no-build --workdir "$T/sb" --timeout 150
session=$(sed -n 's/^stap-sandbox: session file: //p' err)
[ -f "$session" ] || { cat err; fail "no session file named"; }
cp "$session" session.log
expect_grep ' -> filldir64@fs/readdir.c' session.log

expect_exit 0 "$STAP_REPORT" --json session.log
cp out report.json
expect_exit 0 "$STAP_REPORT" --errors session.log
cp out errors.txt
expect_exit 0 "$STAP_REPORT" --chrome trace.json session.log

python3 - session.log report.json errors.txt trace.json <<'PY' || fail "stap-report does not match the session's lines"
import json, re, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]
rx = re.compile(r"^(\d+)\.(\d{6}) cpu(\d+) (\S+)\[(\d+)/(\d+)\] ( *)(->|<-|::|!!) ([^@ ]+)(@\S+)?(?: (.*))?$")
def is_err(v):
    if v.startswith("ERR_PTR("): return True
    try: n = int(v, 16) if v.startswith("0x") else int(v)
    except ValueError: return False
    if n >= 1 << 63: n -= 1 << 64
    return -4095 <= n <= -1
calls, rets, errs, lat, unmatched, tids = {}, {}, {}, {}, {}, set()
stacks = {}
lost = unret = 0
marks = {"->": 0, "<-": 0, "::": 0, "!!": 0}
for l in lines:
    m = re.match(r"^-- stap-logd: lost (\d+) line", l)
    if m: lost += int(m.group(1)); continue
    m = rx.match(l)
    if not m: continue
    sec, us, cpu, comm, pid, tid, ind, mark, fn, where, det = m.groups()
    t = int(sec) * 1000000 + int(us); depth = len(ind) // 2 if ind else 0
    tids.add(tid); marks[mark] += 1
    st = stacks.setdefault(tid, [])
    if mark == "->":
        calls[fn] = calls.get(fn, 0) + 1; st.append((fn, depth, t))
    elif mark == "<-":
        rets[fn] = rets.get(fn, 0) + 1
        v = (det or "").removeprefix("return=").split(" ")[0] if (det or "").startswith("return=") else ""
        if v and is_err(v): errs[fn] = errs.get(fn, 0) + 1
        idx = [i for i, f in enumerate(st) if f[0] == fn and f[1] == depth] or [i for i, f in enumerate(st) if f[0] == fn]
        if not idx:
            unmatched[fn] = unmatched.get(fn, 0) + 1; unret += 1; continue
        i = idx[-1]
        for f in st[i + 1:]: unmatched[f[0]] = unmatched.get(f[0], 0) + 1
        lat.setdefault(fn, []).append(max(0, t - st[i][2])); del st[i:]
for st in stacks.values():
    for f in st: unmatched[f[0]] = unmatched.get(f[0], 0) + 1
rep = [json.loads(l) for l in open(sys.argv[2])]
head = rep[0]
assert head == {"format": 1, "session": "session.log", "lines": len(lines), "lost": lost, "threads": len(tids)}, head
fns = sorted(set(calls) | set(rets))
assert [r["function"] for r in rep[1:]] == fns, ([r["function"] for r in rep[1:]], fns)
for r in rep[1:]:
    f = r["function"]
    want = {"calls": calls.get(f, 0), "returns": rets.get(f, 0), "unmatched": unmatched.get(f, 0), "errors": errs.get(f, 0)}
    got = {k: r[k] for k in want}
    assert got == want, (f, got, want)
    v = sorted(lat.get(f, []))
    if not v:
        assert r["latency_us"] is None, r
    else:
        rank = lambda p: v[max(1, -(-p * len(v) // 100)) - 1]
        exact = {"min": v[0], "p50": rank(50), "p90": rank(90), "p99": rank(99), "max": v[-1]}
        for k, x in exact.items():  # exact below 2048 µs, within 0.1 % above
            assert x - x / 1024 <= r["latency_us"][k] <= x, (f, k, r["latency_us"], exact)
    print(f"{f}: {got} latency {r['latency_us']}")
total_errs = sum(errs.values())
first = open(sys.argv[3]).readline()
if total_errs == 0:
    assert first.startswith("session session.log: 0 errors from 0 origins"), first
else:
    assert re.match(r"session session.log: [1-9]\d* errors? from [1-9]\d* origins?", first), first
ev = json.load(open(sys.argv[4]))
ph = lambda p: sum(1 for e in ev if e["ph"] == p)
assert ph("B") == marks["->"], (ph("B"), marks)
assert ph("E") == ph("B")
assert ph("i") == marks["::"] + marks["!!"] + unret, (ph("i"), marks, unret)
assert sum(1 for e in ev if e["ph"] == "E" and "unmatched" in e["args"]) == sum(unmatched.values()) - unret
print(f"{len(lines)} lines, {marks}, {len(ev)} trace events, {total_errs} error returns")
PY
echo "--- stap-report"; head -5 report.json; head -3 errors.txt
