# SPDX-License-Identifier: GPL-2.0-or-later
# Printing: the default preamble with its placeholders filled, the defaults of the load-time
# parameters from the options, bad values refused with exit 64.
source "$SA_TEST_LIB"
marker='// stap-assistant: end of preamble; probes below are kept by stap-preamble --regenerate'

expect_exit 0 "$STAP_PREAMBLE"
[ ! -s err ] || fail "stderr not empty: $(cat err)"
[ "$(tail -n 1 out)" = "$marker" ] || fail "last line is not the marker: $(tail -n 1 out)"
[ "$(grep -c '^// stap-assistant: end of preamble' out)" = 1 ] || fail "marker not exactly once"
expect_no_grep '@@' out
expect_grep '^global dest_port = 65530$' out
expect_grep '^global interface = "eth0"$' out
expect_grep '^global dest_ip = "255.255.255.255"$' out
expect_grep '^global dest_mac = "ff:ff:ff:ff:ff:ff"$' out
expect_grep '===CLEAR===' out
# The printed text is the template with the placeholders replaced, nothing else.
sed -e 's/@@PORT@@/65530/; s/@@INTERFACE@@/eth0/; s/@@DEST_IP@@/255.255.255.255/' \
    -e 's/@@DEST_MAC@@/ff:ff:ff:ff:ff:ff/; s/@@CLEAR_MSG@@/===CLEAR===/' \
    "$SA_SOURCE_DIR/share/preamble.stp" >want
cmp want out || fail "printed preamble differs from share/preamble.stp with defaults"

expect_exit 0 "$STAP_PREAMBLE" -p 5000 --interface ens3 --dest-ip 10.0.2.2 --dest-mac 52:55:0a:00:02:02
expect_grep '^global dest_port = 5000$' out
expect_grep '^global interface = "ens3"$' out
expect_grep '^global dest_ip = "10.0.2.2"$' out
expect_grep '^global dest_mac = "52:55:0a:00:02:02"$' out

expect_exit 64 "$STAP_PREAMBLE" --dest-ip 10.0.2
expect_same err "stap-preamble: error: '10.0.2' is not an IPv4 address (a.b.c.d)
"
[ ! -s out ] || fail "a refused run printed something"
expect_exit 64 "$STAP_PREAMBLE" --port 70000
expect_grep 'port 70000 is not in 1..65535' err
expect_exit 64 "$STAP_PREAMBLE" --dest-mac ff:ff:ff
expect_exit 64 "$STAP_PREAMBLE" --interface 'eth0"; evil'
expect_exit 64 "$STAP_PREAMBLE" --force
expect_exit 64 "$STAP_PREAMBLE" -o a.stp --regenerate b.stp
[ ! -e a.stp ] || fail "a.stp created by a refused command line"
