# SPDX-License-Identifier: GPL-2.0-or-later
# The README's main job end to end: stap-sandbox builds tracer.stp from real picks with stap-addprobe
# (a function, a line of it, a SYSCALL_DEFINE body), compiles it, starts stap-logd on loopback, runs `ls` in
# the guest under staprun -c, and the session file has the calls with parameters, the returns, the
# line with its locals, gap-free, from ls only; the live view on stdout shows them too.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env
sandbox=$SA_SOURCE_DIR/tools/stap-sandbox/stap-sandbox

expect_exit 66 "$sandbox" --no-build --script "$T/missing.stp"
expect_grep '^stap-sandbox: .*/missing.stp: error: no such file$' err
expect_exit 64 "$sandbox" --no-build --bogus
expect_grep "unknown option '--bogus'" err

expect_exit 0 "$sandbox" --no-build --workdir "$T/sb" --timeout 150
cp out live.txt; cp err progress.txt
session=$(sed -n 's/^stap-sandbox: session file: //p' progress.txt)
[ -f "$session" ] || { cat progress.txt; fail "no session file named"; }
expect_grep 'kernel.function("filldir64@fs/readdir.c").call { trace_call() }' "$T/sb/tracer.stp"
expect_grep 'kernel.function("__se_sys_getdents64@fs/readdir.c").inline { trace_call() }' "$T/sb/tracer.stp"
expect_grep 'kernel.function("__x64_sys_getdents64@fs/readdir.c").return { trace_return() }' "$T/sb/tracer.stp"
expect_grep 'kernel.statement("filldir64@fs/readdir.c:[0-9]*") { trace_line() }' "$T/sb/tracer.stp"

expect_grep '^-- stap-logd: session from 127.0.0.1 started by ===CLEAR===' "$session"
# The syscall's entry shows its arguments (the inlined __se_sys_ copy), not the stub's pt_regs.
expect_grep ' ls\[[0-9]*/[0-9]*\] -> __se_sys_getdents64@fs/readdir.c:[0-9]* count=[0-9]* dirent=[0-9]* fd=3$' "$session"
# Every entry of / is passed to filldir64: "." first, with its parameters.
expect_grep ' ls\[[0-9]*/[0-9]*\]   -> filldir64@fs/readdir.c:[0-9]* ctx=0xffff[0-9a-f]*->{.* name="\." namlen=1 offset=[0-9]* ino=[0-9]* d_type=4' "$session"
expect_grep ' ls\[[0-9]*/[0-9]*\]   -> filldir64@fs/readdir.c:[0-9]* .* name="proc" namlen=4 ' "$session"
expect_grep ' ls\[[0-9]*/[0-9]*\]     :: filldir64@fs/readdir.c:[0-9]* .*buf=0xffff[0-9a-f]*->{.*\.count=[0-9]*.* reclen=[0-9]* prev_reclen=[0-9]*' "$session"
expect_grep ' ls\[[0-9]*/[0-9]*\]   <- filldir64 return=1' "$session"
expect_grep ' ls\[[0-9]*/[0-9]*\] <- __x64_sys_getdents64 return=[1-9]' "$session"
expect_no_grep '^-- stap-logd: lost' "$session"
# Only the workload is traced (staprun -c): every trace line is from ls.
grep -v '^-- ' "$session" | grep -v ' ls\[' && fail "lines from other processes than ls"
expect_grep ' -> filldir64@fs/readdir.c' live.txt
expect_grep 'done: [1-9][0-9]* calls, [1-9][0-9]* returns, [1-9][0-9]* lines, 0 loss notes; workload exit status 0' progress.txt
expect_clean_kernel "$T/sb/guest-console.log"
