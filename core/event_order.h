// The total order of events (contract 2 in DESIGN.md), written down once.
//
// Events are dispatched by (ts, kind rank, source index, sequence):
//   ts        the timestamp of the side that consumes the event: exchange_ts on the venue side,
//             local_ts on the strategy side;
//   kind rank KindRank below: at equal time, reference prices come first, then book state,
//             then trades, then what the venue tells about the strategy's own orders, and timers
//             last, so that a strategy's timer at t sees everything stamped t;
//   source    the position of the source in the run config (venue responses and timers rank
//             after every data source);
//   sequence  the record's position in its source (or the order in which responses and timers
//             were created).
#ifndef TAPEDECK_CORE_EVENT_ORDER_H_
#define TAPEDECK_CORE_EVENT_ORDER_H_

#include <compare>
#include <cstdint>

#include "core/event.h"

namespace tapedeck {

constexpr uint8_t KindRank(EventKind k) {
  switch (k) {
    case EventKind::kIndexPrice: return 0;
    case EventKind::kMarkPrice: return 1;
    case EventKind::kFundingRate: return 2;
    case EventKind::kOpenInterest: return 3;
    case EventKind::kBookLevel: return 4;
    // Order-level book state ranks with level book state: both are the book, and a source
    // carries one or the other, so at equal time its own record order decides.
    case EventKind::kL3Order: return 4;
    case EventKind::kQuote: return 5;
    case EventKind::kTrade: return 6;
    case EventKind::kLiquidation: return 7;
    case EventKind::kBar: return 8;
    case EventKind::kOrderAck: return 9;
    case EventKind::kOrderReplaced: return 10;
    case EventKind::kOrderFill: return 11;
    case EventKind::kOrderCancel: return 12;
    case EventKind::kOrderReject: return 13;
    // After the fills of the same instant: funding and liquidation apply to the position that
    // the fills left.
    case EventKind::kAccount: return 14;
    case EventKind::kTimer: return 15;
  }
  return 255;
}

struct EventKey {
  int64_t ts = 0;
  uint8_t rank = 0;
  uint16_t source = 0;
  uint64_t sequence = 0;

  friend constexpr auto operator<=>(const EventKey&, const EventKey&) = default;
};

inline EventKey VenueKey(const Event& e, uint64_t sequence) {
  return EventKey{e.exchange_ts, KindRank(e.kind), e.source, sequence};
}
inline EventKey StrategyKey(const Event& e, uint64_t sequence) {
  return EventKey{e.local_ts, KindRank(e.kind), e.source, sequence};
}

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_EVENT_ORDER_H_
