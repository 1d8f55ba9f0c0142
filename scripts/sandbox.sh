#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job: trace the guest's `ls` live. Builds the tools, prepares the cached test bed (Debian's
# own kernel, its DWARF, a patched SystemTap runtime, a QEMU guest; ~10 min the first time, then
# cached), writes tracer.stp with stap-addprobe, compiles it, starts stap-logd, boots the guest, runs
# `ls` under staprun -c and shows the session file live. Arguments go to stap-sandbox (--help):
#   ./scripts/sandbox.sh                                   the demo picks in fs/readdir.c
#   ./scripts/sandbox.sh fs/open.c:do_sys_openat2 fs/namei.c:do_filp_open --run 'cat /etc/passwd'
#   ./scripts/sandbox.sh --script my-tracer.stp --run 'ls /proc'
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
exec "$src/tools/stap-sandbox/stap-sandbox" "$@"
