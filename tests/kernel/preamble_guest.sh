# SPDX-License-Identifier: GPL-2.0-or-later
# The preamble in Debian's real kernel, end to end: `stap -p4 -g` compiles the preamble plus call,
# return and statement probes (once; the module is reused by every check below), then two guest boots:
#  1. with a listener on host loopback that checks the wire format strictly: ===CLEAR===, call/return/
#     line lines with deep parameters, return values, locals and the indent, gap-free per-CPU sequence
#     numbers, a line of more than 2000 bytes reassembled whole, the -c filter (a decoy process is not
#     traced) and the no-target mode (it is), statement probes firing in a loop, probes in hardirq
#     and softirq context, stap-logd's session of the same datagrams, dropped lines (a one-line
#     buffer) reported exactly as gaps and as stap-logd's lost notes, clear errors for a
#     missing interface and an interface without IPv4 address, and a kernel log without complaints;
#  2. a panic (echo c > /proc/sysrq-trigger): the lines written on the panic path after interrupts
#     are off arrive, sent by the panic notifier.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_preamble_lib.sh"
require_testbed

# --- the script: the preamble as the tool writes it, plus probes.
panic_line=$(grep -n 'pr_emerg("Kernel panic - not syncing: %s\\n", buf);' "$SA_KSRC/kernel/panic.c" | cut -d: -f1)
[ -n "$panic_line" ] || fail "cannot find panic()'s pr_emerg line in $SA_KSRC/kernel/panic.c"
"$STAP_PREAMBLE" -o tracer.stp
cat >>tracer.stp <<STP
probe kernel.function("do_sys_openat2").call { trace_call() }
probe kernel.function("do_sys_openat2").return { trace_return() }
probe kernel.statement("do_sys_openat2@fs/open.c:*") { trace_line() }
probe kernel.statement("ksys_read@fs/read_write.c:*") { trace_line() }
probe kernel.function("ksys_sync").call { trace_message(sprintf("long-line-begin %02990d long-line-end", 42)) }
probe kernel.function("ksys_sync").return { trace_return() }
probe kernel.function("handle_irq_event").call { trace_call() }
probe kernel.function("handle_irq_event").return { trace_return() }
probe kernel.function("run_timer_softirq").call { trace_call() }
probe kernel.function("run_timer_softirq").return { trace_return() }
probe kernel.function("sysrq_handle_crash").call { trace_call() }
probe kernel.statement("panic@kernel/panic.c:$panic_line") { trace_line() }
STP
start=$SECONDS
# No -m: stap's module cache answers a warm run in a second, -m would disable it (27 s each run).
# stap -p4 prints the module's path; the guest loads it under its own name (staprun finds its control
# files by the file's name, which must stay the module's).
"$testbed" stap -p4 -g -DSTP_NO_OVERLOAD -DMAXSTRINGLEN=4096 tracer.stp >ko.txt 2>compile.log ||
  { cat compile.log; fail "stap -p4 failed"; }
ko=$(tail -n1 ko.txt)
[ -s "$ko" ] || fail "no module at '$ko'"
cp "$ko" .; ko=$(basename "$ko")
echo "compile: $((SECONDS - start)) s"

# --- boot 1: the normal runs.
p1=$(free_udp_port); p2=$(free_udp_port)
[ "$p1" != "$p2" ] || p2=$((p1 + 1))
start_logd  # receives run1 and the panic run too, through the listener
start_listener "$p1" run1 "$logd_port"; l1=$listener_pid
start_listener "$p2" run2 "$logd_port"; l2=$listener_pid
p6=$(free_udp_port)
start_listener "$p6" run6 "$logd_port"; l6=$listener_pid
# wait_ready FILE: until staprun said it sends (the begin probe finished).
cat >guest.sh <<GUEST
wait_ready() { i=0; while ! grep -q 'stap-assistant: sending to' \$1 2>/dev/null; do i=\$((i+1)); [ \$i -lt 300 ] || return 1; sleep 0.1; done; }
# The decoy rests between reads: a busy loop took half of the single-threaded TCG guest from every run.
(while :; do head -c1 /etc/passwd >/dev/null; sleep 0.1; done) & decoy=\$!
staprun -c 'sh -c "cat /proc/version >/dev/null; sync; dd if=/dev/zero of=/dev/null bs=1 count=300 2>/dev/null"' $ko dest_port=$p1 >run1.out 2>&1
echo "SA-RC-1 \$?"; sed 's/^/run1: /' run1.out
staprun $ko dest_port=$p2 >run2.out 2>&1 & st=\$!
wait_ready run2.out || echo "SA-NOT-READY-2"
sleep 3  # begin runs before SystemTap arms the kprobes (slow under TCG); lines start after that
dd if=/dev/zero of=/dev/null bs=1 count=100 2>/dev/null; sleep 1
kill -INT \$st; wait \$st; echo "SA-RC-2 \$?"; sed 's/^/run2: /' run2.out
# A one-line buffer (ring_lines=1) overflows when an interrupt writes its -> and <- lines before
# the irq_work can run: the dropped lines must show as sequence gaps, and as stap-logd's lost notes.
staprun $ko dest_port=$p6 ring_lines=1 >run6.out 2>&1 & st=\$!
wait_ready run6.out || echo "SA-NOT-READY-6"
sleep 3; dd if=/dev/zero of=/dev/null bs=1 count=100 2>/dev/null; sleep 1
kill -INT \$st; wait \$st; echo "SA-RC-6 \$?"; sed 's/^/run6: /' run6.out
kill \$decoy
staprun $ko interface=eth9 >run3.out 2>&1; echo "SA-RC-3 \$?"; sed 's/^/run3: /' run3.out
ip addr flush dev eth0
staprun $ko >run4.out 2>&1; echo "SA-RC-4 \$?"; sed 's/^/run4: /' run4.out
echo SA-DMESG-BEGIN; dmesg; echo SA-DMESG-END
GUEST
start=$SECONDS
"$testbed" guest --module "$ko" --file guest.sh:/root/guest.sh --timeout 240 --run 'sh /root/guest.sh' \
  >console1 2>&1 || { cat console1; fail "guest run 1 failed"; }
echo "guest 1: $((SECONDS - start)) s"
listener_pid=$l1 stop_listener; listener_pid=$l2 stop_listener; listener_pid=$l6 stop_listener
tr -d '\r' <console1 >c1

# Run 1, with -c: the wire format and the content.
grep -q '^SA-RC-1 0$' c1 || { cat c1; fail "staprun -c did not succeed"; }
expect_grep '^run1: stap-assistant: [0-9]* lines sent, 0 dropped$' c1
# Skips that end the session (SystemTap's lock time-outs once did) must not happen. Kprobes that fire
# in an interrupt while another probe's handler runs are missed by the kernel and reported by
# SystemTap as skipped at the end; those are not ours to avoid.
expect_no_grep 'Skipped too many probes' c1
sent1=$(sed -n 's/^run1: stap-assistant: \([0-9]*\) lines sent.*/\1/p' c1)
[ "$sent1" = "$(report_field run1 lines)" ] || fail "run1: the module sent $sent1 lines, $(report_field run1 lines) arrived"
[ "$(report_field run1 clear)" = 1 ] || fail "run1: clear count $(report_field run1 clear)"
for f in gaps dups malformed; do
  [ "$(report_field run1 $f)" = "[]" ] || { cat run1.report; fail "run1: $f not empty"; }
done
[ "$(report_field run1 incomplete)" = 0 ] && [ "$(report_field run1 oversize)" = 0 ] ||
  { cat run1.report; fail "run1: incomplete or oversize datagrams"; }
python3 - run1.report <<'PY' || fail "run1: some CPU's first sequence number is not 1"
import json, sys; r = json.load(open(sys.argv[1])); sys.exit(any(v != 1 for v in r["first_seq"].values()))
PY
# Every line in the v1 line format.
line_re='^[0-9]+ [0-9]+ [0-9]+\.[0-9]{6} cpu[0-9]+ [^ ]+\[[0-9]+/[0-9]+\] ( *)(->|<-|::|!!) [^ ]+'
if grep -avE "$line_re" run1.lines | head -5 | grep -q .; then
  grep -avE "$line_re" run1.lines | head -5; fail "run1: lines not in the v1 format (above)"
fi
expect_grep '\] -> do_sys_openat2@fs/open\.c:[0-9]* dfd=-100 filename="/proc/version" how=0xffff[0-9a-f]*->{\.flags=' run1.lines
expect_grep '\]   :: do_sys_openat2@fs/open\.c:[0-9]* .*fd=' run1.lines
expect_grep '\] <- do_sys_openat2 return=[-0-9]' run1.lines
expect_grep 'dd\[[0-9/]*\] .*:: ksys_read@fs/read_write\.c:[0-9]* ' run1.lines
expect_grep 'sync\[[0-9/]*\] <- ksys_sync$' run1.lines
n_read=$(grep -ac ':: ksys_read@' run1.lines)
[ "$n_read" -ge 600 ] || fail "run1: only $n_read ksys_read line hits from dd's loop"
long=$(grep -a '!! ksys_sync long-line-begin' run1.lines || true)
[ -n "$long" ] || fail "run1: the long line did not arrive"
[ "${#long}" -gt 2000 ] || fail "run1: long line only ${#long} bytes"
[[ $long =~ long-line-begin\ 0{2988}42\ long-line-end$ ]] || fail "run1: long line not whole: ${long:0:120}..."
[ "$(grep -ac ' 3/3 ' run1.raw)" -ge 1 ] || fail "run1: the long line was not sent in 3 chunks"
# The -c filter: the target's children are traced, the decoy is not.
expect_no_grep ' head\[' run1.lines
expect_grep ' cat\[' run1.lines
# stap-logd got the same datagrams: one session with every line, nothing lost, the long line whole.
sleep 0.3
s1=$(logd_session 'long-line-begin')
expect_no_grep '^-- stap-logd: lost' "$s1"
[ "$(grep -avc '^-- stap-logd: ' "$s1")" = "$(report_field run1 lines)" ] ||
  fail "run1: stap-logd wrote $(grep -avc '^-- stap-logd: ' "$s1") lines, $(report_field run1 lines) were sent"
grep -aq "!! ksys_sync long-line-begin 0\{2988\}42 long-line-end$" "$s1" || fail "stap-logd: long line not whole"
echo "run1: $(report_field run1 lines) lines, $n_read statement hits in the loop"

# Run 2, no target: every process (the decoy too), still gap-free.
grep -q '^SA-RC-2 0$' c1 || { cat c1; fail "staprun without -c did not end cleanly"; }
expect_no_grep 'SA-NOT-READY' c1
expect_grep '^run2: stap-assistant: [0-9]* lines sent, 0 dropped$' c1
[ "$(report_field run2 clear)" = 1 ] && [ "$(report_field run2 gaps)" = "[]" ] && [ "$(report_field run2 dups)" = "[]" ] &&
  [ "$(report_field run2 malformed)" = "[]" ] || { cat run2.report; fail "run2: bad report"; }
sent2=$(sed -n 's/^run2: stap-assistant: \([0-9]*\) lines sent.*/\1/p' c1)
[ "$sent2" = "$(report_field run2 lines)" ] || fail "run2: the module sent $sent2 lines, $(report_field run2 lines) arrived"
# stap-logd's session of run2 (its second, after run1's): every line, in order, no lost or late note,
# also when netpoll reordered datagrams under this load (the report's "reordered").
sessions=("$T"/sessions/*.log)
[ "${sessions[0]}" = "$s1" ] || fail "stap-logd: run1's session is not the first: ${sessions[*]}"
s2=${sessions[1]}
expect_no_grep '^-- stap-logd: l' "$s2"
[ "$(grep -avc '^-- stap-logd: ' "$s2")" = "$sent2" ] ||
  fail "run2: stap-logd wrote $(grep -avc '^-- stap-logd: ' "$s2") lines, the module sent $sent2"
python3 - "$s2" <<'PY' || fail "run2: stap-logd's session is not in sequence order per CPU"
import re, sys
last = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"\d+\.\d{6} cpu(\d+) ", line)
    if m:
        last.setdefault(m.group(1), []).append(line)
# Lines of one CPU carry increasing timestamps when written in sequence order.
for cpu, lines in last.items():
    t = [float(l.split()[0]) for l in lines]
    if t != sorted(t):
        sys.exit(1)
PY
expect_grep ' head\[' run2.lines
expect_grep ' dd\[' run2.lines
# Probes in hard-interrupt and softirq context (lines recorded with interrupts off, sent on irq exit).
expect_grep '\] *-> handle_irq_event@kernel/irq/handle\.c:[0-9]* desc=' run2.lines
expect_grep '\] *<- handle_irq_event return=' run2.lines
expect_grep '\] *-> run_timer_softirq@kernel/time/timer\.c:[0-9]* ' run2.lines
echo "run2: $(report_field run2 lines) lines, $(report_field run2 reordered) arrived out of order; SystemTap: $(grep -a '^run[12]: .*skipped probes' c1 | sed 's/.*WARNING: //' | tr '\n' ' ')"

# Run 6: lines dropped in the module = gaps seen by the receiver = lost lines noted by stap-logd.
grep -q '^SA-RC-6 0$' c1 || { cat c1; fail "run6 did not end cleanly"; }
dropped6=$(sed -n 's/^run6: stap-assistant: [0-9]* lines sent, \([0-9]*\) dropped$/\1/p' c1)
[ -n "$dropped6" ] && [ "$dropped6" -gt 0 ] || { grep -a '^run6' c1; fail "run6: no line dropped with ring_lines=1"; }
gaps6=$(python3 -c 'import json,sys; print(sum(b - a - 1 for _, a, b in json.load(open(sys.argv[1]))["gaps"]))' run6.report)
[ "$gaps6" = "$dropped6" ] || { cat run6.report; fail "run6: the module dropped $dropped6 lines, the gaps hide $gaps6"; }
sleep 0.3
s6=$(logd_session '^-- stap-logd: lost')
lost6=$(sed -n 's/^-- stap-logd: lost \([0-9]*\) lines\{0,1\} .*/\1/p' "$s6" | awk '{n += $1} END {print n + 0}')
[ "$lost6" = "$dropped6" ] || fail "run6: stap-logd noted $lost6 lost lines, the module dropped $dropped6"
echo "run6: $dropped6 lines dropped by a one-line buffer, all reported as lost"

# Errors are clear and the module does not load.
grep -q '^SA-RC-3 0$' c1 && fail "run3: staprun succeeded with a missing interface"
expect_grep '^run3: .*stap-assistant: network interface eth9 not found (pass interface=NAME to staprun)' c1
grep -q '^SA-RC-4 0$' c1 && fail "run4: staprun succeeded on an interface without IPv4 address"
expect_grep '^run4: .*stap-assistant: network interface eth0 has no IPv4 address' c1
expect_clean_kernel_log c1

# --- boot 2: the panic.
p3=$(free_udp_port)
start_listener "$p3" run5 "$logd_port"
cat >guest.sh <<GUEST
staprun -c 'sh -c "echo c > /proc/sysrq-trigger"' $ko dest_port=$p3
GUEST
start=$SECONDS
"$testbed" guest --module "$ko" --file guest.sh:/root/guest.sh --timeout 180 --panic-ok \
  --run 'sh /root/guest.sh' >console2 2>&1 || { cat console2; fail "guest run 2 failed"; }
echo "guest 2: $((SECONDS - start)) s"
stop_listener
tr -d '\r' <console2 >c2
expect_grep 'Kernel panic - not syncing: sysrq triggered crash' c2
sed '/sysrq: Trigger a crash/,$d' c2 >c2.before
expect_clean_kernel_log c2.before
[ "$(report_field run5 malformed)" = "[]" ] || { cat run5.report; fail "run5: malformed datagrams"; }
expect_grep '\] -> sysrq_handle_crash@drivers/tty/sysrq\.c:[0-9]* key=99' run5.lines
expect_grep ":: panic@kernel/panic\.c:$panic_line " run5.lines
# The notifier's console summary: every line made was sent, and every line sent arrived.
at_panic=$(grep -a -o "stap-assistant: at panic: .*" c2 || true)
[[ $at_panic =~ ^stap-assistant:\ at\ panic:\ ([0-9]+)\ lines\ made,\ ([0-9]+)\ sent,\ 0\ dropped\ \(buffer\ full\),\ 0\ datagrams\ left\ in\ netpoll\'s\ queue$ ]] ||
  fail "panic: no or unexpected console summary: '$at_panic'"
[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || fail "panic: $at_panic"
[ "${BASH_REMATCH[2]}" = "$(report_field run5 lines)" ] ||
  fail "panic: the module sent ${BASH_REMATCH[2]} lines, $(report_field run5 lines) arrived"
sleep 0.3
s5=$(logd_session ":: panic@kernel/panic\.c:$panic_line ")
expect_grep '^-- stap-logd: session from 127.0.0.1 started by ===CLEAR===' "$s5"
expect_no_grep '^-- stap-logd: lost' "$s5"
echo "panic: $(report_field run5 lines) lines, the panic path's included"
