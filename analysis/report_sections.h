// The report page's charts and performance tables (analysis/report.h assembles the page from
// them): equity with buy-and-hold references and the drawdown, the worst drawdowns, returns by
// month, a rolling Sharpe, each traded instrument's price with its fills, and positions.
#ifndef TAPEDECK_ANALYSIS_REPORT_SECTIONS_H_
#define TAPEDECK_ANALYSIS_REPORT_SECTIONS_H_

#include <string>
#include <vector>

#include "analysis/chart.h"
#include "analysis/report_data.h"

namespace tapedeck::analysis {

// How many drawdown periods the table lists.
inline constexpr size_t kWorstDrawdowns = 5;

// `eq` is the equity curve from the run's start (EquityFromStart).
std::string EquityAndDrawdown(const RunData& r, const std::vector<Pt>& eq,
                              const std::vector<InstrumentSeries>& ins, const Span& span);
std::string WorstDrawdownsTable(const std::vector<Pt>& eq);
std::string MonthlyReturnsTable(const std::vector<Pt>& eq);
std::string RollingSharpeChart(const std::vector<Pt>& eq, const Span& span);
std::string PricesAndFills(const RunData& r, const std::vector<InstrumentSeries>& ins,
                           const Span& span);
std::string Positions(const RunData& r, const std::vector<InstrumentSeries>& ins,
                      const Span& span);

// "3d 4h", "5h 20m", "45m", "12s".
std::string FormatSpan(double ns);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_REPORT_SECTIONS_H_
