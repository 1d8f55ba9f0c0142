# SPDX-License-Identifier: GPL-2.0-or-later
# Two machines at once (two loopback addresses): each gets its own sessions and current-ADDR link;
# an IPv6 sender is named with '-' for ':'.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
# One process sends for both, interleaved: separate processes could start more than the receiver's
# reassembly timeout apart on a loaded machine, which would test the timeout instead.
$UDP "$LOGD_PORT" \
  "@127.0.0.1 SA1 0 0 1/1 ===CLEAR===" "@127.0.0.1 SA1 0 1 1/2 from-" \
  "@127.0.0.2 SA1 0 0 1/1 ===CLEAR===" "@127.0.0.2 SA1 0 1 1/2 from-" \
  "@127.0.0.1 SA1 0 1 2/2 one" "@127.0.0.2 SA1 0 1 2/2 two"
wait_for "from-two" "$T/s/current-127.0.0.2"
wait_for "from-one" "$T/s/current-127.0.0.1"
expect_no_grep "two" "$T/s/current-127.0.0.1"
expect_no_grep "one" "$T/s/current-127.0.0.2"
a=$(readlink "$T/s/current-127.0.0.1"); b=$(readlink "$T/s/current-127.0.0.2")
[ "$a" != "$b" ] || fail "two senders share a session"
case "$a" in *_127.0.0.1.log) ;; *) fail "sender not in name: $a" ;; esac
case "$b" in *_127.0.0.2.log) ;; *) fail "sender not in name: $b" ;; esac
[ "$(readlink "$T/s/current")" = "$b" ] || fail "current is not the newest session"
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
  $UDP "$LOGD_PORT" --from ::1 "from six"
  wait_for "from six" "$T/s/current---1"
  case "$(readlink "$T/s/current---1")" in *_--1.log) ;; *) fail "IPv6 name" ;; esac
fi
stop_logd
