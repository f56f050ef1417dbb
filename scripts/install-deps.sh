#!/usr/bin/env bash
# Installs the Debian packages tapedeck needs, and only those that are missing.
# Runs apt-get directly as root, through sudo otherwise. Usage: scripts/install-deps.sh [--test]
#   (none)  what building the `tapedeck` program needs (`make run`)
#   --test  also what the tests and benchmarks need (`make test`, `make bench`): GoogleTest,
#           Google Benchmark, GNU parallel, valgrind, Chromium, python3 with jsonschema.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libabsl-dev nlohmann-json3-dev libsimdjson-dev libboost-dev libquickfix-dev libssl-dev
  libzstd-dev zlib1g-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev valgrind parallel python3
             python3-jsonschema chromium)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "tapedeck: installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "tapedeck: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
