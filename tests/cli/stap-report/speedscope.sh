# SPDX-License-Identifier: GPL-2.0-or-later
# --speedscope FILE: speedscope's own file format, exactly: shared frames per function and call site
# (file and line), one evented profile per thread with O/C events that nest, calls that never
# returned closed at the last time known, returns without a call left out; the summary still goes to
# stdout. Both exports at once, never to one file or to stdout; never replaces a FIFO.
source "$SA_TEST_LIB"
printf '%s\n' '1.000000 cpu0 ls[7/7] -> f@a.c:3 x=1' '1.000002 cpu0 ls[7/7]   -> g@a.c:9' \
  '1.000005 cpu0 ls[7/7]   <- g return=-2' '1.000009 cpu0 ls[7/7] <- f return=0' \
  '1.000010 cpu1 ls[7/8] -> f@a.c:3' '1.000020 cpu1 ls[7/8] <- nope return=1' \
  '1.000030 cpu1 ls[7/8] -> f@b.c:4' '1.000031 cpu1 ls[7/8] <- f' >s.log
expect_exit 0 "$STAP_REPORT" --speedscope s.json s.log
expect_grep '^session ' out
expect_same s.json '{"$schema":"https://www.speedscope.app/file-format-schema.json",
"shared":{"frames":[
{"name":"f","file":"a.c","line":3},
{"name":"g","file":"a.c","line":9},
{"name":"f","file":"b.c","line":4}]},
"profiles":[
{"type":"evented","name":"ls[7/7]","unit":"microseconds","startValue":1000000,"endValue":1000009,"events":[
{"type":"O","frame":0,"at":1000000},
{"type":"O","frame":1,"at":1000002},
{"type":"C","frame":1,"at":1000005},
{"type":"C","frame":0,"at":1000009}]},
{"type":"evented","name":"ls[7/8]","unit":"microseconds","startValue":1000010,"endValue":1000031,"events":[
{"type":"O","frame":0,"at":1000010},
{"type":"O","frame":2,"at":1000030},
{"type":"C","frame":2,"at":1000031},
{"type":"C","frame":0,"at":1000031}]}],
"name":"s.log","activeProfileIndex":0,"exporter":"stap-report '"$(
  "$STAP_REPORT" --version | sed 's/.* //')"'"}
'
# The sample sessions: valid JSON, O/C nest per profile, one O per call.
cp "$SA_SOURCE_DIR/tests/data/session-lost.log" "$SA_SOURCE_DIR/tests/data/session-threads.log" .
for s in session-lost.log session-threads.log; do
  expect_exit 0 "$STAP_REPORT" --speedscope t.json --chrome c.json "$s"
  [ -s c.json ] || fail "$s: no --chrome file beside --speedscope"
  python3 - t.json "$s" <<'PY' || fail "$s: bad speedscope file"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sum(1 for l in open(sys.argv[2]) if " -> " in l and not l.startswith("--"))
frames = d["shared"]["frames"]
opens = 0
for p in d["profiles"]:
    stack, at = [], p["startValue"]
    for e in p["events"]:
        assert e["at"] >= at and 0 <= e["frame"] < len(frames), e
        at = e["at"]
        if e["type"] == "O":
            stack.append(e["frame"]); opens += 1
        else:
            assert e["type"] == "C" and stack.pop() == e["frame"], e
    assert not stack and at <= p["endValue"], p["name"]
assert opens == calls, (opens, calls)
PY
done
expect_exit 64 "$STAP_REPORT" --speedscope x.json --chrome x.json s.log
expect_same err "stap-report: error: --chrome and --speedscope: give two different files
"
expect_exit 64 "$STAP_REPORT" --speedscope - s.log
expect_same err "stap-report: error: --speedscope: give a file name (the export is written to a file, safely)
"
mkfifo fifo
expect_exit 73 "$STAP_REPORT" --speedscope fifo s.log
expect_same err "stap-report: fifo: error: a FIFO is not a regular file; refusing to replace it
"
