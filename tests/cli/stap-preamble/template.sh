# SPDX-License-Identifier: GPL-2.0-or-later
# --template FILE renders the user's own template with the same placeholders; a typo in a placeholder
# is an error at its line (exit 65), a missing template exit 66; the marker is appended when absent.
source "$SA_TEST_LIB"
marker='// stap-assistant: end of preamble; probes below are kept by stap-preamble --regenerate'
printf 'global p = @@PORT@@\nprobe begin { println("@@CLEAR_MSG@@ @@INTERFACE@@ @@DEST_IP@@ @@DEST_MAC@@") }\n' >mine.stp

expect_exit 0 "$STAP_PREAMBLE" --template mine.stp -p 7 --interface eth1
expect_same out "global p = 7
probe begin { println(\"===CLEAR=== eth1 255.255.255.255 ff:ff:ff:ff:ff:ff\") }
$marker
"
# STAP_ASSISTANT_PREAMBLE names the default template.
expect_exit 0 env STAP_ASSISTANT_PREAMBLE="$T/mine.stp" "$STAP_PREAMBLE" -p 8
expect_grep '^global p = 8$' out

printf 'a\nb = @@PROT@@\n' >typo.stp
expect_exit 65 "$STAP_PREAMBLE" --template typo.stp
expect_same err "stap-preamble: typo.stp:2: error: unknown placeholder @@PROT@@
stap-preamble: note: known placeholders: @@PORT@@ @@CLEAR_MSG@@ @@INTERFACE@@ @@DEST_IP@@ @@DEST_MAC@@
"
[ ! -s out ] || fail "printed something for a bad template"

expect_exit 66 "$STAP_PREAMBLE" --template missing.stp
expect_same err "stap-preamble: missing.stp: error: cannot open: No such file or directory
"
printf 'x\n%s\nprobe y {}\n' "$marker" >late.stp
expect_exit 65 "$STAP_PREAMBLE" --template late.stp
expect_grep "late.stp:2: error: the end-of-preamble marker must be the template's last line" err
