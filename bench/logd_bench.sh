#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark of stap-logd against socat, nc and a minimal recvmmsg receiver, on loopback:
#   bench/logd_bench.sh [STAP_LOGD]      (default: build/tools/stap-logd/stap-logd)
# For each rate (50k datagrams/s, then as fast as one sender goes) and each receiver: send COUNT
# datagrams of SIZE bytes from one process, wait until the receiver's output stops growing, read the
# receiver's CPU time from /proc, stop it, and count the datagrams it wrote. Prints a Markdown table.
# Environment: COUNT (400000), SIZE (160), RATES ("50000 0").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logd=${1:-$here/../build/tools/stap-logd/stap-logd}
[ -x "$logd" ] || { echo "logd_bench.sh: error: $logd not built" >&2; exit 66; }
COUNT=${COUNT:-400000} SIZE=${SIZE:-160} RATES=${RATES:-"50000 0"}
for t in socat nc gcc python3; do
  command -v $t >/dev/null || { echo "logd_bench.sh: error: $t not installed" >&2; exit 69; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/logd-bench.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=bench/logd_lib.sh
. "$here/logd_lib.sh"
build_helpers

echo "| receiver | rate | datagrams written | loss % | CPU s | CPU µs/datagram |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for rate in $RATES; do
  label=$([ "$rate" = 0 ] && echo "full speed" || echo "$((rate / 1000))k pps")
  for rx in stap-logd recvmmsg socat nc; do
    port=$(free_port)
    out="$work/$rx-$rate"
    case $rx in
      stap-logd) "$logd" -p "$port" --bind 127.0.0.1 -d "$out" 2>"$work/logd.err" & pid=$! ;;
      recvmmsg) "$work/recvmmsg" "$port" "$out" & pid=$! ;;
      socat) socat -u "UDP-RECV:$port,bind=127.0.0.1" "OPEN:$out,creat,append" & pid=$! ;;
      nc) nc -lu 127.0.0.1 "$port" >"$out" & pid=$! ;;
    esac
    sleep 0.5
    "$work/send" 127.0.0.1 "$port" "$COUNT" "$SIZE" "$rate" 2>"$work/send.err"
    if [ $rx = stap-logd ]; then settle "$out/*.log"; else settle "$out"; fi
    cpu=$(cpu_seconds $pid)
    kill -TERM $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    pid=
    if [ $rx = stap-logd ]; then files="$out/*.log"; else files=$out; fi
    # shellcheck disable=SC2086  # a list of session files
    written=$(cat $files | grep -c 'bench [0-9]* x' || true)
    awk -v rx="$rx" -v label="$label ($(sed 's/.*(\(.*\)).*/\1/' "$work/send.err"))" -v n="$COUNT" -v w="$written" -v cpu="$cpu" \
      'BEGIN { printf "| %s | %s | %d | %.1f | %.2f | %.2f |\n", rx, label, w, 100 * (n - w) / n, cpu, w ? cpu * 1e6 / w : 0 }'
    rm -rf "$out"
  done
done
