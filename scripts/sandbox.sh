#!/usr/bin/env bash
# The main job (placeholder until the real-kernel sandbox lands): build the tools and print the preamble.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/build.sh"
"${SA_BUILD_DIR:-$src/build}/tools/stap-preamble/stap-preamble"
