# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the script tests (sourced). Each test runs in its own temporary folder, removed at exit.
set -euo pipefail
T=$(mktemp -d "${TMPDIR:-/tmp}/sa-test.XXXXXX")
cleanup_hooks=()
# SA_TEST_KEEP=DIR keeps the folder of a failed test there (for flaky failures seen in loops).
sa_cleanup() {
  local rc=$? h
  for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
  if [ "$rc" != 0 ] && [ -n "${SA_TEST_KEEP:-}" ]; then
    mkdir -p "$SA_TEST_KEEP" && cp -a "$T" "$SA_TEST_KEEP/" && echo "kept $T in $SA_TEST_KEEP" >&2
  fi
  rm -rf "$T"
}
trap sa_cleanup EXIT
cd "$T"

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
