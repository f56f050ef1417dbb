// The driver's side of a strategy: a StrategyHost owns the strategy's Context, delivers events
// into it, starts and stops the strategy, and hands the run's records to a RunSink as they
// happen. The Engine (backtests), PaperRunner (paper and live) and JournalReplay each hold one;
// strategies never see it.
#ifndef TAPEDECK_CORE_STRATEGY_HOST_H_
#define TAPEDECK_CORE_STRATEGY_HOST_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/context.h"
#include "core/event.h"
#include "core/instrument.h"
#include "core/order.h"
#include "core/records.h"
#include "core/strategy.h"
#include "core/types.h"

namespace tapedeck {

// What carries a Context's requests to a venue: the backtest Engine or a live/paper adapter.
class ContextDriver {
 public:
  virtual ~ContextDriver() = default;
  virtual void SendOrder(const OrderRequest& request, Timestamp now) = 0;
  virtual void SendCancel(OrderId id, InstrumentId instrument, Timestamp now) = 0;
  // Asks the venue to change a live order: `new_price` (ignored for market orders) and
  // `new_qty`, the new total quantity (filled quantity included). The venue answers with
  // kOrderReplaced, kOrderCancel (new_qty at or below the filled quantity) or kOrderReject.
  virtual void SendModify(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                          Timestamp now) = 0;
  virtual void ScheduleTimer(uint64_t timer_id, Timestamp at, uint64_t tag) = 0;
};

class StrategyHost {
 public:
  // Requests go to `driver`; records to `sink`, or, when it is nullptr, into records().
  StrategyHost(const InstrumentTable& instruments, ContextDriver* driver, Money initial_cash,
               RunSink* sink = nullptr)
      : context_(instruments, driver, initial_cash, sink != nullptr ? sink : &collected_,
                 sink != nullptr ? nullptr : &collected_) {}
  StrategyHost(const StrategyHost&) = delete;
  StrategyHost& operator=(const StrategyHost&) = delete;

  Context& context() { return context_; }
  const Context& context() const { return context_; }

  void Start(Strategy& s, Timestamp at) { context_.Start(s, at); }
  // Updates the clock, the market view, positions and order states, then calls the strategy.
  void Deliver(Strategy& s, const Event& e) { context_.Deliver(s, e); }
  // Delivers events from the front of `events` through s.OnTrades, in one call, for as long as
  // each is a trade of the first's instrument, from `source`, due to the strategy at once
  // (local_ts = exchange_ts) and before `before`; returns how many the strategy took. The
  // caller guarantees that nothing of its own is due before `before`, and that `events` are in
  // non-decreasing exchange time, as the merger hands them out (TradeRun::Check tests a chunk's
  // time bound on its last trade); the rest of `events` stays the caller's.
  size_t DeliverTrades(Strategy& s, std::span<const Event> events, uint16_t source,
                       int64_t before) {
    return context_.DeliverTrades(s, events, source, before);
  }
  // Delivers a kVenueStatus event at `at` (a backtest's kDataEnded).
  void DeliverStatus(Strategy& s, VenueStatus status, Timestamp at);
  // Calls OnStop at `at` (or now, when later); requests after it are not sent.
  void Stop(Strategy& s, Timestamp at) { context_.Stop(s, at); }

  // The portfolio now, as an equity point stamped `ts`, to the sink.
  void RecordEquity(Timestamp ts);

  uint64_t orders_sent() const { return context_.orders_sent(); }
  const Portfolio& portfolio() const { return context_.portfolio(); }
  // The records, when the host was built without a sink (else empty).
  const CollectingSink& records() const { return collected_; }

 private:
  CollectingSink collected_;  // before context_, which points at it
  Context context_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_STRATEGY_HOST_H_
