# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package: `dpkg-buildpackage -us -uc -b` on a copy of the source builds
# stap-assistant_*.deb, lintian reports no errors, and the tools installed from it into a clean folder
# (dpkg -x) work there: --version, a pick on a small kernel tree, stap-logd receiving a line.
source "$SA_TEST_LIB"
for tool in dpkg-buildpackage dh lintian; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup-debian.sh --all installs it)"
done

# A copy of the source as git has it (no build folders, no node_modules).
mkdir src
if git -C "$SA_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$SA_SOURCE_DIR" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$SA_SOURCE_DIR" && cpio -0 -pdm --quiet "$T/src")
else
  cp -a "$SA_SOURCE_DIR/." src/ && rm -rf src/build* src/editor/vscode/node_modules
fi

# nocheck: the unit tests run in their own tier; here they would only double the build.
(cd src && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >build.log 2>&1 || { tail -n 60 build.log; fail "dpkg-buildpackage failed"; }
version=$(sed -n 's/^project(stap-assistant VERSION \([0-9.]*\).*/\1/p' "$SA_SOURCE_DIR/CMakeLists.txt")
deb=$T/stap-assistant_${version}_amd64.deb
[ -f "$deb" ] || { ls "$T"; fail "no $deb (debian/changelog and CMakeLists.txt disagree on the version?)"; }

# lintian: no errors (warnings are printed for the log).
lintian --fail-on error --no-tag-display-limit "$deb" >lintian.log 2>&1 || { cat lintian.log; fail "lintian reports errors"; }
cat lintian.log >&2

dpkg -x "$deb" root
tools=(stap-addprobe stap-preamble stap-logd stap-testbed stap-sandbox stap-runtime-patch)
for t in "${tools[@]}"; do
  for f in "usr/bin/$t" "usr/share/man/man1/$t.1.gz" "usr/share/bash-completion/completions/$t"; do
    [ -e "root/$f" ] || fail "not in the package: $f"
  done
  expect_exit 0 "root/usr/bin/$t" --version
  expect_grep "$version" out
done
for f in usr/share/stap-assistant/preamble.stp usr/share/doc/stap-assistant/copyright; do
  [ -e "root/$f" ] || fail "not in the package: $f"
done
dpkg-deb -f "$deb" Depends >depends
expect_grep systemtap depends
expect_grep libclang1-14 depends

# A pick on a small kernel tree, with the installed preamble (marked, so that it is the one read).
sed -i '1i // installed-copy-mark' root/usr/share/stap-assistant/preamble.stp
mkdir -p k/arch/x86 k/kernel
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nobj-y += kernel/\n' >k/Makefile
echo 'obj-y += kernel/' >k/Kbuild
echo 'obj-y += hello.o' >k/kernel/Makefile
printf 'int hello(int a)\n{\n\treturn a + 1;\n}\n' >k/kernel/hello.c
export XDG_CACHE_HOME=$T/cache
expect_exit 0 env -u STAP_ASSISTANT_PREAMBLE root/usr/bin/stap-addprobe -C k -o tracer.stp kernel/hello.c:hello
expect_grep 'probe kernel.function("hello@kernel/hello.c").call { trace_call() }' tracer.stp
grep -qx '// installed-copy-mark' tracer.stp || fail "the script does not start with the installed preamble"

# The installed stap-logd receives a line.
STAP_LOGD=$T/root/usr/bin/stap-logd
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd --bind 127.0.0.1
$UDP "$LOGD_PORT" "===CLEAR===" "hello from the package"
wait_for "hello from the package" "$T/s/current"
stop_logd
