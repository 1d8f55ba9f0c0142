# SPDX-License-Identifier: GPL-2.0-or-later
# Inputs that used to abort (exit 134, "terminate called"): a line number past INT_MAX (std::stoi),
# --json with a path that is not UTF-8, --list --json on a script with Latin-1 bytes (nlohmann's
# type_error 316). Each gets a diagnostic and the table's exit code, and --json stays valid JSON.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
for n in 2147483648 99999999999999999999999 10000001; do
  expect_exit 64 "$STAP_ADDPROBE" --dry-run "fs/open.c:$n"
  expect_same "$T/err" "stap-addprobe: error: line number out of range (1-10000000): fs/open.c:$n
"
done
expect_exit 64 "$STAP_ADDPROBE" --dry-run --line "vfs_read@fs/read_write.c:4294967296" "vfs_read:18446744073709551616"
[ "$(grep -c 'error: line number out of range' "$T/err")" = 2 ] || { cat "$T/err"; fail "two range errors expected"; }

expect_exit 66 "$STAP_ADDPROBE" --json --dry-run $'fs/op\xe9n.c:12'
python3 -c '
import json, sys
obj = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert obj["input"] == "fs/op\ufffdn.c:12", obj
assert "no such file" in obj["error"], obj
' "$T/out" || fail "--json did not print valid JSON for a non-UTF-8 path"

s="$T/t.stp"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" fs/open.c:vfs_open
printf 'probe kernel.function("caf\xe9@fs/open.c").call { trace_call() /* \xff */ }\n' >>"$s"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --list --json
python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(lines) == 3, lines
assert lines[2]["point"] == "kernel.function(\"caf\ufffd@fs/open.c\").call", lines[2]
' "$T/out" || fail "--list --json did not print valid JSON for Latin-1 bytes"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --list
expect_grep $'caf\xe9@fs/open.c' "$T/out"  # the text listing keeps the bytes as they are
