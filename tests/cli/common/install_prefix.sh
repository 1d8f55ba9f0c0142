# SPDX-License-Identifier: GPL-2.0-or-later
# cmake --install into a temporary prefix; the installed stap-preamble prints the installed preamble.
source "$SA_TEST_LIB"
cmake --install "$SA_BUILD_DIR" --prefix "$T/prefix" >install.log 2>&1 || { cat install.log; fail "install failed"; }
for f in bin/stap-addprobe bin/stap-preamble bin/stap-logd bin/stap-report share/stap-assistant/preamble.stp \
         share/man/man1/stap-addprobe.1 share/man/man1/stap-preamble.1 share/man/man1/stap-logd.1 \
         share/man/man1/stap-report.1; do
  [ -e "$T/prefix/$f" ] || fail "not installed: $f"
done
# Prove it is the installed copy that is read: mark it, and hide the source tree's copy from the
# lookup by running from a copy of the binary tree that is not the build folder.
sed -i "1i // installed-copy-mark" "$T/prefix/share/stap-assistant/preamble.stp"
expect_exit 0 env -u STAP_ASSISTANT_PREAMBLE "$T/prefix/bin/stap-preamble"
expect_grep '^// installed-copy-mark$' out
