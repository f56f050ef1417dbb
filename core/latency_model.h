// Order-entry and response latency models (the "ExchangeSim" half of the venue: when a message
// arrives, not what it does).
//
// A closed set chosen by LatencyKind and evaluated with a switch (no virtual call):
// - kConstant: `base`.
// - kLognormal: base x exp(sigma x Z), Z standard normal; with probability spike_ppm / 10^6 a
//   spike adds `spike`. Randomness comes from a splitmix64 stream seeded from the run seed and
//   the message type, so a run is reproducible from its seed. Z and exp use double (Box-Muller
//   with glibc log/sqrt/cos/exp); the sample is rounded to whole nanoseconds. These functions are
//   deterministic on one platform and build (same binary, same libm), which is what the
//   same-seed test checks; a different libm may round a sample by 1 ns differently. Latency
//   never enters a price or a balance.
// - Any kind may be scaled by the state of the market: `feed_scale_pct` adds that percentage of
//   the current feed latency (an average of local_ts - exchange_ts over recent events), so order
//   latency spikes when the feed lags, as it does in a crash.
// `inherit` (base < 0) means "use the venue's entry_latency or response_latency constant".
#ifndef TAPEDECK_CORE_LATENCY_MODEL_H_
#define TAPEDECK_CORE_LATENCY_MODEL_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/types.h"

namespace tapedeck {

enum class LatencyKind : uint8_t { kConstant = 0, kLognormal = 1 };

struct LatencySpec {
  LatencyKind kind = LatencyKind::kConstant;
  Duration base = Duration(-1);  // < 0: inherit the venue's constant for this direction
  int64_t sigma_milli = 0;       // lognormal sigma x 1000 (e.g. 500 = 0.5)
  int64_t spike_ppm = 0;         // probability of a spike, parts per million
  Duration spike;                // added on a spike
  int64_t feed_scale_pct = 0;    // + this % of the current feed latency
  bool inherits() const { return base.ns < 0; }
};

absl::StatusOr<LatencyKind> ParseLatencyKind(std::string_view name);
std::string_view LatencyKindName(LatencyKind k);

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

// One latency model with its own random stream.
class LatencyModel {
 public:
  LatencyModel() : LatencyModel(LatencySpec{}, Duration(), 0) {}
  // `fallback` is used as base when the spec inherits; `seed` seeds the stream.
  LatencyModel(const LatencySpec& spec, Duration fallback, uint64_t seed);

  // A latency >= 0 given the current feed latency (ns).
  Duration Sample(int64_t feed_latency_ns) {
    int64_t d = spec_.base.ns;
    if (spec_.kind == LatencyKind::kLognormal) d = SampleLognormal();
    if (spec_.feed_scale_pct != 0 && feed_latency_ns > 0) {
      d += feed_latency_ns / 100 * spec_.feed_scale_pct;
    }
    return Duration(d < 0 ? 0 : d);
  }
  const LatencySpec& spec() const { return spec_; }

 private:
  int64_t SampleLognormal();

  LatencySpec spec_;
  SplitMix64 rng_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LATENCY_MODEL_H_
