#include "core/latency_model.h"

#include <cmath>
#include <numbers>
#include <string>

#include "absl/strings/str_cat.h"

namespace tapedeck {

absl::StatusOr<LatencyKind> ParseLatencyKind(std::string_view name) {
  if (name == "constant") return LatencyKind::kConstant;
  if (name == "lognormal") return LatencyKind::kLognormal;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown latency model '", std::string(name), "' (constant, lognormal)"));
}

std::string_view LatencyKindName(LatencyKind k) {
  return k == LatencyKind::kLognormal ? "lognormal" : "constant";
}

LatencyModel::LatencyModel(const LatencySpec& spec, Duration fallback, uint64_t seed)
    : spec_(spec), rng_(seed) {
  if (spec_.inherits()) spec_.base = fallback;
}

int64_t LatencyModel::SampleLognormal() {
  // Uniforms in (0, 1] and [0, 1) from 53 random bits each.
  const double u1 = (static_cast<double>(rng_.Next() >> 11) + 1.0) * 0x1.0p-53;
  const double u2 = static_cast<double>(rng_.Next() >> 11) * 0x1.0p-53;
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  const double sigma = static_cast<double>(spec_.sigma_milli) / 1000.0;
  int64_t d = std::llround(static_cast<double>(spec_.base.ns) * std::exp(sigma * z));
  if (spec_.spike_ppm > 0) {
    const uint64_t r = rng_.Next() % 1'000'000;
    if (r < static_cast<uint64_t>(spec_.spike_ppm)) d += spec_.spike.ns;
  }
  return d;
}

}  // namespace tapedeck
