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

}  // namespace tapedeck::analysis
