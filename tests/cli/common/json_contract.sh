# SPDX-License-Identifier: GPL-2.0-or-later
# Every --json output of every tool follows share/json-format.md: the real outputs of stap-report,
# stap-logd and stap-addprobe (a resolved pick in vmlinux and in a module, a probe already present,
# an error, --list) are checked against the document's own tables, member by member, in order.
# Also checks that the checker rejects what breaks the contract (a test that cannot fail is a defect).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
doc=$SA_SOURCE_DIR/share/json-format.md
check() { python3 "$SA_SOURCE_DIR/tests/cli/common/_json_contract.py" "$doc" "$@"; }

# The checker itself: a missing member, a member out of order, a wrong type, no format all fail.
printf '%s\n' '{"format":1,"session":"s","lines":1,"lost":0,"threads":1}' >good
check good report-session || fail "the checker rejected a good report-session"
for bad in '{"format":1,"session":"s","lines":1,"lost":0}' \
  '{"format":1,"lines":1,"session":"s","lost":0,"threads":1}' \
  '{"format":1,"session":"s","lines":"1","lost":0,"threads":1}' \
  '{"session":"s","lines":1,"lost":0,"threads":1}' \
  '{"format":2,"session":"s","lines":1,"lost":0,"threads":1}'; do
  printf '%s\n' "$bad" >bad
  if check bad report-session 2>/dev/null; then fail "the checker accepted $bad"; fi
done

# stap-report --json, on every sample session.
for f in "$SA_SOURCE_DIR"/tests/data/session-*.log; do
  expect_exit 0 "$STAP_REPORT" --json "$f"
  check out report-function report-session || fail "stap-report --json $f breaks the contract"
done

# stap-logd --json: trace, note, raw and netconsole lines.
start_logd --json
$UDP "$LOGD_PORT" "SA1 1 0 1/1 ===CLEAR===" "SA1 1 1 1/1 1.000001 cpu1 ls[5/6] -> f@a.c:3 x=1" \
  "SA1 1 2 1/1 1.000002 cpu1 ls[5/6] <- f@a.c:3 return=0" "SA1 1 3 1/1 raw words" \
  "6,12,1000,-;netconsole says hi" "SA1 1 5 1/1 last"
wait_for "last" "$T/logd.out"
stop_logd
cp "$T/logd.out" logd.json
check logd.json logd-line || fail "stap-logd --json breaks the contract"
for kind in trace note; do expect_grep "\"kind\":\"$kind\"" logd.json; done

# stap-addprobe --json (needs the kernel tree; the rest above ran without it).
source "$SA_SOURCE_DIR/tests/cli/stap-addprobe/_tree.sh"
expect_exit 0 "$STAP_ADDPROBE" -C "$K" -o t.stp fs/open.c:vfs_open
expect_exit 0 "$STAP_ADDPROBE" -C "$K" -o t.stp --json fs/open.c:vfs_open fs/open.c:1351 \
  fs/ext4/inode.c:ext4_readahead
check out addprobe-location || fail "stap-addprobe --json breaks the contract"
python3 - out <<'PY' || fail "stap-addprobe --json: module or already_present wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert objs[0]["module"] is None and all(p["already_present"] for p in objs[0]["probes"]), objs[0]
assert not any(p["already_present"] for p in objs[1]["probes"]), objs[1]
assert objs[2]["module"] == "ext4", objs[2]
PY
expect_exit 65 "$STAP_ADDPROBE" -C "$K" --dry-run --json fs/open.c:no_such_function_here
check out addprobe-error || fail "stap-addprobe --json (an error) breaks the contract"
expect_exit 0 "$STAP_ADDPROBE" -o t.stp --list --json
check out addprobe-list-entry || fail "stap-addprobe --list --json breaks the contract"
