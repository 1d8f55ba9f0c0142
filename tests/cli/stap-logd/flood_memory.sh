# SPDX-License-Identifier: GPL-2.0-or-later
# Memory from the network is bounded by the caps (defaults): 2,000 netconsole fragments announcing
# 64 KiB messages from 2,000 loopback addresses (bench/logd_caps.sh sends 20,000), then 200,000 SA1 lines over 200,000 CPU numbers from
# one sender. Before the caps 20,000 such fragments took RSS to 2.58 GB (2,000: 0.26 GB).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
python3 - "$LOGD_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
for i in range(2000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.%d.%d" % (1 + i // 250, 1 + i % 250), 0))
    off = 0 if i % 2 else 65535  # the issue's fragment, and one that reaches the end of its message
    s.sendto(b"6,%d,1000000,-,ncfrag=%d/65536;x" % (i, off), ("127.0.0.1", port))
    s.close()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
for cpu in range(200000):
    s.sendto(b"SA1 %d 7 1/1 cpu line" % cpu, ("127.0.0.1", port))
PY
# Wait until everything sent was taken from the socket (the count stops moving), then look at the peak.
last=-1
for i in $(seq 200); do
  now=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$LOGD_PID/status")
  q=$(awk -v p="$(printf ':%04X$' "$LOGD_PORT")" '$2 ~ p { print $5 }' /proc/net/udp /proc/net/udp6 | head -1)
  if [ "${q#*:}" = 00000000 ] && [ "$now" = "$last" ]; then break; fi
  last=$now
  sleep 0.25
done
hwm_kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$LOGD_PID/status")
echo "peak RSS ${hwm_kb} kB"
stop_logd
[ "$hwm_kb" -lt $((128 * 1024)) ] || fail "peak RSS $hwm_kb kB, more than 128 MB"
expect_grep "stopped putting messages together" "$T/s/$(cd "$T/s" && ls | grep '_127\.0\.1\.1\.log$' | head -1)"
expect_grep "forgot .* cpus, the least recently heard from: more than 1024 cpus from one sender (--max-cpus)" "$T/s/current-127.0.0.1"
expect_grep "evictions at the caps" "$T/logd.err"
