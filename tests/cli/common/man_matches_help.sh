# SPDX-License-Identifier: GPL-2.0-or-later
# Every installed program (the C++ tools and the shell tools tools/stap-sandbox/CMakeLists.txt
# installs) has its man page in man/, every long option that --help lists appears in it, and every
# option the man page documents is one --help lists: the two cannot drift apart.
source "$SA_TEST_LIB"
sb=$SA_SOURCE_DIR/tools/stap-sandbox
shell_tools=$(sed -n 's/^install(PROGRAMS \(.*\) DESTINATION \${CMAKE_INSTALL_BINDIR})$/\1/p' "$sb/CMakeLists.txt")
[ -n "$shell_tools" ] || fail "no install(PROGRAMS ...) line in $sb/CMakeLists.txt"
tools=("$STAP_ADDPROBE" "$STAP_PREAMBLE" "$STAP_LOGD" "$STAP_REPORT")
for t in $shell_tools; do tools+=("$sb/$t"); done
[ "${#tools[@]}" -ge 7 ] || fail "expected at least 7 installed programs, found: ${tools[*]}"
for tool in "${tools[@]}"; do
  name=$(basename "$tool")
  man="$SA_SOURCE_DIR/man/$name.1"
  [ -f "$man" ] || fail "no man page $man"
  grep -qE "^install\(FILES .*man/$name\.1|^ +man/.*$name\.1" "$SA_SOURCE_DIR/CMakeLists.txt" ||
    fail "man/$name.1 is not installed (top-level CMakeLists.txt)"
  "$tool" --help >help || fail "$name --help failed"
  # stap-testbed's guest has its own options, in the same man page.
  if [ "$name" = stap-testbed ]; then "$tool" guest --help >>help || fail "$name guest --help failed"; fi
  grep -oE -- '--[a-z][a-z0-9-]*' help | sort -u >help_opts
  # In roff, a dash in an option is written \- ; undo that before matching.
  sed 's/\\-/-/g' "$man" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >man_opts
  missing=$(comm -23 help_opts man_opts)
  [ -z "$missing" ] || fail "$name: options in --help but not in the man page: $missing"
  extra=$(comm -13 help_opts man_opts)
  [ -z "$extra" ] || fail "$name: options in the man page but not in --help: $extra"
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES; do
    grep -q "^\.SH \"\?$section\"\?" "$man" || fail "$name: man page has no $section section"
  done
done
