// TradeRun: the trades of one Strategy::OnTrades call (core/strategy.h), handed out one by one.
#ifndef TAPEDECK_CORE_TRADE_RUN_H_
#define TAPEDECK_CORE_TRADE_RUN_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/event.h"

namespace tapedeck {

class Context;

// The trades of one Strategy::OnTrades call. Next() returns them in order; the Context answers
// every question as it would after one-at-a-time delivery of each trade returned so far: the
// clock, the market view's last trade and the position's mark. It brings itself up to date when
// asked (now(), market(), portfolio(), a request), not on every trade, so a reference it returned
// before a Next() shows the state of then: ask again after Next(). The run is as long as the
// driver allows (Context::DeliverTrades) and ends early at a request (submit, cancel, modify) or a
// timer from the strategy: what that sets off may be due before the next trade, so the driver
// takes over again. Next() then returns nullptr.
class TradeRun {
 public:
  TradeRun(const TradeRun&) = delete;
  TradeRun& operator=(const TradeRun&) = delete;

  const Event* Next() {
    if (next_ == checked_ && !Check()) return nullptr;
    return next_++;
  }
  // The trade Next() would return, without taking it (nullptr at the end).
  const Event* Peek() {
    if (next_ == checked_ && !Check()) return nullptr;
    return next_;
  }
  // The last trade taken (nullptr before the first).
  const Event* last() const { return next_ == begin_ ? nullptr : next_ - 1; }
  size_t taken() const { return static_cast<size_t>(next_ - begin_); }
  // Ends the run before the first trade at or after `t` (exchange time = strategy time in a
  // run): a wrapper that must act between two trades at `t` leaves the rest to come one by one.
  void EndBefore(int64_t t) {
    if (t >= before_) return;
    before_ = t;
    checked_ = next_;  // trades checked against the old bound are checked again
  }

 private:
  // Built by Context::DeliverTrades; the constructor and Check() are defined beside it
  // (core/context.cc), in the translation unit of the hottest path.
  friend class Context;
  TradeRun(std::span<const Event> events, uint16_t source, int64_t before);

  // Checks the trades after checked_, a few dozen at a time, in a loop that stores nothing:
  // false when the one at next_ does not belong to the run (it ends there).
  bool Check();
  // A request or timer was sent: the run ends after the trades taken.
  void End() { end_ = checked_ = next_; }

  const Event* begin_;
  const Event* next_;     // the next trade to return
  const Event* checked_;  // [next_, checked_) belong to the run
  const Event* synced_;   // the Context is up to date with the trades before it
  const Event* end_;
  int64_t before_;
  // The 8 header bytes after the time stamps (kind, instrument, source, padding) as one word:
  // a trade of the run has (word & header_mask_) == header_want_.
  uint64_t header_want_;
  uint64_t header_mask_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_TRADE_RUN_H_
