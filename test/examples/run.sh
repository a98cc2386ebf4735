#!/usr/bin/env bash
# Examples: builds each examples/<name>/ out of tree exactly as scripts/setup.sh does
# (`make -C <tree> LLVM=-19 M=<copy> C=2 CHECK=kdlint KBUILD_MODPOST_WARN=1 modules`)
# and asserts that
#   - make succeeds and Kbuild ran the checker on every .c file of the example
#     (its `CHECK   <file>.c` line; kdlint exits non-zero on a TU it cannot
#     analyse, which fails make), and kdlint analysed functions (KDLINT_DUMP_FACTS
#     in the environment lists them: the positive control for clean_uart);
#   - the warnings kdlint prints (`file:line:col: warning: message [check]`, copy
#     path stripped, sorted) are exactly test/examples/<name>.expected: the
#     findings README.md promises, none on clean_uart. A missing or extra finding
#     prints a diff and fails;
#   - the same make with CHECK="kdlint --server" (a server of the test's own)
#     prints the same warnings and analyses as many functions;
#   - with <name>.expected-linked (a module of several files): Kbuild's
#     `make M=<copy> compile_commands.json`, then `kdlint -p <copy>` (the files
#     linked) prints exactly those warnings.
# A tree may need its own list: <name>.expected-<ver> is used when it exists.
#
# Usage: run.sh KDLINT CACHE VERSION [EXAMPLE...]      (default: every examples/*/)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -lt 3 ]; then
  echo "usage: $0 KDLINT CACHE VERSION [EXAMPLE...]" >&2
  exit 2
fi
kdlint=$(realpath "$1")   # make runs CHECK= from the kernel dir
cache=$2
v=$3
shift 3
kdir=$cache/linux-$v
if [ ! -f "$kdir/.kdlint-prepared" ]; then
  echo "FAIL: $kdir is not prepared: run scripts/prepare-kernels.sh $v"
  exit 1
fi
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for m in "$root"/examples/*/; do names+=("$(basename "$m")"); done
fi
# The warnings a log holds (`file:line:col: warning: message [check]`), the
# copy's path stripped, sorted.
warnings() {
  grep ': warning: ' "$1" | grep -E '\[[a-z-]+\]$' | sed "s|^$work/||" | LC_ALL=C sort
}
# same EXPECTED ACTUAL LABEL WHAT: the diff and a FAIL line if they differ.
same() {
  diff -u --label "${1#$root/}" --label "$3" "$1" "$2" && return 0
  echo "FAIL: examples/$name: $4 (diff above)"
  return 1
}
fail=0
for name in "${names[@]}"; do
  src=$root/examples/$name
  expected=$here/$name.expected
  [ -f "$expected-$v" ] && expected=$expected-$v
  if [ ! -f "$expected" ]; then
    echo "FAIL: examples/$name: no $here/$name.expected"
    fail=1
    continue
  fi
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  start=$(date +%s.%N)
  # KDLINT_DUMP_FACTS=1 (environment only: the command is setup.sh's) makes
  # kdlint list the functions it analysed, the positive control of a run that
  # must find nothing (clean_uart): a checker that silently does nothing fails.
  KDLINT_DUMP_FACTS=1 make -C "$kdir" LLVM=-19 M="$work" C=2 CHECK="$kdlint" \
      KBUILD_MODPOST_WARN=1 modules >"$work.log" 2>&1
  rc=$?
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  actual=$work.found
  warnings "$work.log" >"$actual"
  printf 'examples/%s on linux-%s: make exit %s, %s functions analysed, %s warnings, %.1fs\n' \
    "$name" "$v" "$rc" "$(grep -c '^function ' "$work.log")" "$(grep -c . "$actual")" "$secs"
  bad=0
  if [ $rc -ne 0 ]; then
    echo "FAIL: examples/$name: make exited $rc on linux-$v:"
    grep -v -e '^make' -e '^WARNING' "$work.log" | sed "s|$work/||g" | head -30 | sed 's/^/  | /'
    bad=1
  fi
  for c in "$src"/*.c; do
    c=$work/$(basename "$c")
    if ! grep -qE "^  CHECK +$c\$" "$work.log"; then
      echo "FAIL: examples/$name: Kbuild did not run the checker on $(basename "$c")"
      bad=1
    fi
  done
  nfn=$(grep -c '^function ' "$work.log")
  if [ "$nfn" -eq 0 ]; then
    echo "FAIL: examples/$name: kdlint analysed no function (no 'function' line of KDLINT_DUMP_FACTS)"
    bad=1
  fi
  if grep -qE 'Stack dump|PLEASE submit' "$work.log"; then
    echo "FAIL: examples/$name: kdlint crashed"
    bad=1
  fi
  same "$expected" "$actual" "kdlint on linux-$v" \
    "the findings on linux-$v differ from ${expected#$root/}" || bad=1
  # The same through a server (CHECK="kdlint --server", docs/usage.md): the
  # same warnings, and the environment reaches its workers (KDLINT_DUMP_FACTS).
  srv=$(mktemp -d)
  KDLINT_SERVER_DIR=$srv KDLINT_DUMP_FACTS=1 make -C "$kdir" LLVM=-19 M="$work" C=2 \
      CHECK="$kdlint --server --server-idle=120" KBUILD_MODPOST_WARN=1 modules >"$work.srv.log" 2>&1
  src_rc=$?
  KDLINT_SERVER_DIR=$srv "$kdlint" --stop-server
  warnings "$work.srv.log" >"$work.srv"
  printf 'examples/%s on linux-%s, --server: make exit %s, %s functions analysed, %s warnings\n' \
    "$name" "$v" "$src_rc" "$(grep -c '^function ' "$work.srv.log")" "$(grep -c . "$work.srv")"
  if [ $src_rc -ne 0 ] || [ "$(grep -c '^function ' "$work.srv.log")" -ne "$nfn" ] ||
     grep -qE 'Stack dump|PLEASE submit' "$work.srv.log"; then
    echo "FAIL: examples/$name: make C=2 CHECK=\"kdlint --server\" did not run as without --server"
    grep -v -e '^make' -e '^WARNING' "$work.srv.log" | sed "s|$work/||g" | head -20 | sed 's/^/  | /'
    bad=1
  fi
  same "$expected" "$work.srv" "kdlint --server on linux-$v" \
    "the findings through the server differ" || bad=1
  rm -rf "$srv" "$work.srv.log" "$work.srv"
  # A module of several files is also checked linked, as docs/usage.md shows:
  # Kbuild's compile database of the module, then one kdlint run over it.
  linked=$here/$name.expected-linked
  if [ -f "$linked" ]; then
    make -C "$kdir" LLVM=-19 M="$work" compile_commands.json >"$work.db.log" 2>&1 ||
      { echo "FAIL: examples/$name: make compile_commands.json failed"; bad=1; }
    "$kdlint" -p "$work" --no-cache "$work" >"$work.linked.log" 2>&1
    lrc=$?
    warnings "$work.linked.log" >"$work.linked"
    printf 'examples/%s on linux-%s, linked: kdlint exit %s, %s warnings\n' "$name" "$v" \
      "$lrc" "$(grep -c . "$work.linked")"
    if [ "$lrc" -gt 1 ]; then
      echo "FAIL: examples/$name: kdlint -p exited $lrc"
      sed "s|$work/||g" "$work.linked.log" | head -20 | sed 's/^/  | /'
      bad=1
    fi
    same "$linked" "$work.linked" "kdlint -p on linux-$v" \
      "the linked findings on linux-$v differ from ${linked#$root/}" || bad=1
    rm -f "$work.db.log" "$work.linked.log" "$work.linked"
  fi
  [ $bad -eq 0 ] && echo "ok: examples/$name on linux-$v: $(grep -c . "$expected") findings as expected"
  [ $bad -ne 0 ] && fail=1
  rm -rf "$work" "$work.log" "$actual"
done
exit $fail
