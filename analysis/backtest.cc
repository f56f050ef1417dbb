#include "analysis/backtest.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <span>

#include "absl/strings/str_cat.h"
#include "core/source.h"
#include "core/status.h"
#include "runner/backtest.h"
#include "runner/records.h"
#include "runner/sources.h"

namespace tapedeck::analysis {
namespace {

// Keeps the equity curve of a run (walk-forward stitches the test runs' curves).
class EquityKeeper final : public runner::RecordSink {
 public:
  void OnEquity(const EquityPoint& e) override { equity.push_back(e); }
  std::vector<EquityPoint> equity;
};

}  // namespace

absl::StatusOr<RunSummary> BacktestResult::Summary() const {
  return RunSummaryFromJson(summary, "the run's summary");
}

absl::StatusOr<Backtest> Backtest::Parse(const nlohmann::json& doc,
                                         const std::string& config_path) {
  absl::StatusOr<runner::RunConfig> rc = runner::ParseRunConfig(doc, config_path, std::nullopt);
  if (!rc.ok()) {
    return absl::Status(rc.status().code(), absl::StrCat(config_path, ": ", rc.status().message()));
  }
  return Backtest(std::make_shared<const runner::RunConfig>(std::move(*rc)));
}

absl::StatusOr<Backtest> Backtest::PreparePoint(const nlohmann::json& doc,
                                                const std::string& config_path, uint64_t index) {
  absl::StatusOr<runner::RunConfig> rc = runner::ParseRunConfig(doc, config_path, std::nullopt);
  if (!rc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(config_path, " (sweep point ", index, "): ", rc.status().message()));
  }
  if (!rc->seed.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(config_path, ": seed: required"));
  }
  if (rc->strategies.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        config_path, ": strategies: a sweep needs exactly one strategy, the config has ",
        rc->strategies.size()));
  }
  return Backtest(std::make_shared<const runner::RunConfig>(std::move(*rc)));
}

absl::StatusOr<std::pair<Timestamp, Timestamp>> Backtest::DataSpan() const {
  const runner::RunConfig& rc = *config_;
  const runner::RunWindow w = rc.window.value_or(runner::RunWindow{});
  if (w.start != Timestamp::Min() && w.end != Timestamp::Max()) {
    return std::make_pair(w.start, w.end);
  }
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  absl::StatusOr<std::vector<std::unique_ptr<EventSource>>> opened =
      runner::OpenSources(rc.sources, rc.instruments, std::nullopt);
  if (!opened.ok()) return runner::WithOrigin(rc, opened.status());
  const std::vector<std::unique_ptr<EventSource>> sources = *std::move(opened);
  for (const std::unique_ptr<EventSource>& src : sources) {
    for (;;) {
      TAPEDECK_ASSIGN_OR_RETURN(std::span<const Event> batch, src->NextBatch());
      if (batch.empty()) break;
      lo = std::min(lo, batch.front().exchange_ts);
      hi = std::max(hi, batch.back().exchange_ts);
    }
  }
  if (lo > hi) return absl::InvalidArgumentError(absl::StrCat(rc.origin, ": sources: no events"));
  const Timestamp start = std::max(w.start, Timestamp(lo));
  const Timestamp end = std::min(w.end, Timestamp(hi + 1));
  if (end <= start) {
    return absl::InvalidArgumentError(absl::StrCat(rc.origin, ": window: holds no events"));
  }
  return std::make_pair(start, end);
}

absl::StatusOr<BacktestResult> Backtest::Run(const std::string& out_dir) const {
  EquityKeeper keeper;
  runner::RunOptions options;
  options.out_dir = out_dir;
  options.sink = [&keeper](const runner::StrategySpec&) { return &keeper; };
  TAPEDECK_ASSIGN_OR_RETURN(runner::RunResult r,
                            runner::RunBacktest(*config_, config_->strategies[0], options));
  BacktestResult out;
  out.figures.totals = r.totals;
  out.figures.metrics = std::move(r.metrics);
  out.digest = r.digests.RunHex();
  out.equity = std::move(keeper.equity);
  out.summary = std::move(r.summary);
  return out;
}

}  // namespace tapedeck::analysis
