// The simulated venue: an L2 book per instrument, queue position for own resting orders,
// partial fills, per-message latency models, maker/taker fees.
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
//   remainders rest. Post-only orders that would cross are rejected. Reduce-only orders are
//   rejected when the venue position is flat or on the same side, and cut to the position.
// - A resting limit order joins the back of its level: "ahead" starts at the level's size (book
//   or touch). Trades at its price by the opposite aggressor consume the queue in order, own
//   orders at one price sharing one queue in arrival order, and fill partially. Depth decreases
//   move it forward by the queue model (core/queue_model.h); trade quantity seen at the level
//   since its last update is taken out of the next decrease so a trade is not counted twice.
//   A trade strictly through the limit, a bar's range beyond it, or the opposite touch strictly
//   beyond it fills the remainder at the limit (maker).
// - Order-level (L3) data: from an instrument's first kL3Order event on, OnL3Data handles all
//   of its market data (one pointer check before the switch for every other instrument). Its
//   book is the order-level one (core/l3_queue.h), mirrored level by level into the L2 book, so
//   the touch and market or crossing orders walk it as above; its levels, quotes and bars are
//   ignored. A resting limit order takes a place in a true FIFO queue among the real orders:
//   ahead = the real orders resting at its price at arrival; cancels, deletes and executions of
//   orders ahead reduce it, those of orders behind do not. The aggressor of an execution of a
//   real order behind it in time (or at a worse price) would have met it first: it fills by
//   min(executed qty, remaining) at its price (maker). Likewise for a hidden execution (a trade
//   print that no kL3Order execute of that instant explains; hidden orders queue behind
//   displayed ones) at or through its price, and for a real opposite add that crosses it.
//   Own fills never change the data's book (no market impact), so the data stays as recorded;
//   several own orders are reached best price first, then in arrival order.
// - A cancel for an order that is no longer open is rejected (kUnknownOrder).
// - Modify (OnModifyArrival: new limit price, new total quantity, filled quantity included):
//   * an order that is no longer open (filled, cancelled, unknown) is rejected (kUnknownOrder),
//     like a late cancel: the strategy has already been told of the fill, then hears of the
//     reject, and the order is not rejected by it;
//   * a bad quantity or price is rejected (kInvalidQty, kInvalidPrice) and the order stays as it
//     was; a post-only order whose new price would cross is rejected (kWouldCross) and also
//     stays as it was, at its old price and place in the queue; with initial margin on, a size
//     increase that a new order of the difference could not get is rejected
//     (kInsufficientMargin) and the order stays as it was;
//   * new qty at or below the filled quantity: the rest is cancelled (kOrderCancel, qty = what
//     was still open);
//   * otherwise kOrderReplaced (price and qty = the new ones). A price change or a size increase
//     loses queue priority: the order goes to the back of its (new) level, ahead = the level's
//     size now, behind the other own orders at that price. A pure size decrease keeps its
//     place (ahead unchanged). A new price that crosses takes liquidity like a new limit order
//     (taker fills right after kOrderReplaced); the rest rests at the back of the new level.
//   * reduce-only orders are cut again to the venue position; a market order still waiting
//     for liquidity changes its quantity only.
// - Latency: requests (submit, cancel, modify) and responses (ack, fill, cancel, reject; a
//   kOrderReplaced uses the ack's model) each draw from
//   their own LatencyModel (core/latency_model.h), seeded from the run seed and the message type.
//   Responses form one channel: local_ts = max(venue time + latency, the last response's
//   local_ts), so they never overtake each other; the engine does the same for requests.
//   Models scaled by volatility read the venue's tracker: on every trade, quote and bar, the
//   absolute change from the instrument's previous trade price (or bar close), or previous
//   mid, in milli-bp = |p - p_prev| x 10^7 / p_prev, is added to vol after vol decays by
//   2^(-elapsed / vol_halflife) (integer: a shift per whole half-life, linear within one). So
//   vol is the recent absolute movement, venue-wide: it grows with the size of the moves and
//   with their rate, as in a crash, and fades in calm.
// - Account (core/sim_venue_account.cc): the venue keeps its own books of the account in a
//   Portfolio (cash from EngineConfig::initial_cash, positions from its fills) at venue time, and
//   tells the strategy of what it does on its own with kAccount responses (same channel as
//   every other response and FIFO with them; the account latency model, else the ack's, on a
//   seeded stream of their own):
//   * Marks: the instrument's last kMarkPrice, else its last traded price (trade, bar close or
//     own fill).
//   * Funding (perpetuals; any instrument whose data carries kFundingRate): an event announces
//     `rate` for the funding time funding_ts. The last rate announced for a funding time before
//     venue time reaches it is paid at the first venue-side event (market data or order
//     arrival) at or after funding_ts, on the venue position at the mark:
//     amount = -sign(position) x rate x |position| x mark (a long pays a positive rate). A rate
//     whose funding_ts is not after its own exchange_ts (a realised rate, as in Binance's
//     fundingRate CSVs) is paid at once; funding_ts = 0 (unknown), a funding time already
//     paid, or a later one while an earlier is pending are ignored. No event when flat.
//   * Expiry (kDatedFuture): at the first venue-side event at or after `expiry`, resting orders
//     are cancelled (kOrderCancel), the position is settled at the last kIndexPrice, else the
//     mark (kSettlement, amount = PnL realised); orders arriving later are rejected
//     (kInstrumentExpired).
//   * Margin (instrument keys initial_margin, maintenance_margin, liquidation_fee; 0 = off),
//     cross margin over the account: equity = cash + positions at mark. An order is rejected
//     (kInsufficientMargin) when sum over instruments of initial_margin x mark x
//     max(|position + open buys|, |position - open sells|), with the order counted, exceeds
//     the equity and is larger than without the order. When a mark moves with a position open
//     and the equity falls below sum of maintenance_margin x mark x |position|, every resting
//     order is cancelled and every position closed at its mark (kLiquidation), with
//     liquidation_fee x notional charged as a fee.
#ifndef TAPEDECK_CORE_SIM_VENUE_H_
#define TAPEDECK_CORE_SIM_VENUE_H_

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/event.h"
#include "core/instrument.h"
#include "core/l3_queue.h"
#include "core/latency_model.h"
#include "core/order.h"
#include "core/order_book.h"
#include "core/portfolio.h"
#include "core/queue_model.h"
#include "core/sim_venue_config.h"
#include "core/types.h"

namespace tapedeck {

class SimVenue {
 public:
  // Responses are appended to *out with exchange_ts = venue time and
  // local_ts = venue time + response latency; the caller takes them from there.
  SimVenue(const InstrumentTable& instruments, SimVenueConfig config, std::vector<Event>* out);

  const SimVenueConfig& config() const { return config_; }

  void OnMarketData(const Event& e);
  // Trades of `id` before the returned time need nothing from the venue but what
  // OnQuietTrades keeps (the last price and the traded tally): no own order rests on `id`, no
  // latency tracker runs, no order-level data, no funding or expiry is due. INT64_MIN when
  // every trade of `id` must go through OnMarketData.
  int64_t QuietTradesBefore(InstrumentId id) const {
    if (watch_every_event_ || id.value >= state_.size()) return INT64_MIN;
    const InstrumentState& s = state_[id.value];
    return s.resting.empty() && s.l3 == nullptr ? account_due_ns_ : INT64_MIN;
  }
  // Consecutive trades of one instrument, all before QuietTradesBefore: the same state as
  // OnMarketData on each in turn.
  void OnQuietTrades(std::span<const Event> trades);
  void OnOrderArrival(const OrderRequest& r, Timestamp at);
  void OnCancelArrival(OrderId id, InstrumentId instrument, Timestamp at);
  // A modify of order `id` (see the rules above): new limit price and new total quantity.
  void OnModifyArrival(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                       Timestamp at);

  // Latency of a request sent now (kSubmit, kCancel or kModify), from its model.
  // `now` is the strategy-side time the request is sent (a recorded model looks it up).
  Duration RequestLatency(VenueMessage m, Timestamp now) {
    return latency_[static_cast<int>(m)].Sample(now, feed_latency_, vol_mbp_);
  }
  // The run's start (first market event's exchange_ts): the origin of recorded latency files
  // aligned to the start. The engine calls it once before the first event.
  void SetRunStart(Timestamp start);
  // The recent absolute price movement that scales latency (milli-basis-points, as of the last
  // price event); tracked only when some latency model has vol_k_milli != 0, else 0.
  int64_t volatility_mbp() const { return vol_mbp_; }

  size_t resting_orders() const;
  // The estimated size ahead of a resting order (raw qty), or -1 when it is not resting.
  int64_t QueueAhead(OrderId id, InstrumentId instrument) const;
  // Net position from the venue's own fills (for reduce-only).
  Qty venue_position(InstrumentId id) const { return Qty(state_[id.value].position); }
  const OrderBook& book(InstrumentId id) const { return state_[id.value].book; }
  // The venue's books of the account (cash, positions, funding, fees), marked at the prices of
  // the last margin check (see "Account" above).
  const Portfolio& account() const { return account_; }

 private:
  static constexpr int64_t kUnplaced = INT64_MIN;
  struct Resting {
    OrderRequest request;
    Qty remaining;
    int64_t ahead = 0;  // estimated market size ahead, raw qty
    // L3 data only: the order's time priority among the real orders (core/l3_queue.h), taken
    // at the first L3 event after its arrival; kUnplaced until then. An order that loses its
    // priority (re-queued) must get kUnplaced again.
    int64_t l3_priority = kUnplaced;
  };
  struct InstrumentState {
    OrderBook book;
    bool has_book = false;
    // The touch: from the book when there is one, else from quotes.
    Price bid, ask;
    Qty bid_qty, ask_qty;
    bool has_bid = false, has_ask = false;
    int64_t position = 0;
    // Trade quantity seen at one level since that level's last update (see the header).
    Side traded_side = Side::kBuy;
    Price traded_price;
    int64_t traded_qty = 0;
    // Last prices seen by the volatility tracker (0: none yet): trade (or bar close), and
    // bid + ask (twice the mid, to stay in integers).
    int64_t vol_last_trade = 0;
    int64_t vol_last_mid2 = 0;
    std::vector<Resting> resting;  // in arrival order
    std::unique_ptr<L3Queue> l3;   // set by the instrument's first kL3Order event
    // Account (core/sim_venue_account.cc): reference prices, last traded price (trade, bar
    // close or own fill; followed while a position is open or initial margin is on), the
    // pending funding.
    Price mark_price, index_price, last_price;
    bool has_mark_price = false, has_index_price = false, has_last_price = false;
    bool expired = false;
    Rate funding_rate;
    int64_t funding_ts = 0;               // funding time of the pending announcement, 0: none
    int64_t funding_paid_ts = INT64_MIN;  // the last funding time paid
  };

  void Respond(EventKind kind, const OrderRequest& r, Timestamp at, Price price, Qty qty,
               Money fee, Liquidity liq, RejectReason reason);
  void Fill(const OrderRequest& r, Timestamp at, Price price, Qty qty, Liquidity liq);
  // Takes up to `want` from the opposite side within the limit; returns the quantity filled.
  int64_t Take(InstrumentState& s, const OrderRequest& r, Timestamp at, int64_t want);
  // Quantity available on the opposite side within r's limit (market: everything), up to cap.
  int64_t Available(const InstrumentState& s, const OrderRequest& r, int64_t cap) const;
  int64_t LevelQty(const InstrumentState& s, Side side, Price price) const;
  void OnTrade(InstrumentState& s, InstrumentId id, const Event& e);
  // The side a trade took from (resting orders there traded): the opposite of its aggressor.
  static Side HitSide(const Event& e) {
    return e.trade.aggressor == Side::kBuy ? Side::kSell : Side::kBuy;
  }
  // Adds a trade to the tally of quantity traded at one side and price (for the next depth
  // decrease there); a trade at another side or price starts the tally again.
  static void TallyTrade(InstrumentState& s, const Event& e) {
    const Side hit = HitSide(e);
    if (s.traded_side != hit || s.traded_price != e.trade.price) {
      s.traded_side = hit;
      s.traded_price = e.trade.price;
      s.traded_qty = 0;
    }
    s.traded_qty += e.trade.qty.raw;
  }
  void OnLevel(InstrumentState& s, const Event& e);
  void TrackVolatility(InstrumentState& s, const Event& e);
  // OnMarketData's rarer work: the trackers, the account, order-level data. True when the
  // event was handled entirely (order-level data).
  [[gnu::noinline]] bool OnWatchedData(InstrumentState& s, const Event& e);
  // Turns on the volatility and feed-latency trackers that `spec` scales with.
  void TrackWhatScales(const LatencyScaling& spec);
  // Every event must go through OnWatchedData while a tracker runs or a position is watched.
  void UpdateWatch() { watch_every_event_ = track_feed_ || track_vol_ || account_watch_; }
  // OnMarketData past its fast path (kept out of line).
  [[gnu::noinline]] void Dispatch(InstrumentState& s, const Event& e);
  void MatchTouch(InstrumentState& s, Timestamp at);
  void MatchBar(InstrumentState& s, Timestamp at, const BarPayload& bar);
  void RefreshTouchFromBook(InstrumentState& s);
  // L3 data (kL3Order, and trades of an instrument that has it): the FIFO queue.
  void OnL3Data(InstrumentState& s, const Event& e);
  // Fills own limit orders of `side` that an execution of `qty` at `price` of a real order of
  // priority `priority` would have reached first: those at a better price, and those at `price`
  // ahead of it; best price first, then arrival order. Returns the quantity filled.
  int64_t FillAheadOfExecution(InstrumentState& s, Side side, Price price, int64_t priority,
                               int64_t qty, Timestamp at);

  // Account (core/sim_venue_account.cc).
  void InitAccount();
  void OnAccountData(InstrumentState& s, const Event& e);
  void AccountDue(Timestamp at);  // funding and expiries due at or before `at`
  void RecomputeAccountDue();
  void PayFunding(InstrumentId id, InstrumentState& s, Timestamp at);
  void Expire(InstrumentId id, InstrumentState& s, Timestamp at);
  void CancelAllResting(InstrumentState& s, Timestamp at);
  void CloseAccountPosition(InstrumentId id, InstrumentState& s, Timestamp at, AccountAction a,
                            Price price, Money fee);
  void RespondAccount(AccountAction a, InstrumentId id, Timestamp at, Money amount, Price price,
                      Qty qty, Money fee);
  // Marks every open position of account_ at MarkOf and returns the equity.
  Money MarkedEquity();
  static Price MarkOf(const InstrumentState& s);
  bool MarginAllows(const OrderRequest& r);
  void CheckMaintenance(Timestamp at);
  void UpdatePosition(InstrumentState& s, int64_t delta);

  const InstrumentTable* instruments_;
  SimVenueConfig config_;
  std::vector<Event>* out_;
  std::vector<InstrumentState> state_;
  LatencyModel latency_[kVenueMessageCount];
  int64_t feed_latency_ = 0;  // moving average of local_ts - exchange_ts, ns
  // Volatility for latency scaling (core/latency_model.h): decayed sum of absolute price
  // changes in milli-bp, venue-wide, as of vol_last_ts_; updated only when track_vol_.
  int64_t vol_mbp_ = 0;
  int64_t vol_last_ts_ = INT64_MIN;
  bool track_vol_ = false;
  bool track_feed_ = false;  // feed_latency_ is kept: a latency model has feed_scale_pct
  int64_t last_response_local_ = INT64_MIN;
  // Account.
  Portfolio account_;
  LatencyModel account_latency_;
  int64_t account_due_ns_ = INT64_MAX;  // next funding time or expiry to act on
  int open_positions_ = 0;              // instruments with a venue position != 0
  // Follow every price for the maintenance check: maintenance margin is on and a position is
  // open. (The last traded price itself is kept for every trade in OnMarketData.)
  bool account_watch_ = false;
  bool watch_every_event_ = false;  // see UpdateWatch
  bool initial_margin_on_ = false;      // some instrument has initial_margin > 0
  bool maintenance_on_ = false;         // some instrument has maintenance_margin > 0
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_SIM_VENUE_H_
