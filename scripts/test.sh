#!/usr/bin/env bash
# Command 2: build kdlint and run the whole test suite (lit on the real 6.12 and
# 6.1 trees, unit tests, the integration run over real driver directories).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/install-deps.sh"
bash "$here/scripts/build.sh"
bash "$here/scripts/prepare-kernels.sh" 6.12 6.1
cd "$here/build"
ctest --output-on-failure -j1
