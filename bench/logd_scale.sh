#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Scale benchmark of stap-logd: SENDERS senders at once, each from its own loopback address
# (127.0.0.2, 127.0.0.3, ...), each sending COUNT SA1 lines at RATE lines/s (bench/logd_send.c), to
# stap-logd and, as the baseline in the same run, to the minimal recvmmsg receiver
# (bench/logd_recvmmsg.c). Waits until each receiver's output stops growing, then counts the lines
# written and reads the receiver's CPU time. Prints a Markdown table.
#   bench/logd_scale.sh [STAP_LOGD]     (default: build/tools/stap-logd/stap-logd)
# Environment: SENDERS (32), RATE (20000), COUNT (100000, i.e. 5 s at 20k/s), SIZE (160), NICE (-10:
# both receivers run at this nice value, as a logging daemon would on a busy machine; the 32 senders
# share the same 2 cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logd=${1:-$here/../build/tools/stap-logd/stap-logd}
[ -x "$logd" ] || { echo "logd_scale.sh: error: $logd not built" >&2; exit 66; }
SENDERS=${SENDERS:-32} RATE=${RATE:-20000} COUNT=${COUNT:-100000} SIZE=${SIZE:-160} NICE=${NICE:--10}
work=$(mktemp -d "${TMPDIR:-/tmp}/logd-scale.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -o "$work/send" "$here/logd_send.c"
gcc -O2 -o "$work/recvmmsg" "$here/logd_recvmmsg.c"
hz=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_seconds() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
settle() {
  local last=-1 now same=0
  while [ $same -lt 3 ]; do
    sleep 0.3
    # shellcheck disable=SC2086  # a glob of session files
    now=$(cat $1 2>/dev/null | wc -c)
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
    last=$now
  done
}
total=$((SENDERS * COUNT))
echo "nice $NICE for the receivers; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $SENDERS senders x $COUNT lines at $RATE lines/s each"
echo
echo "| receiver | lines sent | lines written | lost notes | loss % | CPU s | CPU µs/line |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for rx in stap-logd recvmmsg; do
  port=$(free_port)
  out="$work/out-$rx"
  case $rx in
    stap-logd) nice -n "$NICE" "$logd" -p "$port" --bind 127.0.0.1 -d "$out" 2>"$work/logd.err" & pid=$! ;;
    recvmmsg) nice -n "$NICE" "$work/recvmmsg" "$port" "$out" & pid=$! ;;
  esac
  sleep 0.5
  spids=()
  for i in $(seq 1 "$SENDERS"); do
    "$work/send" 127.0.0.1 "$port" "$COUNT" "$SIZE" "$RATE" "127.0.0.$((i + 1))" 2>>"$work/send.err" &
    spids+=($!)
  done
  for p in "${spids[@]}"; do wait "$p"; done
  if [ $rx = stap-logd ]; then settle "$out/*.log"; files="$out/*.log"; else settle "$out"; files=$out; fi
  cpu=$(cpu_seconds $pid)
  kill -TERM $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  pid=
  # shellcheck disable=SC2086  # a list of session files
  written=$(cat $files | grep -c 'bench [0-9]* x' || true)
  # shellcheck disable=SC2086  # a list of session files
  lost=$(cat $files | grep -c '^-- stap-logd: lost' || true)
  awk -v rx="$rx" -v n="$total" -v w="$written" -v l="$lost" -v cpu="$cpu" \
    'BEGIN { printf "| %s | %d | %d | %d | %.2f | %.2f | %.2f |\n", rx, n, w, l, 100 * (n - w) / n, cpu, w ? cpu * 1e6 / w : 0 }'
done
[ "$rx" = recvmmsg ] && echo && echo "senders' achieved rates: $(awk '{ print $NF }' "$work/send.err" | sort | uniq -c | sort -rn | head -3 | tr '\n' ' ')"
