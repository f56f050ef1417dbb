// A parameter sweep's grid (`tapedeck sweep --grid`): which config values vary, over which
// values, and how points are ranked.
//
// A grid file (configs/dip_buyer_grid.json is an example):
//   {
//     "mode": "grid",                  // "grid": every combination; "random": `samples` points
//     "samples": 100, "seed": 7,       // random mode only: points drawn with a seeded RNG
//     "params": [
//       {"path": "strategies[0].params.drawdown_bps", "values": [400, 500, 600]},
//       {"path": "strategies[0].params.take_profit_bps", "range": {"from": 300, "to": 900, "step":
//       200}}
//     ],
//     "objective": {"metric": "pnl", "goal": "max"},          // or "min"
//     "constraints": [{"metric": "max_drawdown", "op": "<=", "value": 0.15}]
//   }
// A parameter path is dotted keys with [i] for array elements, relative to the run config's root;
// it must name a value that exists in the config (a number, string or bool), every value given
// must have the same JSON type (integers for an integer), and no path may be given twice.
// Metrics are named as in the metric table (core/metrics.h: pnl, fees, orders, total_return,
// sharpe, max_drawdown, win_rate, ...); constraint operators are <, <=, >, >=, == and !=.
//
// Point i of a grid is the i-th combination with the LAST parameter varying fastest; in random
// mode point i draws each value from its own seeded stream, so any subset of points (a shard)
// gets the same values.
#ifndef TAPEDECK_ANALYSIS_SWEEP_GRID_H_
#define TAPEDECK_ANALYSIS_SWEEP_GRID_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/metrics.h"
#include "nlohmann/json.hpp"

namespace tapedeck::analysis {

// One step of a parameter path: an object key or an array index.
struct PathStep {
  std::string key;  // empty for an index
  size_t index = 0;
  bool is_index = false;
};

struct SweepParam {
  std::string path;  // as written in the grid
  std::vector<PathStep> steps;
  std::vector<nlohmann::json> values;
};

enum class CompareOp : uint8_t { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

// "<", "<=", ">", ">=", "==", "!=".
std::string_view CompareOpText(CompareOp op);
std::optional<CompareOp> ParseCompareOp(std::string_view text);

struct SweepConstraint {
  MetricId metric = MetricId::kPnl;
  CompareOp op = CompareOp::kLessEqual;
  double value = 0;

  // Whether a run's value satisfies it; an undefined value never does.
  bool HoldsFor(const std::optional<double>& x) const;
};

enum class SweepGoal : uint8_t { kMax, kMin };

struct SweepGrid {
  std::vector<SweepParam> params;
  bool random = false;
  uint64_t samples = 0;
  uint64_t seed = 0;
  MetricId objective = MetricId::kPnl;
  SweepGoal goal = SweepGoal::kMax;
  std::vector<SweepConstraint> constraints;
};

// Parses and checks a grid against the base config document: unknown parameter path, empty
// range, wrong type, unknown metric or operator are errors naming `origin` and the grid key.
absl::StatusOr<SweepGrid> ParseSweepGrid(const nlohmann::json& grid, const std::string& origin,
                                         const nlohmann::json& base_config);

// Number of points, and the values of point `index` (one per param).
uint64_t SweepPointCount(const SweepGrid& grid);
std::vector<nlohmann::json> SweepPointValues(const SweepGrid& grid, uint64_t index);
// The base config with point `index`'s values substituted.
nlohmann::json SweepPointConfig(const SweepGrid& grid, const nlohmann::json& base, uint64_t index);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_SWEEP_GRID_H_
