# SPDX-License-Identifier: GPL-2.0-or-later
# Two stap-addprobe processes append to one script 100 times each: 200 probes, each exactly once, the
# preamble intact, no torn lines.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
s="$T/t.stp"
"$STAP_ADDPROBE" --dry-run fs/open.c:1351 >/dev/null 2>&1 || fail "warming the cache failed"
writer() {
  local i
  for i in $(seq 1 100); do
    "$STAP_ADDPROBE" -o "$s" --line-code "trace_line() /* $1 $i */" --line fs/open.c:1351 >/dev/null ||
      { echo "writer $1 failed at $i" >&2; return 1; }
  done
}
writer A & a=$!
writer B & b=$!
wait $a || fail "writer A failed"
wait $b || fail "writer B failed"
"$STAP_ADDPROBE" -o "$s" --list >"$T/list"
[ "$(wc -l <"$T/list")" = 200 ] || fail "expected 200 probes, got $(wc -l <"$T/list")"
for w in A B; do
  for i in $(seq 1 100); do
    [ "$(grep -c "/\* $w $i \*/ }\$" "$T/list")" = 1 ] || fail "probe $w $i is not there exactly once"
  done
done
n=$("$STAP_PREAMBLE" | wc -l)
"$STAP_PREAMBLE" >"$T/pre"
head -n "$n" "$s" | cmp - "$T/pre" || fail "the preamble was damaged"
[ "$(tail -n +$((n + 1)) "$s" | grep -vc '^probe kernel.statement("__do_sys_openat@fs/open.c:1351") { trace_line() /\* [AB] [0-9]* \*/ }$')" = 0 ] ||
  fail "a line of the script is not a whole probe"
