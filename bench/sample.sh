#!/usr/bin/env bash
# A seeded random sample of N TUs from a kernel compile database, analysed by kdlint
# and written out for judging (see bench/sample.py for the files written):
#   bench/sample.sh --db <kernel tree> --seed 1 -n 2000 --out <dir> [--kdlint path] \
#                   [--subtree drivers/] [-j 2] [--tu-timeout 120] [--sample-only]
exec python3 "$(dirname "$0")/sample.py" "$@"
