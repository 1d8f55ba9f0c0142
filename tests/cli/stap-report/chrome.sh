# SPDX-License-Identifier: GPL-2.0-or-later
# --chrome FILE: a JSON array of trace events; B/E nest per (pid, tid) with E after B, every call is
# closed (synthetic E for the unmatched), args only on E/i, M names, ts in µs; the summary still goes
# to stdout. The file replaces a regular file, but never a FIFO.
source "$SA_TEST_LIB"
cp "$SA_SOURCE_DIR/tests/data/session-lost.log" "$SA_SOURCE_DIR/tests/data/session-threads.log" .
for s in session-lost.log session-threads.log; do
  echo old >trace.json
  expect_exit 0 "$STAP_REPORT" --chrome trace.json "$s"
  expect_grep '^session ' out
  python3 - trace.json "$s" <<'PY' || fail "$s: bad trace"
import json, sys
ev = json.load(open(sys.argv[1]))
calls = sum(1 for l in open(sys.argv[2]) if " -> " in l and not l.startswith("--"))
stacks, names = {}, set()
for e in ev:
    k = (e["pid"], e["tid"])
    if e["ph"] == "M":
        names.add((e["name"], k)); continue
    assert isinstance(e["ts"], int), e
    if e["ph"] == "B":
        assert "args" not in e, e
        stacks.setdefault(k, []).append((e["name"], e["ts"]))
    elif e["ph"] == "E":
        name, ts = stacks[k].pop()
        assert name == e["name"] and e["ts"] >= ts, (name, e)
        assert "params" in e["args"], e
    else:
        assert e["ph"] == "i", e
assert all(not s for s in stacks.values()), stacks
assert sum(1 for e in ev if e["ph"] == "B") == calls
for k in stacks: assert ("thread_name", k) in names
PY
done
expect_exit 0 "$STAP_REPORT" --chrome t2.json session-lost.log
expect_grep '"name":"vfs_write","ph":"E","ts":3000040,"pid":300,"tid":300,"args":{"unmatched":"no return in the session"' t2.json
expect_grep '"name":"ksys_read","ph":"E","ts":4000030,"pid":310,"tid":310,"args":{"return":"-11","params":"fd=0 buf=0x55d0d0 count=1","where":"fs/read_write.c:610"}}' t2.json
mkfifo fifo
expect_exit 73 "$STAP_REPORT" --chrome fifo session-lost.log
expect_same err "stap-report: fifo: error: a FIFO is not a regular file; refusing to replace it
"
[ -p fifo ] || fail "the fifo was replaced"
