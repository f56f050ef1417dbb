// The strategy's own part of its report page, drawn from the generic "strategy_sections"
// (tables) and "strategy_charts" of its summary (analysis/run_summary.h): the page knows no
// strategy and no parameter by name.
#ifndef TAPEDECK_ANALYSIS_STRATEGY_PARTS_H_
#define TAPEDECK_ANALYSIS_STRATEGY_PARTS_H_

#include <string>
#include <vector>

#include "analysis/report_data.h"
#include "analysis/run_summary.h"

namespace tapedeck::analysis {

// Each section as a heading, its note and a table (the first kMaxTableRows rows; the note says
// when there are more).
std::string RenderStrategySections(const std::vector<StrategySection>& sections);

// Each chart under its heading. A spread_bps chart of instruments (a, b) draws
// (mid_b - mid_a) / mid_a x 10^4 at prices.csv's times, not annualised; an instrument without
// prices gets a note instead.
std::string RenderStrategyCharts(const std::vector<StrategyChart>& charts,
                                 const std::vector<InstrumentSeries>& series, const Span& span);

inline constexpr size_t kMaxTableRows = 1000;

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_STRATEGY_PARTS_H_
