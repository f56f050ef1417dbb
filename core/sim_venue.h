// The simulated venue: an L2 (or L3) book per instrument, queue position for own resting
// orders, partial fills, per-message latency models, fees, funding, expiry, margin and
// liquidation. A facade over three parts with one job each, each with its own state:
// - MatchingCore (core/matching_core.h): books, touch, queue position, L2 and L3 matching;
// - ExchangeSide (core/exchange_side.h): the request and response channels with their latency
//   models, and the feed-latency and volatility trackers those read;
// - VenueAccount (core/venue_account.h): fees, positions, funding, expiry, margin, liquidation.
// The facade routes market data and order arrivals between them and decides, in one place, the
// admission of an order (the order of the checks picks the reject reason):
// - unknown instrument; expired (kInstrumentExpired); qty or price off its grid (kInvalidQty,
//   kInvalidPrice); reduce-only when the venue position is flat or on the same side
//   (kInvalidQty; otherwise the order is cut to the position); post-only that would cross
//   (kWouldCross); initial margin (kInsufficientMargin); then kOrderAck and the matching core.
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
// - Funding and expiries due by an arrival's time are dealt with before it.
//
// SimVenue is the Engine's venue model (core/venue_model.h): requests are sent through the
// exchange side's channel (Send) and applied when the engine reaches their arrival
// (ArriveNext); responses are appended to the vector given at construction.
#ifndef TAPEDECK_CORE_SIM_VENUE_H_
#define TAPEDECK_CORE_SIM_VENUE_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/event.h"
#include "core/exchange_side.h"
#include "core/instrument.h"
#include "core/matching_core.h"
#include "core/order.h"
#include "core/order_book.h"
#include "core/portfolio.h"
#include "core/sim_venue_config.h"
#include "core/types.h"
#include "core/venue_account.h"

namespace tapedeck {

class SimVenue {
 public:
  using Config = SimVenueConfig;

  // Responses are appended to *out with exchange_ts = venue time and
  // local_ts = venue time + response latency; the caller takes them from there.
  SimVenue(const InstrumentTable& instruments, SimVenueConfig config, std::vector<Event>* out);
  SimVenue(const SimVenue&) = delete;  // the parts point at each other
  SimVenue& operator=(const SimVenue&) = delete;

  const SimVenueConfig& config() const { return config_; }

  // ---- The venue model seam (core/venue_model.h) ----
  void OnMarketData(const Event& e);
  // Trades of `id` before the returned time need nothing from the venue but what
  // OnQuietTrades keeps (the last price and the traded tally): no own order rests on `id`, no
  // latency tracker runs, no order-level data, no funding or expiry is due. INT64_MIN when
  // every trade of `id` must go through OnMarketData.
  int64_t QuietTradesBefore(InstrumentId id) const {
    if (account_.watch_every_event() || id.value >= matching_.size()) return INT64_MIN;
    const BookState& s = matching_.state(id);
    return s.resting.empty() && s.l3 == nullptr ? account_.due_ns() : INT64_MIN;
  }
  // Consecutive trades of one instrument, all before QuietTradesBefore: the same state as
  // OnMarketData on each in turn.
  void OnQuietTrades(std::span<const Event> trades);
  // The run's start (first market event's exchange_ts): the origin of recorded latency files
  // aligned to the start. The engine calls it once before the first event.
  void SetRunStart(Timestamp start) { exchange_.SetRunStart(start); }
  // Sends a request (kSubmit, kCancel: id and instrument; kModify: also the new price and total
  // qty) at strategy-side time `now` through the request channel; returns its arrival.
  Timestamp Send(VenueMessage m, const OrderRequest& r, Timestamp now) {
    return exchange_.Send(m, r, now);
  }
  // The next request's arrival (INT64_MAX: none).
  int64_t next_arrival_ns() const { return exchange_.requests().next_arrival_ns(); }
  // Applies the next request at its arrival time.
  void ArriveNext() {
    const VenueRequest r = exchange_.requests().front();
    exchange_.requests().pop_front();
    switch (r.kind) {
      case VenueMessage::kCancel:
        OnCancelArrival(r.order.id, r.order.instrument, r.arrival);
        break;
      case VenueMessage::kModify:
        OnModifyArrival(r.order.id, r.order.instrument, r.order.price, r.order.qty, r.arrival);
        break;
      default:
        OnOrderArrival(r.order, r.arrival);
        break;
    }
  }

  // ---- Arrivals (what ArriveNext applies; tests call them directly) ----
  void OnOrderArrival(const OrderRequest& r, Timestamp at);
  void OnCancelArrival(OrderId id, InstrumentId instrument, Timestamp at);
  // A modify of order `id` (see the rules above): new limit price and new total quantity.
  void OnModifyArrival(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                       Timestamp at);

  // ---- Queries ----
  // Latency of a request sent now (kSubmit, kCancel or kModify), from its model.
  Duration RequestLatency(VenueMessage m, Timestamp now) {
    return exchange_.RequestLatency(m, now);
  }
  int64_t volatility_mbp() const { return exchange_.volatility_mbp(); }
  size_t resting_orders() const { return matching_.resting_orders(); }
  // The estimated size ahead of a resting order (raw qty), or -1 when it is not resting.
  int64_t QueueAhead(OrderId id, InstrumentId instrument) const {
    return matching_.QueueAhead(id, instrument);
  }
  // Net position from the venue's own fills (for reduce-only).
  Qty venue_position(InstrumentId id) const { return Qty(account_.position(id)); }
  const OrderBook& book(InstrumentId id) const { return matching_.state(id).book; }
  // The venue's books of the account (cash, positions, funding, fees), marked at the prices of
  // the last margin check.
  const Portfolio& account() const { return account_.books(); }

 private:
  // OnMarketData's rarer work: the trackers, the account, order-level data. True when the
  // event was handled entirely (order-level data).
  [[gnu::noinline]] bool OnWatchedData(BookState& s, const Event& e);
  void AccountDue(Timestamp at) {
    if (at.ns >= account_.due_ns()) account_.DueBy(at, matching_);
  }

  SimVenueConfig config_;
  // In this order: the account and the matching core point at the exchange side, the matching
  // core at the account.
  ExchangeSide exchange_;
  VenueAccount account_;
  MatchingCore matching_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_SIM_VENUE_H_
