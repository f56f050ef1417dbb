#!/usr/bin/env bash
# The instruction-count regression gate (issue 7; how it works: bench/README.md).
#
# Runs each benchmark named by bench/gate.list once (--benchmark_min_time=0: exactly one
# iteration) under `valgrind --tool=callgrind`, counting only the instructions executed inside
# the timed loop (from State::StartKeepRunning to FinishKeepRunning: setup does not count), and
# compares the count with bench/budgets.json.
# Fails when a count exceeds its budget by more than the tolerance (5%).
#
# Usage: scripts/bench_gate.sh [--update] [--only REGEX] [BUILD_DIR]   (BUILD_DIR default: build)
#   --update     write the measured counts into bench/budgets.json (scripts/bench_budgets_update.sh)
#   --only R     measure only the gated benchmarks whose name matches R (the self-test uses it)
# Exit: 0 within budget, 1 a count over budget or a budgeted benchmark missing, 2 setup error.
#
# Instruction counts depend on the compiler and the flags: the gate only runs on a Release build
# without sanitizers (the `make test` build), and budgets.json records the compiler it was made
# with; a different compiler gets a warning, because its counts are not comparable.
set -euo pipefail
cd "$(dirname "$0")/.."

update=0
only=""
build_dir=build
while (($#)); do
  case "$1" in
    --update) update=1 ;;
    --only) only="$2"; shift ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) build_dir="$1" ;;
  esac
  shift
done

if ((update)) && [[ -n "$only" ]]; then
  echo "bench_gate: --update measures every gated benchmark; it does not take --only" >&2
  exit 2
fi

budgets=bench/budgets.json
gate_list=bench/gate.list
tolerance_pct=5
per_run_timeout=300  # seconds; a benchmark too heavy for callgrind is reported, not gated

err() { echo "bench_gate: $*" >&2; }

cache="$build_dir/CMakeCache.txt"
[[ -f "$cache" ]] || { err "$cache not found: build first (make build, or make test)"; exit 2; }
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
sanitize=$(sed -n 's/^TAPEDECK_SANITIZE:[A-Z]*=//p' "$cache")
canary=$(sed -n 's/^TAPEDECK_BENCH_GATE_CANARY:[A-Z]*=//p' "$cache")
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
cxx_flags=$(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=//p' "$cache")
if [[ "$build_type" != "Release" || -n "$sanitize" ]]; then
  err "$build_dir is '$build_type' with sanitizers '$sanitize': the gate needs Release without sanitizers"
  exit 2
fi
if ((update)) && [[ "$canary" == "ON" ]]; then
  err "refusing to write budgets from a canary build ($build_dir has TAPEDECK_BENCH_GATE_CANARY=ON)"
  exit 2
fi
compiler=$("$cxx" --version | head -n 1)

if ! command -v valgrind >/dev/null; then
  echo "bench_gate: valgrind is missing; installing it" >&2
  scripts/install-deps.sh --test >&2 || { err "cannot install valgrind"; exit 2; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- which benchmarks -------------------------------------------------------------------------
# name = "<binary> <benchmark>", one per line, in gate.list order.
: >"$work/names"
sed -n 's/^![[:space:]]*//p' "$gate_list" >"$work/excluded"
while read -r binary pattern; do
  [[ -z "$binary" || "$binary" == \#* || "$binary" == "!" ]] && continue
  exe="$build_dir/bench/$binary"
  [[ -x "$exe" ]] || continue
  if [[ ! -f "$work/list.$binary" ]]; then
    "$exe" --benchmark_list_tests </dev/null >"$work/list.$binary" 2>/dev/null || : >"$work/list.$binary"
  fi
  # The first variant of each benchmark function that the pattern matches.
  grep -E -- "$pattern" "$work/list.$binary" | { grep -v -E -f "$work/excluded" || true; } |
    awk -F/ '!seen[$1]++' |
    while read -r name; do echo "$binary $name"; done >>"$work/names" || true
done <"$gate_list"
if [[ -n "$only" ]]; then
  grep -E -- "$only" "$work/names" >"$work/names.only" || true
  mv "$work/names.only" "$work/names"
fi
awk '!seen[$0]++' "$work/names" >"$work/names.uniq"

# --- budgets: lines `    "<binary> <benchmark>": <count>,` -----------------------------------
declare -A budget=()
budget_compiler=""
if [[ -f "$budgets" ]]; then
  while IFS=$'\t' read -r k v; do budget["$k"]=$v; done < <(
    sed -n 's/^    "\([^"]*\)": \([0-9][0-9]*\),\{0,1\}$/\1\t\2/p' "$budgets")
  budget_compiler=$(sed -n 's/^  "compiler": "\(.*\)",$/\1/p' "$budgets")
fi
if ((!update)) && [[ -n "$budget_compiler" && "$budget_compiler" != "$compiler" ]]; then
  err "WARNING: budgets were made with '$budget_compiler', this build uses '$compiler':"
  err "         counts from another compiler are not comparable; update the budgets on purpose"
fi

# --- measure ----------------------------------------------------------------------------------
declare -A measured=()
status=0
start=$(date +%s)
printf '%-58s %14s %14s %8s  %s\n' "benchmark" "instructions" "budget" "change" "verdict"
while read -r binary name; do
  out="$work/callgrind.out"
  rm -f "$out" "$out".*
  # One iteration (min_time 0); the counters are zeroed when the timed loop starts and dumped
  # (to $out.1) when it ends, so setup outside the loop and the process around it do not count.
  if ! timeout "$per_run_timeout" valgrind --tool=callgrind --callgrind-out-file="$out" \
        --zero-before='benchmark::State::StartKeepRunning()' \
        --dump-after='benchmark::State::FinishKeepRunning()' \
        "$build_dir/bench/$binary" --benchmark_filter="^${name}\$" --benchmark_min_time=0 \
        </dev/null >"$work/run.log" 2>&1; then
    printf '%-58s %14s %14s %8s  %s\n' "$binary $name" "-" "${budget["$binary $name"]:--}" "" \
      "NOT MEASURED (failed or over ${per_run_timeout}s; see below)"
    tail -n 5 "$work/run.log" >&2
    if [[ -n "${budget["$binary $name"]:-}" ]]; then status=1; fi
    continue
  fi
  ir=""
  [[ -f "$out.1" ]] && ir=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$out.1" | head -n 1)
  if [[ -z "$ir" || "$ir" == 0 ]]; then
    printf '%-58s %14s\n' "$binary $name" "no count (did the benchmark run its timed loop?)"
    status=1
    continue
  fi
  measured["$binary $name"]=$ir
  b=${budget["$binary $name"]:-}
  if [[ -z "$b" ]]; then
    printf '%-58s %14s %14s %8s  %s\n' "$binary $name" "$ir" "-" "" "no budget yet"
    continue
  fi
  change=$(awk -v m="$ir" -v b="$b" 'BEGIN { printf "%+.2f%%", (m - b) * 100.0 / b }')
  verdict=ok
  if awk -v m="$ir" -v b="$b" -v t="$tolerance_pct" 'BEGIN { exit !(m > b * (1 + t / 100.0)) }'; then
    verdict="FAIL: over budget by more than ${tolerance_pct}%"
    status=1
  elif awk -v m="$ir" -v b="$b" -v t="$tolerance_pct" 'BEGIN { exit !(m < b * (1 - t / 100.0)) }'; then
    verdict="ok (faster by more than ${tolerance_pct}%: lower the budget with scripts/bench_budgets_update.sh)"
  fi
  printf '%-58s %14s %14s %8s  %s\n' "$binary $name" "$ir" "$b" "$change" "$verdict"
done <"$work/names.uniq"

# A budgeted benchmark that was not found is a loss of coverage: fail unless --only narrowed it.
if [[ -z "$only" ]] && ((!update)); then
  for k in "${!budget[@]}"; do
    if ! grep -qxF -- "$k" "$work/names.uniq"; then
      echo "bench_gate: FAIL: '$k' has a budget but was not found (renamed or removed? update the budgets)"
      status=1
    fi
  done
fi
echo "bench_gate: $(wc -l <"$work/names.uniq") benchmarks in $(( $(date +%s) - start )) s" \
  "($build_dir, $build_type, $compiler)"

if ((update)); then
  if ((${#measured[@]} == 0)); then err "nothing measured; budgets not written"; exit 2; fi
  tmp="$budgets.tmp"
  {
    echo "{"
    echo "  \"about\": \"Instruction budgets for scripts/bench_gate.sh: callgrind Ir inside each benchmark's timed loop, one iteration. Written by scripts/bench_budgets_update.sh; see bench/README.md.\","
    echo "  \"tolerance_pct\": $tolerance_pct,"
    echo "  \"build\": \"CMAKE_BUILD_TYPE=Release, no sanitizers, CMAKE_CXX_FLAGS_RELEASE='$cxx_flags'\","
    echo "  \"compiler\": \"$compiler\","
    echo "  \"budgets\": {"
    n=${#measured[@]}
    i=0
    while read -r binary name; do
      k="$binary $name"
      [[ -n "${measured[$k]:-}" ]] || continue
      i=$((i + 1))
      sep=","
      ((i == n)) && sep=""
      echo "    \"$k\": ${measured[$k]}$sep"
    done <"$work/names.uniq"
    echo "  }"
    echo "}"
  } >"$tmp"
  mv "$tmp" "$budgets"
  echo "bench_gate: wrote $budgets ($n budgets); commit it with the change that moved the counts"
  exit 0
fi
if ((status)); then
  echo "bench_gate: FAILED. If the growth is intended, run scripts/bench_budgets_update.sh and" \
       "commit bench/budgets.json with the change."
fi
exit $status
