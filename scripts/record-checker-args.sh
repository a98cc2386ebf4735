#!/usr/bin/env bash
# Stand-in CHECK= program used by prepare-kernels.sh: records the arguments Kbuild hands a
# checker (CHECKFLAGS, then the compiler's c_flags, then the file), one per line, without
# the file itself, so lit can hand kdlint exactly what `make C=1 CHECK=kdlint` would.
out=${KDLINT_RECORD:?}
: > "$out"
for a in "$@"; do
  case "$a" in *.c) ;; *) printf '%s\n' "$a" >> "$out" ;; esac
done
exit 0
