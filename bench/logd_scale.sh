#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Scale benchmark of stap-logd: SENDERS senders at once, each from its own loopback address
# (127.0.0.2, 127.0.0.3, ...), each sending COUNT SA1 lines at RATE lines/s (bench/logd_send.c), to
# stap-logd and, as the baseline in the same run, to the minimal recvmmsg receiver
# (bench/logd_recvmmsg.c). Waits until each receiver's output stops growing, then counts the lines
# written and reads the receiver's CPU time. Prints a Markdown table.
#   bench/logd_scale.sh [STAP_LOGD [OLD_STAP_LOGD]]   (default: build/tools/stap-logd/stap-logd)
# OLD_STAP_LOGD, e.g. a build of main, is measured in the same run as a second baseline.
# "kernel drops" is the socket's own count of datagrams the kernel dropped because its receive
# buffer was full (/proc/net/udp), "peak queue" the most the socket's receive buffer held in any
# 10 ms sample (KiB, against the 32 MiB asked for: the headroom left); the rest of a loss happened inside the receiver. "sender rate"
# is the median of what the senders reached (lines/s each; the machine may not let them reach RATE).
# Environment: SENDERS (32), RATE (20000), COUNT (100000, i.e. 5 s at 20k/s), SIZE (160), NICE (-10:
# both receivers run at this nice value, as a logging daemon would on a busy machine; the 32 senders
# share the same 2 cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logd=${1:-$here/../build/tools/stap-logd/stap-logd}
old=${2:-}
[ -x "$logd" ] || { echo "logd_scale.sh: error: $logd not built" >&2; exit 66; }
[ -z "$old" ] || [ -x "$old" ] || { echo "logd_scale.sh: error: $old not found" >&2; exit 66; }
SENDERS=${SENDERS:-32} RATE=${RATE:-20000} COUNT=${COUNT:-100000} SIZE=${SIZE:-160} NICE=${NICE:--10}
work=$(mktemp -d "${TMPDIR:-/tmp}/logd-scale.XXXXXX")
pid='' qpid=''
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=bench/logd_lib.sh
. "$here/logd_lib.sh"
build_helpers
total=$((SENDERS * COUNT))
echo "nice $NICE for the receivers; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $SENDERS senders x $COUNT lines at $RATE lines/s each"
echo
echo "| receiver | lines sent | lines written | lost notes | loss % | kernel drops | peak queue KiB | sender rate | CPU s | CPU µs/line | load before |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for rx in stap-logd ${old:+old-stap-logd} recvmmsg; do
  port=$(free_port)
  out="$work/out-$rx"
  case $rx in
    stap-logd) nice -n "$NICE" "$logd" -p "$port" --bind 127.0.0.1 -d "$out" 2>"$work/logd.err" & pid=$! ;;
    old-stap-logd) nice -n "$NICE" "$old" -p "$port" --bind 127.0.0.1 -d "$out" 2>"$work/old-logd.err" & pid=$! ;;
    recvmmsg) nice -n "$NICE" "$work/recvmmsg" "$port" "$out" & pid=$! ;;
  esac
  sleep 0.5
  load=$(cut -d' ' -f1 /proc/loadavg)
  nice -n "$NICE" python3 "$here/logd_sockq.py" "$port" >"$work/peak-$rx" & qpid=$!
  spids=()
  for i in $(seq 1 "$SENDERS"); do
    "$work/send" 127.0.0.1 "$port" "$COUNT" "$SIZE" "$RATE" "127.0.0.$((i + 1))" 2>>"$work/send-$rx.err" &
    spids+=($!)
  done
  for p in "${spids[@]}"; do wait "$p"; done
  if [ "$rx" != recvmmsg ]; then settle "$out/*.log"; files="$out/*.log"; else settle "$out"; files=$out; fi
  cpu=$(cpu_seconds $pid)
  kill -TERM $qpid && wait $qpid 2>/dev/null || true
  qpid=''
  peak=$(cat "$work/peak-$rx")
  drops=$(awk -v p=":$(printf '%04X' "$port")" 'substr($2, length($2) - 4) == p { d += $NF } END { print d + 0 }' /proc/net/udp /proc/net/udp6)
  rate=$(awk '{ sub(/^\(/, "", $NF); print $NF + 0 }' "$work/send-$rx.err" | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }')
  kill -TERM $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  pid=
  # shellcheck disable=SC2086  # a list of session files
  written=$(cat $files | grep -c 'bench [0-9]* x' || true)
  # shellcheck disable=SC2086  # a list of session files
  lost=$(cat $files | grep -c '^-- stap-logd: lost' || true)
  awk -v rx="$rx" -v n="$total" -v w="$written" -v l="$lost" -v cpu="$cpu" -v d="$drops" -v r="$rate" -v la="$load" -v q="$peak" \
    'BEGIN { printf "| %s | %d | %d | %d | %.2f | %d | %d | %d | %.2f | %.2f | %s |\n", rx, n, w, l, 100 * (n - w) / n, d, q, r, cpu, w ? cpu * 1e6 / w : 0, la }'
done
