#!/usr/bin/env bash
# The include-direction check: every library folder includes only itself and the folders inward
# of it, so that the layout shows the architecture (docs and README, "Layout"):
#
#   core        nothing of ours
#   replay      core                      (and simdjson, zstd, zlib)
#   strategies  core
#   adapters    core                      (and QuickFIX, Boost.Lockfree, OpenSSL)
#   runner      core, replay, strategies, adapters
#   analysis    core, runner
#   testkit     core
#   apps        everything
#
# tests/ and bench/ are exempt. A folder that does not exist yet is skipped. Third-party headers
# that belong to one library (QuickFIX, Boost and OpenSSL to adapters; simdjson, zstd and zlib to
# replay) may be included there and in apps only.
#
# Usage: scripts/check_include_direction.sh [ROOT]   (ROOT: the source tree, default .)
# Prints one line per wrong include, "FILE:LINE: FOLDER may not include TARGET", and exits 1
# when there is any; 0 otherwise.
set -euo pipefail
root=${1:-.}

ours=(core replay strategies adapters runner analysis testkit apps)
declare -A may_include=(
  [core]="core"
  [replay]="core replay"
  [strategies]="core strategies"
  [adapters]="core adapters"
  [runner]="core replay strategies adapters runner"
  [analysis]="core runner analysis"
  [testkit]="core testkit"
  [apps]="core replay strategies adapters runner analysis testkit apps"
)
# Third-party include prefixes and the folders that may include them.
declare -A third_party=(
  [quickfix/]="adapters apps"
  [boost/]="adapters apps"
  [openssl/]="adapters apps"
  [simdjson]="replay apps"
  [zstd]="replay apps"
  [zlib.h]="replay apps"
)

contains() {  # contains "a b c" b
  local w
  for w in $1; do [[ "$w" == "$2" ]] && return 0; done
  return 1
}

bad=0
for folder in "${ours[@]}"; do
  [[ -d "$root/$folder" ]] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    text=${rest#*:}
    [[ "$text" =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\<\"]([^\>\"]+)[\>\"] ]] || continue
    target=${BASH_REMATCH[1]}
    top=${target%%/*}
    if [[ "$target" == */* ]] && contains "${ours[*]}" "$top"; then
      contains "${may_include[$folder]}" "$top" && continue
    else
      allowed=""
      for prefix in "${!third_party[@]}"; do
        [[ "$target" == "$prefix"* ]] && allowed=${third_party[$prefix]}
      done
      [[ -z "$allowed" ]] && continue
      contains "$allowed" "$folder" && continue
    fi
    echo "${file#"$root"/}:$line: $folder may not include $target"
    bad=1
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include' --include='*.h' --include='*.cc' \
             --include='*.inc' --include='*.in' "$root/$folder" | sort -t: -k1,1 -k2,2n || true)
done
if ((bad)); then
  echo "include direction: includes above point the wrong way (see scripts/check_include_direction.sh)"
  exit 1
fi
echo "include direction: OK"
