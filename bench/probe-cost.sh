#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a probe hit costs with the stap-assistant preamble, measured in the test bed's QEMU guest.
#
#   bench/probe-cost.sh [HITS]      (default 20000; needs `stap-testbed prepare` and a built stap-preamble)
#
# One module (the preamble plus one probe on ksys_read) is compiled once; a load-time parameter picks
# what the probe body does. In one guest boot, `dd bs=1` reads HITS bytes from /dev/zero (HITS
# ksys_read calls, three times) under each variant:
#   none      no module loaded
#   empty     probe with an empty body: SystemTap's own cost per hit
#   miss      body `if (sa_traced(target())) {}`, dd not a descendant of the target (-c sleep): the
#             filter walking dd's ancestors up to pid 0 and saying no
#   hit       the same body with dd under -c: the filter saying yes (dd's parent is the target)
#   message   trace_message("x") with dd under -c: filter, one line into the per-CPU buffer, and the
#             irq_work that sends it (it runs as soon as the probe re-enables interrupts)
#   call      trace_call() with dd under -c: the same plus its parameters, rendered deep ($$parms$$)
#             and shallow ($$parms) and merged (log-format.md's value spellings)
#   call0     the same with trace_call()'s body before that change ($$parms$$ only), the baseline
#   vcall     trace_call() on vfs_read, which ksys_read calls: a struct file *, a user buffer, a size
#             and a loff_t * (the kind of parameters of the path-walk functions)
#   vcall0    the same before the change
# Two measures: in the kernel, local_clock around the probe body (an aggregate, printed at the end)
# and around each drain of a per-CPU buffer (the preamble's own counter: datagram + netpoll_send_udp);
# and the wall clock of the dd loop (fastest of three; noisy, the host is shared). Under TCG (KVM does
# not work here) everything is slower than on hardware, the self-IPI of irq_work especially.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
hits=${1:-20000}
testbed=$src/tools/stap-sandbox/stap-testbed
preamble=${STAP_PREAMBLE:-}
if [ -z "$preamble" ]; then
  for c in "$src"/build*/tools/stap-preamble/stap-preamble; do [ -x "$c" ] && preamble=$c && break; done
fi
[ -x "$preamble" ] || { echo "probe-cost: error: build stap-preamble first (or set STAP_PREAMBLE)" >&2; exit 66; }
"$testbed" env >/dev/null || exit $?

work=$(mktemp -d "${TMPDIR:-/tmp}/sa-bench.XXXXXX")
listener=""
trap '[ -z "$listener" ] || kill "$listener" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

"$preamble" -o bench.stp
cat >>bench.stp <<'STP'
global bench_mode = 0  // staprun bench.ko bench_mode=N
global t_body  // nanoseconds in the probe body, per hit
probe kernel.function("ksys_read").call {
	t0 = local_clock_ns()
	if (bench_mode == 1) {
		if (sa_traced(target())) {}
	} else if (bench_mode == 2) {
		trace_message("x")
	} else if (bench_mode == 3) {
		trace_call()
	} else if (bench_mode == 4) {  // trace_call() before the values change: $$parms$$ only
		if (sa_traced(target())) sa_emit("->", ppfunc(), pp(), $$parms$$)
	}
	if (bench_mode && bench_mode <= 4) t_body <<< local_clock_ns() - t0
}
// vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos): a struct behind a
// pointer, a user pointer and a kernel pointer, as the path-walk probes have.
probe kernel.function("vfs_read").call {
	if (bench_mode < 5) next
	t0 = local_clock_ns()
	if (bench_mode == 5)
		trace_call()
	else if (sa_traced(target()))
		sa_emit("->", ppfunc(), pp(), $$parms$$)
	t_body <<< local_clock_ns() - t0
}
// The line's clock (ktime_get_mono_fast_ns: the clocksource, HPET in this guest) against
// local_clock(), which the preamble used before: ns per read, 1000 reads each.
function sa_bench_clocks:string () %{
	u64 t0, t1, t2, sink = 0;
	int i;

	t0 = ktime_get_mono_fast_ns();
	for (i = 0; i < 1000; i++)
		sink += local_clock();
	t1 = ktime_get_mono_fast_ns();
	for (i = 0; i < 1000; i++)
		sink += ktime_get_mono_fast_ns();
	t2 = ktime_get_mono_fast_ns();
	snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%llu %llu", (t1 - t0) / 1000, (t2 - t1) / 1000 + (sink & 0));
%}
probe begin(2000000000) {
	if (bench_mode == 2)
		printf("INKERNEL clocks %s\n", sa_bench_clocks())
}
probe end(2000000000) {  // after the preamble's teardown, which sums its counters
	if (@count(t_body))
		printf("INKERNEL body %d %d %d\n", bench_mode, @count(t_body), @avg(t_body))
	if (sa_count(0))
		printf("INKERNEL send %d %d %d\n", bench_mode, sa_count(0), sa_count(4) / sa_count(0))
}
STP
echo "probe-cost: compiling" >&2
"$testbed" stap -p4 -g -DSTP_NO_OVERLOAD -m sa_bench bench.stp >compile.log 2>&1 || { cat compile.log; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" >received <<'PY' &
import signal, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1]))); s.settimeout(0.2)
n, stop = 0, []
signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
while not stop:
    try: s.recv(2048); n += 1
    except socket.timeout: pass
print(n)
PY
listener=$!

cat >one.sh <<GUEST
now() { sed -n 's/^now at \([0-9]*\) nsecs\$/\1/p' /proc/timer_list; }
for rep in 1 2 3; do
  t0=\$(now); dd if=/dev/zero of=/dev/null bs=1 count=$hits 2>/dev/null; t1=\$(now)
  echo "RESULT \$1 \$((t1 - t0))"
done
GUEST
cat >guest.sh <<GUEST
sh one.sh none
staprun -c 'sh one.sh empty' sa_bench.ko bench_mode=0 dest_port=$port
staprun -c 'sleep 15' sa_bench.ko bench_mode=1 dest_port=$port >o.miss 2>&1 & st=\$!
i=0; while ! grep -q 'sending to' o.miss; do i=\$((i+1)); [ \$i -lt 300 ] || break; sleep 0.1; done; sleep 3
sh one.sh miss; wait \$st; sed 's/^INKERNEL body 1 /INKERNEL body miss /' o.miss
staprun -c 'sh one.sh hit' sa_bench.ko bench_mode=1 dest_port=$port
staprun -c 'sh one.sh message' sa_bench.ko bench_mode=2 dest_port=$port
for pass in 1 2; do  # the pairs to compare alternate, twice: the host's load changes within a run
  staprun -c 'sh one.sh call' sa_bench.ko bench_mode=3 dest_port=$port
  staprun -c 'sh one.sh call0' sa_bench.ko bench_mode=4 dest_port=$port
  staprun -c 'sh one.sh vcall' sa_bench.ko bench_mode=5 dest_port=$port
  staprun -c 'sh one.sh vcall0' sa_bench.ko bench_mode=6 dest_port=$port
done
GUEST
echo "probe-cost: booting the guest ($hits hits per variant)" >&2
"$testbed" guest --module sa_bench.ko --file one.sh:/root/one.sh --file guest.sh:/root/guest.sh \
  --timeout 600 --run 'sh /root/guest.sh' >console 2>&1 || { cat console; exit 1; }
kill "$listener"; wait "$listener" || true; listener=""
tr -d '\r' <console | grep -a '^RESULT ' >&2 || true
accel=$(sed -n 's/.*booting .* with \([a-z]*\) .*/\1/p' console | head -n1)
tr -d '\r' <console | grep -a '^INKERNEL ' >&2 || true
tr -d '\r' <console | awk -v hits="$hits" -v accel="$accel" -v received="$(cat received)" '
  /^RESULT / { if (!($2 in ns) || $3 + 0 < ns[$2] + 0) ns[$2] = $3 }
  /^INKERNEL body / { if (!($3 in body) || $5 + 0 < body[$3] + 0) { body[$3] = $5; nbody[$3] = $4 } }
  /^INKERNEL send / { if (!($3 in send) || $5 + 0 < send[$3] + 0) { send[$3] = $5; nsend[$3] = $4 } }
  /^INKERNEL clocks / { clk_local = $3; clk_mono = $4 }
  function per(a, b) { return (ns[a] - ns[b]) / hits }
  END {
    printf "probe-cost: %d ksys_read hits per variant, guest on %s, %d datagrams received\n", hits, accel, received
    print "In the kernel (local_clock around the probe body, and around each drain of the per-CPU buffer;"
    print "the lowest average of the runs of a variant):"
    printf "  filter, task not traced (walks up to pid 0):  %6d ns per hit  (%d hits)\n", body["miss"], nbody["miss"]
    printf "  filter, task traced (its parent is the target): %4d ns per hit  (%d hits)\n", body[1], nbody[1]
    printf "  trace_message(\"x\"): filter + line + its irq_work send: %d ns per hit\n", body[2]
    printf "  trace_call(): the same with ksys_read'"'"'s parameters (2 scalars, a user char *): %d ns per hit\n", body[3]
    printf "    the same before the values change ($$parms$$ only):            %d ns per hit  (x%.2f)\n", body[4], body[3] / body[4]
    printf "  trace_call() on vfs_read (struct file *, user char *, size_t, loff_t *): %d ns per hit\n", body[5]
    printf "    the same before the values change ($$parms$$ only):            %d ns per hit  (x%.2f)\n", body[6], body[5] / body[6]
    printf "  sending (irq_work: datagram + netpoll_send_udp): %d ns per line (%d lines)\n", send[2], nsend[2]
    printf "  a line'"'"'s time stamp: ktime_get_mono_fast_ns %d ns per read (local_clock, before: %d ns)\n", clk_mono, clk_local
    print "Wall clock of the dd loop (fastest of 3 or 6; noisy under TCG on a shared host):"
    split("none empty miss hit message call call0 vcall vcall0", v, " ")
    for (i = 1; i <= 9; i++) printf "  %-8s %10.1f ms %8.0f ns per hit\n", v[i], ns[v[i]] / 1e6, ns[v[i]] / hits
    printf "  SystemTap probe overhead (empty - none): %8.0f ns per hit\n", per("empty", "none")
    printf "  everything for one traced line (message - none): %8.0f ns per hit\n", per("message", "none")
  }'
