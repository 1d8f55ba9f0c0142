# SPDX-License-Identifier: GPL-2.0-or-later
# A pick in module code through the whole chain: stap-sandbox writes module("ext4") probes with
# stap-addprobe, stap -p4 compiles them against the ext4.ko DWARF the test bed takes out of the -dbg
# package, the guest gets ext4 and what it needs, the default workload modprobes it (after staprun:
# the probes arm when the module loads), mounts an ext4 image made with mkfs.ext4, writes, lists and
# reads files, and the session file has ext4_lookup's calls with the names looked up and its returns.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env
sandbox=$SA_SOURCE_DIR/tools/stap-sandbox/stap-sandbox

expect_exit 0 "$sandbox" --no-build -q --workdir "$T/sb" --timeout 200 fs/ext4/namei.c:ext4_lookup
cp err progress.txt
session=$(sed -n 's/^stap-sandbox: session file: //p' progress.txt)
[ -f "$session" ] || { cat progress.txt; fail "no session file named"; }
expect_grep 'module("ext4").function("ext4_lookup@fs/ext4/namei.c").call { trace_call() }' "$T/sb/tracer.stp"
expect_grep 'module("ext4").function("ext4_lookup@fs/ext4/namei.c").return { trace_return() }' "$T/sb/tracer.stp"
expect_grep 'probes in modules ext4: the guest gets them' progress.txt
expect_grep '^modprobe ext4$' "$T/sb/workload.sh"
expect_grep 'mount -t ext4 -o loop /root/ext4.img' "$T/sb/workload.sh"

# Calls with their real arguments: the directory inode, the dentry with the name looked up, the flags.
# new.txt is created by the shell's redirection (a lookup that finds nothing), copy.txt by cp, and
# hello.txt (made on the host by mkfs.ext4 -d) is looked up by ls after the remount.
# (A struct pointer prints as its value and what it points to: dir=0xffff...->{...}.)
call=' -> ext4_lookup@fs/ext4/namei.c:[0-9]* dir=0x[0-9a-f]*->{\.i_mode=16877,.*\.i_ino=[0-9]*.* dentry=0x[0-9a-f]*->{.*\.d_name={.*\.name="'
expect_grep " sh\[[0-9]*/[0-9]*\]$call"'new\.txt".* flags=[0-9]*$' "$session"
expect_grep " cp\[[0-9]*/[0-9]*\]$call"'copy\.txt"' "$session"
expect_grep " ls\[[0-9]*/[0-9]*\]$call"'hello\.txt"' "$session"
# Its returns: the dentry pointer (0x0, NULL, when the dentry passed in is used).
expect_grep ' <- ext4_lookup return=0x[0-9a-f]*$' "$session"
calls=$(grep -c ' -> ext4_lookup@' "$session")
returns=$(grep -c ' <- ext4_lookup return=' "$session")
[ "$calls" -ge 5 ] && [ "$calls" = "$returns" ] || fail "$calls calls and $returns returns of ext4_lookup"
expect_no_grep '^-- stap-logd: lost' "$session"
expect_grep 'workload exit status 0' progress.txt
expect_clean_kernel "$T/sb/guest-console.log"
