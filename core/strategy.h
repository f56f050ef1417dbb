// The one strategy API for every mode: a Strategy sees only these callbacks and its Context.
// In a backtest the Context is driven by the Engine and SimVenue; in paper or live trading by
// the FIX adapter. Strategies never know which.
#ifndef TAPEDECK_CORE_STRATEGY_H_
#define TAPEDECK_CORE_STRATEGY_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/instrument.h"
#include "core/large_vector.h"
#include "core/order.h"
#include "core/portfolio.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

class Context;
class TradeRun;

class Strategy {
 public:
  virtual ~Strategy() = default;

  virtual void OnStart(Context&) {}
  // Market data, in the strategy-side total order (local_ts). The Context's market view is
  // already updated when these run.
  virtual void OnTrade(Context&, const Event&) {}
  // A run of consecutive trades of one instrument, handed over in one call where nothing else
  // can come between them (see TradeRun). The default takes them one by one through OnTrade;
  // a strategy that overrides this gets the same trades, in the same order, with the Context
  // answering as if each had been delivered as it is taken, and saves a virtual call and the
  // engine's per-event work on each. Trades it leaves untaken come through OnTrade.
  virtual void OnTrades(Context& ctx, TradeRun& run);
  virtual void OnQuote(Context&, const Event&) {}
  // A level or an order of an instrument's book changed: e.kind == kBookLevel carries e.level,
  // e.kind == kL3Order carries e.l3.
  virtual void OnBookLevel(Context&, const Event&) {}
  virtual void OnBar(Context&, const Event&) {}
  // Funding rate, mark and index price, open interest and liquidation prints.
  virtual void OnReference(Context&, const Event&) {}
  // Acks, fills, cancels, rejects and replacements (modifies) of the strategy's own orders; the
  // order's state in the Context is already updated.
  virtual void OnOrderUpdate(Context&, const Event&) {}
  // What the venue did to the account on its own (e.account: funding paid or received, a dated
  // future settled at expiry, a liquidation); the Context's portfolio is already updated.
  virtual void OnAccount(Context&, const Event&) {}
  virtual void OnTimer(Context&, uint64_t /*timer_id*/, uint64_t /*tag*/) {}
  // After the last event; orders sent here are not executed.
  virtual void OnStop(Context&) {}
  // Strategy-specific results for summary.json ("strategy_report"), e.g. basis at entry and
  // exit. Must be deterministic.
  virtual nlohmann::json Report() const { return nlohmann::json::object(); }
};

// What runs a Context: the backtest Engine or a live/paper adapter.
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

// The latest market state a strategy has seen for one instrument.
struct MarketView {
  Price bid, ask;
  Qty bid_qty, ask_qty;
  bool has_bid = false, has_ask = false;
  Price last_trade;
  bool has_trade = false;
  Price mark, index;
  bool has_mark = false, has_index = false;
  Rate funding_rate;
  Timestamp next_funding;
  Qty open_interest;
  BarPayload last_bar{};
  bool has_bar = false;
};

// One request as the strategy sent it: the order/cancel/modify list whose digest pins a run.
// A new order has cancel = modify = false; a modify carries the order's request with the new
// price and total quantity.
struct OrderLogEntry {
  Timestamp ts;
  bool cancel = false;
  OrderRequest request;
  bool modify = false;
};

// One fill as the strategy learnt of it.
struct FillLogEntry {
  Timestamp local_ts;
  Timestamp exchange_ts;
  OrderId order_id;
  InstrumentId instrument;
  Side side;
  Price price;
  Qty qty;
  Money fee;
  Liquidity liquidity;
};

// One account event (funding, settlement, liquidation) as the strategy learnt of it.
struct AccountLogEntry {
  Timestamp local_ts;
  Timestamp exchange_ts;
  InstrumentId instrument;
  AccountAction action;
  Qty qty;       // signed position the action applied to
  Price price;   // mark (funding), settlement or liquidation price
  Money amount;  // funding received (< 0 paid); PnL realised by a settlement or liquidation
  Money fee;     // liquidation fee
};

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

class Context {
 public:
  Context(const InstrumentTable& instruments, ContextDriver* driver, Money initial_cash);

  // --- for strategies ---
  Timestamp now() const {
    Sync();
    return now_;
  }
  const InstrumentTable& instruments() const { return *instruments_; }

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

  Qty position(InstrumentId id) const { return portfolio_.position(id).qty; }
  const Portfolio& portfolio() const {
    Sync();
    return portfolio_;
  }
  const MarketView& market(InstrumentId id) const {
    Sync();
    return market_[id.value];
  }
  std::optional<Price> best_bid(InstrumentId id) const;
  std::optional<Price> best_ask(InstrumentId id) const;

  // Fires OnTimer at `at` (or now, if `at` is in the past); returns the timer's id.
  uint64_t SetTimer(Timestamp at, uint64_t tag);
  uint64_t SetTimerAfter(Duration d, uint64_t tag) { return SetTimer(now_ + d, tag); }

  // --- for drivers ---
  void Start(Strategy& s, Timestamp at);
  // Updates the clock, the market view, positions and order states, then calls the strategy.
  void Deliver(Strategy& s, const Event& e);
  // Delivers events from the front of `events` through s.OnTrades, in one call, for as long as
  // each is a trade of the first's instrument, from `source`, due to the strategy at once
  // (local_ts = exchange_ts) and before `before`; returns how many the strategy took. The
  // caller guarantees that nothing of its own is due before `before`, and that `events` are in
  // non-decreasing exchange time, as the merger hands them out (TradeRun::Check tests a chunk's
  // time bound on its last trade); the rest of `events` stays the caller's.
  size_t DeliverTrades(Strategy& s, std::span<const Event> events, uint16_t source,
                       int64_t before);
  void Stop(Strategy& s, Timestamp at);
  const LargeVector<OrderLogEntry>& order_log() const { return order_log_; }
  const LargeVector<FillLogEntry>& fill_log() const { return fill_log_; }
  const LargeVector<AccountLogEntry>& account_log() const { return account_log_; }
  uint64_t orders_sent() const { return next_order_id_ - 1; }
  Portfolio& mutable_portfolio() {
    Sync();
    return portfolio_;
  }

 private:
  // Deliver's bookkeeping for a trade (after the clock): the last trade and the position's mark.
  void MarkTrade(const Event& e) {
    MarketView& m = market_[e.instrument.value];
    m.last_trade = e.trade.price;
    m.has_trade = true;
    portfolio_.Mark(e.instrument, e.trade.price);
  }
  // Inside a trade run, brings the clock, the last trade and the mark up to the last trade taken
  // (TradeRun::Next leaves that to whoever asks). Only the latest trade matters: the clock only
  // moves forward and the last trade and the mark are overwritten by each. The Context is never
  // const itself (strategies and drivers hold it mutable), so the const accessors may do this.
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

  const InstrumentTable* instruments_;
  ContextDriver* driver_;
  Timestamp now_;
  bool stopped_ = false;
  Portfolio portfolio_;
  std::vector<MarketView> market_;
  LargeVector<OrderState> orders_;  // orders_[id - 1]
  uint64_t next_order_id_ = 1;
  uint64_t next_timer_id_ = 1;
  LargeVector<OrderLogEntry> order_log_;
  LargeVector<FillLogEntry> fill_log_;
  LargeVector<AccountLogEntry> account_log_;
  TradeRun* run_ = nullptr;  // the run being delivered (DeliverTrades), if any
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_STRATEGY_H_
