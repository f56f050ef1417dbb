// Walk-forward evaluation (`tapedeck sweep ... --walk-forward`).
//
// The data span [start, end) is cut into windows; window k (k = 0, 1, ...) trains on
//   rolling:  [start + k*step, start + k*step + train)
//   anchored: [start, start + k*step + train)
// and tests on the test period that follows its train period: [train_end, train_end + test), the
// last one cut at `end`; windows are made while train_end < end. step >= test (test periods
// never overlap: the stitched curve would count a time twice), step defaults to test.
// Each train period runs the whole grid with the config's "window" set to it (so its table is
// the table of a plain sweep restricted to that window), the best row (the first of the sorted
// table, if it is feasible) is run on the test period, and the test periods' equity curves are
// stitched into one out-of-sample curve. A window starts cold (no warm-up); each test period
// starts flat with the initial cash, and its open position, if any, is marked at its end, not
// closed.
//
// Writes DIR/walkforward.json: {"schema": "tapedeck.walkforward/1", the sweep table's header,
// "mode", "train", "test", "step", "span", "windows": [{"window", "train": {start, end},
// "test": {start, end}, "index", "params", "in_sample": {"feasible", "objective", "metrics",
// "digest"}, "out_of_sample": {"objective", "metrics", "digest"}}], "in_sample":
// {"mean_objective"}, "out_of_sample": {"mean_objective", "initial_equity", "final_equity", "pnl",
// "total_return", "max_drawdown", "orders", "fills", "round_trips", "windows_traded"}};
// DIR/walkforward.csv, one line per window; DIR/oos_equity.csv, the stitched curve;
// DIR/window-NN/train/ (config.json and the sweep table) and DIR/window-NN/test/ (config.json and
// the run's outputs).
#ifndef TAPEDECK_ANALYSIS_WALK_FORWARD_H_
#define TAPEDECK_ANALYSIS_WALK_FORWARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/run_summary.h"
#include "analysis/sweep.h"
#include "core/engine.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck::analysis {

struct WalkForwardSpec {
  Duration train;
  Duration test;
  Duration step;  // 0: equal to test
  bool anchored = false;
};

struct WalkWindow {
  Timestamp train_start, train_end, test_start, test_end;
};

// The windows of [start, end); errors name the flag (--train, --test, --step) at fault.
absl::StatusOr<std::vector<WalkWindow>> WalkForwardWindows(Timestamp start, Timestamp end,
                                                           const WalkForwardSpec& spec);

// `config` with its "window" set to [start, end).
nlohmann::json WithWindow(const nlohmann::json& config, Timestamp start, Timestamp end);

struct WalkWindowResult {
  WalkWindow window;
  std::optional<SweepRow> train_best;  // none: no feasible point, nothing tested
  std::optional<RunFigures> test;      // the test run's figures
  std::string test_digest;
  std::vector<EquityPoint> test_equity;
};

// One point of the stitched out-of-sample curve.
struct StitchedPoint {
  Timestamp ts;
  size_t window;
  Money equity;
};
// Window k's equity shifted by the stitched equity at the end of window k-1 minus the initial
// cash, behind a point at the window's start carrying that end value over, so the curve is
// continuous. A window with no chosen point stays flat.
std::vector<StitchedPoint> StitchEquity(const std::vector<WalkWindowResult>& windows,
                                        Money initial_cash);

// The stitched out-of-sample results.
struct OutOfSample {
  std::optional<double> mean_objective;  // over the test runs where it is defined
  Money initial_equity;
  Money final_equity;
  Money pnl;
  double total_return = 0;
  double max_drawdown = 0;  // of the stitched curve
  uint64_t orders = 0;
  uint64_t fills = 0;
  uint64_t round_trips = 0;
  uint64_t windows_traded = 0;
};

struct WalkForwardResult {
  SweepTable header;  // the grid's table header (rows empty)
  WalkForwardSpec spec;
  Timestamp span_start, span_end;
  std::vector<WalkWindowResult> windows;
  std::vector<StitchedPoint> curve;
  std::optional<double> in_sample_mean_objective;
  OutOfSample out_of_sample;
};

// Summarises the windows' results (the curve, the means, the totals).
void SummariseWalkForward(Money initial_cash, WalkForwardResult* result);

nlohmann::json WalkForwardJson(const WalkForwardResult& result);
std::string WalkForwardCsv(const WalkForwardResult& result);
std::string StitchedEquityCsv(const std::vector<StitchedPoint>& curve);
// One line per window and the stitched results, for the terminal.
std::string WalkForwardText(const WalkForwardResult& result, const std::string& out_dir);

// Runs the evaluation and writes its files into options.out_dir (sharding does not apply).
absl::StatusOr<WalkForwardResult> RunWalkForward(const SweepInput& in, const WalkForwardSpec& spec,
                                                 const SweepOptions& options);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_WALK_FORWARD_H_
