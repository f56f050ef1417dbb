#!/usr/bin/env bash
# `make bench`: runs the wall-clock Google Benchmark suites and the end-to-end throughput harness,
# then rewrites bench/RESULTS.md (machine, compiler, flags, date, every DESIGN.md target figure).
#
# Usage: bench/run_bench.sh [BUILD_DIR]        (default: build; a Release build with benches)
# Environment:
#   THROUGHPUT_EVENTS   events per generated tape for bench_throughput (default 10000000)
#   TAPE_MEMORY_EVENTS  events of bench_tape_memory's tape (default 200000000: a 12.8 GB tape in
#                       /tmp, deleted afterwards, as issue 3 asks); 0 skips it
#   DBN_MB              compressed MB of bench_dbn_decode's generated MBO file (default 100; the
#                       file goes to BENCH_OUT and is deleted); 0 skips it
#   SWEEP_BENCH_SHARD   slice of configs/dip_buyer_grid.json bench/sweep_bench.py sweeps
#                       (default 1/1: all 64 points, ~25 s; a small slice is dominated by
#                       each run's start-up and understates the speedup); 0 skips it
#   BENCH_OUT           where raw outputs go (default: a temp dir, kept and printed)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
bin="$build_dir/bench"
out=${BENCH_OUT:-$(mktemp -d /tmp/tapedeck_bench_XXXXXX)}
mkdir -p "$out"
[[ -d "$bin" ]] || { echo "run_bench: $bin not found: build with -DTAPEDECK_BUILD_BENCH=ON" >&2; exit 2; }
command -v python3 >/dev/null || scripts/install-deps.sh --test

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
sanitize=$(sed -n 's/^TAPEDECK_SANITIZE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
if [[ "$build_type" != "Release" || -n "$sanitize" ]]; then
  echo "run_bench: $build_dir is '$build_type' (sanitizers '$sanitize'): figures need Release" >&2
  exit 2
fi

echo "run_bench: raw outputs in $out" >&2
# Wall-clock suites. Repetitions give a median per benchmark (the machine is shared).
for suite in core replay adapters strategies apps; do
  exe="$bin/${suite}_benchmarks"
  [[ -x "$exe" ]] || continue
  echo "== $suite benchmarks" >&2
  "$exe" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/${suite}_benchmarks.json" --benchmark_out_format=json | tee "$out/${suite}_benchmarks.txt"
done

echo "== end-to-end throughput harness" >&2
# With the test plugins built, the SMA strategy also runs from its plugin build, in the same
# rounds as the built-in (engine_sma_plugin; issue 25's same-speed bar).
plugin_args=()
sma_plugin="$build_dir/tests/plugin/libsma_plugin.so"
[[ -f "$sma_plugin" ]] && plugin_args=(--plugin "$sma_plugin")
"$bin/bench_throughput" --events "${THROUGHPUT_EVENTS:-10000000}" --repeat 3 "${plugin_args[@]}" \
  --json "$out/throughput.json" | tee "$out/throughput.txt"

# The sweep's 1-vs-2-worker ratio needs both cores: it runs before the memory test, whose
# 12.8 GB of written pages keep the kernel's writeback busy for a while after it ends.
if [[ -x "$build_dir/apps/tapedeck" && "${SWEEP_BENCH_SHARD:-1/1}" != 0 ]]; then
  echo "== sweep throughput, 1 and 2 workers" >&2
  python3 bench/sweep_bench.py --tapedeck "$build_dir/apps/tapedeck" --out "$out" \
    --shard "${SWEEP_BENCH_SHARD:-1/1}" | tee "$out/sweep.txt"
fi

# DBN decoding against zstd's decompression alone on one generated file (issue 27): the two
# benchmarks' repetitions interleave, so that the machine's load falls on both alike.
if [[ -x "$bin/bench_dbn_decode" && "${DBN_MB:-100}" != 0 ]]; then
  echo "== DBN decoding vs zstd decompression (${DBN_MB:-100} MB)" >&2
  "$bin/bench_dbn_decode" --mb "${DBN_MB:-100}" --dir "$out" --benchmark_repetitions=5 \
    --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/dbn_benchmarks.json" --benchmark_out_format=json | tee "$out/dbn_decode.txt"
fi

memory_events=${TAPE_MEMORY_EVENTS:-200000000}
if [[ -x "$bin/bench_tape_memory" && "$memory_events" != 0 ]]; then
  echo "== tape memory ($memory_events events)" >&2
  "$bin/bench_tape_memory" --events "$memory_events" | tee "$out/tape_memory.txt"
fi

python3 bench/write_results.py --build "$build_dir" --out "$out" --results bench/RESULTS.md
echo "run_bench: wrote bench/RESULTS.md (raw outputs in $out)" >&2
