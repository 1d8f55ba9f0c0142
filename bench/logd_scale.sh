#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Scale benchmark of stap-logd: SENDERS senders at once, each from its own loopback address
# (127.0.0.2, 127.0.0.3, ...), each sending COUNT SA1 lines at RATE lines/s (bench/logd_send.c), to
# stap-logd and, as the baseline in the same run, to the minimal recvmmsg receiver
# (bench/logd_recvmmsg.c). Waits until each receiver's output stops growing, then counts the lines
# written and reads the receiver's CPU time. Prints a Markdown table.
#   bench/logd_scale.sh [STAP_LOGD [OLD_STAP_LOGD]]   (default: build/tools/stap-logd/stap-logd)
# OLD_STAP_LOGD, e.g. a build of main, is measured in the same run as a second baseline.
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
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=bench/logd_lib.sh
. "$here/logd_lib.sh"
build_helpers
total=$((SENDERS * COUNT))
echo "nice $NICE for the receivers; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $SENDERS senders x $COUNT lines at $RATE lines/s each"
echo
echo "| receiver | lines sent | lines written | lost notes | loss % | CPU s | CPU µs/line |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for rx in stap-logd ${old:+old-stap-logd} recvmmsg; do
  port=$(free_port)
  out="$work/out-$rx"
  case $rx in
    stap-logd) nice -n "$NICE" "$logd" -p "$port" --bind 127.0.0.1 -d "$out" 2>"$work/logd.err" & pid=$! ;;
    old-stap-logd) nice -n "$NICE" "$old" -p "$port" --bind 127.0.0.1 -d "$out" 2>"$work/old-logd.err" & pid=$! ;;
    recvmmsg) nice -n "$NICE" "$work/recvmmsg" "$port" "$out" & pid=$! ;;
  esac
  sleep 0.5
  spids=()
  for i in $(seq 1 "$SENDERS"); do
    "$work/send" 127.0.0.1 "$port" "$COUNT" "$SIZE" "$RATE" "127.0.0.$((i + 1))" 2>>"$work/send.err" &
    spids+=($!)
  done
  for p in "${spids[@]}"; do wait "$p"; done
  if [ "$rx" != recvmmsg ]; then settle "$out/*.log"; files="$out/*.log"; else settle "$out"; files=$out; fi
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
