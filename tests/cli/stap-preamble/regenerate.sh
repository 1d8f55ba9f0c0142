# SPDX-License-Identifier: GPL-2.0-or-later
# --regenerate SCRIPT replaces the preamble (everything up to and including the marker line) and keeps
# every byte after it, including a script edited by hand above and below the marker; the rewrite is
# atomic (new inode, no temporary left, mode kept) and every failure leaves the old file as it was.
source "$SA_TEST_LIB"
marker='// stap-assistant: end of preamble; probes below are kept by stap-preamble --regenerate'

"$STAP_PREAMBLE" -p 1111 -o tracer.stp
# Hand edits above the marker (they belong to the preamble and go away) ...
sed -i '1i // my note above, will be replaced' tracer.stp
# ... and below it: probes, odd whitespace, CRLF, a tab, non-UTF-8 bytes, no final newline.
printf '\n\nprobe kernel.function("vfs_read").call { trace_call() }   \r\n\t// mine\n\xff\xfe\nprobe end { }' >body
cat body >>tracer.stp
chmod 0751 tracer.stp
ino_before=$(stat -c %i tracer.stp)

expect_exit 0 "$STAP_PREAMBLE" --regenerate tracer.stp -p 2222
[ ! -s out ] && [ ! -s err ] || fail "--regenerate wrote to stdout/stderr"
{ "$STAP_PREAMBLE" -p 2222; cat body; } >want
cmp want tracer.stp || fail "regenerated script is not new preamble + old body"
[ "$(stat -c %a tracer.stp)" = 751 ] || fail "mode changed to $(stat -c %a tracer.stp)"
[ "$(stat -c %i tracer.stp)" != "$ino_before" ] || fail "not replaced by rename (same inode)"
[ "$(ls -A)" = "$(printf 'body\nerr\nout\ntracer.stp\nwant')" ] || fail "left behind: $(ls -A)"

# The load-time defaults of the old preamble are kept unless given again.
cp tracer.stp keep.stp
"$STAP_PREAMBLE" --regenerate keep.stp
cmp want keep.stp || fail "regenerate without -p did not keep port 2222"
"$STAP_PREAMBLE" --regenerate keep.stp --interface ens4 --dest-ip 10.0.2.2
expect_grep '^global dest_port = 2222$' keep.stp
expect_grep '^global interface = "ens4"$' keep.stp
"$STAP_PREAMBLE" --regenerate keep.stp -p 3333
expect_grep '^global dest_port = 3333$' keep.stp
expect_grep '^global interface = "ens4"$' keep.stp
expect_grep '^global dest_ip = "10.0.2.2"$' keep.stp
expect_grep '^global dest_mac = "ff:ff:ff:ff:ff:ff"$' keep.stp
rm keep.stp

# A reworded marker comment is still the marker; the user's wording goes with the preamble.
sed -i "s|^$marker\$|// stap-assistant: end of preamble (do not remove)|" tracer.stp
expect_exit 0 "$STAP_PREAMBLE" --regenerate tracer.stp -p 2222
cmp want tracer.stp || fail "reworded marker not handled"

# Failures leave the file byte for byte, and create nothing.
cp tracer.stp before
printf 'x = @@NOPE@@\n' >bad.tmpl
expect_exit 65 "$STAP_PREAMBLE" --regenerate tracer.stp --template bad.tmpl
cmp before tracer.stp || fail "failed regenerate (bad template) changed the script"

printf 'probe a {}\n' >nomarker.stp
expect_exit 65 "$STAP_PREAMBLE" --regenerate nomarker.stp
expect_same err "stap-preamble: nomarker.stp: error: no end-of-preamble marker in this script
stap-preamble: note: the preamble must end with the line: $marker
stap-preamble: note: add that line after the preamble by hand, then run this again
"
[ "$(cat nomarker.stp)" = 'probe a {}' ] || fail "no-marker script changed"

printf '%s\nprobe a {}\n%s\n' "$marker" "$marker" >two.stp
cp two.stp two.before
expect_exit 65 "$STAP_PREAMBLE" --regenerate two.stp
expect_grep '^stap-preamble: two.stp:3: error: more than one end-of-preamble marker in this script$' err
cmp two.before two.stp || fail "two-marker script changed"

: >empty.stp
expect_exit 65 "$STAP_PREAMBLE" --regenerate empty.stp
[ -e empty.stp ] && [ ! -s empty.stp ] || fail "empty script removed or changed"

expect_exit 66 "$STAP_PREAMBLE" --regenerate missing.stp
[ ! -e missing.stp ] || fail "--regenerate created a missing script"
# shellcheck disable=SC2143  # the same listing is shown when it fails
[ -z "$(ls -A | grep '^\.')" ] || fail "temporary files left: $(ls -A | grep '^\.')"
