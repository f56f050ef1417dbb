// The scenario generator's internals shared by its two halves: replay/scenario_params.cc (the
// parameters, the family of scenarios) and replay/scenario.cc (the model): the scales the model
// counts in and the seeded generators. Not an API.
#ifndef TAPEDECK_REPLAY_SCENARIO_INTERNAL_H_
#define TAPEDECK_REPLAY_SCENARIO_INTERNAL_H_

#include <algorithm>
#include <cstdint>

namespace tapedeck::replay::scenario_internal {

inline constexpr int kSizeScale = 5;   // model sizes count 10^-5 BTC
inline constexpr int kPriceScale = 2;  // model prices count cents
inline constexpr const char* kSlotNames[4] = {"spot", "perp", "near", "far"};

// splitmix64: seeds the generator and derives family seeds.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

__extension__ typedef unsigned __int128 UInt128;

// xoshiro256** (Blackman and Vigna), written from its published definition.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& w : s_) w = SplitMix64(&sm);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (multiply-shift; the bias is below 2^-40 for our n).
  int64_t Below(int64_t n) {
    const UInt128 m = static_cast<UInt128>(Next()) * static_cast<uint64_t>(n);
    return static_cast<int64_t>(m >> 64);
  }
  // Approximately standard normal: Irwin-Hall sum of 12 uniforms (no libm, same bits everywhere).
  double Normal() {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += Uniform();
    return sum - 6.0;
  }
  // Number of events of a process with mean `lambda` in one step: a binomial with enough trials
  // that it is close to Poisson for the rates we use.
  int Count(double lambda) {
    if (lambda <= 0) return 0;
    const int n = std::max(4, static_cast<int>(lambda * 3.0) + 1);
    const double p = lambda / n;
    int k = 0;
    for (int i = 0; i < n; ++i) k += Uniform() < p ? 1 : 0;
    return k;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace tapedeck::replay::scenario_internal

#endif  // TAPEDECK_REPLAY_SCENARIO_INTERNAL_H_
