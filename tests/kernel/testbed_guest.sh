# SPDX-License-Identifier: GPL-2.0-or-later
# The guest end to end, in one boot: it gets 10.0.2.15 on eth0; a datagram it sends to
# 255.255.255.255:PORT reaches a listener on the host's loopback; a guru-mode module compiled with
# `stap-testbed stap -p4 -g -DSTP_NO_OVERLOAD` loads with `staprun -c CMD` and traces CMD; the guest's
# dmesg has no BUG/WARNING/lockdep lines; the exit status of the guest's commands comes back.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env

cat > satiny.stp <<'STP'
%{
#include <linux/sched.h>
%}
function task_tgid:long() %{ /* pure */ STAP_RETVALUE = current->tgid; %}
probe kernel.function("vfs_read") {
  if (pid() == target()) printf("satiny: vfs_read by %s tgid=%d count=%d\n", execname(), task_tgid(), $count)
}
probe begin { printf("satiny: begin\n") }
probe end { printf("satiny: end\n") }
STP
# No -m: stap's module cache (in the test bed's SYSTEMTAP_DIR) answers warm runs in a second; -m would
# disable it. stap -p4 prints the path of the module.
testbed stap -p4 -g -DSTP_NO_OVERLOAD satiny.stp >ko.txt 2>compile.log || { cat compile.log; fail "-p4 -g failed"; }
ko=$(tail -n1 ko.txt)
[ -s "$ko" ] || fail "no module at '$ko'"
cp "$ko" .; ko=$(basename "$ko")

port=$(free_udp_port)
token="sa-guest-$$-$RANDOM"
sa_udp_listen "$port" received.txt

expect_exit 3 testbed guest --timeout 120 --module "$ko" --file satiny.stp:/tmp/copied.stp --run "
ip -4 -o addr show dev eth0
sa-udpsend 255.255.255.255 $port $token
staprun -c 'cat /proc/version' $ko; echo staprun-status=\$?
test -s /tmp/copied.stp && echo file-copied
dmesg > /tmp/dmesg.txt; echo dmesg-lines=\$(wc -l < /tmp/dmesg.txt); cat /tmp/dmesg.txt
exit 3"
tr -d '\r' < out > console.txt
expect_grep 'booting .* with \(kvm\|tcg\)' err
expect_grep 'inet 10.0.2.15/24' console.txt
expect_grep '^satiny: begin' console.txt
expect_grep '^satiny: vfs_read by cat tgid=[0-9]* count=[0-9]*' console.txt
expect_grep '^satiny: end' console.txt
expect_grep '^Linux version ' console.txt
expect_grep '^staprun-status=0' console.txt
expect_grep '^file-copied' console.txt
expect_grep '^dmesg-lines=[1-9]' console.txt
expect_clean_kernel console.txt

for i in 1 2 3 4 5 6 7 8 9 10; do grep -q "$token" received.txt && break; sleep 0.2; done
expect_grep "^$token\$" received.txt

# The helpers find what they are for.
printf '[    1.0] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2\n[    1.1] AMD-Vi: This is not a bug.\n' > bad.txt
sa_kernel_problems bad.txt >found.txt && fail "sa_kernel_problems missed a WARNING"
expect_grep 'WARNING: CPU' found.txt
expect_no_grep 'not a bug' found.txt

# A panic ends the run: with --panic-ok without error, and the console has the panic.
# The console's tty drains asynchronously: give the echo a moment, or the panic overtakes it.
expect_exit 0 testbed guest --timeout 120 --panic-ok --run 'echo before-panic; sleep 1; echo c > /proc/sysrq-trigger'
tr -d '\r' < out > panic.txt
expect_grep '^before-panic' panic.txt
expect_grep 'Kernel panic - not syncing: sysrq triggered crash' panic.txt
expect_grep 'panicked (allowed by --panic-ok)' err

# A guest that does not finish in time is killed (exit 124), and stderr says where each CPU was.
expect_exit 124 testbed guest --timeout 12 --run 'echo spinning; while :; do :; done'
expect_grep 'did not finish within 12s' err
expect_grep '^stap-testbed guest: at the timeout, cpu0: RIP=' err
expect_grep '^stap-testbed guest: at the timeout, cpu1: RIP=' err
# The idle CPU is in the kernel, named by System.map; the spinning shell is almost always in user space.
expect_grep '^stap-testbed guest: at the timeout, cpu[01]: RIP=ffff[0-9a-f]* [A-Za-z_][A-Za-z0-9_.]*+0x[0-9a-f]*$' err

# A kernel that panics and then hangs (panic=0: wait forever) is not a passing --panic-ok run.
SA_GUEST_PANIC_WAIT=3 expect_exit 124 testbed guest --timeout 120 --panic-ok --append panic=0 \
  --run 'echo c > /proc/sysrq-trigger'
expect_grep 'panicked and then hung: it did not reboot within 3 s' err
expect_grep '^stap-testbed guest: at the timeout, cpu[01]: RIP=ffff' err
