# SPDX-License-Identifier: GPL-2.0-or-later
# --replace writes the preamble and exactly this run's probes (none of an earlier run's, none of the
# user's edits), atomically; when one location fails nothing is written and the exit code is the
# failure's. Before, the only mode appended, so a script made from an old patch kept its probes.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
s="$T/t.stp"
probes() { sed -n '/end of preamble/,$p' "$s" | tail -n +2; }
expect_exit 0 "$STAP_ADDPROBE" -o "$s" fs/open.c:vfs_open
printf 'probe kernel.function("mine@x.c").call { printf("hi") }\n' >>"$s"
expect_exit 0 "$STAP_ADDPROBE" --replace -o "$s" fs/read_write.c:vfs_read --line fs/open.c:1351
expect_same <(probes) 'probe kernel.function("vfs_read@fs/read_write.c").call { trace_call() }
probe kernel.function("vfs_read@fs/read_write.c").return { trace_return() }
probe kernel.statement("__do_sys_openat@fs/open.c:1351") { trace_line() }
'
expect_exit 0 "$STAP_ADDPROBE" -o "$T/fresh.stp" fs/open.c:vfs_open  # a new script gets the default preamble
diff <(sed -n '1,/end of preamble/p' "$s") <(sed -n '1,/end of preamble/p' "$T/fresh.stp") >/dev/null ||
  fail "--replace did not write the default preamble"
# The same run again gives the same file (no duplicates notes, no growth).
cp "$s" "$T/first.stp"
expect_exit 0 "$STAP_ADDPROBE" --replace -o "$s" fs/read_write.c:vfs_read --line fs/open.c:1351
cmp -s "$s" "$T/first.stp" || fail "a second --replace run changed the script"
# One failing location: nothing written, the failure's exit code.
expect_exit 65 "$STAP_ADDPROBE" --replace -o "$s" fs/open.c:vfs_open fs/open.c:no_such_function
expect_same "$T/err" "stap-addprobe: fs/open.c: error: no definition of no_such_function in this file
stap-addprobe: $s: error: not written (--replace)
"
[ ! -s "$T/out" ] || fail "probes printed although nothing was written"
cmp -s "$s" "$T/first.stp" || fail "the script changed although a location failed"
expect_exit 64 "$STAP_ADDPROBE" --replace --remove -o "$s" fs/open.c:vfs_open
