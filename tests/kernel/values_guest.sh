# SPDX-License-Identifier: GPL-2.0-or-later
# The values of a trace, in Debian's kernel in the guest (one boot through stap-sandbox): the path-walk
# functions with opens and lookups that fail, and filldir64's line with its locals. Checks the value
# spellings of share/log-format.md against what the kernel really passed and returned:
#  - at most 1% of the parameters and returns print as a bare ERROR (87% of the calls did);
#  - every open that fails with ENOENT shows -2 on do_sys_openat2, do_filp_open and its last
#    path_openat (an ERR_PTR return is its errno); walk_component returns -2 for a missing name;
#  - NULL returns print 0x0 (lookup_fast on a name not in the dcache), a struct pointer its address
#    then the struct (nd=0x...->{...}), a string stays a string (filename="/nonexistent");
#  - a pointer into user memory prints its address marked (user) (filldir64's dirent and prev);
#  - a struct with a member that cannot be read prints that member as its pointer and the others as
#    usual: bprm_execve's bprm has .fdpath NULL (no execveat by fd) between two readable strings;
#  - time stamps move: no run of more than 3 lines of a CPU with the same stamp (27 did under TCG);
#  - stap-sandbox returns the workload's failing status, with a normal summary and no internal error.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env
sandbox=$SA_SOURCE_DIR/tools/stap-sandbox/stap-sandbox

# filldir64's line that records an entry (its locals hold the user buffer's pointers), by its text.
line=$(awk '/^static bool filldir64\(/ { inside = 1 } inside && /buf->prev_reclen = reclen;/ { print NR; exit }' \
  "$SA_KSRC/fs/readdir.c")
[ -n "$line" ] || fail "cannot find filldir64's prev_reclen line in fs/readdir.c"
workload='cat /nonexistent; cat /etc/passwd >/dev/null; ls /nope; mkdir /tmp/x; ls / >/dev/null; ls /tmp/x/y'
set +e
"$sandbox" --no-build -q --workdir "$T/sb" --timeout 300 --run "$workload" \
  fs/open.c:do_sys_openat2 fs/namei.c:do_filp_open fs/namei.c:path_openat fs/namei.c:lookup_fast \
  fs/namei.c:walk_component fs/exec.c:bprm_execve --line "fs/readdir.c:$line" >out 2>err
status=$?
set -e
# busybox ls says "No such file or directory" and exits 1 for /tmp/x/y, the workload's last command.
[ "$status" = 1 ] || { cat err; fail "stap-sandbox exited $status, not the workload's 1"; }
expect_grep 'done: [1-9][0-9]* calls, [1-9][0-9]* returns, [1-9][0-9]* lines, 0 loss notes; workload exit status 1$' err
expect_no_grep 'stap-sandbox: error' err
session=$(sed -n 's/^stap-sandbox: session file: //p' err)
[ -f "$session" ] || { cat err; fail "no session file named"; }

python3 "$SA_SOURCE_DIR/tests/kernel/_values_check.py" "$session" || fail "the values do not follow log-format.md (above)"
expect_grep ' -> do_sys_openat2@fs/open\.c:[0-9]* dfd=-100 filename="/nonexistent" how=0xffff[0-9a-f]*->{\.flags=' "$session"
expect_grep ' -> walk_component@fs/namei\.c:[0-9]* nd=0xffff[0-9a-f]*->{\.path={' "$session"
expect_grep ' <- lookup_fast return=0x0$' "$session"
expect_grep ' <- path_openat return=-2$' "$session"
expect_grep ' :: filldir64@fs/readdir\.c:[0-9]* .*dirent=0x[0-9a-f]*(user) ' "$session"
expect_grep ' -> bprm_execve@fs/exec\.c:[0-9]* bprm=0xffff[0-9a-f]*->{\.vma=0x[0-9a-f]*, .*, \.filename="/[^"]*", \.interp="/[^"]*", \.fdpath=0x0, \.interp_flags=[0-9]*, .*, \.buf="' "$session"
expect_grep ' :: filldir64@fs/readdir\.c:[0-9]* .*prev=0x[0-9a-f]*(user)' "$session"
expect_clean_kernel "$T/sb/guest-console.log"
