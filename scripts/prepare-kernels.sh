#!/usr/bin/env bash
# Prepare the real kernel trees kdlint is tested against (Debian's linux-source-6.12 and
# linux-source-6.1), once, in a cache outside the clone:
#   $KDLINT_CACHE/linux-<ver>/              extracted, x86_64_defconfig, `make LLVM=-19 prepare`
#   $KDLINT_CACHE/linux-<ver>/compile_commands.json   of the driver dirs built for the integration run
#   $KDLINT_CACHE/kbuild-<ver>.flags        what Kbuild hands CHECK= for an out-of-tree module
# A stamp per step makes a second run a no-op.  Usage: prepare-kernels.sh [6.12] [6.1]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${KDLINT_CACHE:-/var/cache/kdlint}
jobs=${KDLINT_JOBS:-2}
versions=("$@"); [ ${#versions[@]} -gt 0 ] || versions=(6.12 6.1)
# Driver directories built (for their compile db) and used by the integration test.
driver_dirs=(drivers/net/ drivers/tty/ drivers/char/ drivers/scsi/)
mkdir -p "$cache"

log() { printf 'prepare-kernels: %s\n' "$*" >&2; }

for v in "${versions[@]}"; do
  tarball=/usr/src/linux-source-$v.tar.xz
  [ -f "$tarball" ] || { log "missing $tarball (apt-get install linux-source-$v)"; exit 1; }
  pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$v")
  kdir=$cache/linux-$v
  if [ "$(cat "$kdir/.kdlint-extracted" 2>/dev/null)" != "$pkgver" ]; then
    log "extracting $tarball ($pkgver)"
    rm -rf "$kdir" && mkdir -p "$kdir"
    tar -xJf "$tarball" -C "$kdir" --strip-components=1
    echo "$pkgver" > "$kdir/.kdlint-extracted"
  fi
  if [ ! -f "$kdir/.kdlint-prepared" ]; then
    log "configuring and preparing linux-$v"
    make -C "$kdir" -s LLVM=-19 x86_64_defconfig
    # Debug-atomic-sleep makes might_sleep() real code; modules so out-of-tree builds link.
    "$kdir/scripts/config" --file "$kdir/.config" -e DEBUG_ATOMIC_SLEEP -e MODULES \
        -m E1000 -m E1000E -m IGB -m IXGBE -m SERIAL_8250_EXAR
    make -C "$kdir" -s LLVM=-19 olddefconfig
    make -C "$kdir" -s LLVM=-19 -j"$jobs" modules_prepare
    touch "$kdir/.kdlint-prepared"
  fi
  if [ "$(cat "$kdir/.kdlint-drivers" 2>/dev/null)" != "${driver_dirs[*]}" ]; then
    log "building ${driver_dirs[*]} of linux-$v for their compile db"
    make -C "$kdir" -s -k LLVM=-19 -j"$jobs" "${driver_dirs[@]}" >"$kdir/.kdlint-drivers.log" 2>&1 || \
      log "some driver objects failed to build (see $kdir/.kdlint-drivers.log); the db keeps the rest"
    (cd "$kdir" && python3 scripts/clang-tools/gen_compile_commands.py -d . -o compile_commands.json)
    echo "${driver_dirs[*]}" > "$kdir/.kdlint-drivers"
  fi
  flags=$cache/kbuild-$v.flags
  if [ ! -s "$flags" ]; then
    log "recording the flags Kbuild hands a checker (linux-$v)"
    probe=$cache/kbuild-probe-$v
    rm -rf "$probe" && cp -r "$here/test/kbuild-probe" "$probe"
    make -C "$kdir" -s LLVM=-19 M="$probe" C=2 CHECK="$here/scripts/record-checker-args.sh" \
        KDLINT_RECORD="$flags.tmp" modules >/dev/null
    { echo "$kdir"; cat "$flags.tmp"; } > "$flags" && rm -f "$flags.tmp"
  fi
  log "linux-$v ready in $kdir"
done
