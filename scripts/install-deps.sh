#!/usr/bin/env bash
# Installs what kdlint needs to build and test, from Debian 12's own archive.
set -euo pipefail
pkgs=(llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 llvm-19-tools lld-19
      cmake ninja-build make python3 libgtest-dev time
      linux-source-6.12 linux-source-6.1 flex bison bc libelf-dev libssl-dev xz-utils cpio kmod)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
