# SPDX-License-Identifier: GPL-2.0-or-later
# The extents cache: the first pick in a file parses (and loads libclang); a repeat pick in the
# unchanged file does not load libclang, whatever line it asks for; a stale entry is a miss.
# (How fast a repeat pick is, is measured by bench/addprobe-speed.sh, not asserted here.)
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"

LD_DEBUG=libs "$STAP_ADDPROBE" --dry-run kernel/sched/core.c:3000 >"$T/out" 2>"$T/ld" || fail "first pick failed"
grep -q 'libclang' "$T/ld" || fail "the first pick did not load libclang (was it cached already?)"
ls "$XDG_CACHE_HOME/stap-assistant/addprobe/"*.json >/dev/null || fail "no cache entry was written"

LD_DEBUG=libs "$STAP_ADDPROBE" --dry-run kernel/sched/core.c:3000 >"$T/out2" 2>"$T/ld2" || fail "repeat pick failed"
if grep -q 'libclang' "$T/ld2"; then fail "the repeat pick loaded libclang"; fi
cmp "$T/out" "$T/out2" || fail "the cached pick printed something else"

for i in 1 2 3; do
  LD_DEBUG=libs "$STAP_ADDPROBE" --dry-run kernel/sched/core.c:$((3000 + i)) >/dev/null 2>"$T/ldi" ||
    fail "pick $i failed"
  if grep -q 'libclang' "$T/ldi"; then fail "repeat pick $i (another line) loaded libclang"; fi
done

# An entry whose key no longer matches (as after an edit of the file) is a miss: libclang again.
entry=$(ls "$XDG_CACHE_HOME/stap-assistant/addprobe/"*.json)
sed -i '1s/"mtime_ns":[0-9]*/"mtime_ns":1/' "$entry"
LD_DEBUG=libs "$STAP_ADDPROBE" --dry-run kernel/sched/core.c:3000 >"$T/out3" 2>"$T/ld3" || fail "pick after change failed"
grep -q 'libclang' "$T/ld3" || fail "a stale cache entry was used"
cmp "$T/out" "$T/out3" || fail "the re-parse printed something else"
