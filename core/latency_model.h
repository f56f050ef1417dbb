// Order-entry and response latency models: when a message reaches the other side, not what it
// does there.
//
// A message's latency is drawn by its model from the message's nominal latency `base` (a
// LatencySpec's, else the venue's entry_latency or response_latency), then scaled by the state
// of the market. The models are separate types, each with its own Spec and its own parser
// (Parse, reading a latency object of the config), registered by name in the latency-model
// table (core/latency_model_registry.h):
// - ConstantLatency ("constant"): `base`.
// - LognormalLatency ("lognormal"): base x exp(sigma x Z), Z standard normal; with probability
//   spike_ppm / 10^6 a spike adds `spike`. Randomness comes from a splitmix64 stream seeded from
//   the run seed and the message type, so a run is reproducible from its seed. Z and exp use
//   double (Box-Muller with glibc log/sqrt/cos/exp); the sample is rounded to whole
//   nanoseconds. These functions are deterministic on one platform and build (same binary, same
//   libm), which is what the same-seed test checks; a different libm may round a sample by 1 ns
//   differently. Latency never enters a price or a balance.
// - RecordedLatency ("recorded"): interpolated from a recorded file of (request, exchange,
//   response) timestamps (core/latency_recording.h). Entry messages (submit, cancel, modify)
//   take exchange - request, responses take response - exchange, both keyed by the row's
//   request time and linearly interpolated between the two rows around the message's time,
//   clamped outside the file's span; aligned to the run's start or absolute (LatencyAlign).
// - CustomLatency: a model registered at run time (a plugin's), behind one virtual call
//   (LatencySampler). The built-ins are the other alternatives of a closed std::variant and are
//   dispatched with a switch: no virtual call.
// Scaling (LatencyScaling), for any model, in integers:
// - `feed_scale_pct` adds that percentage of the current feed latency (an average of
//   local_ts - exchange_ts over recent events), so order latency spikes when the feed lags.
// - `vol_k_milli` multiplies the latency (after the feed term) by 1 + k x vol / reference, where
//   vol is the venue's recent absolute price movement in milli-basis-points (the exchange side,
//   core/exchange_side.h: the sum of trade-to-trade, quote mid-to-mid and bar close-to-close
//   changes, each decayed by 2^(-age / vol_halflife)) and reference is `vol_reference_mbp`. A
//   crash, with large moves in quick succession, therefore slows every message down.
// `base` < 0 means "inherit": use the venue's entry_latency or response_latency.
#ifndef TAPEDECK_CORE_LATENCY_MODEL_H_
#define TAPEDECK_CORE_LATENCY_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "core/latency_recording.h"
#include "core/types.h"

namespace tapedeck {

class ConfigObject;  // core/config.h

// splitmix64: small, fast and good enough for latency draws; never for anything cryptographic.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// Latencies are capped here (about 11.6 days) so that a scaled sample cannot overflow a time.
inline constexpr int64_t kMaxLatencyNs = int64_t{1'000'000} * 1'000'000'000;

// What a model draws one message's latency from (besides its own state).
struct LatencyDraw {
  int64_t base_ns = 0;  // the message's nominal latency, >= 0
  Timestamp now;        // when the message is sent (a request: strategy side; a response: venue)
};

class ConstantLatency {
 public:
  static constexpr std::string_view kName = "constant";
  struct Spec {};
  static absl::Status Parse(ConfigObject& o, Spec* spec);

  ConstantLatency(const Spec&, uint64_t /*seed*/, bool /*entry*/) {}
  void SetRunStart(Timestamp) {}
  int64_t Draw(const LatencyDraw& d) { return d.base_ns; }
};

class LognormalLatency {
 public:
  static constexpr std::string_view kName = "lognormal";
  struct Spec {
    int64_t sigma_milli = 0;  // sigma x 1000 (e.g. 500 = 0.5)
    int64_t spike_ppm = 0;    // probability of a spike, parts per million
    Duration spike;           // added on a spike
  };
  // "sigma", "spike_probability", "spike".
  static absl::Status Parse(ConfigObject& o, Spec* spec);

  LognormalLatency(const Spec& spec, uint64_t seed, bool /*entry*/) : spec_(spec), rng_(seed) {}
  void SetRunStart(Timestamp) {}
  int64_t Draw(const LatencyDraw& d);

 private:
  Spec spec_;
  SplitMix64 rng_;
};

class RecordedLatency {
 public:
  static constexpr std::string_view kName = "recorded";
  struct Spec {
    std::shared_ptr<const LatencyRecording> recording;
    LatencyAlign align = LatencyAlign::kStart;
  };
  // "file" (required; read once, here) and "align".
  static absl::Status Parse(ConfigObject& o, Spec* spec);

  // `entry` picks the column: exchange - request for requests, response - exchange otherwise.
  RecordedLatency(const Spec& spec, uint64_t /*seed*/, bool entry);
  // The run's start, the origin of a recording aligned kStart.
  void SetRunStart(Timestamp start) { run_start_ = start.ns; }
  // Without a recording (a spec built in code without one), `base`.
  int64_t Draw(const LatencyDraw& d);

 private:
  Spec spec_;
  const std::vector<int64_t>* column_ = nullptr;
  int64_t run_start_ = 0;
  size_t cursor_ = 0;
};

// A latency model registered at run time (core/latency_model_registry.h): one stream of it.
class LatencySampler {
 public:
  virtual ~LatencySampler() = default;
  // The run's start (the first market event's exchange_ts), before the first draw.
  virtual void SetRunStart(Timestamp) {}
  // The latency of one message, ns, before scaling (a negative value counts as 0).
  virtual int64_t Draw(const LatencyDraw& d) = 0;
};

// A registered model's parsed parameters: they make one sampler per message stream.
class LatencyModelParams {
 public:
  virtual ~LatencyModelParams() = default;
  // `seed` is the stream's own (derived from the run seed and the message type); `entry` is
  // true for requests (submit, cancel, modify).
  virtual std::unique_ptr<LatencySampler> MakeSampler(uint64_t seed, bool entry) const = 0;
};

class CustomLatency {
 public:
  struct Spec {
    std::string name;  // as registered
    std::shared_ptr<const LatencyModelParams> params;
  };

  CustomLatency(const Spec& spec, uint64_t seed, bool entry)
      : sampler_(spec.params->MakeSampler(seed, entry)) {}
  void SetRunStart(Timestamp start) { sampler_->SetRunStart(start); }
  int64_t Draw(const LatencyDraw& d) { return sampler_->Draw(d); }

 private:
  std::unique_ptr<LatencySampler> sampler_;
};

// One model's spec; the alternatives are in the order of LatencyModel's.
using LatencyModelSpec = std::variant<ConstantLatency::Spec, LognormalLatency::Spec,
                                      RecordedLatency::Spec, CustomLatency::Spec>;

// What scales any model's latency by the state of the market (see the header comment).
struct LatencyScaling {
  int64_t feed_scale_pct = 0;        // + this % of the current feed latency
  int64_t vol_k_milli = 0;           // volatility scaling k x 1000; 0: off
  int64_t vol_reference_mbp = 1000;  // the volatility at which latency is (1 + k)x, milli-bp
};

// One message type's latency: a model, its nominal latency and its scaling.
struct LatencySpec {
  LatencyModelSpec model;        // default: constant
  Duration base = Duration(-1);  // < 0: inherit the venue's constant for this direction
  LatencyScaling scaling;

  bool inherits() const { return base.ns < 0; }
  // The model's name in the table ("constant", ..., or a registered model's).
  std::string_view model_name() const;

  static LatencySpec Constant(Duration base);
  static LatencySpec Lognormal(Duration base, int64_t sigma_milli, int64_t spike_ppm = 0,
                               Duration spike = Duration());
  static LatencySpec Recorded(std::shared_ptr<const LatencyRecording> recording,
                              LatencyAlign align = LatencyAlign::kStart);
};

// One message type's latency model with its own random stream, as the venue samples it.
class LatencyModel {
 public:
  LatencyModel() : LatencyModel(LatencySpec{}, Duration(), 0) {}
  // `fallback` is used as base when the spec inherits; `seed` seeds the stream; `entry` marks a
  // request's model (the recorded model reads its column by it).
  LatencyModel(const LatencySpec& spec, Duration fallback, uint64_t seed, bool entry = true);

  void SetRunStart(Timestamp start);

  // A latency >= 0 for a message at `now` given the current feed latency (ns) and the venue's
  // volatility (milli-bp).
  Duration Sample(Timestamp now, int64_t feed_latency_ns, int64_t vol_mbp) {
    int64_t d = Draw(now);
    if (scaling_.feed_scale_pct != 0 && feed_latency_ns > 0) {
      d += feed_latency_ns / 100 * scaling_.feed_scale_pct;
    }
    if (scaling_.vol_k_milli != 0 && vol_mbp > 0 && d > 0) d = ScaleByVolatility(d, vol_mbp);
    return Duration(d < 0 ? 0 : d);
  }
  const LatencyScaling& scaling() const { return scaling_; }

 private:
  using Model = std::variant<ConstantLatency, LognormalLatency, RecordedLatency, CustomLatency>;

  // The built-ins inline, the constant first (the common case), a registered model by its one
  // virtual call.
  int64_t Draw(Timestamp now) {
    const size_t k = model_.index();
    if (k == 0) return base_ns_;
    const LatencyDraw d{base_ns_, now};
    if (k == 1) return std::get_if<1>(&model_)->Draw(d);
    if (k == 2) return std::get_if<2>(&model_)->Draw(d);
    return std::get_if<3>(&model_)->Draw(d);
  }
  int64_t ScaleByVolatility(int64_t d, int64_t vol_mbp) const;

  Model model_;
  int64_t base_ns_ = 0;
  LatencyScaling scaling_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LATENCY_MODEL_H_
