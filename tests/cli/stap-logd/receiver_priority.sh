# SPDX-License-Identifier: GPL-2.0-or-later
# The receiving thread runs 5 nice levels above the rest of the daemon where it may (root), so that
# under CPU contention the socket is emptied before the kernel's receive buffer overflows; as another
# user (no CAP_SYS_NICE) every thread keeps the daemon's nice value and stap-logd works as before.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to compare with another user" >&2; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv" >&2; exit 77; }

# thread_nices PID: the nice value of each of its threads, sorted, on one line.
thread_nices() {
  local t
  for t in /proc/"$1"/task/*/stat; do sed 's/^.*) //' "$t" | cut -d' ' -f17; done | sort -n | tr '\n' ' '
}

# run_at NICE USER: starts stap-logd at nice NICE as USER, has one line written (so the receiving
# thread has started and received), writes its threads' nice values to $T/nices-USER and stops it.
run_at() {
  local dir="$T/s-$2" pid port="" i
  mkdir -m 0750 "$dir" && chown "$2" "$dir"
  : >"$T/err-$2"
  setpriv --reuid="$2" --regid="$(id -gn "$2")" --clear-groups nice -n "$1" \
    "$STAP_LOGD" -p 0 --bind 127.0.0.1 -d "$dir" 2>"$T/err-$2" &
  pid=$!
  cleanup_hooks+=("kill $pid 2>/dev/null")
  for i in $(seq 100); do
    port=$(sed -n 's/.*listening on .* port \([0-9]*\),.*/\1/p' "$T/err-$2")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$T/err-$2"; fail "stap-logd as $2 did not start"; }
  $UDP "$port" "SA1 0 0 1/1 ===CLEAR===" "SA1 0 1 1/1 hello"
  wait_for "^hello$" "$dir/current"
  thread_nices "$pid" >"$T/nices-$2"
  kill -TERM "$pid"
  wait "$pid" || fail "stap-logd as $2 exited $? on SIGTERM"
}

chmod 0755 "$T"
base=$(($(nice) + 3))  # what nice -n 3 gives here: ctest itself may run niced
[ "$base" -le 19 ] || { echo "SKIP: already at nice $(nice)" >&2; exit 77; }
# same N COUNT: N, COUNT times, space-separated
same() { printf "$1 %.0s" $(seq 1 "$2"); }

run_at 3 root
root=$(cat "$T/nices-root")
threads=$(echo "$root" | wc -w)
[ "$threads" -ge 2 ] || fail "stap-logd has $threads thread(s)"
# One thread, the receiving one, at base - 5; the others at base.
[ "$root" = "$((base - 5)) $(same "$base" $((threads - 1)))" ] || fail "as root, threads at nice: $root (base $base)"

run_at 3 nobody
nobody=$(cat "$T/nices-nobody")
threads=$(echo "$nobody" | wc -w)
[ "$nobody" = "$(same "$base" "$threads")" ] || fail "as nobody, threads at nice: $nobody (base $base)"
expect_no_grep "error" "$T/err-nobody"
