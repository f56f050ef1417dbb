// One strategy's results as summary.json holds them (docs/outputs.md, docs/summary.schema.json),
// typed: what report, compare and sweeps read instead of looking keys up in JSON.
//
// The figures (RunTotals and Metrics, core/metrics.h) go through the metric table both ways, so
// a metric read here is the same bits as the one the run computed. A strategy's own report comes
// in three parts: "strategy_report" (free-form facts, kept as JSON and shown as such),
// "strategy_sections" (tables) and "strategy_charts" (charts the report draws from prices.csv),
// so that the report renders any strategy's results without knowing the strategy.
#ifndef TAPEDECK_ANALYSIS_RUN_SUMMARY_H_
#define TAPEDECK_ANALYSIS_RUN_SUMMARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "core/metrics.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck::analysis {

// The figures of one run: what sweeps, compare and the report compute with.
struct RunFigures {
  RunTotals totals;
  Metrics metrics;  // trips empty when read from summary.json (round_trips.csv holds them)

  MetricValue Value(MetricId id) const { return GetMetric(id).Read(totals, metrics); }
};

// summary.json "account": what the venue did on its own (account.csv).
struct AccountSummary {
  uint64_t events = 0;
  uint64_t funding_payments = 0;
  uint64_t settlements = 0;
  uint64_t liquidations = 0;
  Money settlement_pnl;
  Money liquidation_pnl;
  Money liquidation_fees;
};

// summary.json "instruments[]": the portfolio at the end. Quantities and prices are decimal
// text at the instrument's scale, as written ("" for a missing average price or mark).
struct PositionSummary {
  std::string symbol;
  std::string position;
  std::string average_price;
  std::string mark;
  Money realized_pnl;
  Money unrealized_pnl;
  Money fees;
  Money funding;
  std::string traded_qty;
};

struct SummaryDigests {
  std::string orders, fills, run;
  std::string account;  // "" when account.csv has no rows
};

// A cell of a strategy's table: empty, an integer, a number or text.
using SectionCell = std::variant<std::monostate, int64_t, double, std::string>;

// A table a strategy reports ("strategy_sections[]"), every row as long as `columns`.
struct StrategySection {
  std::string title;
  std::string note;  // "" for none
  std::vector<std::string> columns;
  std::vector<std::vector<SectionCell>> rows;
};

enum class StrategyChartKind : uint8_t {
  // The spread between two instruments' quote mids, in bps of the first:
  // (mid[1] - mid[0]) / mid[0] x 10^4, drawn from prices.csv.
  kSpreadBps,
};

// A chart a strategy asks for ("strategy_charts[]").
struct StrategyChart {
  StrategyChartKind kind = StrategyChartKind::kSpreadBps;
  std::string title;
  std::vector<std::string> instruments;  // symbols; two for kSpreadBps
};

struct RunSummary {
  std::string strategy;  // registry name
  std::string label;
  uint64_t seed = 0;
  Timestamp start;  // first and last strategy-side times
  Timestamp end;
  RunFigures figures;
  AccountSummary account;
  std::vector<PositionSummary> positions;
  nlohmann::json strategy_report = nlohmann::json::object();
  std::vector<StrategySection> sections;
  std::vector<StrategyChart> charts;
  SummaryDigests digest;
  nlohmann::json config;  // the run config; null in a run's combined summary

  MetricValue Value(MetricId id) const { return figures.Value(id); }
};

// Reads one strategy's summary (schema tapedeck.summary/1; "config" may be absent, as in a
// run's combined summary). Errors name `origin` and the key path.
absl::StatusOr<RunSummary> RunSummaryFromJson(const nlohmann::json& j, const std::string& origin);
// DIR/summary.json.
absl::StatusOr<RunSummary> LoadRunSummary(const std::string& dir);

// The wire names of the strategy chart kinds.
std::string_view StrategyChartKindName(StrategyChartKind kind);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_RUN_SUMMARY_H_
