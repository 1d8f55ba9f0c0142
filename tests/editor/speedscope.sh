#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stap-report --chrome and --speedscope open in speedscope: its npm release (cached like the editor tier's installs)
# loads the export in Debian's chromium, and its Sandwich table lists every function of the session
# (and no import error is shown). Sessions: the three samples of tests/data.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/editor/_setup.sh"
editor_prereqs
editor_install_tools || fail "cannot install playwright-core"
SA_SPEEDSCOPE_VERSION=1.25.0
dir=$SA_EDITOR_CACHE/speedscope-$SA_SPEEDSCOPE_VERSION
editor_npm_install "$dir" "speedscope@$SA_SPEEDSCOPE_VERSION" || fail "cannot install speedscope"
index=$dir/node_modules/speedscope/dist/release/index.html
[ -f "$index" ] || fail "no $index"
for s in basic threads lost; do
  cp "$SA_SOURCE_DIR/tests/data/session-$s.log" .
  expect_exit 0 "$STAP_REPORT" --chrome "$T/$s.json" "session-$s.log"
  node "$SA_SOURCE_DIR/tests/editor/_speedscope.js" "$SA_EDITOR_TOOLS" "$index" "$T/$s.json" "$T/chromium-$s" \
    >page.txt 2>page.err || { cat page.err; fail "$s: speedscope did not load the export"; }
  grep -E -- '-> ' "session-$s.log" | grep -v '^--' | sed -E 's/.*-> ([^@ ]+).*/\1/' | sort -u >functions
  [ -s functions ] || fail "no functions in session-$s.log"
  while read -r f; do
    grep -qF "$f" page.txt || { cat page.txt; fail "$s: speedscope's call tree has no $f"; }
  done <functions
  # speedscope makes one profile per thread that has calls (not for a thread with only "!!" lines).
  threads=$(grep '"ph":"B"' "$T/$s.json" | grep -o '"pid":[0-9]*,"tid":[0-9]*' | sort -u | wc -l)
  expect_grep "^profiles: $threads\$" page.txt
  if grep -qi 'import\|error' page.err; then cat page.err; fail "$s: speedscope reported an error"; fi
  echo "$s: speedscope lists $(wc -l <functions) functions: $(tr '\n' ' ' <functions)"
  # --speedscope, speedscope's own format (the editor's flame chart): the same functions and
  # profiles, and not one warning (its Chrome import warns once per call).
  expect_exit 0 "$STAP_REPORT" --speedscope "$T/$s.speedscope.json" "session-$s.log"
  node "$SA_SOURCE_DIR/tests/editor/_speedscope.js" "$SA_EDITOR_TOOLS" "$index" "$T/$s.speedscope.json" \
    "$T/chromium-s-$s" >page.txt 2>page.err || { cat page.err; fail "$s: speedscope did not load --speedscope"; }
  while read -r f; do
    grep -qF "$f" page.txt || { cat page.txt; fail "$s: speedscope's call tree of --speedscope has no $f"; }
  done <functions
  expect_grep "^profiles: $threads\$" page.txt
  # Chromium's own WebGL messages are not speedscope's.
  if grep -vE 'WebGL|GL Driver Message' page.err | grep -q .; then
    cat page.err; fail "$s: speedscope warned or failed on --speedscope"
  fi
done
