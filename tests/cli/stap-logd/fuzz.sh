# SPDX-License-Identifier: GPL-2.0-or-later
# The datagram parser and receiver under libFuzzer (clang-14 -fsanitize=fuzzer,address,undefined),
# bounded to 20 s: no crash, no sanitizer report, no control character in a session or in --json.
source "$SA_TEST_LIB"
command -v clang++-14 >/dev/null || { echo "clang++-14 not installed (scripts/setup-debian.sh)"; exit 77; }
fuzzer="$SA_BUILD_DIR/logd-fuzz/datagram_fuzz"
"$SA_SOURCE_DIR/tools/stap-logd/fuzz/build.sh" "$fuzzer" || fail "building the fuzz target failed"
mkdir corpus
rc=0
"$fuzzer" -max_total_time=20 -rss_limit_mb=1024 -timeout=30 -print_final_stats=1 \
  -artifact_prefix="$SA_BUILD_DIR/logd-fuzz/" corpus "$SA_SOURCE_DIR/tools/stap-logd/fuzz/seeds" >fuzz.log 2>&1 || rc=$?
tail -5 fuzz.log
if [ "$rc" != 0 ]; then
  tail -40 fuzz.log
  cp fuzz.log "$SA_BUILD_DIR/logd-fuzz/last-failure.log"  # the test folder is removed at exit
  for a in "$SA_BUILD_DIR"/logd-fuzz/{crash,leak,timeout,oom}-*; do
    [ -e "$a" ] && { echo "artifact $a:"; od -c "$a" | head -20; }
  done
  fail "fuzzer exited $rc"
fi
grep -q "^stat::number_of_executed_units: *[1-9]" fuzz.log || fail "the fuzzer ran nothing"
