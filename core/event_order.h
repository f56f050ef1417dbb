// The total order of events (contract 2 in DESIGN.md), written down once.
//
// Events are dispatched by (ts, kind rank, source index, sequence):
//   ts        the timestamp of the side that consumes the event: exchange_ts on the venue side,
//             local_ts on the strategy side;
//   kind rank KindRank below: at equal time, reference prices come first, then book state,
//             then trades, then what the venue tells about the strategy's own orders, then venue
//             status, and timers last, so that a strategy's timer at t sees everything stamped t;
//   source    the position of the source in the run config (venue responses and timers rank
//             after every data source);
//   sequence  the record's position in its source (or the order in which responses and timers
//             were created).
#ifndef TAPEDECK_CORE_EVENT_ORDER_H_
#define TAPEDECK_CORE_EVENT_ORDER_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/event.h"

namespace tapedeck {

namespace event_order_internal {
// The ranks, written as a switch; KindRank reads them from a table built from it.
constexpr uint8_t RankOf(EventKind k) {
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
    // After everything else of the instant (data ended at t follows the data at t), before the
    // strategy's own timers.
    case EventKind::kVenueStatus: return 15;
    case EventKind::kTimer: return 16;
  }
  return 255;
}

// One entry per value of EventKind's underlying byte, so that a lookup needs no bounds test:
// the merger and the engine rank every event.
inline constexpr std::array<uint8_t, 256> kRanks = [] {
  std::array<uint8_t, 256> t{};
  for (size_t i = 0; i < t.size(); ++i) t[i] = RankOf(static_cast<EventKind>(i));
  return t;
}();
}  // namespace event_order_internal

// Kinds outside the enum rank 255, after everything.
constexpr uint8_t KindRank(EventKind k) {
  return event_order_internal::kRanks[static_cast<uint8_t>(k)];
}

// A key packs everything after the time into one word, so that comparing two keys is two
// integer compares: rank in bits 63..56, source in 55..40, the sequence's low 40 bits in 39..0.
// Sequences are per source and per run; 2^40 (1.1e12) events is days of replay at the engine's
// speed, and only a tie in (ts, rank, source) across that wrap would order differently.
class EventKey {
 public:
  static constexpr int kSequenceBits = 40;
  static constexpr uint64_t kSequenceMask = (uint64_t{1} << kSequenceBits) - 1;

  constexpr EventKey() = default;
  constexpr EventKey(int64_t time, uint8_t rank, uint16_t source, uint64_t sequence)
      : ts(time),
        tie_(uint64_t{rank} << 56 | uint64_t{source} << kSequenceBits | (sequence & kSequenceMask)) {}

  constexpr uint8_t rank() const { return static_cast<uint8_t>(tie_ >> 56); }
  constexpr uint16_t source() const { return static_cast<uint16_t>(tie_ >> kSequenceBits); }
  constexpr uint64_t sequence() const { return tie_ & kSequenceMask; }

  friend constexpr bool operator==(const EventKey&, const EventKey&) = default;
  // One 128-bit compare, without branches: the engine compares keys of market data whose times
  // are equal or not at random (events of one message share a time stamp), which a branch on
  // the time would mispredict.
  friend constexpr bool operator<(const EventKey& a, const EventKey& b) { return a.Wide() < b.Wide(); }

  int64_t ts = 0;

 private:
  __extension__ typedef unsigned __int128 Wide128;
  // The time with its sign bit flipped (so that unsigned order is signed order), above the tie.
  constexpr Wide128 Wide() const {
    return Wide128{static_cast<uint64_t>(ts) ^ (uint64_t{1} << 63)} << 64 | tie_;
  }

  uint64_t tie_ = 0;
};

inline EventKey VenueKey(const Event& e, uint64_t sequence) {
  return EventKey{e.exchange_ts, KindRank(e.kind), e.source, sequence};
}
inline EventKey StrategyKey(const Event& e, uint64_t sequence) {
  return EventKey{e.local_ts, KindRank(e.kind), e.source, sequence};
}

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_EVENT_ORDER_H_
