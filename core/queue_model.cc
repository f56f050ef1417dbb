#include "core/queue_model.h"

#include <algorithm>
#include <bit>
#include <string>

#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"

namespace tapedeck {
namespace {
__extension__ typedef unsigned __int128 UInt128;

// x^n for x <= 2^20, n <= 3: fits in 60 bits.
uint64_t Pow(uint64_t x, int n) {
  uint64_t r = 1;
  for (int i = 0; i < n; ++i) r *= x;
  return r;
}

// f(back) / (f(back) + f(front)) in Q30 from the two values of f.
int64_t RatioQ30(uint64_t fb, uint64_t ff) {
  const UInt128 den = static_cast<UInt128>(fb) + ff;
  if (den == 0) return kQueueProbOne / 2;
  return static_cast<int64_t>((static_cast<UInt128>(fb) << kQueueProbBits) / den);
}

// The probability families' rule (see the header): `prob(front, back)` is p in Q30, front and
// back counted in units of `unit` raw qty.
template <typename Prob>
int64_t AheadByShare(int64_t ahead, int64_t prev_qty, int64_t new_qty, int64_t unit,
                     const Prob& prob) {
  const int64_t chg = prev_qty - new_qty;
  if (chg <= 0) return std::min(ahead, new_qty);
  const int64_t front = ahead;
  const int64_t back = std::max<int64_t>(prev_qty - front, 0);
  const int64_t p = prob(front / unit, back / unit);
  // The share ahead, (1 - p) x chg, rounded down: ties keep the order further back.
  const int64_t in_front =
      static_cast<int64_t>((static_cast<Int128>(kQueueProbOne - p) * chg) >> kQueueProbBits);
  const int64_t behind = chg - in_front;
  int64_t est = front - in_front + std::min<int64_t>(back - behind, 0);
  est = std::max<int64_t>(est, 0);
  return std::min(est, new_qty);
}

}  // namespace

int64_t Log2Q32(uint64_t x) {
  if (x <= 1) return 0;
  const int ip = 63 - std::countl_zero(x);
  // Mantissa m = x / 2^ip in [1, 2) as Q62, then the fraction bits of log2(m) by squaring.
  uint64_t m = ip >= 62 ? x >> (ip - 62) : x << (62 - ip);
  int64_t frac = 0;
  for (int i = 31; i >= 0; --i) {
    const UInt128 sq = static_cast<UInt128>(m) * m;
    uint64_t s = static_cast<uint64_t>(sq >> 62);  // m^2 in Q62, in [1, 4)
    if (s >= (uint64_t{2} << 62)) {
      s >>= 1;
      frac |= int64_t{1} << i;
    }
    m = s;
  }
  return (static_cast<int64_t>(ip) << 32) | frac;
}

absl::Status PowerQueue::Parse(ConfigObject& venue, PowerQueue* q) {
  TAPEDECK_RETURN_IF_ERROR(venue.Int("queue_power", &q->power));
  if (q->power < 1 || q->power > 3) return venue.Error("queue_power", "must be 1, 2 or 3");
  return absl::OkStatus();
}

int64_t PowerQueue::ProbBehindQ30(int64_t front, int64_t back) const {
  front = std::max<int64_t>(front, 0);
  back = std::max<int64_t>(back, 0);
  // Scale both to at most 2^20 (the ratio of powers is scale-free), rounding down.
  const int64_t mx = std::max(front, back);
  uint64_t b = static_cast<uint64_t>(back), f = static_cast<uint64_t>(front);
  if (mx > (int64_t{1} << 20)) {
    b = static_cast<uint64_t>((static_cast<Int128>(back) << 20) / mx);
    f = static_cast<uint64_t>((static_cast<Int128>(front) << 20) / mx);
  }
  const int n = std::clamp(power, 1, 3);
  return RatioQ30(Pow(b, n), Pow(f, n));
}

int64_t PowerQueue::AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                          int64_t) const {
  return AheadByShare(ahead, prev_qty, new_qty, 1,
                      [this](int64_t f, int64_t b) { return ProbBehindQ30(f, b); });
}

int64_t LogQueue::ProbBehindQ30(int64_t front, int64_t back) const {
  front = std::max<int64_t>(front, 0);
  back = std::max<int64_t>(back, 0);
  return RatioQ30(static_cast<uint64_t>(Log2Q32(static_cast<uint64_t>(back) + 1)),
                  static_cast<uint64_t>(Log2Q32(static_cast<uint64_t>(front) + 1)));
}

int64_t LogQueue::AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                        int64_t lot) const {
  return AheadByShare(ahead, prev_qty, new_qty, lot > 0 ? lot : 1,
                      [this](int64_t f, int64_t b) { return ProbBehindQ30(f, b); });
}

std::string_view QueueModelName(const QueueModel& m) {
  switch (m.index()) {
    case 0:
      return RiskAverseQueue::kName;
    case 1:
      return PowerQueue::kName;
    case 2:
      return LogQueue::kName;
    default:
      return std::get_if<CustomQueue>(&m)->name;
  }
}

int64_t QueueAheadAfterDepthChange(const QueueModel& m, int64_t ahead, int64_t prev_qty,
                                   int64_t new_qty, int64_t lot) {
  switch (m.index()) {
    case 0:
      return std::min(ahead, new_qty);
    case 1:
      return std::get_if<1>(&m)->AheadAfterDepthChange(ahead, prev_qty, new_qty, lot);
    case 2:
      return std::get_if<2>(&m)->AheadAfterDepthChange(ahead, prev_qty, new_qty, lot);
    default:
      return std::get_if<3>(&m)->AheadAfterDepthChange(ahead, prev_qty, new_qty, lot);
  }
}

}  // namespace tapedeck
