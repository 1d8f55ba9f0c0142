# SPDX-License-Identifier: GPL-2.0-or-later
# Function picks on fs/open.c: a plain function, a SYSCALL_DEFINE4 body (entries and exits on the
# __x64_sys_ wrapper), SYSCALL_DEFINE0 (the real __do_sys_), the compat syscall; the script is created
# with exactly stap-preamble's text, and a second identical pick appends nothing.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"

expect_exit 0 "$STAP_ADDPROBE" -o t.stp "$K/fs/open.c:vfs_open" "$K/fs/open.c:1351" "$K/kernel/sys.c:getpid" "$K/fs/open.c:1398"
expect_same out 'probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
probe kernel.function("__x64_sys_openat@fs/open.c").call { trace_call() }
probe kernel.function("__x64_sys_openat@fs/open.c").return { trace_return() }
probe kernel.function("__do_sys_getpid@kernel/sys.c").call { trace_call() }
probe kernel.function("__do_sys_getpid@kernel/sys.c").return { trace_return() }
probe kernel.function("__ia32_compat_sys_openat@fs/open.c").call { trace_call() }
probe kernel.function("__ia32_compat_sys_openat@fs/open.c").return { trace_return() }
'
expect_grep "note: __do_sys_openat is made by SYSCALL_DEFINE4; probing __x64_sys_openat" err
"$STAP_PREAMBLE" >preamble.txt
{ cat preamble.txt; cat out; } >want.stp
cmp want.stp t.stp || { diff want.stp t.stp; fail "the script is not preamble + probes"; }

# Same picks again: nothing appended, a note for each duplicate, the file untouched.
cp t.stp before.stp
expect_exit 0 "$STAP_ADDPROBE" -o t.stp "$K/fs/open.c:vfs_open"
[ ! -s out ] || fail "a duplicate was reported as appended: $(cat out)"
expect_grep 'note: already in t.stp: probe kernel.function("vfs_open@fs/open.c").call' err
cmp before.stp t.stp || fail "the script changed on a duplicate pick"

# Relative FILE with -C, and --json fields.
expect_exit 0 "$STAP_ADDPROBE" -C "$K" --dry-run --json fs/open.c:1351
python3 - out <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).read())
assert o["function"] == "__x64_sys_openat", o
assert o["source_function"] == "__do_sys_openat", o
assert o["file"] == "fs/open.c" and o["line"] == 1347 and o["module"] is None and o["kind"] == "function", o
assert o["format"] == 1, o
assert o["probes"] == [
    {"point": 'kernel.function("__x64_sys_openat@fs/open.c").call', "body": "trace_call()",
     "already_present": False},
    {"point": 'kernel.function("__x64_sys_openat@fs/open.c").return', "body": "trace_return()",
     "already_present": False}], o
assert any("SYSCALL_DEFINE4" in n for n in o["notes"]), o
PY
