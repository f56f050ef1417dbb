// The venue seam of the backtest engine (core/engine.h): what a venue model must offer for
// BasicEngine<V> to drive it. SimVenue (core/sim_venue.h) is the one the project ships; another
// model (a venue with other matching rules, a recorded venue's answers...) satisfies the same
// concept and runs through the same engine, compiled for it: the engine calls the venue
// directly, with no virtual call per event.
//
// The contract (times in ns; "venue time" is exchange time):
// - V(instruments, config, out) builds the venue; it appends its responses (order updates,
//   account news) to *out, each with exchange_ts = the venue time it was produced at and
//   local_ts >= exchange_ts the time the strategy may see it, never before a response appended
//   earlier (one FIFO channel). source = kVenueSource (core/exchange_side.h). A config with a
//   member `initial_cash` (Money) gets the run's initial cash from the engine.
// - OnMarketData(e): one market event at venue time e.exchange_ts, in the total order of
//   core/event_order.h.
// - QuietTradesBefore(id) and OnQuietTrades(trades): the engine's fast path for runs of trades.
//   Trades of `id` with exchange_ts before QuietTradesBefore(id) may be handed to
//   OnQuietTrades in one span (consecutive trades of that one instrument) instead of one by
//   one to OnMarketData; the venue must end in the same state. INT64_MIN turns the fast path
//   off for `id`.
// - SetRunStart(t): called once, before the first event, with the first event's exchange_ts.
// - Send(m, request, now): a request (kSubmit: the order; kCancel: id and instrument; kModify:
//   also the new price and total qty) sent by the strategy at `now`; returns its arrival time
//   at the venue, >= now, never before the arrival of a request sent earlier (FIFO).
//   RequestChannel (core/exchange_side.h) does that bookkeeping.
// - next_arrival_ns(): the arrival of the first request not yet applied (INT64_MAX: none);
//   ArriveNext(): applies it at its arrival time. The engine applies arrivals after the market
//   data of the same venue time.
#ifndef TAPEDECK_CORE_VENUE_MODEL_H_
#define TAPEDECK_CORE_VENUE_MODEL_H_

#include <concepts>
#include <cstdint>
#include <span>
#include <vector>

#include "core/event.h"
#include "core/instrument.h"
#include "core/order.h"
#include "core/sim_venue_config.h"  // VenueMessage
#include "core/types.h"

namespace tapedeck {

template <typename V>
concept VenueModel =
    std::constructible_from<V, const InstrumentTable&, typename V::Config, std::vector<Event>*> &&
    requires(V& v, const V& cv, const Event& e, std::span<const Event> trades,
             const OrderRequest& r, InstrumentId id, Timestamp t, VenueMessage m) {
      { v.OnMarketData(e) } -> std::same_as<void>;
      { cv.QuietTradesBefore(id) } -> std::same_as<int64_t>;
      { v.OnQuietTrades(trades) } -> std::same_as<void>;
      { v.SetRunStart(t) } -> std::same_as<void>;
      { v.Send(m, r, t) } -> std::same_as<Timestamp>;
      { cv.next_arrival_ns() } -> std::same_as<int64_t>;
      { v.ArriveNext() } -> std::same_as<void>;
    };

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_VENUE_MODEL_H_
