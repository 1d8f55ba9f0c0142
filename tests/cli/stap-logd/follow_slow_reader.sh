# SPDX-License-Identifier: GPL-2.0-or-later
# A follow reader that does not read never blocks receiving or the session files: every line reaches
# the file, and the reader is told how many lines it missed. (Before: 200,000 lines sent, 479 in the
# file, the rest dropped by the kernel while stap-logd waited on the pipe.)
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
mkfifo "$T/pipe"
exec 3<>"$T/pipe"  # open, never read until the end
: >"$T/logd.err"
"$STAP_LOGD" -p 0 -d "$T/s" -f >"$T/pipe" 2>"$T/logd.err" &
LOGD_PID=$!
cleanup_hooks+=("kill $LOGD_PID 2>/dev/null")
wait_for "listening on" "$T/logd.err"
LOGD_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\),.*/\1/p' "$T/logd.err")
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR===" "SA1 0 1 1/1 $(printf 'x%.0s' $(seq 2000))"
python3 - "$LOGD_PORT" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
pad = b"y" * 200
for i in range(2, 50002):
    s.sendto(b"SA1 0 %d 1/1 line %d %s" % (i, i, pad), ("127.0.0.1", int(sys.argv[1])))
    if i % 1000 == 0:
        time.sleep(0.01)
PY
for i in $(seq 200); do
  [ "$(grep -c '^line ' "$T/s/current")" = 50000 ] && break
  sleep 0.05
done
[ "$(grep -c '^line ' "$T/s/current")" = 50000 ] || fail "only $(grep -c '^line ' "$T/s/current") of 50000 lines reached the file"
# Now read what the pipe holds, send one more line, and the reader is told what it missed.
python3 - <<'PY' >"$T/got"
import os, sys, time
fd = 3
os.set_blocking(fd, False)
end = time.time() + 2
while time.time() < end:
    try:
        b = os.read(fd, 65536)
        sys.stdout.buffer.write(b)
    except BlockingIOError:
        time.sleep(0.05)
PY
$UDP "$LOGD_PORT" "SA1 0 50002 1/1 the end"
python3 - <<'PY' >>"$T/got"
import os, sys, time
fd = 3
os.set_blocking(fd, False)
end = time.time() + 2
while time.time() < end:
    try:
        sys.stdout.buffer.write(os.read(fd, 65536))
    except BlockingIOError:
        time.sleep(0.05)
PY
expect_grep "^-- stap-logd: follow output skipped [0-9]* lines (its reader was slower than the senders; the session files have them)$" "$T/got"
expect_grep "^the end$" "$T/got"
stop_logd
expect_grep "follow output skipped [0-9]* lines" "$T/logd.err"
