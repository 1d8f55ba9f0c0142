#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian 12 packages stap-assistant needs. Idempotent, no prompts; run as root (or with
# sudo). Groups:
#   (default)  build and unit/CLI test dependencies
#   --kernel   the real-kernel tier: SystemTap, QEMU, busybox (the kernel packages themselves are
#              fetched into the cache by stap-testbed, not installed)
#   --editor   the VS Code tier: Debian's Node.js 18 and npm (the extension's unit tests run on it; the
#              browser tier fetches Node 20 and npm 10 from npm into its cache, for code-server and
#              vsce: Debian's node-gyp links native modules to Node 18's libnode), Chromium, ripgrep,
#              and what npm 10's node-gyp builds code-server's native modules with
#   --package  the Debian package tier: debhelper, lintian
#   --all      everything
set -euo pipefail

build=(cmake ninja-build g++ pkg-config git python3
       libclang-14-dev libdw-dev libcli11-dev libfmt-dev doctest-dev libboost-dev nlohmann-json3-dev
       clang-14 libclang-rt-14-dev socat netcat-openbsd universal-ctags bash-completion
       clang-format-14 shellcheck)
kernel=(systemtap systemtap-runtime qemu-system-x86 busybox cpio xz-utils binutils dpkg-dev
        linux-headers-amd64 linux-source-6.1 iproute2 kmod gcc libc6-dev e2fsprogs)
package=(build-essential debhelper lintian fakeroot)
editor=(nodejs npm chromium libkrb5-dev ripgrep make g++ python3)

want=("${build[@]}")
for arg in "$@"; do
  case "$arg" in
    --kernel) want+=("${kernel[@]}") ;;
    --editor) want+=("${editor[@]}") ;;
    --package) want+=("${package[@]}") ;;
    --all) want+=("${kernel[@]}" "${editor[@]}" "${package[@]}") ;;
    -h|--help) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; exit 0 ;;
    *) echo "setup-debian.sh: error: unknown argument: $arg" >&2; exit 64 ;;
  esac
done

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

missing=()
for p in "${want[@]}"; do
  # Node.js may come from NodeSource's nodejs, which carries npm and conflicts with Debian's npm.
  case "$p" in
    npm) command -v npm >/dev/null && continue ;;
    nodejs) command -v node >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian.sh: all ${#want[@]} packages already installed"
  exit 0
fi
echo "setup-debian.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-debian.sh: done"
