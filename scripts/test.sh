#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds and runs every test tier: the unit tests under AddressSanitizer + UBSan, then unit and cli,
# then the real-kernel tier (label kernel), the editor tier (label editor) and the Debian package
# (label packaging). Ends with CTest's
# summary. Pass -L LABEL to run one label only (e.g. scripts/test.sh -L unit).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SA_BUILD_DIR:-$src/build}
# Warnings are errors here (SA_WERROR): CI fails on a new warning; a plain build.sh only warns.
"$src/scripts/build.sh" -DSA_WERROR=ON
status=0
if [ "${SA_SKIP_ASAN:-0}" != 1 ] && [ "$#" = 0 ]; then
  echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S "$src" -B "$build-asan" -G Ninja -DSA_SANITIZE=ON -DSA_WERROR=ON >/dev/null
  cmake --build "$build-asan" -j"$(nproc)" --target unit_tests
  (cd "$build-asan" && ctest -L unit --output-on-failure) || status=1
fi
cd "$build"
if [ "$#" != 0 ]; then
  ctest --output-on-failure "$@" || status=1
  exit $status
fi
# The cli tests of stap-addprobe pick in the test bed's kernel tree and skip without it: on a fresh
# machine, prepare it first (cached; the kernel tier needs it anyway).
if command -v stap >/dev/null && command -v qemu-system-x86_64 >/dev/null; then
  echo "== preparing the kernel test bed"
  "$src/tools/stap-sandbox/stap-testbed" prepare || status=1
fi
echo "== unit and cli tests"
ctest --output-on-failure -LE 'kernel|editor|packaging' || status=1
# No reruns: a flaky failure is a bug to find. SA_TEST_KEEP=DIR keeps a failed test's folder, and a
# guest that hangs says where its CPUs were.
echo "== kernel, editor and packaging tiers"
ctest --output-on-failure -L 'kernel|editor|packaging' || status=1
exit $status
