// "jittered": a latency model of one's own, loaded from a plugin. Each message takes the
// nominal latency ("base") plus a jitter drawn uniformly from [0, "jitter"], from a generator
// seeded by the stream's own seed, so a run stays deterministic. Selected in a config with
//   "venue": {"latency": {"default": {"model": "jittered", "base": "5ms", "jitter": "2ms"}}}
#include <cstdint>
#include <memory>

#include "core/config.h"
#include "core/latency_model.h"
#include "core/plugin.h"
#include "core/status.h"

namespace {

using tapedeck::ConfigObject;
using tapedeck::Duration;
using tapedeck::LatencyDraw;
using tapedeck::LatencyModelParams;
using tapedeck::LatencySampler;

// splitmix64: small, fast and the same on every platform (std:: distributions are not).
uint64_t Next(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class JitteredSampler final : public LatencySampler {
 public:
  JitteredSampler(uint64_t seed, int64_t jitter_ns) : state_(seed), jitter_ns_(jitter_ns) {}
  int64_t Draw(const LatencyDraw& d) override {
    if (jitter_ns_ == 0) return d.base_ns;
    const uint64_t span = static_cast<uint64_t>(jitter_ns_) + 1;
    return d.base_ns + static_cast<int64_t>(Next(state_) % span);
  }

 private:
  uint64_t state_;
  int64_t jitter_ns_;  // ns
};

class JitteredParams final : public LatencyModelParams {
 public:
  explicit JitteredParams(Duration jitter) : jitter_(jitter) {}
  Duration jitter() const { return jitter_; }
  std::unique_ptr<LatencySampler> MakeSampler(uint64_t seed, bool entry) const override {
    // Requests and responses of one stream draw from different sequences.
    return std::make_unique<JitteredSampler>(seed ^ (entry ? 0x5151ull : 0u), jitter_.ns);
  }

 private:
  Duration jitter_;
};

[[maybe_unused]] const bool kRegistered = tapedeck::RegisterPluginLatencyModel(
    "jittered", {"jitter"},
    [](ConfigObject& o, const LatencyModelParams* inherited)
        -> absl::StatusOr<std::shared_ptr<const LatencyModelParams>> {
      Duration jitter = inherited != nullptr
                            ? static_cast<const JitteredParams*>(inherited)->jitter()
                            : Duration();
      TAPEDECK_RETURN_IF_ERROR(o.DurationValue("jitter", &jitter));
      if (jitter.ns < 0) return o.Error("jitter", "must be >= 0");
      if (jitter.ns > 60'000'000'000) return o.Error("jitter", "must be at most 60s");
      return std::make_shared<JitteredParams>(jitter);
    });

}  // namespace
