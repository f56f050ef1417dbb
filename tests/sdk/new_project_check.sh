#!/usr/bin/env bash
# The `tapedeck new strategy` project built the way a user builds it: against an installed SDK
# only. Generates a project into a temporary folder with PREFIX/bin/tapedeck, configures it with
# CMAKE_PREFIX_PATH=PREFIX (no package registry, nothing of the source tree), builds the plugin
# and the test, runs the test with ctest, then backtests the project's config, which loads the
# plugin.
#
# Usage: tests/sdk/new_project_check.sh PREFIX     (PREFIX: from `cmake --install build --prefix`)
# Environment: TAPEDECK (default PREFIX/bin/tapedeck), JOBS (default 2), KEEP=1 keeps the folder.
# Exits 0 when every step passed; otherwise the failing step's output says what went wrong.
set -euo pipefail

if [[ $# -ne 1 || ! -d "$1" ]]; then
  echo "usage: $0 PREFIX   (an install prefix of tapedeck)" >&2
  exit 2
fi
prefix=$(cd "$1" && pwd)
tapedeck=${TAPEDECK:-$prefix/bin/tapedeck}
jobs=${JOBS:-2}
name=sdk_check_breakout
work=$(mktemp -d "${TMPDIR:-/tmp}/tapedeck-new-project.XXXXXX")
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

step() { echo "new_project_check: $*" >&2; }

step "tapedeck new strategy $name (with $tapedeck)"
"$tapedeck" new strategy "$name" --dir "$work"
project=$work/$name
for f in CMakeLists.txt "src/$name.cc" "configs/$name.json" "tests/${name}_test.cc" README.md; do
  [[ -s "$project/$f" ]] || { step "missing $project/$f"; exit 1; }
done

generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
step "configure against $prefix only"
cmake -S "$project" -B "$project/build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF

step "build the plugin and the test"
cmake --build "$project/build" -j"$jobs"

step "run the project's test"
ctest --test-dir "$project/build" --output-on-failure

step "backtest configs/$name.json (loads build/lib$name.so)"
"$tapedeck" run "$project/configs/$name.json" --out "$work/out" --quiet
[[ -s "$work/out/$name/digest.txt" ]] || { step "no $work/out/$name/digest.txt"; exit 1; }
step "ok ($project)"
