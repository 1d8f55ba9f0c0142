# SPDX-License-Identifier: GPL-2.0-or-later
# The habits the guide names, checked: every C/C++ file as .clang-format formats it, every shell
# script clean under shellcheck (with .shellcheckrc), and an SPDX licence line at the top of every
# source file. Runs on a git checkout (it asks git which files are the project's).
source "$SA_TEST_LIB"
cd "$SA_SOURCE_DIR"
git rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: not a git checkout" >&2; exit 77; }
for tool in clang-format-14 shellcheck; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup-debian.sh installs it)"
done

mapfile -t cxx < <(git ls-files '*.cc' '*.h' '*.c' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
clang-format-14 --dry-run --Werror "${cxx[@]}" 2>"$T/format.log" ||
  { head -n 40 "$T/format.log"; fail "not formatted as .clang-format says (clang-format-14 -i FILE)"; }

# Shell scripts: *.sh, and files whose first line runs bash or sh.
mapfile -t sh < <(git ls-files | while read -r f; do
  [ -f "$f" ] || continue
  case "$f" in
    *.sh) echo "$f" ;;
    *.*) ;;
    *) head -n 1 "$f" | grep -qE '^#!.*(bash|/sh)' && echo "$f" ;;
  esac
done)
shellcheck -f gcc "${sh[@]}" >"$T/shellcheck.log" 2>&1 || { head -n 60 "$T/shellcheck.log"; fail "shellcheck: $(wc -l <"$T/shellcheck.log") findings"; }

missing=$(git ls-files '*.cc' '*.h' '*.c' '*.js' '*.py' '*.sh' 'CMakeLists.txt' '*/CMakeLists.txt' "${sh[@]}" |
  sort -u | while read -r f; do
    [ -f "$f" ] || continue
    head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-or-later' || echo "$f"
  done)
[ -z "$missing" ] || fail "no SPDX-License-Identifier line in the first 3 lines of: $missing"
echo "style: ${#cxx[@]} C/C++ files formatted, ${#sh[@]} shell scripts clean, SPDX lines present" >&2

# Warnings are errors in CI: scripts/test.sh builds both copies with SA_WERROR, which adds -Werror.
[ "$(grep -c -- '-DSA_WERROR=ON' scripts/test.sh)" -ge 2 ] ||
  fail "scripts/test.sh does not build (and the ASan copy) with -DSA_WERROR=ON"
grep -A1 '^if(SA_WERROR)' CMakeLists.txt | grep -q 'add_compile_options(-Werror)' ||
  fail "SA_WERROR does not add -Werror (CMakeLists.txt)"
if grep -q '^SA_WERROR:BOOL=ON' "$SA_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
  grep -q -- '-Werror' "$SA_BUILD_DIR/compile_commands.json" || fail "SA_WERROR=ON but no -Werror in the build"
fi
