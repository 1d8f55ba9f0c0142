# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the real-kernel tests (sourced after "$SA_TEST_LIB"; files starting with _ are not tests).
#
#   sa_testbed_env          makes sure the test bed is prepared (prepares it if not) and loads SA_*
#   testbed ARGS...         runs tools/stap-sandbox/stap-testbed
#   sa_p2 ARGS...           `stap -p2` against the test bed's DWARF (stap arguments as usual)
#   sa_udp_listen PORT FILE a UDP receiver on 127.0.0.1:PORT appending each datagram + "\n" to FILE,
#                           stopped when the test ends
#   sa_kernel_problems FILE prints the BUG/WARNING/Oops/lockdep/panic/stall lines of a console or dmesg
#                           log; returns 0 when there are none
#   expect_clean_kernel FILE  fails the test when sa_kernel_problems finds something
#
# Skips (exit 77) only when stap or QEMU is not installed; a test bed that is not prepared yet is
# prepared, since that is what CI does on a fresh machine anyway.

SA_TESTBED_TOOL=$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed

testbed() { "$SA_TESTBED_TOOL" "$@"; }

sa_testbed_env() {
  local t
  for t in stap staprun qemu-system-x86_64 cpio; do
    command -v "$t" >/dev/null || { echo "SKIP: $t is not installed (scripts/setup-debian.sh --kernel)"; exit 77; }
  done
  if ! testbed env >/dev/null 2>&1; then
    testbed prepare || fail "stap-testbed prepare failed"
  fi
  eval "$(testbed env)"
}

sa_p2() { testbed stap -p2 "$@"; }

sa_udp_listen() {
  local port=$1 file=$2
  : > "$file"
  python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        d, _ = s.recvfrom(65535)
        f.write(d + b"\n")
' "$port" "$file" &
  local pid=$!
  cleanup_hooks+=("kill $pid 2>/dev/null")
  sleep 0.3
  kill -0 "$pid" 2>/dev/null || fail "the UDP listener on 127.0.0.1:$port did not start"
}

# The kernel reports problems with these prefixes. Benign lines that merely mention "bug" ("This is
# not a bug", "report a bug") do not match; "Disabling lock debugging due to kernel taint" is the
# normal note when an out-of-tree module loads and is not a lockdep report.
SA_KERNEL_PROBLEM_RE='(BUG: |WARNING: |Oops: |general protection fault|Kernel panic|kernel BUG at|possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|suspicious RCU usage|rcu: INFO: |self-detected stall|soft lockup|hard LOCKUP|scheduling while atomic|sleeping function called from invalid context|UBSAN: |KASAN: |refcount_t: )'

sa_kernel_problems() {
  ! tr -d '\r' < "$1" | grep -E "$SA_KERNEL_PROBLEM_RE"
}

expect_clean_kernel() {
  local found
  if ! found=$(sa_kernel_problems "$1"); then
    echo "--- kernel problems in $1:"; echo "$found"
    fail "the guest kernel reported problems"
  fi
}
