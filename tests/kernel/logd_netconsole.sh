# SPDX-License-Identifier: GPL-2.0-or-later
# A real netconsole stream from the test bed's guest lands whole in stap-logd's sessions: the guest
# loads netconsole pointed at the host (10.0.2.2 is the host's loopback in QEMU's user-mode network),
# first plain, then extended (netconsole=+...) with a message that netconsole must split into ncfrag
# fragments (tabs are escaped as \x09 by the kernel, so ~840 bytes of text become > 1000 on the wire),
# then a panic (sysrq c) whose text must arrive. A ===CLEAR=== from the guest starts each session.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
sa_testbed_env

start_logd --bind 127.0.0.1
token="sa-nc-$$-$RANDOM"
# 80 pieces of TAB + 9 letters, between markers; the kernel sends each TAB as \x09.
piece='\tabcdefghi'
body=$(printf "$piece%.0s" $(seq 80))
plain_long="$token-plain-begin$body $token-plain-end"
ext_long="$token-ext-begin$body $token-ext-end"
want_ext_long="$token-ext-begin$(printf '\\x09abcdefghi%.0s' $(seq 80)) $token-ext-end"
[ ${#want_ext_long} -gt 1000 ] || fail "the extended message would not be fragmented"

expect_exit 0 testbed guest --timeout 240 --panic-ok --run "
dmesg -n 8
sa-udpsend 10.0.2.2 $LOGD_PORT ===CLEAR===
modprobe netconsole netconsole=@/eth0,$LOGD_PORT@10.0.2.2/ || echo modprobe-plain-failed
echo '<4>$token plain hello' > /dev/kmsg
printf '<4>$plain_long\n' > /dev/kmsg
sleep 1
rmmod netconsole
sa-udpsend 10.0.2.2 $LOGD_PORT ===CLEAR===
modprobe netconsole netconsole=+@/eth0,$LOGD_PORT@10.0.2.2/ || echo modprobe-ext-failed
echo '<4>$token extended hello' > /dev/kmsg
printf '<4>$ext_long\n' > /dev/kmsg
sleep 1
echo c > /proc/sysrq-trigger"
tr -d '\r' < out > console.txt
expect_no_grep 'modprobe-.*-failed' console.txt
expect_grep 'Kernel panic - not syncing' console.txt
sleep 0.5  # the last datagrams are on their way through QEMU
stop_logd

sessions=$(session_files)
[ "$(echo "$sessions" | wc -l)" -ge 2 ] || { ls -l "$T/s"; cat "$T/logd.err"; fail "expected two sessions"; }
plain="$T/s/$(echo "$sessions" | tail -2 | head -1)"
ext="$T/s/$(echo "$sessions" | tail -1)"
echo "--- plain session $plain"; cut -c1-160 "$plain"
echo "--- extended session $ext"; cut -c1-160 "$ext" | tail -60

# Plain: lines as the console prints them ("[    t] text"), the long one whole (TAB is kept).
expect_grep "^-- stap-logd: session from 127.0.0.1 started by ===CLEAR===$" "$plain"
grep -Eq "^\[ *[0-9]+\.[0-9]{6}\] $token plain hello$" "$plain" || fail "plain hello not in the plain session"
# shellcheck disable=SC2059  # the message holds printf escapes on purpose
grep -Eq "^\[ *[0-9]+\.[0-9]{6}\] $(printf "$plain_long")\$" "$plain" || fail "the long plain message is not whole"

# Extended: the fragments are joined into one line, and the panic arrived.
grep -Eq "^\[ *[0-9]+\.[0-9]{6}\] $token extended hello$" "$ext" || fail "extended hello not in the extended session"
# (Loading the extended console replays the kernel log, so the plain phase's lines appear here too.)
long_line=$(grep -F "$token-ext-begin" "$ext") || fail "the long extended message is missing"
[ "$(echo "$long_line" | wc -l)" = 1 ] || fail "the long extended message is not one line"
case "$long_line" in
  *"] $want_ext_long") ;;
  *) echo "got:  $long_line"; echo "want: ...] $want_ext_long"; fail "the long extended message is not whole" ;;
esac
expect_no_grep "incomplete netconsole message" "$ext"
expect_grep "Kernel panic - not syncing: sysrq triggered crash" "$ext"
expect_grep "sysrq: Trigger a crash" "$ext"
