#!/usr/bin/env bash
# Proves that the instruction-count gate fails when benchmarked code does more work: rebuilds the
# bench suite with -DTAPEDECK_BENCH_GATE_CANARY=ON (deliberate extra work per trade in
# BM_Engine_ReplayDispatchSma, in bench/core/engine_benchmark.cc only), asserts that
# scripts/bench_gate.sh fails on that benchmark, then restores the normal build and asserts that
# the gate passes on it again. Only bench/core/engine_benchmark.cc is recompiled (twice).
#
# Usage: scripts/bench_gate_selftest.sh [BUILD_DIR]   (default: build; Release, no sanitizers)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
canary_bench='^core_benchmarks BM_Engine_ReplayDispatchSma/'

restore() {
  cmake -S . -B "$build_dir" -DTAPEDECK_BENCH_GATE_CANARY=OFF >/dev/null
  cmake --build "$build_dir" --target core_benchmarks >/dev/null
}
trap restore EXIT

echo "== bench_gate_selftest: canary build"
cmake -S . -B "$build_dir" -DTAPEDECK_BENCH_GATE_CANARY=ON >/dev/null
cmake --build "$build_dir" --target core_benchmarks >/dev/null
set +e
scripts/bench_gate.sh --only "$canary_bench" "$build_dir"
rc=$?
set -e
if ((rc != 1)); then
  echo "bench_gate_selftest: FAILED: the gate returned $rc on the canary build (expected 1: over budget)"
  exit 1
fi
echo "== bench_gate_selftest: the gate failed on the canary, as it must; restoring the build"
trap - EXIT
restore
scripts/bench_gate.sh --only "$canary_bench" "$build_dir" || {
  echo "bench_gate_selftest: FAILED: the gate does not pass on the restored build"
  exit 1
}
echo "bench_gate_selftest: OK"
