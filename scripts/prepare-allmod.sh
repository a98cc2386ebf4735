#!/usr/bin/env bash
# All of drivers/ without building the kernel.  For each version given (default 6.12):
#   $KDLINT_CACHE/allmod/linux-<ver>/   Debian's linux-source-<ver> extracted, x86_64
#                                       allmodconfig, `make LLVM=-19 prepare`d
#   .../compile_commands.json           every C TU under drivers/ (or the subtrees given
#                                       with KDLINT_SUBTREES), from Kbuild's own command
#                                       lines printed by `make -n` (nothing is compiled)
#   .../kdlint-not-analysable.txt       TUs left out of the db, each with its reason
# A stamp per step makes a second run a no-op (delete the stamp to redo a step).
# Usage: scripts/prepare-allmod.sh [6.12] [6.1]
#   KDLINT_CACHE (default /var/cache/kdlint), KDLINT_JOBS (default 2),
#   KDLINT_SUBTREES (default "drivers/").
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${KDLINT_CACHE:-/var/cache/kdlint}/allmod
jobs=${KDLINT_JOBS:-2}
read -r -a subtrees <<< "${KDLINT_SUBTREES:-drivers/}"
versions=("$@"); [ ${#versions[@]} -gt 0 ] || versions=(6.12)
mkdir -p "$cache"

log() { printf 'prepare-allmod: %s: %s\n' "$(date +%T)" "$*" >&2; }

for v in "${versions[@]}"; do
  tarball=/usr/src/linux-source-$v.tar.xz
  [ -f "$tarball" ] || { log "missing $tarball (apt-get install linux-source-$v)"; exit 1; }
  pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$v")
  kdir=$cache/linux-$v
  t0=$SECONDS
  if [ "$(cat "$kdir/.kdlint-extracted" 2>/dev/null)" != "$pkgver" ]; then
    log "extracting $tarball ($pkgver) into $kdir"
    rm -rf "$kdir" && mkdir -p "$kdir"
    tar -xJf "$tarball" -C "$kdir" --strip-components=1
    echo "$pkgver" > "$kdir/.kdlint-extracted"
    rm -f "$kdir/.kdlint-configured" "$kdir/.kdlint-prepared" "$kdir/.kdlint-compdb"
  fi
  if [ ! -f "$kdir/.kdlint-configured" ]; then
    log "linux-$v: make LLVM=-19 allmodconfig"
    make -C "$kdir" -s LLVM=-19 allmodconfig
    touch "$kdir/.kdlint-configured"
  fi
  if [ ! -f "$kdir/.kdlint-prepared" ]; then
    log "linux-$v: make LLVM=-19 -j$jobs prepare (log: $kdir/.kdlint-prepare.log)"
    make -C "$kdir" LLVM=-19 -j"$jobs" prepare >"$kdir/.kdlint-prepare.log" 2>&1 || {
      log "make prepare failed; last lines of the log:"; tail -20 "$kdir/.kdlint-prepare.log" >&2; exit 1; }
    touch "$kdir/.kdlint-prepared"
  fi
  if [ "$(cat "$kdir/.kdlint-compdb" 2>/dev/null)" != "${subtrees[*]}" ]; then
    log "linux-$v: compile database of ${subtrees[*]} from make -n (nothing compiled)"
    python3 "$here/scripts/kernel-compdb.py" --jobs "$jobs" "$kdir" "${subtrees[@]}"
    echo "${subtrees[*]}" > "$kdir/.kdlint-compdb"
  fi
  log "linux-$v ready in $kdir ($((SECONDS - t0)) s this run)"
done
