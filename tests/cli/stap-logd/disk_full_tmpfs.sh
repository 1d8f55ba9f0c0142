# SPDX-License-Identifier: GPL-2.0-or-later
# A really full disk (a 1 MiB tmpfs): lines dropped past --max-buffered are a "lost N lines (not
# written: No space left on device)" note at the gap, and the exit summary counts exactly the lines
# that reached the file (before: the file jumped from line 491140 to 700001 with no note; SIGTERM
# with the disk full said "wrote 20001 lines ... lost 0" with 7,662 on disk, exit 0).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
[ "$(id -u)" = 0 ] || { echo "needs root to mount a tmpfs"; exit 77; }
mkdir "$T/s"
mount -t tmpfs -o size=1m,mode=0750 tmpfs "$T/s" 2>/dev/null || { echo "cannot mount a tmpfs here"; exit 77; }
cleanup_hooks+=("umount -l '$T/s'")
head -c $((1024 * 1024 - 48 * 1024)) /dev/zero >"$T/s/filler" 2>/dev/null || true
start_logd --max-buffered 64K
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR==="
$UDP "$LOGD_PORT" --sa1 20000
wait_for "warning: cannot write session .*: No space left on device" "$T/logd.err"
sleep 1  # let it take every datagram from the socket
rm "$T/s/filler"
wait_for "note: writing sessions again" "$T/logd.err"
$UDP "$LOGD_PORT" --sa1 1 --first 20001
wait_for "^line 20001$" "$T/s/current"
stop_logd_rc
[ "$LOGD_RC" = 74 ] || { cat "$T/logd.err"; fail "exit $LOGD_RC, not 74"; }
f="$T/s/current"
lost=$(sed -n 's/^-- stap-logd: lost \([0-9]*\) lines (not written: No space left on device)$/\1/p' "$f")
[ -n "$lost" ] || { grep -v '^line' "$f"; fail "no note of the lines lost to the full disk"; }
written=$(grep -c '^line [0-9]*$' "$f")
[ $((written + lost)) = 20001 ] || fail "$written lines written + $lost noted as lost is not 20001"
# The note is at the gap: the line before it and the line after it are where the numbers jump.
before=$(grep -B1 '^-- stap-logd: lost' "$f" | head -1 | cut -d' ' -f2)
after=$(grep -A1 '^-- stap-logd: lost' "$f" | tail -1 | cut -d' ' -f2)
[ $((after - before - 1)) = "$lost" ] || fail "the note says $lost lines, the gap is line $before to $after"
[ "$(summary_lines)" = "$(lines_on_disk)" ] || fail "summary says $(summary_lines) lines written, the files hold $(lines_on_disk)"

# SIGTERM while the disk is full: the summary counts what is on disk, the exit code says lines were lost.
rm -f "$T/s"/*.log "$T/s"/current*
head -c $((1024 * 1024 - 48 * 1024)) /dev/zero >"$T/s/filler" 2>/dev/null || true
start_logd --max-buffered 64K
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR==="
$UDP "$LOGD_PORT" --sa1 20000
wait_for "warning: cannot write session .*: No space left on device" "$T/logd.err"
sleep 1
stop_logd_rc
[ "$LOGD_RC" = 74 ] || { cat "$T/logd.err"; fail "exit $LOGD_RC, not 74"; }
[ "$(summary_lines)" = "$(lines_on_disk)" ] || fail "summary says $(summary_lines) lines written, the files hold $(lines_on_disk)"
expect_grep "lines lost at shutdown (not written: No space left on device)" "$T/logd.err"
