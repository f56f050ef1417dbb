// Queue position of own resting orders on L2 (price-level) data.
//
// The venue sees only the total size of a level, so the size "ahead" of an own order is an
// estimate, which a queue model moves when the level shrinks without a trade (trades at the
// order's price advance it in the matching core, core/matching_core.h, whatever the model). The
// models are separate types, each with its own parameters and parser (Parse, reading the
// "venue" config section), registered by name in the queue-model table
// (core/queue_model_registry.h):
// - RiskAverseQueue ("risk_averse"): only trades advance the order; a level that shrinks below
//   the estimate caps it (min(ahead, new size)). Fills least.
// - PowerQueue ("power", "queue_power" n = 1..3): when the level shrinks by `chg` (not from
//   trades), the share of the decrease that was behind the order is
//   p = f(back) / (f(back) + f(front)) with f(x) = x^n; the order advances by (1 - p) x chg, and
//   by more when the decrease behind is larger than `back`:
//     ahead' = ahead - (1 - p) chg + min(back - p chg, 0), then capped at the new size.
//   (The family documented by hftbacktest as PowerProbQueueFunc; written here from the formula.)
// - LogQueue ("log"): the same with f(x) = ln(1 + x), x counted in lots.
// - CustomQueue: a model registered at run time (a plugin's), behind one virtual call.
// The built-ins are the other alternatives of a closed std::variant (QueueModel), dispatched by a
// switch: no virtual call. Queue models hold no state: the model is its own spec.
//
// Determinism: no floating point. p is computed in Q30 fixed point from integers: the power
// family on front/back scaled to 20 bits, the log family with an integer log2 in Q32 (the ln 2
// factor cancels in the ratio). Every result is exact integer arithmetic; same inputs, same
// output on every platform.
#ifndef TAPEDECK_CORE_QUEUE_MODEL_H_
#define TAPEDECK_CORE_QUEUE_MODEL_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/status.h"

namespace tapedeck {

class ConfigObject;  // core/config.h

inline constexpr int kQueueProbBits = 30;
inline constexpr int64_t kQueueProbOne = int64_t{1} << kQueueProbBits;

// log2(x) in Q32 for x >= 1 (integer bits plus 32 fractional bits by repeated squaring).
int64_t Log2Q32(uint64_t x);

// Each model's AheadAfterDepthChange: the new size ahead of an own order when its level goes
// from prev_qty to new_qty without a trade (raw qty units; `lot` converts to lots where a model
// counts lots). Increases never move an order forward.

struct RiskAverseQueue {
  static constexpr std::string_view kName = "risk_averse";
  static absl::Status Parse(ConfigObject&, RiskAverseQueue*) { return absl::OkStatus(); }
  int64_t AheadAfterDepthChange(int64_t ahead, int64_t /*prev_qty*/, int64_t new_qty,
                                int64_t /*lot*/) const {
    return std::min(ahead, new_qty);
  }
};

struct PowerQueue {
  static constexpr std::string_view kName = "power";
  // "queue_power": 1, 2 or 3.
  static absl::Status Parse(ConfigObject& venue, PowerQueue* q);
  // p = f(back) / (f(back) + f(front)) in Q30 (kQueueProbOne is 1), front and back >= 0 in any
  // unit (the ratio is scale-free). Both zero gives 1/2.
  int64_t ProbBehindQ30(int64_t front, int64_t back) const;
  int64_t AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                int64_t lot) const;

  int power = 2;  // n, 1..3
};

struct LogQueue {
  static constexpr std::string_view kName = "log";
  static absl::Status Parse(ConfigObject&, LogQueue*) { return absl::OkStatus(); }
  // As PowerQueue's, front and back in lots.
  int64_t ProbBehindQ30(int64_t front, int64_t back) const;
  int64_t AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                int64_t lot) const;
};

// A queue model registered at run time (core/queue_model_registry.h).
class QueueModelImpl {
 public:
  virtual ~QueueModelImpl() = default;
  // As the built-ins' (above); CustomQueue keeps the result within [0, new_qty].
  virtual int64_t AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                        int64_t lot) const = 0;
};

struct CustomQueue {
  std::string name;  // as registered
  std::shared_ptr<const QueueModelImpl> impl;
  int64_t AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                int64_t lot) const {
    const int64_t a = impl->AheadAfterDepthChange(ahead, prev_qty, new_qty, lot);
    return std::clamp<int64_t>(a, 0, std::max<int64_t>(new_qty, 0));
  }
};

// The venue's queue model; default: risk-averse.
using QueueModel = std::variant<RiskAverseQueue, PowerQueue, LogQueue, CustomQueue>;

// Its name in the table.
std::string_view QueueModelName(const QueueModel& m);

// The model's AheadAfterDepthChange (a switch over the built-ins).
int64_t QueueAheadAfterDepthChange(const QueueModel& m, int64_t ahead, int64_t prev_qty,
                                   int64_t new_qty, int64_t lot);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_QUEUE_MODEL_H_
