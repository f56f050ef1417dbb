// The simulated venue's account (core/sim_venue.h): fees, positions, funding, expiry and
// settlement, initial and maintenance margin (cross margin), liquidation.
//
// The venue keeps its own books of the account in a Portfolio (core/portfolio.h; cash from the
// config's initial_cash, positions from its fills) at venue time, and tells the strategy of
// what it does on its own with kAccount responses (the exchange side's one response channel):
// - Fees: maker or taker rate x notional of each fill.
// - Marks: the instrument's last kMarkPrice, else its last traded price (trade, bar close or
//   own fill), which the matching core keeps (BookState::last_price).
// - Funding (perpetuals; any instrument whose data carries kFundingRate): an event announces
//   `rate` for the funding time funding_ts. The last rate announced for a funding time before
//   venue time reaches it is paid at the first venue-side event (market data or order arrival)
//   at or after funding_ts, on the venue position at the mark:
//   amount = -sign(position) x rate x |position| x mark (a long pays a positive rate). A rate
//   whose funding_ts is not after its own exchange_ts (a realised rate, as in Binance's
//   fundingRate CSVs) is paid at once; funding_ts = 0 (unknown), a funding time already paid,
//   or a later one while an earlier is pending are ignored. No event when flat.
// - Expiry (kDatedFuture): at the first venue-side event at or after `expiry`, resting orders
//   are cancelled (kOrderCancel), the position is settled at the last kIndexPrice, else the
//   mark (kSettlement, amount = PnL realised); orders arriving later are rejected
//   (kInstrumentExpired).
// - Margin (instrument keys initial_margin, maintenance_margin, liquidation_fee; 0 = off),
//   cross margin over the account: equity = cash + positions at mark. An order is rejected
//   (kInsufficientMargin) when sum over instruments of initial_margin x mark x
//   max(|position + open buys|, |position - open sells|), with the order counted, exceeds the
//   equity and is larger than without the order. When a mark moves with a position open and
//   the equity falls below sum of maintenance_margin x mark x |position|, every resting order
//   is cancelled and every position closed at its mark (kLiquidation), with liquidation_fee x
//   notional charged as a fee.
// Resting orders live in the matching core (core/matching_core.h): the calls that need them
// (margin, expiry, liquidation) are handed it.
#ifndef TAPEDECK_CORE_VENUE_ACCOUNT_H_
#define TAPEDECK_CORE_VENUE_ACCOUNT_H_

#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/exchange_side.h"
#include "core/instrument.h"
#include "core/order.h"
#include "core/portfolio.h"
#include "core/types.h"

namespace tapedeck {

class MatchingCore;  // core/matching_core.h
struct BookState;    // core/matching_core.h

class VenueAccount {
 public:
  // `watch_always`: every market event must reach the venue's watched path anyway (a latency
  // tracker runs), whatever the account needs.
  VenueAccount(const InstrumentTable& instruments, Money initial_cash, ExchangeSide* exchange,
               bool watch_always);

  // A fill of `r` at venue time: the fee (returned), the position, the books.
  Money OnFill(const OrderRequest& r, Price price, Qty qty, Liquidity liq);
  // Market data that concerns the account: funding, mark and index prices, trades and bars
  // (marks for the maintenance check), and whatever is due by its time. A trade's price is the
  // last price already; a bar's close becomes it here, after what is due.
  void OnData(const Event& e, MatchingCore& matching);
  // Funding and expiries due at or before `at`.
  void DueBy(Timestamp at, MatchingCore& matching);

  // The next funding time or expiry to act on (INT64_MAX: none).
  int64_t due_ns() const { return due_ns_; }
  // Every market event must reach OnData (or a tracker): maintenance margin watches an open
  // position, or watch_always.
  bool watch_every_event() const { return watch_every_event_; }
  // Maintenance margin watches an open position: every price must reach OnData.
  bool watching_positions() const { return maintenance_on_ && open_positions_ != 0; }
  bool initial_margin_on() const { return initial_margin_on_; }

  // Net position from the venue's own fills (raw qty).
  int64_t position(InstrumentId id) const { return state_[id.value].position; }
  // The part of a position that an order of `side` can reduce (> 0), else <= 0.
  int64_t Reducible(InstrumentId id, Side side) const {
    const int64_t p = state_[id.value].position;
    return side == Side::kBuy ? -p : p;
  }
  // An order for `id` arriving at `at` is rejected as expired.
  bool Expired(InstrumentId id, Timestamp at) const {
    const Instrument& in = instruments_->at(id);
    return state_[id.value].expired ||
           (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns != 0 && at >= in.expiry);
  }
  // Whether the initial margin allows `r` on top of what rests (see the header comment).
  bool MarginAllows(const OrderRequest& r, const MatchingCore& matching);

  // The books, marked at the prices of the last margin check.
  const Portfolio& books() const { return books_; }

 private:
  // One instrument's: reference prices, the pending funding, the position.
  struct State {
    int64_t position = 0;
    Price mark_price, index_price;
    bool has_mark_price = false, has_index_price = false;
    bool expired = false;
    Rate funding_rate;
    int64_t funding_ts = 0;               // funding time of the pending announcement, 0: none
    int64_t funding_paid_ts = INT64_MIN;  // the last funding time paid
  };

  void RecomputeDue();
  void PayFunding(InstrumentId id, State& s, Timestamp at, const MatchingCore& matching);
  void Expire(InstrumentId id, State& s, Timestamp at, MatchingCore& matching);
  void ClosePosition(InstrumentId id, State& s, Timestamp at, AccountAction a, Price price,
                     Money fee);
  // Marks every open position at MarkOf and returns the equity.
  Money MarkedEquity(const MatchingCore& matching);
  // The venue's mark price, else the last traded price (an open position always has one: its
  // own fill); HasMark: either is known.
  static Price MarkOf(const State& s, const BookState& book);
  static bool HasMark(const State& s, const BookState& book);
  void CheckMaintenance(Timestamp at, MatchingCore& matching);
  void UpdatePosition(State& s, int64_t delta);

  const InstrumentTable* instruments_;
  ExchangeSide* exchange_;
  std::vector<State> state_;
  Portfolio books_;
  int64_t due_ns_ = INT64_MAX;  // next funding time or expiry to act on
  int open_positions_ = 0;      // instruments with a venue position != 0
  const bool watch_always_;
  // Follow every price for the maintenance check: maintenance margin is on and a position is
  // open; or watch_always_.
  bool watch_every_event_ = false;
  bool initial_margin_on_ = false;  // some instrument has initial_margin > 0
  bool maintenance_on_ = false;     // some instrument has maintenance_margin > 0
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_VENUE_ACCOUNT_H_
