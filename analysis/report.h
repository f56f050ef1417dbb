// report.html: what a trader opens first. Built only from a run's output files (summary.json,
// equity.csv, prices.csv, fills.csv, round_trips.csv), so `tapedeck report DIR` rebuilds exactly
// what `tapedeck run` wrote, without rerunning.
//
// The page (analysis/html.h: self-contained, an inline script for zoom, nothing fetched) has:
// the key figures (annualised ones flagged for runs under 30 days); equity with a buy-and-hold
// line per traded instrument, and the drawdown; the five worst drawdowns; returns by month;
// a rolling Sharpe; each traded instrument's price with its buys and sells; positions; the
// strategy's charts; per-instrument results of the traded instruments; the strategy's
// sections; the round trips; the strategy's free-form report; the config. Charts are
// analysis/chart.h's, the performance parts analysis/report_sections.h's. A drawdown is a
// positive depth everywhere. Deterministic: same files, same bytes.
#ifndef TAPEDECK_ANALYSIS_REPORT_H_
#define TAPEDECK_ANALYSIS_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "analysis/report_data.h"

namespace tapedeck::analysis {

std::string RenderRunReport(const RunData& run);

// Writes report.html into every strategy directory of `dir` and, for a run directory, the index
// DIR/report.html (the runs side by side, analysis/compare.h). Appends the paths written to
// *written.
absl::Status WriteReports(const std::string& dir, std::vector<std::string>* written);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_REPORT_H_
