#!/usr/bin/env bash
# Integration: kdlint over real driver directories of both prepared trees, with
# each tree's own compile_commands.json. Fails on any crash, hang or TU that
# cannot be analysed; prints what it ran and found.
set -uo pipefail
kdlint=$1
cache=$2
dirs=(drivers/net/ drivers/tty/ drivers/char/ drivers/scsi/)
fail=0
for v in 6.12 6.1; do
  kdir=$cache/linux-$v
  out=$(mktemp)
  start=$(date +%s.%N)
  timeout 900 "$kdlint" -p "$kdir" -j2 "${dirs[@]/#/$kdir/}" >"$out" 2>"$out.err"
  rc=$?
  end=$(date +%s.%N)
  tus=$(python3 -c "
import json,sys
d=json.load(open('$kdir/compile_commands.json'))
print(sum(1 for e in d if e['file'].endswith('.c') and any(('/'+x) in e['file'] or e['file'].startswith(x) for x in sys.argv[1:])))" "${dirs[@]}")
  warnings=$(grep -c ': warning: ' "$out")
  printf 'linux-%s: %s TUs in %s: exit %s, %s warnings, %.1fs\n' "$v" "$tus" "${dirs[*]}" "$rc" "$warnings" "$(echo "$end - $start" | bc)"
  tail -1 "$out.err"
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "FAIL: linux-$v exit code $rc (crash, hang or TU not analysed):"
    grep -E 'error|Stack dump|PLEASE' "$out.err" | head -20
    fail=1
  fi
  rm -f "$out" "$out.err"
done
exit $fail
