// The backtests analysis runs (sweep points, walk-forward windows), through the runner's
// RunBacktest (runner/backtest.h): the path of `tapedeck run`, so that a sweep point and the
// same config run alone give the same digest.
#ifndef TAPEDECK_ANALYSIS_BACKTEST_H_
#define TAPEDECK_ANALYSIS_BACKTEST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/run_summary.h"
#include "core/engine.h"
#include "core/types.h"
#include "nlohmann/json.hpp"
#include "runner/run_config.h"

namespace tapedeck::analysis {

// One finished backtest of one strategy.
struct BacktestResult {
  RunFigures figures;
  std::string digest;  // the run digest (hex)
  std::vector<EquityPoint> equity;
  nlohmann::json summary;  // summary.json, as the runner made it

  // The whole summary, typed.
  absl::StatusOr<RunSummary> Summary() const;
};

// A parsed run config.
class Backtest {
 public:
  // Parses `doc` as `tapedeck run` parses the file `config_path`; errors name the file.
  static absl::StatusOr<Backtest> Parse(const nlohmann::json& doc, const std::string& config_path);
  // Parses sweep point `index`'s config (every strategy is built as it is read) and checks that
  // it can run: a seed and exactly one strategy. Errors name the file and the point.
  static absl::StatusOr<Backtest> PreparePoint(const nlohmann::json& doc,
                                               const std::string& config_path, uint64_t index);

  // The config as read (echoed into summary.json).
  const nlohmann::json& document() const { return config_->document; }
  // The config to save as a file in `dir`: its relative input paths rewritten to read the same
  // files from there (runner::DocumentSavedIn).
  nlohmann::json DocumentSavedIn(const std::string& dir) const {
    return runner::DocumentSavedIn(*config_, dir);
  }
  Money initial_cash() const { return config_->engine.initial_cash; }
  // The exchange-time span of the data: the config's "window" when it has both bounds, else the
  // first event to just after the last one, cut to the bounds the window gives.
  absl::StatusOr<std::pair<Timestamp, Timestamp>> DataSpan() const;
  // Runs the first strategy; with `out_dir`, writes its output files there (as `tapedeck run`
  // writes DIR/<label>/). Thread-safe for distinct calls.
  absl::StatusOr<BacktestResult> Run(const std::string& out_dir = "") const;

 private:
  explicit Backtest(std::shared_ptr<const runner::RunConfig> config) : config_(std::move(config)) {}
  std::shared_ptr<const runner::RunConfig> config_;
};

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_BACKTEST_H_
