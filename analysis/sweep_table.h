// A sweep's result table: one row per point, sorted feasible first (every constraint holds),
// then by the objective (best first; an undefined objective last), ties by point index.
//
// results.json: {"schema": "tapedeck.sweep/1", "grid_digest", "points", "objective", "goal",
// "constraints": [{"metric", "op", "value"}], "params": [path...], "shard" (only in a shard's
// partial table: "K/N"), "rows": [{"index", "params": {path: value}, "feasible", "objective",
// "metrics": {name: value}, "digest"}]}. results.csv has the same rows with a rank, one column per
// parameter and one per row metric.
#ifndef TAPEDECK_ANALYSIS_SWEEP_TABLE_H_
#define TAPEDECK_ANALYSIS_SWEEP_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/run_summary.h"
#include "analysis/sweep_grid.h"
#include "nlohmann/json.hpp"

namespace tapedeck::analysis {

// A metric's value as a row shows it.
struct RowMetric {
  MetricId id;
  std::optional<double> value;  // none when the run leaves it undefined
};

// The metrics a row carries: pnl, total_return, max_drawdown, sharpe, round_trips, win_rate,
// orders and fills, the constraints' and the objective's; each once, ordered by name.
std::vector<RowMetric> RowMetricsOf(const SweepGrid& grid, const RunFigures& figures);
// The value of `id` among `metrics` (none when it is not there).
std::optional<double> RowMetricValue(const std::vector<RowMetric>& metrics, MetricId id);
// {name: value or null}.
nlohmann::json RowMetricsJson(const std::vector<RowMetric>& metrics);

struct SweepRow {
  uint64_t index = 0;
  std::vector<nlohmann::json> params;  // one per grid parameter, in the grid's order
  bool feasible = true;
  std::optional<double> objective;
  std::vector<RowMetric> metrics;
  std::string digest;  // the run digest
};

SweepRow MakeSweepRow(const SweepGrid& grid, uint64_t index, const RunFigures& figures,
                      const std::string& digest);
void SortSweepRows(SweepGoal goal, std::vector<SweepRow>* rows);

struct SweepTable {
  std::string grid_digest;  // of the grid and the base config: shards of one sweep share it
  uint64_t points = 0;
  MetricId objective = MetricId::kPnl;
  SweepGoal goal = SweepGoal::kMax;
  std::vector<SweepConstraint> constraints;
  std::vector<std::string> params;  // paths
  std::string shard;                // "K/N" for a shard's partial table, else ""
  std::vector<SweepRow> rows;
};

// One row as results.json (and the resume journal) writes it, with `params` the grid's paths, and
// read back; errors name `origin` and the key.
nlohmann::json SweepRowJson(const SweepRow& row, const std::vector<std::string>& params);
absl::StatusOr<SweepRow> SweepRowFromJson(const nlohmann::json& j,
                                          const std::vector<std::string>& params,
                                          const std::string& origin);

// The table's header (everything but the rows) for `grid`.
SweepTable SweepTableFor(const SweepGrid& grid, const std::string& grid_digest, uint64_t points);

nlohmann::json SweepTableJson(const SweepTable& table);
// Reads results.json back; errors name `origin` and the key.
absl::StatusOr<SweepTable> SweepTableFromJson(const nlohmann::json& j, const std::string& origin);
std::string SweepTableCsv(const SweepTable& table);

// The table's header fields as results.json and walkforward.json write them.
nlohmann::json SweepHeaderJson(const SweepTable& table);

// A CSV field, quoted when it holds a comma, a quote or a newline; null is empty.
std::string CsvField(const nlohmann::json& v);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_SWEEP_TABLE_H_
