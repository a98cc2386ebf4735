#!/usr/bin/env bash
# Issue 12's measurement: every TU of a compile database's subtree in N shards of
# two rounds (the first fills the cache, the second links what the cache holds and
# stores each slice's second pass), then the final run (link only) with the page
# cache dropped and again warm. Prints per step: wall time, CPU, peak RSS (GNU time),
# then the cache's size and the findings' count; findings are in <out>/link-*.out.
#   bench/shards.sh [--db DIR] [--subtree drivers/] [-n 4] [-j 2] [--out DIR] [--kdlint PATH]
# Defaults: the 6.12 allmodconfig tree of scripts/prepare-allmod.sh, drivers/, 4
# shards, -j2, /var/tmp/kdlint-shards, build/kdlint. Resumable: a finished step
# (its .done file) is skipped. Needs root to drop the page cache (else: warm only).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
db=${KDLINT_CACHE:-/var/cache/kdlint}/allmod/linux-6.12
subtree=drivers/ n=4 jobs=2 out=/var/tmp/kdlint-shards kdlint=$here/build/kdlint
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --subtree) subtree=$2; shift 2 ;;
    -n) n=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --kdlint) kdlint=$2; shift 2 ;;
    *) echo "usage: $0 [--db DIR] [--subtree S] [-n N] [-j J] [--out DIR] [--kdlint PATH]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out" && cd "$out" || exit 2
# The binary is copied: a rebuild during the run must not change the cache keys.
[ -x kdlint ] || cp "$kdlint" kdlint
cache=$out/cache
run() { # name, kdlint args...
  local name=$1; shift
  [ -f "$name.done" ] && return
  /usr/bin/time -v -o "$name.time" ./kdlint -p "$db" -j"$jobs" --cache-dir="$cache" \
    --cache-max-size=0 --tu-timeout=120 "$@" "$db/$subtree" > "$name.out" 2> "$name.err"
  echo $? > "$name.done"
  printf '%-10s exit %s  wall %s  user %ss  sys %ss  max RSS %s KB  | %s\n' "$name" \
    "$(cat "$name.done")" \
    "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$name.time")" \
    "$(sed -n 's/.*User time (seconds): //p' "$name.time")" \
    "$(sed -n 's/.*System time (seconds): //p' "$name.time")" \
    "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$name.time")" \
    "$(tail -n 1 "$name.err")"
}
for r in 1 2; do
  for k in $(seq 1 "$n"); do run "r$r-s$k" --shard="$k/$n"; done
done
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "(page cache not dropped: not root)"
run link-cold
run link-warm
echo "cache: $(du -sb "$cache" | cut -f1) bytes in $(find "$cache" -type f | wc -l) files"
echo "findings: $(grep -c ': warning: ' link-warm.out) (link-cold: $(grep -c ': warning: ' link-cold.out))"
