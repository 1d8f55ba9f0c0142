# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers shared by the stap-logd benchmarks (bench/logd_bench.sh, bench/logd_scale.sh); sourced.
# The caller sets `here` (this folder) and `work` (a temporary folder it removes).
# shellcheck disable=SC2154  # here and work are the caller's

# Builds the sender and the minimal recvmmsg receiver into $work.
build_helpers() {
  gcc -O2 -o "$work/send" "$here/logd_send.c"
  gcc -O2 -o "$work/recvmmsg" "$here/logd_recvmmsg.c"
}

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# Waits until FILE (or the files matching the glob) stop growing for 3 polls in a row.
settle() {
  local last=-1 now same=0
  while [ $same -lt 3 ]; do
    sleep 0.3
    # shellcheck disable=SC2086  # a glob of session files
    now=$(cat $1 2>/dev/null | wc -c)
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
    last=$now
  done
}
