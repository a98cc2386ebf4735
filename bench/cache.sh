#!/bin/bash
# The result cache, measured on real TUs (issue 12): a first run into an empty
# cache directory, a second run with nothing changed (wall-time ratio and
# identical findings), then one header of a driver edited (a comment appended,
# restored afterwards): how many TUs are analysed again, and which.
#
#   [KDLINT=path] bench/cache.sh [kernel-version] [driver dirs...]
#
# Defaults: 6.12, drivers/net/ethernet/intel drivers/tty/serial/8250
# drivers/net/ethernet/realtek of the prepared defconfig tree (59 TUs), and the
# header drivers/net/ethernet/intel/e1000/e1000.h. Prints ratios, not
# pass/fail: this is a measurement.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ver=${1:-6.12}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(drivers/net/ethernet/intel drivers/tty/serial/8250
                             drivers/net/ethernet/realtek)
kdlint=${KDLINT:-$here/build/kdlint}
kdir=${KDLINT_CACHE:-/var/cache/kdlint}/linux-$ver
header=${HEADER:-drivers/net/ethernet/intel/e1000/e1000.h}
work=$(mktemp -d)
saved=$work/header.orig
cp "$kdir/$header" "$saved"
trap 'cp "$saved" "$kdir/$header"; rm -rf "$work"' EXIT

run() { # run NAME: kdlint over the dirs, wall time in $work/NAME.time
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$kdir" && "$kdlint" -p "$kdir" -j2 --cache-dir="$work/cache" \
     "${dirs[@]/#/$kdir/}" > "$work/$1.out" 2> "$work/$1.err") || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc > "$work/$1.time"
}

run first
run second
echo "/* kdlint bench/cache.sh */" >> "$kdir/$header"
run edited
cp "$saved" "$kdir/$header"

tus=$(grep -o 'in [0-9]* translation units analysed' "$work/first.err" | grep -o '[0-9]*' || echo '?')
f=$(cat "$work/first.time"); s=$(cat "$work/second.time"); e=$(cat "$work/edited.time")
echo "kdlint: $kdlint"
echo "tree:   $kdir ($tus TUs under ${dirs[*]})"
printf 'first run (empty cache):  %6.2f s\n' "$f"
printf 'second run (unchanged):   %6.2f s   ratio %.3f\n' "$s" "$(echo "$s / $f" | bc -l)"
if cmp -s "$work/first.out" "$work/second.out"; then
  echo "findings: identical ($(grep -c 'warning:' "$work/first.out" || true) warnings)"
else
  echo "findings: DIFFERENT"; diff "$work/first.out" "$work/second.out" | head -20
fi
grep 'from the cache' "$work/second.err" || true
printf 'after editing %s: %6.2f s\n' "$header" "$e"
grep 'from the cache' "$work/edited.err" || echo "(no TU from the cache)"
readers=$(cd "$kdir/$(dirname "$header")" && grep -l "#include \"$(basename "$header")\"" ./*.c | wc -l)
echo "C files beside it that include $(basename "$header") (some may not be in the db): $readers"
echo "cache size on disk: $(du -sh "$work/cache" | cut -f1)"
