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
// Money with two decimals ("-12.34" from "-12.34567890").
std::string FormatMoney2(Money m);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_METRIC_FORMAT_H_
