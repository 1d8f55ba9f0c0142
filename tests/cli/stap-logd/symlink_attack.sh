# SPDX-License-Identifier: GPL-2.0-or-later
# Another user must not make stap-logd write into a file of its choosing (issue #12). The attacker runs
# as nobody (setpriv; CI is root), the victims are a root-owned file and a private device node made with
# mknod in this test's folder, never the real /dev.
#  1. With no HOME the default folder was /tmp/.local/state/...: now there is no default, exit 73.
#  2. A session folder the attacker made first is refused (not ours), exit 73 with the reason.
#  3. The SIGHUP reopen followed a session file swapped for a symlink and appended a UDP line to the
#     victim: now it refuses the link, says so, and the victim is untouched.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to act as another user" >&2; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv" >&2; exit 77; }
attacker() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
chmod 0755 "$T"
printf 'secret\n' >"$T/victim"
mknod "$T/node" c 1 3

# 1. No HOME, no XDG_STATE_HOME: no default folder.
expect_exit 73 timeout 10 env -u HOME -u XDG_STATE_HOME "$STAP_LOGD" -p 0
expect_same "$T/err" "stap-logd: error: no session folder: neither XDG_STATE_HOME nor HOME is an absolute path
stap-logd: note: give one with -d DIR
"

# 2. The attacker prepares the state folder (a sticky world-writable folder, as /tmp is).
mkdir -m 1777 "$T/pub"
attacker mkdir -p "$T/pub/state/stap-assistant/sessions"
expect_exit 73 timeout 10 env -u HOME XDG_STATE_HOME="$T/pub/state" "$STAP_LOGD" -p 0
expect_same "$T/err" "stap-logd: error: session folder $T/pub/state/stap-assistant/sessions belongs to another user (uid $(id -u nobody)); refusing to write sessions there
stap-logd: note: whoever else can write it could swap a session file for a link to any file we may write
stap-logd: note: choose another folder with -d DIR
"
[ -z "$(ls -A "$T/pub/state/stap-assistant/sessions")" ] || fail "wrote into the attacker's folder"

# A folder writable by others is refused at start too.
mkdir -m 0777 "$T/open" && chmod 0777 "$T/open"
expect_exit 73 timeout 10 "$STAP_LOGD" -p 0 -d "$T/open"
expect_grep "session folder $T/open is writable by others (mode 0777); refusing to write sessions there" "$T/err"

# 3. Our folder, made writable by others after the start (a mistake, or a chmod by a script): the
# attacker swaps the session file for links to the victims, and SIGHUP must not follow them.
start_logd
$UDP "$LOGD_PORT" "===CLEAR===" "first line"
wait_for "first line" "$T/s/current"
name=$(readlink "$T/s/current")
chmod 0777 "$T/s"
refused="cannot reopen session $T/s/$name: it is a symbolic link now; not following it"
n=0
for victim in "$T/victim" "$T/node"; do
  # One rename, as an attacker would: between an rm and an ln, stap-logd may create the session file
  # again (a line arrived while it had none), and ln then fails with "File exists".
  attacker sh -c "ln -s '$victim' '$T/s/.swap' && mv -fT '$T/s/.swap' '$T/s/$name'"
  [ -L "$T/s/$name" ] || fail "the attacker could not swap the file"
  kill -HUP "$LOGD_PID"
  n=$((n + 1))
  for i in $(seq 100); do
    [ "$(grep -cF -- "$refused" "$T/logd.err")" = "$n" ] && break
    sleep 0.05
  done
  [ "$(grep -cF -- "$refused" "$T/logd.err")" = "$n" ] || { cat "$T/logd.err"; fail "SIGHUP $n: no refusal"; }
  $UDP "$LOGD_PORT" "line after the swap to $victim"
done
sleep 0.3
kill -0 "$LOGD_PID" || fail "stap-logd died"
# The lines sent after the swap had no file to go to: exit 74, and said.
kill -TERM "$LOGD_PID"
rc=0 && wait "$LOGD_PID" || rc=$?
[ "$rc" = 74 ] || { cat "$T/logd.err"; fail "stap-logd exited $rc, expected 74 (lines not written)"; }
expect_grep "2 lines not written" "$T/logd.err"
expect_same "$T/victim" "secret
"
[ -c "$T/node" ] || fail "the device node was replaced"
[ "$(stat -c %U "$T/victim")" = root ] || fail "victim owner changed"
