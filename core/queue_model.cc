#include "core/queue_model.h"

#include <algorithm>
#include <bit>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/decimal.h"

namespace tapedeck {
namespace {
__extension__ typedef unsigned __int128 UInt128;
}  // namespace

std::string_view QueueModelName(QueueModelKind k) {
  switch (k) {
    case QueueModelKind::kRiskAverse: return "risk_averse";
    case QueueModelKind::kPower: return "power";
    case QueueModelKind::kLog: return "log";
  }
  return "?";
}

absl::StatusOr<QueueModelKind> ParseQueueModelKind(std::string_view name) {
  if (name == "risk_averse") return QueueModelKind::kRiskAverse;
  if (name == "power") return QueueModelKind::kPower;
  if (name == "log") return QueueModelKind::kLog;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown queue model '", std::string(name), "' (risk_averse, power, log)"));
}

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

namespace {

// x^n for x <= 2^20, n <= 3: fits in 60 bits.
uint64_t Pow(uint64_t x, int n) {
  uint64_t r = 1;
  for (int i = 0; i < n; ++i) r *= x;
  return r;
}

}  // namespace

int64_t QueueProbBehindQ30(const QueueModelConfig& m, int64_t front, int64_t back) {
  front = std::max<int64_t>(front, 0);
  back = std::max<int64_t>(back, 0);
  uint64_t fb = 0, ff = 0;
  if (m.kind == QueueModelKind::kLog) {
    fb = static_cast<uint64_t>(Log2Q32(static_cast<uint64_t>(back) + 1));
    ff = static_cast<uint64_t>(Log2Q32(static_cast<uint64_t>(front) + 1));
  } else {
    // Scale both to at most 2^20 (the ratio of powers is scale-free), rounding down.
    const int64_t mx = std::max(front, back);
    uint64_t b = static_cast<uint64_t>(back), f = static_cast<uint64_t>(front);
    if (mx > (int64_t{1} << 20)) {
      b = static_cast<uint64_t>((static_cast<Int128>(back) << 20) / mx);
      f = static_cast<uint64_t>((static_cast<Int128>(front) << 20) / mx);
    }
    const int n = std::clamp(m.power, 1, 3);
    fb = Pow(b, n);
    ff = Pow(f, n);
  }
  const UInt128 den = static_cast<UInt128>(fb) + ff;
  if (den == 0) return kQueueProbOne / 2;
  return static_cast<int64_t>((static_cast<UInt128>(fb) << kQueueProbBits) / den);
}

int64_t QueueAheadAfterDepthChange(const QueueModelConfig& m, int64_t ahead, int64_t prev_qty,
                                   int64_t new_qty, int64_t lot) {
  const int64_t chg = prev_qty - new_qty;
  if (chg <= 0 || m.kind == QueueModelKind::kRiskAverse) return std::min(ahead, new_qty);
  const int64_t front = ahead;
  const int64_t back = std::max<int64_t>(prev_qty - front, 0);
  const int64_t u = lot > 0 && m.kind == QueueModelKind::kLog ? lot : 1;
  const int64_t p = QueueProbBehindQ30(m, front / u, back / u);
  // The share ahead, (1 - p) x chg, rounded down: ties keep the order further back.
  const int64_t in_front =
      static_cast<int64_t>((static_cast<Int128>(kQueueProbOne - p) * chg) >> kQueueProbBits);
  const int64_t behind = chg - in_front;
  int64_t est = front - in_front + std::min<int64_t>(back - behind, 0);
  est = std::max<int64_t>(est, 0);
  return std::min(est, new_qty);
}

}  // namespace tapedeck
