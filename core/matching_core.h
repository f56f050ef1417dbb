// The simulated venue's matching core (core/sim_venue.h): per instrument the data's book, the
// touch, and the strategy's own resting orders with their queue position; it matches own
// orders against the data. It knows no latency (its responses go to the exchange side,
// core/exchange_side.h, at venue time) and no balances (fills go to the account,
// core/venue_account.h, which charges the fee).
//
// Rules (venue side, at exchange time):
// - Book: kBookLevel events build an OrderBook per instrument; its best levels are the touch.
//   Without book data, kQuote events set the touch (and the size of the touch levels).
// - A market order walks the opposite side of the book level by level (one taker fill per level,
//   at the level's price, up to the level's size). Own fills do not consume the book (no market
//   impact: the data's later updates say what really happened). Without a book it fills in full
//   at the opposite touch; with trades only at the next trade's price; with bars at the next
//   bar's open. Whatever is left waits for the next trade or bar.
// - A limit order that crosses takes like a market order up to its limit; FOK is cancelled
//   unless the whole quantity is available within the limit; IOC remainders are cancelled; GTC
//   remainders rest.
// - A resting limit order joins the back of its level: "ahead" starts at the level's size (book
//   or touch). Trades at its price by the opposite aggressor consume the queue in order, own
//   orders at one price sharing one queue in arrival order, and fill partially. Depth decreases
//   move it forward by the queue model (core/queue_model.h); trade quantity seen at the level
//   since its last update is taken out of the next decrease so a trade is not counted twice.
//   A trade strictly through the limit, a bar's range beyond it, or the opposite touch strictly
//   beyond it fills the remainder at the limit (maker).
// - Order-level (L3) data (matching_core_l3.cc): from an instrument's first kL3Order event on,
//   OnL3Data handles all of its market data. Its book is the order-level one
//   (core/l3_queue.h), mirrored level by level into the L2 book, so the touch and market or
//   crossing orders walk it as above; its levels, quotes and bars are ignored. A resting limit
//   order takes a place in a true FIFO queue among the real orders: ahead = the real orders
//   resting at its price at arrival; cancels, deletes and executions of orders ahead reduce it,
//   those of orders behind do not. The aggressor of an execution of a real order behind it in
//   time (or at a worse price) would have met it first: it fills by min(executed qty,
//   remaining) at its price (maker). Likewise for a hidden execution (a trade print that no
//   kL3Order execute of that instant explains; hidden orders queue behind displayed ones) at or
//   through its price, and for a real opposite add that crosses it. Own fills never change the
//   data's book (no market impact), so the data stays as recorded; several own orders are
//   reached best price first, then in arrival order.
#ifndef TAPEDECK_CORE_MATCHING_CORE_H_
#define TAPEDECK_CORE_MATCHING_CORE_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/event.h"
#include "core/exchange_side.h"
#include "core/instrument.h"
#include "core/l3_queue.h"
#include "core/order.h"
#include "core/order_book.h"
#include "core/queue_model.h"
#include "core/types.h"
#include "core/venue_account.h"

namespace tapedeck {

// L3 data: an own order not yet placed among the real orders.
inline constexpr int64_t kL3Unplaced = INT64_MIN;

struct RestingOrder {
  OrderRequest request;
  Qty remaining;
  int64_t ahead = 0;  // estimated market size ahead, raw qty
  // L3 data only: the order's time priority among the real orders (core/l3_queue.h), taken at
  // the first L3 event after its arrival; kL3Unplaced until then. An order that loses its
  // priority (re-queued) must get kL3Unplaced again.
  int64_t l3_priority = kL3Unplaced;
};

// One instrument's market and own orders.
struct BookState {
  OrderBook book;
  bool has_book = false;
  // The touch: from the book when there is one, else from quotes.
  Price bid, ask;
  Qty bid_qty, ask_qty;
  bool has_bid = false, has_ask = false;
  // Trade quantity seen at one level since that level's last update (see the header).
  Side traded_side = Side::kBuy;
  Price traded_price;
  int64_t traded_qty = 0;
  std::vector<RestingOrder> resting;  // in arrival order
  std::unique_ptr<L3Queue> l3;        // set by the instrument's first kL3Order event
  // The last traded price: a market trade, a bar's close or an own fill (the account's mark
  // where the data has no mark price).
  Price last_price;
  bool has_last_price = false;
};

// Open quantity of own orders, raw.
struct OpenQty {
  int64_t buys = 0;
  int64_t sells = 0;
};

class MatchingCore {
 public:
  // Fills go to *account (their fee) and every response to *exchange; both outlive the core.
  MatchingCore(const InstrumentTable& instruments, QueueModel queue, VenueAccount* account,
               ExchangeSide* exchange);

  size_t size() const { return state_.size(); }
  BookState& state(InstrumentId id) { return state_[id.value]; }
  const BookState& state(InstrumentId id) const { return state_[id.value]; }

  // ---- Market data ----
  static void SetLastPrice(BookState& s, Price price) {
    s.last_price = price;
    s.has_last_price = true;
  }
  // The side a trade took from (resting orders there traded): the opposite of its aggressor.
  static Side HitSide(const Event& e) {
    return e.trade.aggressor == Side::kBuy ? Side::kSell : Side::kBuy;
  }
  // Adds a trade to the tally of quantity traded at one side and price (for the next depth
  // decrease there); a trade at another side or price starts the tally again.
  static void TallyTrade(BookState& s, const Event& e) {
    const Side hit = HitSide(e);
    if (s.traded_side != hit || s.traded_price != e.trade.price) {
      s.traded_side = hit;
      s.traded_price = e.trade.price;
      s.traded_qty = 0;
    }
    s.traded_qty = SaturatingAdd(s.traded_qty, e.trade.qty.raw);
  }
  // The tally only tells how much of a depth decrease trades explain: it saturates at INT64_MAX
  // (two trades of INT64_MAX raw units, which a reader accepts, would wrap it negative) rather
  // than fail the run. Quantities are never negative here (readers refuse them).
  static int64_t SaturatingAdd(int64_t a, int64_t b) {
    int64_t sum;
    return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
  }
  // The tally after trades that each went through TallyTrade alone (no own order rests):
  // the quantity of the trailing trades at the last trade's side and price (a change of either
  // starts the tally again), plus the tally before them when they are all of the span and
  // continue it.
  static void TallyTrades(BookState& s, std::span<const Event> trades) {
    const Event& last = trades.back();
    const Side hit = HitSide(last);
    const Price price = last.trade.price;
    int64_t qty = 0;
    size_t i = trades.size();
    while (i > 0 && HitSide(trades[i - 1]) == hit && trades[i - 1].trade.price == price) {
      qty = SaturatingAdd(qty, trades[--i].trade.qty.raw);
    }
    if (i == 0 && s.traded_side == hit && s.traded_price == price) {
      qty = SaturatingAdd(qty, s.traded_qty);
    }
    s.traded_side = hit;
    s.traded_price = price;
    s.traded_qty = qty;
  }
  // Trades, bars, levels and quotes of an instrument without order-level data (out of line: the
  // caller's fast path stays small).
  [[gnu::noinline]] void Dispatch(BookState& s, const Event& e);
  // Every market event of an instrument with order-level data, and its first kL3Order.
  void OnL3Data(BookState& s, const Event& e);

  // ---- Orders (the facade has checked everything that needs the account) ----
  // kInvalidQty, kInvalidPrice (not on the lot or tick grid, or not positive), else kNone.
  RejectReason Validate(const OrderRequest& r) const {
    const Instrument& in = instruments_->at(r.instrument);
    if (r.qty.raw <= 0 || r.qty.raw % in.lot_size.raw != 0) return RejectReason::kInvalidQty;
    if (r.type == OrderType::kLimit &&
        (r.price.raw <= 0 || r.price.raw % in.tick_size.raw != 0)) {
      return RejectReason::kInvalidPrice;
    }
    return RejectReason::kNone;
  }
  // Whether an order of `side` at `price` (or a market order) would take from the touch.
  static bool Crosses(const BookState& s, Side side, OrderType type, Price price) {
    const bool buy = side == Side::kBuy;
    const bool has_opposite = buy ? s.has_ask : s.has_bid;
    const Price opposite = buy ? s.ask : s.bid;
    return has_opposite &&
           (type == OrderType::kMarket || (buy ? price >= opposite : price <= opposite));
  }
  // An acknowledged order: FOK check, taking what crosses, cancelling an IOC or FOK remainder,
  // resting the rest.
  void Execute(BookState& s, const OrderRequest& r, bool crosses, Timestamp at) {
    int64_t left = r.qty.raw;
    if (crosses) {
      if (r.tif == TimeInForce::kFok && Available(s, r, left) < left) {
        RespondCancel(r, at, r.qty);
        return;
      }
      left -= Take(s, r, at, left);
      if (left == 0) return;
    }
    if (r.tif != TimeInForce::kGtc) {
      RespondCancel(r, at, Qty(left));
      return;
    }
    RestingOrder rest{r, Qty(left), 0};
    if (r.type == OrderType::kLimit) rest.ahead = LevelQty(s, r.side, r.price);
    s.resting.push_back(rest);
  }
  // The resting order `id`, or nullptr.
  RestingOrder* FindResting(InstrumentId instrument, OrderId id);
  // Takes a resting order out of its queue (no response).
  void Remove(InstrumentId instrument, const RestingOrder* o);
  // A modify that took effect (kOrderReplaced already sent): `now` is the order with its new
  // price and total qty, `left` its new open qty. A same-price size decrease keeps its place;
  // anything else goes to the back of its new level, taking first what crosses.
  void Replace(RestingOrder* o, const OrderRequest& now, int64_t left, bool crosses,
               Timestamp at);
  // Cancels every resting order of `instrument` (kOrderCancel each).
  void CancelAll(InstrumentId instrument, Timestamp at);

  // ---- Queries ----
  size_t resting_orders() const;
  // The estimated size ahead of a resting order (raw qty), or -1 when it is not resting.
  int64_t QueueAhead(OrderId id, InstrumentId instrument) const;
  OpenQty OpenOrders(InstrumentId instrument) const;
  const QueueModel& queue() const { return queue_; }

 private:
  void Fill(const OrderRequest& r, Timestamp at, Price price, Qty qty, Liquidity liq) {
    const Money fee = account_->OnFill(r, price, qty, liq);
    SetLastPrice(state_[r.instrument.value], price);
    exchange_->Respond(EventKind::kOrderFill, r, at, price, qty, fee, liq, RejectReason::kNone);
  }
  void RespondCancel(const OrderRequest& r, Timestamp at, Qty qty) {
    exchange_->Respond(EventKind::kOrderCancel, r, at, r.price, qty, Money(), Liquidity::kNone,
                       RejectReason::kNone);
  }
  // Takes up to `want` from the opposite side within the limit; returns the quantity filled.
  int64_t Take(BookState& s, const OrderRequest& r, Timestamp at, int64_t want);
  // Quantity available on the opposite side within r's limit (market: everything), up to cap.
  int64_t Available(const BookState& s, const OrderRequest& r, int64_t cap) const;
  int64_t LevelQty(const BookState& s, Side side, Price price) const;
  void OnTrade(BookState& s, const Event& e);
  void OnLevel(BookState& s, const Event& e);
  void OnQuote(BookState& s, const Event& e);
  void MatchTouch(BookState& s, Timestamp at);
  void MatchBar(BookState& s, Timestamp at, const BarPayload& bar);
  static void RefreshTouchFromBook(BookState& s);
  // L3 (matching_core_l3.cc): fills own limit orders of `side` that an execution of `qty` at
  // `price` of a real order of priority `priority` would have reached first: those at a better
  // price, and those at `price` ahead of it; best price first, then arrival order. Returns the
  // quantity filled.
  int64_t FillAheadOfExecution(BookState& s, Side side, Price price, int64_t priority,
                               int64_t qty, Timestamp at);
  // L3: moves own orders at the level of an L3 change (cancels and executions ahead of them).
  void OnL3Change(BookState& s, const L3Queue::Change& c, Timestamp at);
  // L3: a market order that found no liquidity at arrival takes it as soon as there is some.
  void TakeWaitingMarketOrders(BookState& s, Timestamp at);

  const InstrumentTable* instruments_;
  QueueModel queue_;
  VenueAccount* account_;
  ExchangeSide* exchange_;
  std::vector<BookState> state_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_MATCHING_CORE_H_
