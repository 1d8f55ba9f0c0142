# SPDX-License-Identifier: GPL-2.0-or-later
# A line is visible to a reader of the session file within 50 ms of its arrival (median of 9 sends,
# so that one scheduling hiccup of this shared machine does not decide).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR==="
wait_for "CLEAR" "$T/s/current"
python3 - "$LOGD_PORT" "$T/s/current" <<'PY' || fail "lines were not visible within 50 ms"
import socket, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
delays = []
for i in range(9):
    marker = b"visible %d\n" % i
    t0 = time.monotonic()
    s.sendto(b"SA1 0 %d 1/1 visible %d" % (i + 1, i), ("127.0.0.1", port))
    while marker not in open(path, "rb").read():
        if time.monotonic() - t0 > 2:
            sys.exit("line %d never appeared" % i)
        time.sleep(0.001)
    delays.append(time.monotonic() - t0)
    time.sleep(0.03)
delays.sort()
print("delays ms:", " ".join("%.1f" % (d * 1000) for d in delays))
sys.exit(0 if delays[4] < 0.050 else 1)
PY
stop_logd
