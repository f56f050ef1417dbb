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
// config is the base config with the values substituted, run through RunOne (apps/run_one.h):
// the same path as `tapedeck run` on that config, so the digests are equal.
#ifndef TAPEDECK_APPS_SWEEP_H_
#define TAPEDECK_APPS_SWEEP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_SWEEP_H_
