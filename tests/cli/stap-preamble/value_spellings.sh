# SPDX-License-Identifier: GPL-2.0-or-later
# The preamble's value merge (sa_put_values in share/preamble.stp, log-format.md "Values"), compiled
# on the host as plain C with a few kernel helpers stubbed, on the texts SystemTap renders: a deep
# ($$parms$$) and a shallow ($$parms) rendering, and the one-level rendering ($$parms$) when the deep
# one has an ERROR. The guest test (kernel.values_guest) checks the same rules on a real trace.
source "$SA_TEST_LIB"
command -v cc >/dev/null || { echo "SKIP: no C compiler"; exit 77; }
sed -n '/^\/\* Values (log-format.md, "Values")/,/^\/\* Formats one line into this CPU/p' \
  "$SA_SOURCE_DIR/share/preamble.stp" | sed '$d' >values.c
grep -q 'sa_put_values' values.c || fail "cannot find sa_put_values in share/preamble.stp"
cat >main.c <<'C'
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef uint64_t u64;
#define TASK_SIZE_MAX ((1UL << 47) - 4096)
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)
#define scnprintf snprintf
static int hex_to_bin(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
#include "values.c"
int main(int argc, char **argv)
{
	char out[256];
	size_t n = sa_put_values(out, argc > 4 ? (size_t)atoi(argv[4]) : sizeof(out), argv[1], argv[2], argv[3]);
	printf("%s|%zu\n", out, n);
	return 0;
}
C
sed -i '1i #include <stdlib.h>' main.c
cc -std=gnu11 -Wall -Werror -Wno-unused-function -o merge main.c || fail "the merge does not compile on its own"
check() {  # check DEEP MEDIUM SHALLOW EXPECTED [ROOM]
  local got
  # shellcheck disable=SC2086  # an empty fifth argument is no argument
  got=$(./merge "$1" "$2" "$3" ${5:-})
  got=${got%|*}
  [ "$got" = "$4" ] || fail "deep '$1' medium '$2' shallow '$3': got '$got', want '$4'"
}
# Integers and strings stay as SystemTap prints them.
check 'dfd=-100 filename="/etc/x" flags=32768' '' 'dfd=0xffffff9c filename=0x7ffe10 flags=0x8000' \
      'dfd=-100 filename="/etc/x" flags=32768'
# ERROR with the pointer known: NULL, an error pointer, a user pointer, a kernel pointer.
check 'p=ERROR' '' 'p=0x0' 'p=0x0'
check 'p=ERROR' '' 'p=0' 'p=0x0'
check 'return=ERROR' '' 'return=0xfffffffffffffffe' 'return=-2'
check 'return=ERROR' '' 'return=0xfffffffffffff001' 'return=-4095'
check 'dirent=ERROR prev=ERROR n=3' '' 'dirent=0x55d977c2f380 prev=0x55d977c2f368 n=0x3' \
      'dirent=0x55d977c2f380(user) prev=0x55d977c2f368(user) n=3'
check 'f=ERROR' '' 'f=0xffff888004a1c000' 'f=0xffff888004a1c000'
# A readable struct pointer shows its address first; a struct passed by value does not.
check 'how={.flags=1, .mode=0} x=2' '' 'how=0xffffc900003b7ef0 x=0x2' 'how=0xffffc900003b7ef0->{.flags=1, .mode=0} x=2'
check 's={.a=1}' '' 's={...}' 's={.a=1}'
# A %p value (void *) is spelled as a pointer too.
check 'v=0xfffffffffffffff4 w=0x7ffe00 z=0x0' '' 'v=0xfffffffffffffff4 w=0x7ffe00 z=0x0' 'v=-12 w=0x7ffe00(user) z=0x0'
# A struct with a member that cannot be read: the one-level rendering, when it could be read.
check 'nd=ERROR flags=2' 'nd={.path={...}, .name="a b", .depth=0} flags=2' 'nd=0xffffc90000413960 flags=0x2' \
      'nd=0xffffc90000413960->{.path={...}, .name="a b", .depth=0} flags=2'
check 'nd=ERROR flags=2' 'nd=ERROR flags=2' 'nd=0xffffc90000413960 flags=0x2' 'nd=0xffffc90000413960 flags=2'
# Names inside strings and struct members are not parameters.
check 'a="x b=ERROR" b=ERROR' '' 'a=0xffff888000000010 b=0x0' 'a="x b=ERROR" b=0x0'
check 'a={.b=1} b=ERROR' '' 'a=0xffff888000000010 b=0xfffffffffffffffe' 'a=0xffff888000000010->{.b=1} b=-2'
# Unavailable values and a deep text cut short (MAXSTRINGLEN) are kept as they are.
check 'a=? b=1' '' 'a=? b=0x1' 'a=? b=1'
check 'a={.x=1, .y' '' 'a=0xffff888000000010 b=0x1' 'a=0xffff888000000010->{.x=1, .y'
# The output is bounded by the room it is given, and always terminated.
out=$(./merge 'p=ERROR q=ERROR' '' 'p=0xffff888000000010 q=0xffff888000000020' 12)
[ "$out" = 'p=0xffff888|11' ] || fail "bounded output: $out"
# A pointer to an integer (loff_t *pos): SystemTap prints the address as a signed number.
check 'count=832 pos=-60473135317592 n=-2' '' 'count=0x340 pos=0xffffc90000403da8 n=0xfffffffffffffffe' \
      'count=832 pos=0xffffc90000403da8 n=-2'
