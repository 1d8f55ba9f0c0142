# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the script tests (sourced). Each test runs in its own temporary folder, removed at exit.
set -euo pipefail
T=$(mktemp -d "${TMPDIR:-/tmp}/sa-test.XXXXXX")
cleanup_hooks=()
# SA_TEST_KEEP=DIR keeps the folder of a failed test there (for flaky failures seen in loops).
sa_cleanup() {
  local rc=$? h
  for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
  if [ "$rc" = 0 ] && [ -z "${SA_NO_DIAG_CHECK:-}" ]; then
    sa_check_diags "$T/err" "$T"/*.err || rc=1
  fi
  if [ "$rc" != 0 ] && [ -n "${SA_TEST_KEEP:-}" ]; then
    mkdir -p "$SA_TEST_KEEP" && cp -a "$T" "$SA_TEST_KEEP/" && echo "kept $T in $SA_TEST_KEEP" >&2
  fi
  rm -rf "$T"
  exit "$rc"
}
trap sa_cleanup EXIT
cd "$T"

# Every diagnostic a tool prints follows one format (tools/common/diag.h):
#   TOOL: FILE:LINE: error: MESSAGE, TOOL: FILE: error: MESSAGE, TOOL: error: MESSAGE
# (and warning:, note:). Every stderr a test captures ($T/err from expect_exit, $T/*.err) is held to
# it: a line with "error:", "warning:" or "note:" must be one, and its MESSAGE must not start with a
# location ("error: fs/x.c: ..." puts the file on the wrong side).
# Held in the cli tier (the kernel and editor tiers capture stap's, QEMU's and npm's own stderr).
case "$0" in */tests/cli/*) ;; *) SA_NO_DIAG_CHECK=${SA_NO_DIAG_CHECK:-1} ;; esac
sa_diag_ok='^[a-z][a-z0-9-]*: ([^ ]+: )?(error|warning|note): '
sa_diag_word='(^|[^A-Za-z_-])(error|warning|note): '
sa_diag_loc_late='^[a-z][a-z0-9-]*: ([^ ]+: )?(error|warning|note): [^ '"'"'"(][^ ]*[/.][^ ]*[: ]'
sa_check_diag_file() {  # sa_check_diag_file FILE: prints the lines that break the format
  [ -f "$1" ] || return 0
  LC_ALL=C grep -aE -- "$sa_diag_word" "$1" | LC_ALL=C grep -avE -- "$sa_diag_ok" || true
  LC_ALL=C grep -aE -- "$sa_diag_ok" "$1" | LC_ALL=C grep -aE -- "$sa_diag_loc_late" || true
}
sa_check_diags() {  # sa_check_diags FILE...: fails the test on a diagnostic out of format
  local f bad
  for f in "$@"; do
    bad=$(sa_check_diag_file "$f")
    if [ -n "$bad" ]; then
      printf '%s\n' "--- $f" "$bad" >&2
      echo "FAIL: diagnostics not in the TOOL: FILE:LINE: error: MESSAGE format" >&2
      return 1
    fi
  done
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: runs CMD with stdout/stderr in $T/out and $T/err, checks the exit code.
expect_exit() {
  local want=$1; shift
  local got=0
  "$@" >"$T/out" 2>"$T/err" || got=$?
  if [ "$got" != "$want" ]; then
    echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
    fail "expected exit $want, got $got from: $*"
  fi
  [ -n "${SA_NO_DIAG_CHECK:-}" ] || sa_check_diags "$T/err" || fail "from: $*"
}

# expect_same FILE TEXT: the file's bytes equal TEXT exactly (pass TEXT with its final newline).
expect_same() {
  if ! diff <(printf '%s' "$2") "$1" >"$T/diff"; then
    cat "$T/diff"; fail "$1 differs from what was expected"
  fi
}

expect_grep() {  # expect_grep PATTERN FILE
  grep -q -- "$1" "$2" || { echo "--- $2"; cat "$2"; fail "no '$1' in $2"; }
}

expect_no_grep() {  # expect_no_grep PATTERN FILE
  if grep -q -- "$1" "$2"; then echo "--- $2"; cat "$2"; fail "unexpected '$1' in $2"; fi
}

# A free UDP port on loopback.
free_udp_port() {
  python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
