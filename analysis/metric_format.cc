#include "analysis/metric_format.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/decimal.h"

namespace tapedeck::analysis {

std::string FormatMoney2(Money m) {
  const std::string t = FormatDecimal(m.raw, Money::kScale);
  const size_t dot = t.find('.');
  return dot == std::string::npos ? t : t.substr(0, std::min(t.size(), dot + 3));
}

std::string FormatMetricValue(const MetricValue& v, MetricUnit unit) {
  switch (v.kind()) {
    case MetricValue::Kind::kNone:
      return "-";
    case MetricValue::Kind::kMoney:
      return FormatMoney2(v.money());
    case MetricValue::Kind::kCount:
      return absl::StrCat(v.count());
    case MetricValue::Kind::kNumber:
      break;
  }
  const double d = v.number();
  switch (unit) {
    case MetricUnit::kFraction:
      return absl::StrFormat("%.2f%%", d * 100);
    case MetricUnit::kCount:
      return absl::StrCat(static_cast<int64_t>(d));
    case MetricUnit::kMoney:
    case MetricUnit::kRatio:
    case MetricUnit::kSeconds:
      break;
  }
  return absl::StrFormat("%.2f", d);
}

bool IsAnnualised(MetricId id) {
  switch (id) {
    case MetricId::kVolatility:
    case MetricId::kSharpe:
    case MetricId::kSortino:
    case MetricId::kCagr:
    case MetricId::kCalmar:
      return true;
    default:
      return false;
  }
}

bool FlaggedAsShortSpan(MetricId id, const MetricValue& span_seconds) {
  const std::optional<double> s = span_seconds.ToDouble();
  return IsAnnualised(id) && s.has_value() && *s < kMinAnnualisedSpanDays * 86400;
}

std::string FormatMetricForRun(MetricId id, const MetricValue& v, const MetricValue& span_seconds) {
  std::string text = FormatMetricValue(v, GetMetric(id).unit);
  if (v.has_value() && FlaggedAsShortSpan(id, span_seconds)) text += kShortSpanMark;
  return text;
}

std::string ShortSpanNote(const MetricValue& span_seconds) {
  const double days = span_seconds.ToDouble().value_or(0) / 86400;
  const std::string span = days >= 1 ? absl::StrFormat("%.1f days", days)
                                     : absl::StrFormat("%.1f hours", days * 24);
  return absl::StrFormat(
      "%s annualised from %s of data (under the %.0f-day minimum): not a reliable figure",
      kShortSpanMark, span, kMinAnnualisedSpanDays);
}

}  // namespace tapedeck::analysis
