#!/usr/bin/env bash
# Command 1: install what is missing (Debian 12, as root), build kdlint, prepare
# the real 6.12 tree, and check the example drivers the way kernel developers
# check theirs: `make C=2 CHECK=kdlint` on each out-of-tree module (one file at a
# time), and a module of several files also linked over its compile database.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/install-deps.sh"
bash "$here/scripts/build.sh"
bash "$here/scripts/prepare-kernels.sh" 6.12
kdir=${KDLINT_CACHE:-/var/cache/kdlint}/linux-6.12
status=0
for m in "$here"/examples/*/; do
  echo "=== examples/$(basename "$m") (make -C linux-6.12 M=... C=2 CHECK=kdlint)"
  work=$(mktemp -d)
  cp -r "$m". "$work/"
  # No vmlinux was built, so modpost cannot resolve symbols: warn, not fail.
  make -C "$kdir" LLVM=-19 M="$work" C=2 CHECK="$here/build/kdlint" \
      KBUILD_MODPOST_WARN=1 modules >"$work.log" 2>&1 || status=$?
  grep -v -e '^make' -e '^  [A-Z]' -e '^WARNING' -e '^         ' "$work.log" |
    sed "s|$work/|examples/$(basename "$m")/|g" || true
  rm -f "$work.log"
  # A module of several files, linked: Kbuild's compile database of the module,
  # then one kdlint run over it (a helper in one file, its caller in another).
  if [ "$(ls "$m"*.c | wc -l)" -gt 1 ]; then
    echo "=== examples/$(basename "$m") linked (make M=... compile_commands.json; kdlint -p)"
    make -C "$kdir" LLVM=-19 M="$work" compile_commands.json >/dev/null 2>&1 || status=1
    "$here/build/kdlint" -p "$work" --no-cache "$work" 2>&1 |
      sed "s|$work/|examples/$(basename "$m")/|g" || true
  fi
  rm -rf "$work"
done
exit $status
