// How tables show a metric: two decimals for money (cut from the exact text, never rounded
// through a double), percent with two decimals for fractions, two decimals for ratios and
// seconds, integers for counts, "-" when undefined. Shared by the report, compare and the
// terminal tables.
#ifndef TAPEDECK_ANALYSIS_METRIC_FORMAT_H_
#define TAPEDECK_ANALYSIS_METRIC_FORMAT_H_

#include <string>

#include "core/metrics.h"

namespace tapedeck::analysis {

std::string FormatMetricValue(const MetricValue& v, MetricUnit unit);

// Annualised figures (volatility, sharpe, sortino, cagr, calmar) of a run shorter than this are
// flagged with kShortSpanMark wherever they are shown, with ShortSpanNote below: a few days (or
// minutes) of returns extrapolated to a year say little. summary.json keeps the numbers.
inline constexpr double kMinAnnualisedSpanDays = 30;
inline constexpr char kShortSpanMark[] = "*";
bool IsAnnualised(MetricId id);
// Whether `id` of a run that spans `span_seconds` (null: unknown) is flagged.
bool FlaggedAsShortSpan(MetricId id, const MetricValue& span_seconds);
// `v` formatted, with kShortSpanMark when flagged.
std::string FormatMetricForRun(MetricId id, const MetricValue& v, const MetricValue& span_seconds);
// "* annualised from 3.1 days of data (under the 30-day minimum): not a reliable figure"
std::string ShortSpanNote(const MetricValue& span_seconds);
// Money with two decimals ("-12.34" from "-12.34567890").
std::string FormatMoney2(Money m);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_METRIC_FORMAT_H_
