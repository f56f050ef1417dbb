#include "core/params.h"

#include "absl/strings/str_cat.h"

namespace tapedeck {

std::string FormatDurationText(Duration d) {
  struct Unit {
    const char* suffix;
    int64_t ns;
  };
  // Largest first: "1h", not "60m".
  static constexpr Unit kUnits[] = {{"d", 86'400'000'000'000}, {"h", 3'600'000'000'000},
                                    {"m", 60'000'000'000},     {"s", 1'000'000'000},
                                    {"ms", 1'000'000},         {"us", 1'000}};
  if (d.ns == 0) return "0";
  for (const Unit& u : kUnits) {
    if (d.ns % u.ns == 0) return absl::StrCat(d.ns / u.ns, u.suffix);
  }
  return absl::StrCat(d.ns, "ns");
}

std::string FormatDecimalText(int64_t raw, int scale) {
  std::string s = FormatDecimal(raw, scale);
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace tapedeck
