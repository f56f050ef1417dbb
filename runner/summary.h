// summary.json of one strategy's run (schema: docs/summary.schema.json; fields:
// docs/outputs.md) and the metrics in it (core/metrics.h), built from the run's records as they
// stream past (MetricsCollector) and the Context's state at the end.
#ifndef TAPEDECK_RUNNER_SUMMARY_H_
#define TAPEDECK_RUNNER_SUMMARY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/metrics.h"
#include "core/strategy.h"
#include "nlohmann/json.hpp"
#include "runner/output_writer.h"
#include "runner/records.h"

namespace tapedeck::runner {

struct RunFacts {
  std::string strategy_name;
  std::string label;
  uint64_t seed = 0;
  uint64_t market_events = 0;
  Timestamp first_ts;  // the run's first and last strategy-side times
  Timestamp last_ts;
};

// What the metrics and the summary need of the records: the fills (real ones, then the closes
// the venue made by settlement or liquidation, as fills with order id 0), the funding flows,
// the equity curve and the counts.
class MetricsCollector final : public RecordSink {
 public:
  void OnOrder(const OrderLogEntry&) override { ++requests_; }
  void OnFill(const FillLogEntry& f) override { fills_.push_back(f); }
  void OnAccount(const AccountLogEntry& a) override;
  void OnEquity(const EquityPoint& e) override { equity_.emplace_back(e.ts, e.equity); }

  // The metrics of the run whose Context is `ctx` (its portfolio gives the final marks).
  Metrics Compute(const Context& ctx, const RunFacts& facts) const;
  // The run's own figures: summary.json's top level (core/metrics.h's metric table).
  RunTotals Totals(const Context& ctx, const RunFacts& facts) const;
  // summary.json; `digests` are the tables' (runner/output_writer.h).
  nlohmann::json Summary(const Context& ctx, const RunFacts& facts, const Metrics& metrics,
                         const RunDigests& digests, const nlohmann::json& strategy_report,
                         const StrategySections& sections, const nlohmann::json& config) const;

  // (time, equity) of every point: all the metrics read (16 bytes a point, not 48).
  const std::vector<std::pair<Timestamp, Money>>& equity() const { return equity_; }

 private:
  uint64_t requests_ = 0;
  std::vector<FillLogEntry> fills_;
  std::vector<FillLogEntry> venue_closes_;  // settlements and liquidations, as fills
  std::vector<FundingFlow> funding_;
  std::vector<std::pair<Timestamp, Money>> equity_;
  uint64_t account_events_ = 0, funding_events_ = 0, settlements_ = 0, liquidations_ = 0;
  Money settlement_pnl_, liquidation_pnl_, liquidation_fees_;
};

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_SUMMARY_H_
