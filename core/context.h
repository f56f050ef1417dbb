// Context: what a strategy sees of the world and how it acts on it. The same in every mode: in a
// backtest the Engine drives it, in paper or live trading the FIX adapter; a strategy never knows
// which. Its public methods are the whole strategy-facing API; a StrategyHost
// (core/strategy_host.h) owns it and delivers the events.
#ifndef TAPEDECK_CORE_CONTEXT_H_
#define TAPEDECK_CORE_CONTEXT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/event.h"
#include "core/instrument.h"
#include "core/large_vector.h"
#include "core/market_view.h"
#include "core/order.h"
#include "core/portfolio.h"
#include "core/records.h"
#include "core/trade_run.h"
#include "core/types.h"

namespace tapedeck {

class ContextDriver;
class Strategy;
class StrategyHost;

class Context {
 public:
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Strategy time: the local time of the event being delivered (never decreasing).
  Timestamp now() const {
    Sync();
    return now_;
  }
  const InstrumentTable& instruments() const { return *instruments_; }

  // Sends a new order (build it with OrderRequest::Market / Limit); returns the id the Context
  // gave it. After the stop the order is rejected at once and never sent.
  OrderId Submit(OrderRequest request);
  OrderId BuyMarket(InstrumentId id, Qty qty);
  OrderId SellMarket(InstrumentId id, Qty qty);
  OrderId BuyLimit(InstrumentId id, Price price, Qty qty);
  OrderId SellLimit(InstrumentId id, Price price, Qty qty);
  // Asks the venue to cancel; false when the order is unknown or already finished (no request).
  bool Cancel(OrderId id);
  // Asks the venue to change a live order's limit price (ignored for market orders) and total
  // quantity (filled quantity included; at or below it, the rest is cancelled). False when the
  // order is unknown, finished or being cancelled (no request). The order's request changes
  // when kOrderReplaced comes back; a rejected modify leaves the order as it was (see
  // core/sim_venue.h for the venue's rules: a price change or a size increase loses priority).
  bool Modify(OrderId id, Price new_price, Qty new_qty);
  // nullptr for an unknown id.
  const OrderState* order(OrderId id) const;
  // Orders not yet filled, cancelled or rejected, in id order.
  std::vector<OrderId> OpenOrders(InstrumentId id) const;
  // New orders sent so far (not cancels or modifies); the last id given out.
  uint64_t orders_sent() const { return next_order_id_ - 1; }

  Qty position(InstrumentId id) const { return portfolio_.position(id).qty; }
  const Portfolio& portfolio() const {
    Sync();
    return portfolio_;
  }
  const MarketView& market(InstrumentId id) const {
    Sync();
    return market_[id.value];
  }
  std::optional<Price> best_bid(InstrumentId id) const { return market_[id.value].bid; }
  std::optional<Price> best_ask(InstrumentId id) const { return market_[id.value].ask; }

  // Fires OnTimer at `at` (or now, if `at` is in the past); returns the timer's id (never 0).
  uint64_t SetTimer(Timestamp at, uint64_t tag);
  // Fires OnTimer at now() + d.
  uint64_t SetTimerAfter(Duration d, uint64_t tag);

 private:
  // Everything below is driven by the StrategyHost that owns this Context.
  friend class StrategyHost;
  // `collect` is `sink` when that is a CollectingSink (called without a virtual call).
  Context(const InstrumentTable& instruments, ContextDriver* driver, Money initial_cash,
          RunSink* sink, CollectingSink* collect);

  void Start(Strategy& s, Timestamp at);
  // Updates the clock, the market view, positions and order states, then calls the strategy.
  void Deliver(Strategy& s, const Event& e);
  // See StrategyHost::DeliverTrades.
  size_t DeliverTrades(Strategy& s, std::span<const Event> events, uint16_t source,
                       int64_t before);
  void Stop(Strategy& s, Timestamp at);

  // Deliver's bookkeeping for a trade (after the clock): the last trade and the position's mark.
  void MarkTrade(const Event& e) {
    market_[e.instrument.value].last_trade = e.trade.price;
    portfolio_.Mark(e.instrument, e.trade.price);
  }
  // Inside a trade run, brings the clock, the last trade and the mark up to the last trade taken
  // (TradeRun::Next leaves that to whoever asks). Only the latest trade matters: the clock only
  // moves forward and the last trade and the mark are overwritten by each. The Context is never
  // const itself (strategies and hosts hold it mutable), so the const accessors may do this.
  void Sync() const {
    if (run_ != nullptr && run_->synced_ != run_->next_) const_cast<Context*>(this)->CatchUp();
  }
  void CatchUp();
  // A request or timer is being sent: the Context catches up and the current run, if any, ends
  // after the trades taken.
  void EndRun() {
    if (run_ != nullptr) {
      Sync();
      run_->End();
    }
  }
  void UpdateMarket(const Event& e);
  void UpdateOrder(const Event& e);
  void UpdateAccount(const Event& e);
  // To the sink. The host's own CollectingSink is called directly (its calls inline to an
  // append): a request's path is the hottest after a trade's.
  template <typename Entry>
  void Record(const Entry& e) {
    if (collect_ != nullptr) {
      Append(collect_, e);
    } else {
      Append(sink_, e);
    }
  }
  template <typename Sink>
  static void Append(Sink* s, const OrderLogEntry& e) { s->OnOrder(e); }
  template <typename Sink>
  static void Append(Sink* s, const FillLogEntry& e) { s->OnFill(e); }
  template <typename Sink>
  static void Append(Sink* s, const AccountLogEntry& e) { s->OnAccount(e); }

  const InstrumentTable* instruments_;
  ContextDriver* driver_;
  RunSink* sink_;
  CollectingSink* collect_;  // sink_ when it is the host's CollectingSink, else nullptr
  Timestamp now_;
  bool stopped_ = false;
  Portfolio portfolio_;
  std::vector<MarketView> market_;
  LargeVector<OrderState> orders_;  // orders_[id - 1]
  uint64_t next_order_id_ = 1;
  uint64_t next_timer_id_ = 1;
  TradeRun* run_ = nullptr;  // the run being delivered (DeliverTrades), if any
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_CONTEXT_H_
