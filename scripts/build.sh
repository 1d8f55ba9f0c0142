#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Configures and builds into build/ (or $SA_BUILD_DIR). Extra arguments go to cmake's configure step.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SA_BUILD_DIR:-$src/build}
cmake -S "$src" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
