#!/usr/bin/env bash
# Installs what kdlint needs to build and test, from Debian 12's own archive.
set -euo pipefail
pkgs=(llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 llvm-19-tools lld-19
      cmake ninja-build make python3 libgtest-dev time libclang-rt-19-dev neovim
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

# The SARIF validator the suite runs (Microsoft's SARIF multitool, from the npm
# registry), cached outside the clone. Without npm or the registry the SARIF
# validation test is reported unsupported, and everything else still runs.
cache=${KDLINT_CACHE:-/var/cache/kdlint}
tool="$cache/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$tool" ]; then
  if ! command -v npm >/dev/null; then
    echo "install-deps: installing npm (for the SARIF validator)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null ||
      echo "install-deps: warning: npm not installable; SARIF validation will be skipped" >&2
  fi
  if command -v npm >/dev/null; then
    mkdir -p "$cache/sarif"
    (cd "$cache/sarif" && timeout 600 npm install --no-audit --no-fund --silent \
        @microsoft/sarif-multitool@5.7.0 >/dev/null 2>&1 && chmod u+x "$tool") ||
      echo "install-deps: warning: cannot install @microsoft/sarif-multitool; SARIF validation will be skipped" >&2
  fi
fi

# A one-node Slurm for the shard test (test/driver/slurm.test starts its own
# munged, slurmctld and slurmd on 127.0.0.1). Without the packages that test is
# reported unsupported, and everything else still runs.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
   ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "install-deps: installing slurmctld slurmd slurm-client munge (for the Slurm test)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slurmctld slurmd slurm-client munge >/dev/null ||
    echo "install-deps: warning: Slurm not installable; the Slurm test will be skipped" >&2
fi
