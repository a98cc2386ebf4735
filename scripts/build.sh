#!/usr/bin/env bash
# Builds kdlint into build/ (clang-19, lld, ninja, -j2).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$here" -B "$here/build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
ninja -C "$here/build" -j"${KDLINT_JOBS:-2}"
