# SPDX-License-Identifier: GPL-2.0-or-later
# stap-testbed's `stap -p2` elaborates against the test bed's DWARF: a known function, a line of it and
# a SYSCALL_DEFINE resolve to their source positions; an unknown function fails with stap's "no match".
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env

# env: every variable is set and points at something that exists.
testbed env > env.txt
expect_grep "^SA_KVER=$SA_KVER$" env.txt
for v in SA_TESTBED SA_VMLINUX SA_SYSTEM_MAP SA_STAP_R SA_STAP_RUNTIME SA_KSRC SA_KHEADERS SA_GUEST_MODULES; do
  expect_grep "^$v=" env.txt
  [ -e "${!v}" ] || fail "$v=${!v} does not exist"
done
[ "$(cat "$SA_STAP_R/include/config/kernel.release")" = "$SA_KVER" ] || fail "kernel.release of the -r folder is not $SA_KVER"
[ "$(stat -c %s "$SA_SYSTEM_MAP")" -gt 100000 ] || fail "System.map is Debian's stub, not the real one"

cat > known.stp <<'STP'
probe kernel.function("vfs_read") { printf("%s\n", $$parms) }
probe kernel.statement("vfs_read@fs/read_write.c:*") { next }
probe kernel.function("__x64_sys_openat") { next }
STP
expect_exit 0 sa_p2 known.stp
expect_grep 'kernel.function("vfs_read@fs/read_write.c:[0-9]*")' out
expect_grep 'kernel.statement("vfs_read@fs/read_write.c:[0-9]*")' out
expect_grep 'kernel.function("__x64_sys_openat@fs/open.c:[0-9]*")' out
expect_no_grep 'WARNING' err
# The source tree is the one the DWARF was built from: the line stap names declares vfs_read.
line=$(sed -n 's/^kernel.function("vfs_read@fs\/read_write.c:\([0-9]*\)").*/\1/p' out | head -n1)
sed -n "${line}p" "$SA_KSRC/fs/read_write.c" | grep -q 'vfs_read' ||
  fail "line $line of $SA_KSRC/fs/read_write.c does not declare vfs_read"

expect_exit 1 sa_p2 -e 'probe kernel.function("sa_no_such_function_xyz") { next }'
expect_grep 'semantic error: no match' err
