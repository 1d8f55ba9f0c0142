# SPDX-License-Identifier: GPL-2.0-or-later
# Bash completion (share/bash-completion/stap-assistant) as bash-completion loads it: options come from
# each tool's --help, option arguments complete as folders or files by their metavariable, and
# stap-addprobe locations complete as tree files, then FILE: + the functions the extents cache holds.
source "$SA_TEST_LIB"
bc=/usr/share/bash-completion/bash_completion
[ -f "$bc" ] || fail "bash-completion is missing (scripts/setup-debian.sh installs it)"
mkdir bin
ln -s "$STAP_ADDPROBE" bin/stap-addprobe
ln -s "$STAP_LOGD" bin/stap-logd
ln -s "$STAP_PREAMBLE" bin/stap-preamble
ln -s "$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed" bin/stap-testbed
export PATH=$T/bin:$PATH XDG_CACHE_HOME=$T/cache STAP_ASSISTANT_PREAMBLE=$SA_SOURCE_DIR/share/preamble.stp

mkdir -p k/arch/x86 k/kernel k/fs
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nobj-y += kernel/\n' >k/Makefile
echo 'obj-y += kernel/' >k/Kbuild
echo 'obj-y += hello.o' >k/kernel/Makefile
printf 'int hello(int a)\n{\n\treturn a + 1;\n}\n\nint help_me(void)\n{\n\treturn 0;\n}\n' >k/kernel/hello.c

# complete LINE: prints the completions bash would offer at the end of LINE, one a line, sorted.
complete_line() {
  bash --norc --noprofile -c '
    source "$1"; source "$2"
    line=$3
    COMP_LINE=$line COMP_POINT=${#line}
    # Split as readline does: blanks, and COMP_WORDBREAKS characters such as ":" as words of their own.
    read -r -a COMP_WORDS <<<"$(sed "s/:/ : /g" <<<"$line")"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _sa_complete_entry "${COMP_WORDS[0]}"
    printf "%s\n" "${COMPREPLY[@]}" | sed "/^$/d" | sort' _ "$bc" "$SA_SOURCE_DIR/share/bash-completion/stap-assistant" "$1"
}

complete_line "stap-addprobe --ou" >got
expect_same got '--output
'
complete_line "stap-logd --j" >got
expect_same got '--json
'
complete_line "stap-testbed g" >got
expect_same got 'guest
'
# -C takes a DIR: folders only.
complete_line "stap-addprobe -C k/ke" >got
expect_same got 'k/kernel
'
# --call-code takes CODE: nothing.
complete_line "stap-addprobe --call-code " >got
[ ! -s got ] || fail "a CODE argument completed to: $(cat got)"

# Locations: tree files, then functions once a pick warmed the cache (never before: no C parsing).
cd k
complete_line "stap-addprobe kernel/he" >got
expect_same got 'kernel/hello.c
'
complete_line "stap-addprobe kernel/hello.c:" >got
[ ! -s got ] || fail "functions offered from a cold cache: $(cat got)"
expect_exit 0 stap-addprobe --dry-run kernel/hello.c:hello
complete_line "stap-addprobe kernel/hello.c:" >got
expect_same got 'hello
help_me
'
complete_line "stap-addprobe kernel/hello.c:help" >got
expect_same got 'help_me
'
