// One strategy's backtest from a parsed run config: opens the sources, merges them, runs the
// engine and renders the outputs (runner/outputs.h). Shared by `tapedeck run` and `tapedeck sweep`,
// so a sweep point and the same config run alone take the same path and give the same digest.
#ifndef TAPEDECK_RUNNER_BACKTEST_H_
#define TAPEDECK_RUNNER_BACKTEST_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "runner/outputs.h"
#include "runner/run_config.h"

namespace tapedeck::runner {

struct StrategyResult {
  StrategySpec spec;
  RunOutputs outputs;
  double wall_seconds = 0;  // wall time of the engine run, for the table only (never in outputs)
  uint64_t events = 0;
  std::vector<EquityPoint> equity;  // the engine's equity curve (walk-forward stitches these)
};

// Runs `spec` on `rc`'s sources. Every call opens its own sources: a generated source (the
// scenario) is regenerated from (params, seed); a tape is mmap'd again, so several calls on the
// same path share the page cache rather than copying the data. Thread-safe for distinct calls.
// With `rc.window`, each source is cut to the window's exchange-time range (no warm-up).
// Unless `quiet`, a progress line goes to stderr when it is a terminal and the run takes > 1 s.
absl::StatusOr<StrategyResult> RunOne(const RunConfig& rc, const StrategySpec& spec, bool quiet);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_BACKTEST_H_
