#!/usr/bin/env bash
# The installed SDK from the outside (docs/plugins.md), as a user sees it:
#   1. `cmake --install BUILD --prefix P` into a temporary prefix;
#   2. every installed header compiles on its own against P (plus the Debian packages);
#   3. examples/ configured and built by a separate CMake invocation that sees only P;
#   4. the example strategy (libfunding_carry.so) through `tapedeck run`, `tapedeck sweep
#      --jobs 2` and `tapedeck paper` against `tapedeck fixsim` on loopback (started, bounded
#      in time and stopped here), with the run digest checked against the pinned one; the
#      example latency model (libjittered_latency.so) through `tapedeck run` and `fixsim`;
#   5. tests/sdk/new_project_check.sh P, when it exists (a project from `tapedeck new`).
# usage: scripts/sdk_check.sh BUILD_DIR     (ctest runs it: the test Sdk.InstalledExamples)
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/tapedeck-sdk.XXXXXX")
fixsim_pid=""
cleanup() {
  if [[ -n $fixsim_pid ]]; then kill "$fixsim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "sdk_check: $*" >&2; exit 1; }
step() { echo "sdk_check: $* ($((SECONDS - start))s)"; }

prefix=$work/prefix
# A sanitizer build (CI's second pass) installs instrumented static libraries: whatever links
# them (the new project's test executable) needs the same -fsanitize flags. CMake takes
# CXXFLAGS and LDFLAGS from the environment when it first configures the examples and the
# project.
sanitize=$(sed -n 's/^TAPEDECK_SANITIZE:[A-Z]*=//p' "$build/CMakeCache.txt" | tr ';' ',')
if [[ -n $sanitize ]]; then
  export CXXFLAGS="-fsanitize=$sanitize ${CXXFLAGS:-}" LDFLAGS="-fsanitize=$sanitize ${LDFLAGS:-}"
fi
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "install failed: $(tail -5 "$work/install.log")"
td=$prefix/bin/tapedeck
step "installed into a temporary prefix"

# 2. Each public header on its own (two at a time), and plugin.h as a plugin sees it.
check_header() {
  echo "#include \"core/$(basename "$1")\"" |
    c++ -std=c++20 -fsyntax-only -Wall -Wextra -Werror $2 -I"$prefix/include/tapedeck" -x c++ - ||
    { echo "installed header core/$(basename "$1") does not compile on its own ($2)" >&2; return 1; }
}
export -f check_header
export prefix
ls "$prefix"/include/tapedeck/core/*.h | xargs -P2 -I{} bash -c 'check_header {} ""' ||
  fail "an installed header does not compile on its own"
check_header "$prefix/include/tapedeck/core/plugin.h" -DTAPEDECK_PLUGIN_BUILD || fail "plugin.h"
step "$(ls "$prefix"/include/tapedeck/core/*.h | wc -l) installed headers compile on their own"

# 3. The examples against the prefix only: no source tree on any path.
cmake -S "$src/examples" -B "$work/examples" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/examples.log" ||
  fail "configuring examples/ failed: $(tail -20 "$work/examples.log")"
cmake --build "$work/examples" -j2 >>"$work/examples.log" ||
  fail "building examples/ failed: $(tail -20 "$work/examples.log")"
carry=$work/examples/funding_carry/libfunding_carry.so
jitter=$work/examples/latency_model/libjittered_latency.so
step "examples/ built against the prefix"

# 4a. run, with the pinned digest (examples/funding_carry/digest.txt).
"$td" run "$src/examples/funding_carry/run.json" --plugin "$carry" --out "$work/run" --quiet
diff -u "$src/examples/funding_carry/digest.txt" "$work/run/funding_carry/digest.txt" ||
  fail "the funding_carry digest changed (examples/funding_carry/digest.txt)"
TAPEDECK_PLUGIN_PATH=$work/examples/latency_model \
  "$td" run "$src/examples/latency_model/run.json" --out "$work/jitter" --quiet
diff -u "$src/examples/latency_model/digest.txt" "$work/jitter/dip_buyer/digest.txt" ||
  fail "the jittered-latency digest changed (examples/latency_model/digest.txt)"
step "run: both digests as pinned"

# 4b. sweep, two workers; each point's digest must not depend on the number of workers.
"$td" sweep "$src/examples/funding_carry/run.json" --grid "$src/examples/funding_carry/grid.json" \
  --jobs 2 --plugin "$carry" --out "$work/sweep" --quiet
[[ -s $work/sweep/results.csv ]] || fail "sweep wrote no results.csv"
# The grid's point with run.json's own parameters gives run's digest, on whichever worker.
run_digest=$(awk '$1 == "run" {print $2}' "$src/examples/funding_carry/digest.txt")
grep -q "$run_digest" "$work/sweep/results.json" ||
  fail "no sweep point has the run's digest $run_digest"
step "sweep --jobs 2"

# 4c. paper against fixsim on a free loopback port, both bounded in time.
port=""
for p in $(seq 21000 37 29000); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[[ -n $port ]] || fail "no free loopback port"
sed "s/9878/$port/" "$src/examples/funding_carry/fixsim.json" >"$work/fixsim.json"
sed "s/9878/$port/" "$src/examples/funding_carry/paper.json" >"$work/paper.json"
timeout 120 "$td" fixsim --config "$work/fixsim.json" --plugin "$jitter" --quiet \
  >"$work/fixsim.log" 2>&1 &
fixsim_pid=$!
timeout 120 "$td" paper --config "$work/paper.json" --plugin "$carry" --out "$work/paper" \
  --duration 100s --quiet >"$work/paper.log" 2>&1 ||
  fail "paper failed: $(tail -5 "$work/paper.log"; tail -5 "$work/fixsim.log")"
wait "$fixsim_pid" || fail "fixsim failed: $(tail -5 "$work/fixsim.log")"
fixsim_pid=""
[[ -s $work/paper/digest.txt ]] || fail "paper wrote no digest.txt"
step "paper against fixsim"

# 5. A new project from the installed SDK, when that check exists.
if [[ -f $src/tests/sdk/new_project_check.sh ]]; then
  bash "$src/tests/sdk/new_project_check.sh" "$prefix"
  step "tests/sdk/new_project_check.sh"
fi
echo "sdk_check: ok in $((SECONDS - start))s"
