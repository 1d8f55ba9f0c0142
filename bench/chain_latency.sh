#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/chain_latency.sh [SECONDS]: real-chain latency and loss, from a probe hit in the QEMU guest to
# the line on the host. The guest runs chain_loadgen under staprun -c with a tracer of getppid's entry
# and return (2 lines a hit), written by stap-addprobe and compiled by stap-testbed stap -p4 like the
# sandbox does; stap-logd receives on 127.0.0.1 and a reader polling the session file every 0.5 ms
# stamps each line with the host's CLOCK_MONOTONIC when it is in the file. Phases, one loadgen process each: sync (40 hits 25 ms apart), then
# 1,000 and 10,000 lines/s for SECONDS (default 3) each.
#
# One clock: a line's own stamp is the guest's local_clock() at the hit; the guest clock's offset to
# the host's is measured at session start as the smallest (arrival - stamp) of the quiet sync phase, so
# latency = arrival - stamp - offset is the delay above the chain's fastest delivery (an offset from
# a round trip is not possible: the guest cannot be reached from the host in QEMU's user network).
# Prints, per phase: lines expected (the loadgen's own count x 2), received, lost, latency p50 / p99 /
# max in ms, ratios of p99 against the sync phase's p99 (the baseline of the same run), and the share
# of lines whose stamp equals the previous line's (a coarse guest clock under TCG makes stamps late).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-3}
tb=$src/tools/stap-sandbox/stap-testbed
b=${SA_BUILD_DIR:-$src/build}
addprobe=$b/tools/stap-addprobe/stap-addprobe logd=$b/tools/stap-logd/stap-logd
[ -x "$addprobe" ] && [ -x "$logd" ] || { echo "chain_latency: error: build first (scripts/build.sh)" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/sa-chain.XXXXXX")
logd_pid="" reader_pid=""
cleanup() {
  local p
  for p in $logd_pid $reader_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
"$tb" prepare >/dev/null 2>&1 || { echo "chain_latency: error: stap-testbed prepare failed" >&2; exit 69; }
eval "$("$tb" env)"

cc -O2 -static -o loadgen "$src/bench/chain_loadgen.c"
line=$(grep -n '^SYSCALL_DEFINE0(getppid)' "$SA_KSRC/kernel/sys.c" | cut -d: -f1)
"$addprobe" -C "$SA_KSRC" -r "$SA_STAP_R" -o tracer.stp "kernel/sys.c:$line" >/dev/null 2>&1
"$tb" stap -p4 -g -DSTP_NO_OVERLOAD -DMAXSTRINGLEN=4096 tracer.stp >compile.out 2>compile.log ||
  { cat compile.log >&2; echo "chain_latency: error: the tracer does not compile" >&2; exit 65; }
ko=$(tail -n1 compile.out); cp "$ko" .; ko=$(basename "$ko")

mkdir sessions
: >logd.err
"$logd" -p 0 --bind 127.0.0.1 -d "$work/sessions" >/dev/null 2>logd.err &
logd_pid=$!
# The reader: the session file's new complete lines, stamped when seen (not stap-logd's --follow: a
# pipe is block-buffered, which made lines look seconds late). Stops when the file "stop" appears.
python3 -c '
import glob, os, sys, time
sessions, out_path, stop = sys.argv[1:4]
out = open(out_path, "w")
f, buf = None, b""
while True:
    if f is None:
        found = glob.glob(os.path.join(sessions, "*.log"))
        if found:
            f = open(found[0], "rb")
    if f is not None:
        data = f.read()
        if data:
            now = time.monotonic_ns()
            buf += data
            *lines, buf = buf.split(b"\n")
            for line in lines:
                out.write("%d %s\n" % (now, line.decode("utf-8", "replace")))
            continue
    if os.path.exists(stop):
        break
    time.sleep(0.0005)
out.close()
' "$work/sessions" "$work/arrivals.txt" "$work/stop" &
reader_pid=$!
port=""
for _ in $(seq 50); do
  port=$(sed -n 's/.* port \([0-9][0-9]*\),.*/\1/p' logd.err | head -n1)
  [ -z "$port" ] || break
  sleep 0.1
done
[ -n "$port" ] || { cat logd.err >&2; echo "chain_latency: error: stap-logd did not start" >&2; exit 69; }

h1=500 h10=5000  # hits per second: 2 lines a hit
printf '%s\n' "/root/loadgen sync" "/root/loadgen $h1 $secs" "sleep 1" "/root/loadgen $h10 $secs" > workload.sh
"$tb" guest --timeout 400 --module "$ko" --file "$work/loadgen:/root/loadgen" \
  --file "$work/workload.sh:/root/workload.sh" \
  --run "staprun -c 'sh /root/workload.sh' $ko interface=eth0 dest_ip=10.0.2.2 dest_port=$port" \
  >console.log 2>guest.err || { tail -n 30 console.log guest.err >&2; echo "chain_latency: error: the guest run failed" >&2; exit 1; }
sleep 2
kill "$logd_pid" 2>/dev/null || true; wait "$logd_pid" 2>/dev/null || true; logd_pid=""
touch stop; wait "$reader_pid" || true; reader_pid=""

accel=$(sed -n 's/.*booting .* with \([a-z]*\) .*/\1/p' guest.err | head -n1)
python3 - "$work/arrivals.txt" "$work/console.log" "$accel" "$secs" <<'PY'
import re, sys
arrivals, console, accel, secs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs = [(int(m.group(1)), float(m.group(2))) for m in
        re.finditer(r"chain_loadgen: \S+ (\d+) calls in (\d+\.\d+) s", open(console).read())]
counts = [n for n, _ in runs]
phases, order = {}, []
lost_notes = 0
for raw in open(arrivals, errors="replace"):
    host_ns, _, line = raw.partition(" ")
    if line.startswith("-- stap-logd: lost"):
        lost_notes += 1
    m = re.match(r"(\d+\.\d+) cpu\d+ loadgen\[(\d+)/", line)
    if not m:
        continue
    pid = m.group(2)
    if pid not in phases:
        phases[pid] = []
        order.append(pid)
    phases[pid].append((int(host_ns) / 1e6, float(m.group(1)) * 1e3))  # ms, ms
if len(order) != 3 or len(counts) != 3:
    sys.exit("chain_latency: error: expected 3 loadgen phases, got %d in the session and %d in the console" % (len(order), len(counts)))
offset = min(h - g for h, g in phases[order[0]])
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(p * len(v)))]
names = ["sync (40 hits, 25 ms apart)", "1,000 lines/s for %s s" % secs, "10,000 lines/s for %s s" % secs]
print("guest accelerator: %s; offset = min(arrival - stamp) of the sync phase" % accel)
print()
print("| phase | lines/s reached | lines expected | received | lost | p50 ms | p99 ms | max ms | p99 / sync p99 | same stamp as previous |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
base = None
for name, pid, (n, took) in zip(names, order, runs):
    rows = phases[pid]
    lat = [h - g - offset for h, g in rows]
    stamps = [g for _, g in rows]
    same = sum(1 for a, b in zip(stamps, stamps[1:]) if a == b)
    p99 = pct(lat, 0.99)
    base = base or max(p99, 0.001)
    print("| %s | %.0f | %d | %d | %d | %.2f | %.2f | %.2f | %.1f | %.1f%% |" % (
        name, 2 * n / took, 2 * n, len(rows), 2 * n - len(rows), pct(lat, 0.5), p99, max(lat), p99 / base,
        100.0 * same / max(1, len(stamps) - 1)))
print()
print("stap-logd loss notes: %d" % lost_notes)
PY
