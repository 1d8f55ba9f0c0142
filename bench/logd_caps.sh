#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What hostile senders cost stap-logd, against another build of it in the same run (e.g. the build
# before the caps): for each scenario, start the daemon, send, wait until the socket is drained, then
# measure 5 s of idle CPU (user + system, % of one core) and the peak and current RSS.
#   bench/logd_caps.sh NEW_STAP_LOGD [BASELINE_STAP_LOGD]
# Scenarios (sizes from the environment):
#   senders  SENDERS (30000) senders from distinct loopback addresses, one SA1 line each
#   cpus     CPUS (1000000) SA1 lines over as many CPU numbers from one sender
#   ncfrag   FRAGS (20000) netconsole fragments (ncfrag=65535/65536) from as many addresses
set -euo pipefail
new=${1:?usage: logd_caps.sh NEW_STAP_LOGD [BASELINE_STAP_LOGD]}
base=${2:-}
SENDERS=${SENDERS:-30000} CPUS=${CPUS:-1000000} FRAGS=${FRAGS:-20000}
hz=$(getconf CLK_TCK)
work=$(mktemp -d "${TMPDIR:-/tmp}/logd-caps.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
send() {  # send SCENARIO PORT
  python3 - "$1" "$2" "$SENDERS" "$CPUS" "$FRAGS" <<'PY'
import socket, sys
what, port, senders, cpus, frags = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:])
to = ("127.0.0.1", port)
def addr(i): return "127.%d.%d.%d" % (1 + i // 62500, 1 + i // 250 % 250, 1 + i % 250)
if what == "senders":
    for i in range(senders):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr(i), 0))
        s.sendto(b"SA1 0 1 1/1 hello", to); s.close()
elif what == "ncfrag":
    for i in range(frags):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr(i), 0))
        s.sendto(b"6,%d,1000000,-,ncfrag=65535/65536;x" % i, to); s.close()
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for c in range(cpus):
        s.sendto(b"SA1 %d 7 1/1 line" % c, to)
PY
}
drained() {  # drained PORT: the socket's receive queue is empty
  local q
  q=$(awk -v p="$(printf ':%04X$' "$1")" '$2 ~ p { print $5 }' /proc/net/udp /proc/net/udp6 | head -1)
  [ "${q#*:}" = 00000000 ]
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| build | scenario | idle CPU % (5 s) | peak RSS MB | RSS after MB |"
echo "| --- | --- | ---: | ---: | ---: |"
for scenario in senders cpus ncfrag; do
  for build in new base; do
    bin=$new; [ $build = base ] && bin=$base
    [ -n "$bin" ] || continue
    "$bin" -p 0 --bind 127.0.0.1 -d "$work/s-$build-$scenario" 2>"$work/err" & pid=$!
    for i in $(seq 100); do port=$(sed -n 's/.*port \([0-9]*\),.*/\1/p' "$work/err"); [ -n "$port" ] && break; sleep 0.05; done
    send $scenario "$port"
    same=0
    while [ $same -lt 4 ]; do  # drained for 2 s
      sleep 0.5
      if drained "$port"; then same=$((same + 1)); else same=0; fi
    done
    t0=$(ticks $pid); sleep 5; t1=$(ticks $pid)
    awk -v b="$build" -v s="$scenario" -v c=$((t1 - t0)) -v hz="$hz" -v p="$(kb $pid VmHWM)" -v r="$(kb $pid VmRSS)" \
      'BEGIN { printf "| %s | %s | %.1f | %.0f | %.0f |\n", b, s, 100 * c / hz / 5, p / 1024, r / 1024 }'
    kill -TERM $pid; wait $pid || true; pid=
    rm -rf "$work/s-$build-$scenario"
  done
done
