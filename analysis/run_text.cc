#include "analysis/run_text.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/metric_format.h"
#include "core/metrics.h"

namespace tapedeck::analysis {
namespace {

using runner::RunResult;

// Row label and one cell per run.
using Rows = std::vector<std::pair<std::string, std::vector<std::string>>>;

// The rows padded into columns, the labels left-aligned and the cells right-aligned.
std::string Columns(const Rows& rows, size_t runs) {
  size_t w0 = 0;
  for (const auto& row : rows) w0 = std::max(w0, row.first.size());
  std::vector<size_t> widths(runs, 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.second.size(); ++i) {
      widths[i] = std::max(widths[i], row.second[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    absl::StrAppend(&out, absl::StrFormat("%-*s", static_cast<int>(w0), row.first));
    for (size_t i = 0; i < row.second.size(); ++i) {
      absl::StrAppend(&out, "  ",
                      absl::StrFormat("%*s", static_cast<int>(widths[i]), row.second[i]));
    }
    out += '\n';
  }
  return out;
}

}  // namespace

std::string RunTableText(const std::vector<RunResult>& results, const std::string& out_dir) {
  // The run's figures and key metrics, from the metric table (core/metrics.h).
  constexpr MetricId kFigures[] = {MetricId::kOrders, MetricId::kFills, MetricId::kPnl,
                                   MetricId::kFees, MetricId::kFinalEquity};
  constexpr MetricId kKeyMetrics[] = {MetricId::kTotalReturn, MetricId::kMaxDrawdown,
                                      MetricId::kSharpe, MetricId::kRoundTrips, MetricId::kWinRate};
  bool flagged = false;
  std::optional<MetricValue> shortest;  // the span of the first flagged run
  Rows rows = {{"strategy", {}}, {"events", {}}};
  for (MetricId id : kFigures) rows.push_back({std::string(GetMetric(id).label), {}});
  for (const char* fact : {"wall time", "events/s", "digest"}) rows.push_back({fact, {}});
  for (MetricId id : kKeyMetrics) rows.push_back({std::string(GetMetric(id).label), {}});
  for (const RunResult& r : results) {
    const MetricValue span = GetMetric(MetricId::kSpanSeconds).Read(r.totals, r.metrics);
    auto metric = [&](MetricId id) {
      const MetricValue v = GetMetric(id).Read(r.totals, r.metrics);
      flagged = flagged || (v.has_value() && FlaggedAsShortSpan(id, span));
      if (flagged && !shortest.has_value()) shortest = span;
      return FormatMetricForRun(id, v, span);
    };
    const double events = static_cast<double>(r.facts.market_events);
    size_t row = 0;
    rows[row++].second.push_back(r.spec.label);
    rows[row++].second.push_back(absl::StrCat(r.facts.market_events));
    for (MetricId id : kFigures) rows[row++].second.push_back(metric(id));
    rows[row++].second.push_back(absl::StrFormat("%.3f s", r.wall_seconds));
    rows[row++].second.push_back(
        absl::StrFormat("%.2fM", r.wall_seconds > 0 ? events / r.wall_seconds / 1e6 : 0.0));
    rows[row++].second.push_back(r.digests.RunHex());
    for (MetricId id : kKeyMetrics) rows[row++].second.push_back(metric(id));
  }
  // Metrics first after the label, then the run's facts.
  std::rotate(rows.begin() + 4, rows.begin() + 10, rows.end());
  std::string out = Columns(rows, results.size());
  if (shortest.has_value()) absl::StrAppend(&out, ShortSpanNote(*shortest), "\n");
  absl::StrAppend(&out, "outputs in ", out_dir, "/ (report: ", out_dir, "/report.html)\n");
  return out;
}

std::string JournalReplayText(const runner::JournalReplayResult& r, const std::string& out_dir) {
  return absl::StrCat("replayed ", r.events, " journal events",
                      r.torn ? " (torn tail ignored)" : "", ": ",
                      r.run.summary["orders"].get<uint64_t>(), " orders, ",
                      r.run.summary["fills"].get<uint64_t>(), " fills; outputs in ", out_dir, "\n");
}

}  // namespace tapedeck::analysis
