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
// - kRecorded: interpolated from a recorded file of (request, exchange, response) timestamps,
//   one row per order (LatencyRecording below). Entry messages (submit, cancel, modify) take
//   exchange - request, responses take response - exchange, both keyed by the row's request
//   time and linearly interpolated in integers between the two rows around the message's time,
//   clamped to the first and last row outside the file's span. With align kStart (the default)
//   the file's times count from its first row and the run's times from the run's start (the
//   first market event's exchange_ts), so a recording made on any day replays from the start of
//   any run; with kAbsolute the message's own timestamp is looked up (a recording taken next to
//   the data).
// State: any kind may be scaled by the state of the market, in integers:
// - `feed_scale_pct` adds that percentage of the current feed latency (an average of
//   local_ts - exchange_ts over recent events), so order latency spikes when the feed lags.
// - `vol_k_milli` multiplies the latency (after the feed term) by 1 + k x vol / reference, where
//   vol is the venue's recent absolute price movement in milli-basis-points (SimVenue: the sum
//   of trade-to-trade, quote mid-to-mid and bar close-to-close changes, each decayed by
//   2^(-age / vol_halflife)) and reference is `vol_reference_mbp`. A crash, with large moves
//   in quick succession, therefore slows every message down.
// `inherit` (base < 0) means "use the venue's entry_latency or response_latency constant".
#ifndef TAPEDECK_CORE_LATENCY_MODEL_H_
#define TAPEDECK_CORE_LATENCY_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/types.h"

namespace tapedeck {

enum class LatencyKind : uint8_t { kConstant = 0, kLognormal = 1, kRecorded = 2 };

// How a recorded file's times meet the run's times (see the header comment).
enum class LatencyAlign : uint8_t { kStart = 0, kAbsolute = 1 };

// A recorded latency file, read once at config time. CSV, one row per order:
//   request_ns,exchange_ns,response_ns
//   1723161255000000000,1723161255002100000,1723161255003600000
// Integer nanoseconds; the header is required; blank lines and lines starting with '#' are
// ignored (comments say where the file came from). Each row needs
// request_ns <= exchange_ns <= response_ns, and request_ns may not decrease from one row to
// the next (equal times are allowed: the later row wins at that instant).
struct LatencyRecording {
  std::string path;
  std::vector<int64_t> time;      // request_ns of each row, non-decreasing
  std::vector<int64_t> entry;     // exchange_ns - request_ns
  std::vector<int64_t> response;  // response_ns - exchange_ns
};

// Reads and checks a recording; errors are "path:line: what".
absl::StatusOr<std::shared_ptr<const LatencyRecording>> LoadLatencyRecording(
    const std::string& path);
// The same from text already in memory (`path` only names it in messages).
absl::StatusOr<std::shared_ptr<const LatencyRecording>> ParseLatencyRecording(
    std::string_view text, const std::string& path);

// The value at `t` of the series (time[i], value[i]): linear between the two rows around t,
// the fraction truncated toward the earlier row's value (integer arithmetic, 128-bit products),
// clamped outside [time.front(), time.back()]. *cursor is a hint (the last row used): times
// that move forward find their row in O(1) amortised.
int64_t InterpolateLatency(const std::vector<int64_t>& time, const std::vector<int64_t>& value,
                           int64_t t, size_t* cursor);

struct LatencySpec {
  LatencyKind kind = LatencyKind::kConstant;
  Duration base = Duration(-1);  // < 0: inherit the venue's constant for this direction
  int64_t sigma_milli = 0;       // lognormal sigma x 1000 (e.g. 500 = 0.5)
  int64_t spike_ppm = 0;         // probability of a spike, parts per million
  Duration spike;                // added on a spike
  int64_t feed_scale_pct = 0;    // + this % of the current feed latency
  int64_t vol_k_milli = 0;       // volatility scaling k x 1000; 0: off
  int64_t vol_reference_mbp = 1000;  // the volatility at which latency is (1 + k)x, milli-bp
  std::shared_ptr<const LatencyRecording> recording;  // kRecorded
  LatencyAlign align = LatencyAlign::kStart;           // kRecorded
  bool inherits() const { return base.ns < 0; }
};

absl::StatusOr<LatencyKind> ParseLatencyKind(std::string_view name);
std::string_view LatencyKindName(LatencyKind k);
absl::StatusOr<LatencyAlign> ParseLatencyAlign(std::string_view name);

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

// One latency model with its own random stream.
class LatencyModel {
 public:
  LatencyModel() : LatencyModel(LatencySpec{}, Duration(), 0) {}
  // `fallback` is used as base when the spec inherits; `seed` seeds the stream; `entry` picks
  // the recorded column (exchange - request for requests, response - exchange for responses).
  LatencyModel(const LatencySpec& spec, Duration fallback, uint64_t seed, bool entry = true);

  // The run's start, the origin of a recording aligned kStart.
  void SetRunStart(Timestamp start) { run_start_ = start.ns; }

  // A latency >= 0 for a message at `now` given the current feed latency (ns) and the venue's
  // volatility (milli-bp).
  Duration Sample(Timestamp now, int64_t feed_latency_ns, int64_t vol_mbp) {
    int64_t d = spec_.base.ns;
    if (spec_.kind == LatencyKind::kLognormal) d = SampleLognormal();
    if (spec_.kind == LatencyKind::kRecorded) d = SampleRecorded(now.ns);
    if (spec_.feed_scale_pct != 0 && feed_latency_ns > 0) {
      d += feed_latency_ns / 100 * spec_.feed_scale_pct;
    }
    if (spec_.vol_k_milli != 0 && vol_mbp > 0 && d > 0) d = ScaleByVolatility(d, vol_mbp);
    return Duration(d < 0 ? 0 : d);
  }
  const LatencySpec& spec() const { return spec_; }

 private:
  int64_t SampleLognormal();
  int64_t SampleRecorded(int64_t now);
  int64_t ScaleByVolatility(int64_t d, int64_t vol_mbp) const;

  LatencySpec spec_;
  SplitMix64 rng_;
  const std::vector<int64_t>* column_ = nullptr;  // kRecorded: entry or response
  int64_t run_start_ = 0;
  size_t cursor_ = 0;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LATENCY_MODEL_H_
