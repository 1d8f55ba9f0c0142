# SPDX-License-Identifier: GPL-2.0-or-later
# The location parser and the script scanner under libFuzzer (clang-14 -fsanitize=fuzzer,address,
# undefined), 10 s each, from seeds that include the inputs that once aborted: no crash, no sanitizer
# report, and the targets' own checks hold (a body the scanner accepts never swallows an appended probe).
source "$SA_TEST_LIB"
command -v clang++-14 >/dev/null || { echo "clang++-14 not installed (scripts/setup-debian.sh)"; exit 77; }
out="$SA_BUILD_DIR/addprobe-fuzz"
"$SA_SOURCE_DIR/tools/stap-addprobe/fuzz/build.sh" "$out" || fail "building the fuzz targets failed"
for target in location script; do
  mkdir "corpus-$target"
  rc=0
  "$out/${target}_fuzz" -max_total_time=10 -rss_limit_mb=1024 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$out/" "corpus-$target" "$SA_SOURCE_DIR/tools/stap-addprobe/fuzz/seeds/$target" \
    >"$target.log" 2>&1 || rc=$?
  tail -3 "$target.log"
  if [ "$rc" != 0 ]; then
    tail -40 "$target.log"
    cp "$target.log" "$out/last-failure-$target.log"  # the test folder is removed at exit
    for a in "$out"/{crash,leak,timeout,oom}-*; do
      [ -e "$a" ] && { echo "artifact $a:"; od -c "$a" | head -20; }
    done
    fail "$target fuzzer exited $rc"
  fi
  grep -q "^stat::number_of_executed_units: *[1-9]" "$target.log" || fail "the $target fuzzer ran nothing"
done
