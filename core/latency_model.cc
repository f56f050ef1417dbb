#include "core/latency_model.h"

#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"

namespace tapedeck {

// ---- constant ----

absl::Status ConstantLatency::Parse(ConfigObject&, Spec*) { return absl::OkStatus(); }

// ---- lognormal ----

absl::Status LognormalLatency::Parse(ConfigObject& o, Spec* spec) {
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("sigma", 3, &spec->sigma_milli));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("spike_probability", 6, &spec->spike_ppm));
  TAPEDECK_RETURN_IF_ERROR(o.DurationValue("spike", &spec->spike));
  if (spec->sigma_milli < 0) return o.Error("sigma", "must be >= 0");
  if (spec->spike_ppm < 0 || spec->spike_ppm > 1'000'000) {
    return o.Error("spike_probability", "must be in [0, 1]");
  }
  if (spec->spike.ns < 0) return o.Error("spike", "must be >= 0");
  return absl::OkStatus();
}

int64_t LognormalLatency::Draw(const LatencyDraw& d) {
  // Uniforms in (0, 1] and [0, 1) from 53 random bits each.
  const double u1 = (static_cast<double>(rng_.Next() >> 11) + 1.0) * 0x1.0p-53;
  const double u2 = static_cast<double>(rng_.Next() >> 11) * 0x1.0p-53;
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  const double sigma = static_cast<double>(spec_.sigma_milli) / 1000.0;
  int64_t v = std::llround(static_cast<double>(d.base_ns) * std::exp(sigma * z));
  if (spec_.spike_ppm > 0) {
    const uint64_t r = rng_.Next() % 1'000'000;
    if (r < static_cast<uint64_t>(spec_.spike_ppm)) v += spec_.spike.ns;
  }
  return v;
}

// ---- recorded ----

absl::Status RecordedLatency::Parse(ConfigObject& o, Spec* spec) {
  std::string file;
  TAPEDECK_RETURN_IF_ERROR(o.InputPath("file", &file));
  std::string align = spec->align == LatencyAlign::kAbsolute ? "absolute" : "start";
  TAPEDECK_RETURN_IF_ERROR(o.String("align", &align));
  absl::StatusOr<LatencyAlign> a = ParseLatencyAlign(align);
  if (!a.ok()) return o.Error("align", std::string(a.status().message()));
  spec->align = *a;
  if (!file.empty()) {
    // Read once here; the venue only interpolates. Relative paths are from the config file's
    // folder, like sources.
    absl::StatusOr<std::shared_ptr<const LatencyRecording>> rec = LoadLatencyRecording(file);
    if (!rec.ok()) return o.Error("file", std::string(rec.status().message()));
    spec->recording = *std::move(rec);
  }
  if (spec->recording == nullptr) {
    return o.Error("file",
                   "required for model 'recorded' (a CSV request_ns,exchange_ns,response_ns)");
  }
  return absl::OkStatus();
}

RecordedLatency::RecordedLatency(const Spec& spec, uint64_t, bool entry) : spec_(spec) {
  if (spec_.recording != nullptr) {
    column_ = entry ? &spec_.recording->entry : &spec_.recording->response;
  }
}

int64_t RecordedLatency::Draw(const LatencyDraw& d) {
  if (column_ == nullptr) return d.base_ns;
  const std::vector<int64_t>& time = spec_.recording->time;
  int64_t key = d.now.ns;
  if (spec_.align == LatencyAlign::kStart) {
    // now - run_start_ >= 0 in a run; before SetRunStart it is a large number and clamps to the
    // last row. Saturate instead of overflowing.
    const Int128 k =
        static_cast<Int128>(time.front()) + (static_cast<Int128>(d.now.ns) - run_start_);
    key = k > INT64_MAX ? INT64_MAX : k < INT64_MIN ? INT64_MIN : static_cast<int64_t>(k);
  }
  return InterpolateLatency(time, *column_, key, &cursor_);
}

// ---- the spec and the sampled model ----

std::string_view LatencySpec::model_name() const {
  switch (model.index()) {
    case 0:
      return ConstantLatency::kName;
    case 1:
      return LognormalLatency::kName;
    case 2:
      return RecordedLatency::kName;
    default:
      return std::get_if<CustomLatency::Spec>(&model)->name;
  }
}

LatencySpec LatencySpec::Constant(Duration base) {
  LatencySpec s;
  s.base = base;
  return s;
}

LatencySpec LatencySpec::Lognormal(Duration base, int64_t sigma_milli, int64_t spike_ppm,
                                   Duration spike) {
  LatencySpec s;
  s.model = LognormalLatency::Spec{sigma_milli, spike_ppm, spike};
  s.base = base;
  return s;
}

LatencySpec LatencySpec::Recorded(std::shared_ptr<const LatencyRecording> recording,
                                  LatencyAlign align) {
  LatencySpec s;
  s.model = RecordedLatency::Spec{std::move(recording), align};
  return s;
}

LatencyModel::LatencyModel(const LatencySpec& spec, Duration fallback, uint64_t seed, bool entry)
    : model_(std::visit(
          [&](const auto& s) -> Model {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, ConstantLatency::Spec>) {
              return ConstantLatency(s, seed, entry);
            } else if constexpr (std::is_same_v<S, LognormalLatency::Spec>) {
              return LognormalLatency(s, seed, entry);
            } else if constexpr (std::is_same_v<S, RecordedLatency::Spec>) {
              return RecordedLatency(s, seed, entry);
            } else {
              return CustomLatency(s, seed, entry);
            }
          },
          spec.model)),
      base_ns_(spec.inherits() ? fallback.ns : spec.base.ns),
      scaling_(spec.scaling) {}

void LatencyModel::SetRunStart(Timestamp start) {
  std::visit([start](auto& m) { m.SetRunStart(start); }, model_);
}

int64_t LatencyModel::ScaleByVolatility(int64_t d, int64_t vol_mbp) const {
  // d x (1 + k x vol / ref) = d + d x k_milli x vol / (1000 x ref), truncated, in 128 bits.
  const Int128 extra = static_cast<Int128>(d) * scaling_.vol_k_milli * vol_mbp /
                       (static_cast<Int128>(1000) * scaling_.vol_reference_mbp);
  const Int128 total = static_cast<Int128>(d) + extra;
  return total > kMaxLatencyNs ? kMaxLatencyNs : static_cast<int64_t>(total);
}

}  // namespace tapedeck
