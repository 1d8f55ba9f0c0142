# SPDX-License-Identifier: GPL-2.0-or-later
# Every long option that --help lists appears in the tool's man page, and every option the man page
# documents is one --help lists: the two cannot drift apart.
source "$SA_TEST_LIB"
for tool in "$STAP_ADDPROBE" "$STAP_PREAMBLE" "$STAP_LOGD" "$STAP_REPORT"; do
  name=$(basename "$tool")
  man="$SA_SOURCE_DIR/man/$name.1"
  [ -f "$man" ] || fail "no man page $man"
  "$tool" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >help_opts
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
