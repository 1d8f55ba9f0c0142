# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input is a diagnostic with file and line and exit 65 (66 for a missing file or a folder),
# never a crash, nothing on stdout, no --chrome file.
source "$SA_TEST_LIB"
printf 'root:x:0:0:root:/root:/bin/bash\n' >passwd
expect_exit 65 "$STAP_REPORT" passwd
expect_same err "stap-report: passwd:1: error: not a session file: the first line is neither a trace line nor a stap-logd note
"
[ ! -s out ] || fail "stdout not empty"

head -c -1 "$SA_SOURCE_DIR/tests/data/session-basic.log" >cut.log
expect_exit 65 "$STAP_REPORT" --chrome t.json cut.log
expect_same err "stap-report: cut.log:16: error: last line has no newline: the file was cut or is still being written
"
[ ! -e t.json ] || fail "the chrome file was written"
[ ! -s out ] || fail "stdout not empty"

{ head -3 "$SA_SOURCE_DIR/tests/data/session-basic.log"; printf '1.000000 cpu0 ls[1/1] -> f\0\001\n'; } >nul.log
expect_exit 65 "$STAP_REPORT" --json nul.log
expect_same err "stap-report: nul.log:4: error: binary data (byte 27 of the line): not a session file
"
printf '1.000000 cpu0 ls[1/1] -> f \xff\xfe\n' >utf.log
expect_exit 65 "$STAP_REPORT" utf.log
expect_grep 'utf.log:1: error: binary data (byte 28 of the line)' err

head -c 3000000 /bin/sh >elf
expect_exit 65 "$STAP_REPORT" --errors elf
expect_grep '^stap-report: elf:1: error: ' err
python3 -c 'import sys; sys.stdout.write("-- stap-logd: x\n" + "a" * (2 << 20) + "\n")' >long.log
expect_exit 65 "$STAP_REPORT" long.log
expect_same err "stap-report: long.log:2: error: line longer than 1 MiB: not a session file
"
# Random bytes of many seeds: always 0 or 65, never a crash.
seed=${SA_SEED:-$RANDOM}
echo "seed $seed"
for i in $(seq 1 30); do
  python3 -c "import random,sys; r=random.Random($seed+$i); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(r.randrange(1,4000))))" >rnd
  got=0; "$STAP_REPORT" --errors --chrome r.json rnd >/dev/null 2>rerr || got=$?
  [ "$got" = 65 ] || [ "$got" = 0 ] || fail "seed $seed+$i: exit $got: $(cat rerr)"
done

expect_exit 66 "$STAP_REPORT" missing.log
expect_same err "stap-report: missing.log: error: cannot open: No such file or directory
"
mkdir dir
expect_exit 66 "$STAP_REPORT" dir
expect_same err "stap-report: dir: error: is a directory, not a session file
"
: >empty.log
expect_exit 0 "$STAP_REPORT" --json empty.log
expect_same out '{"format":1,"session":"empty.log","lines":0,"lost":0,"threads":0}
'
expect_exit 64 "$STAP_REPORT" --json --errors empty.log
expect_exit 64 "$STAP_REPORT" --chrome - empty.log
