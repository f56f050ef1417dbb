// Parameter sweeps over a run config (`tapedeck sweep`, `tapedeck sweep-merge`).
//
// A grid file (configs/dip_buyer_grid.json is an example):
//   {
//     "mode": "grid",                  // "grid": every combination; "random": `samples` points
//     "samples": 100, "seed": 7,       // random mode only: points drawn with a seeded RNG
//     "params": [
//       {"path": "strategies[0].params.drawdown_bps", "values": [400, 500, 600]},
//       {"path": "strategies[0].params.take_profit_bps", "range": {"from": 300, "to": 900, "step": 200}}
//     ],
//     "objective": {"metric": "pnl", "goal": "max"},          // or "min"
//     "constraints": [{"metric": "max_drawdown", "op": "<=", "value": 0.15}]
//   }
// A parameter path is dotted keys with [i] for array elements, relative to the run config's root;
// it must name a value that exists in the config (a number, string or bool), and every value
// given must have the same JSON type (integers for an integer). Metrics are addressed by name: a
// top-level summary.json field (pnl, fees, final_equity, orders, fills, ...) or a field of its
// "metrics" object (total_return, sharpe, max_drawdown (its "fraction"), win_rate, ...).
//
// Point i of a grid is the i-th combination with the LAST parameter varying fastest. Each point's
// config is the base config with the values substituted, run through RunBacktest (runner/backtest.h):
// the same path as `tapedeck run` on that config, so the digests are equal.
#ifndef TAPEDECK_APPS_SWEEP_H_
#define TAPEDECK_APPS_SWEEP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/engine.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck::apps {

struct SweepParam {
  std::string path;                  // as written in the grid
  std::vector<std::string> tokens;   // parsed path: keys, or "[i]" entries as decimal strings
  std::vector<bool> is_index;
  std::vector<nlohmann::json> values;
};

struct SweepConstraint {
  std::string metric;
  std::string op;  // "<", "<=", ">", ">=", "==", "!="
  double value = 0;
};

struct SweepGrid {
  std::vector<SweepParam> params;
  bool random = false;
  uint64_t samples = 0;
  uint64_t seed = 0;
  std::string objective = "pnl";
  bool maximize = true;
  std::vector<SweepConstraint> constraints;
};

// Parses and checks a grid against the base config document: unknown parameter path, empty
// range, wrong type, unknown metric are errors naming `origin` and the grid key.
absl::StatusOr<SweepGrid> ParseSweepGrid(const nlohmann::json& grid, const std::string& origin,
                                         const nlohmann::json& base_config);

// Number of points, and the values of point `index` (one per param).
uint64_t SweepPointCount(const SweepGrid& grid);
std::vector<nlohmann::json> SweepPointValues(const SweepGrid& grid, uint64_t index);
// The base config with point `index`'s values substituted.
nlohmann::json SweepPointConfig(const SweepGrid& grid, const nlohmann::json& base, uint64_t index);

// Whether `name` is a metric the sweep can read; the value of a metric in a summary.json
// (nullopt when null or absent).
bool IsKnownSweepMetric(const std::string& name);
std::optional<double> SweepMetric(const nlohmann::json& summary, const std::string& name);

// The result table. Rows sorted: feasible (all constraints hold) first, then by the objective
// (best first; a missing objective last), ties by point index.
nlohmann::json SweepRow(const SweepGrid& grid, uint64_t index, const nlohmann::json& summary,
                        const std::string& digest);
void SortSweepRows(const SweepGrid& grid, std::vector<nlohmann::json>* rows);
// results.json: {"schema","grid_digest","points","objective","goal","constraints","params",
// "rows"}; `shard` ("K/N") is added only for a shard's partial table.
nlohmann::json SweepTableJson(const SweepGrid& grid, const std::string& grid_digest, uint64_t points,
                              const std::vector<nlohmann::json>& rows, const std::string& shard);
std::string SweepTableCsv(const nlohmann::json& table);

// ---- Walk-forward (`tapedeck sweep ... --walk-forward`) ----
//
// The data span [start, end) is cut into windows; window k (k = 0, 1, ...) trains on
//   rolling:  [start + k*step, start + k*step + train)
//   anchored: [start, start + k*step + train)
// and tests on the test period that follows its train period: [train_end, train_end + test), the
// last one cut at `end`; windows are made while train_end < end. step >= test (test periods
// never overlap: the stitched curve would count a time twice), step defaults to test.
// Each train period runs the whole grid with the config's "window" set to it (so its table is
// the table of a plain sweep restricted to that window), the best row (rows sorted as above: the
// first, if it is feasible) is run on the test period, and the test periods' equity curves are
// stitched into one out-of-sample curve. A window starts cold (apps/run_config.h: no warm-up);
// each test period starts flat with the initial cash, and its open position, if any, is marked
// at its end, not closed.
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
  nlohmann::json train_best;    // the chosen row of the train table; null: no feasible point
  nlohmann::json test_summary;  // summary.json of the test run; null when nothing was chosen
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

// walkforward.json: {"schema": "tapedeck.walkforward/1", "grid_digest", "objective", "goal",
// "constraints", "params", "mode", "train", "test", "step", "span", "windows": [{"window",
// "train": {start, end}, "test": {start, end}, "index", "params", "in_sample": {"feasible",
// "objective", "metrics", "digest"}, "out_of_sample": {"objective", "metrics", "digest"}}],
// "in_sample": {"mean_objective"}, "out_of_sample": {"mean_objective", "initial_equity",
// "final_equity", "pnl", "total_return", "max_drawdown", "orders", "fills", "round_trips",
// "windows_traded"}}; walkforward.csv one line per window; oos_equity.csv the stitched curve.
nlohmann::json WalkForwardJson(const SweepGrid& grid, const std::string& grid_digest,
                               const WalkForwardSpec& spec, Timestamp span_start,
                               Timestamp span_end, const std::vector<WalkWindowResult>& windows,
                               Money initial_cash);
std::string WalkForwardCsv(const nlohmann::json& table);
std::string StitchedEquityCsv(const std::vector<StitchedPoint>& curve);

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_SWEEP_H_
