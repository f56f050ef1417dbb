// Queue position of own resting orders on L2 (price-level) data.
//
// The venue sees only the total size of a level, so the size "ahead" of an own order is an
// estimate. Three models, a closed set chosen by QueueModelKind (static dispatch: a switch, no
// virtual call):
// - kRiskAverse: only trades at the order's price advance it; a level that shrinks below the
//   estimate caps it (min(ahead, new size)). Fills least.
// - kPower: when the level shrinks by `chg` (not from trades), the share of the decrease that was
//   behind the order is p = f(back) / (f(back) + f(front)) with f(x) = x^n, n = 1..3; the order
//   advances by (1 - p) x chg, and by more when the decrease behind is larger than `back`:
//     ahead' = ahead - (1 - p) chg + min(back - p chg, 0), then capped at the new size.
//   (The family documented by hftbacktest as PowerProbQueueFunc; written here from the formula.)
// - kLog: the same with f(x) = ln(1 + x), x counted in lots.
//
// Determinism: no floating point. p is computed in Q30 fixed point from integers: the power
// family on front/back scaled to 20 bits, the log family with an integer log2 in Q32 (the ln 2
// factor cancels in the ratio). Every result is exact integer arithmetic; same inputs, same
// output on every platform.
#ifndef TAPEDECK_CORE_QUEUE_MODEL_H_
#define TAPEDECK_CORE_QUEUE_MODEL_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace tapedeck {

enum class QueueModelKind : uint8_t { kRiskAverse = 0, kPower = 1, kLog = 2 };

struct QueueModelConfig {
  QueueModelKind kind = QueueModelKind::kRiskAverse;
  int power = 2;  // n of the power family, 1..3
};

std::string_view QueueModelName(QueueModelKind k);
// "risk_averse", "power" (with `power`), "log".
absl::StatusOr<QueueModelKind> ParseQueueModelKind(std::string_view name);

inline constexpr int kQueueProbBits = 30;
inline constexpr int64_t kQueueProbOne = int64_t{1} << kQueueProbBits;

// log2(x) in Q32 for x >= 1 (integer bits plus 32 fractional bits by repeated squaring).
int64_t Log2Q32(uint64_t x);

// p = f(back) / (f(back) + f(front)) in Q30 (kQueueProbOne is 1). front, back >= 0 in lots for
// kLog (any unit for kPower: the ratio is scale-free). Both zero gives 1/2.
int64_t QueueProbBehindQ30(const QueueModelConfig& m, int64_t front, int64_t back);

// The new size ahead of an own order when its level goes from prev_qty to new_qty without a
// trade (raw qty units; `lot` converts to lots for kLog). Increases never move an order forward.
int64_t QueueAheadAfterDepthChange(const QueueModelConfig& m, int64_t ahead, int64_t prev_qty,
                                   int64_t new_qty, int64_t lot);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_QUEUE_MODEL_H_
