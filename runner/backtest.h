// Backtests from a parsed run config: opens the sources, merges them, runs the engine with the
// strategy and hands every record to the output writer, the metrics and the caller's sink.
// `tapedeck run` and `tapedeck sweep` both come here, so that a sweep point and the same config
// run alone take the same path and give the same digest.
//
//   absl::StatusOr<RunConfig> config = LoadRunConfig("configs/dip_buyer_feb5.json", {});
//   RunOptions options;
//   options.out_dir = "out/dip";  // or "" for the typed result only
//   absl::StatusOr<RunResult> r = RunBacktest(*config, config->strategies[0], options);
//   // r->metrics.sharpe, r->digests.run, r->summary ...
#ifndef TAPEDECK_RUNNER_BACKTEST_H_
#define TAPEDECK_RUNNER_BACKTEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "runner/records.h"
#include "runner/run_config.h"
#include "runner/run_recorder.h"

namespace tapedeck::runner {

struct RunOptions {
  // RunBacktest: the strategy's output folder. RunBacktests: DIR/<label>/ for each strategy and
  // DIR/summary.json. Empty: no files (the digests and the summary are still computed). The
  // folder is replaced as a whole, and only when it is absent, empty or the output of an earlier
  // run (runner/output_set.h).
  std::string out_dir;
  // Called once every file of the run is written, with the folder that holds them (a staging
  // folder with out_dir's name, that replaces out_dir when this returns OK): files the caller
  // adds there (the HTML reports) become part of the same set. An error fails the run.
  std::function<absl::Status(const std::string& dir)> before_commit;
  // Keep every record in RunResult::records (orders, fills, account events, equity); without
  // it nothing of them is held beyond the metrics' (time, equity) pairs and fills.
  bool keep_records = false;
  // The caller's sink for a strategy's records (nullptr: none); it must outlive the call.
  std::function<RecordSink*(const StrategySpec&)> sink;
  // Called every 2^16 market events with the count so far and the sources' size hint (-1 when
  // they do not know).
  std::function<void(const StrategySpec&, uint64_t events, int64_t total)> progress;
};

// Runs `spec` (one of config.strategies) on the config's sources. Every call opens its own
// sources, so distinct calls may run on distinct threads. With `config.window`, each source is
// cut to the window's exchange-time range (no warm-up).
absl::StatusOr<RunResult> RunBacktest(const RunConfig& config, const StrategySpec& spec,
                                      const RunOptions& options);

// Runs every strategy of the config in turn. With options.out_dir, the files are put in place
// only when every strategy's run succeeded (DIR/summary.json is CombinedSummary).
absl::StatusOr<std::vector<RunResult>> RunBacktests(const RunConfig& config,
                                                    const RunOptions& options);

// DIR/summary.json of a run of several strategies: each strategy's summary without its config,
// and the config once.
nlohmann::json CombinedSummary(const RunConfig& config, const std::vector<RunResult>& results);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_BACKTEST_H_
