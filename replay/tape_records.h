// What a tape record may hold. A tape is market data: every record has a market-data kind
// (core/event.h IsMarketData), an instrument id inside the tape's own table, and the fields of
// its kind within their ranges (enums among their values, quantities >= 0, book flags among
// BookFlags). Order responses, timers and account events come from the engine, never from a
// tape: a tape that held them (checksums valid or not) would drive the strategy's context with
// responses to orders it never sent.
//
// Tape::Open checks every record when it verifies the checksums; with verification off
// (TapeOpenOptions::verify = false) TapeSource checks each batch as it hands it out, so nothing
// downstream ever sees a record outside these bounds.
#ifndef TAPEDECK_REPLAY_TAPE_RECORDS_H_
#define TAPEDECK_REPLAY_TAPE_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/event.h"

namespace tapedeck::replay {

// What is wrong with a record, and the byte offset within it of the field at fault.
struct RecordFault {
  uint32_t offset = 0;
  std::string what;
};

// True when `e` may be in a tape whose table has `instruments` entries (the fast check).
inline bool TapeRecordOk(const Event& e, size_t instruments);

// The fault of a record for which TapeRecordOk is false.
RecordFault DescribeTapeRecordFault(const Event& e, size_t instruments);

// The index of the first record of `records` that is not fine, or records.size().
size_t FirstBadTapeRecord(std::span<const Event> records, size_t instruments);

// --- implementation -------------------------------------------------------------------------

namespace tape_internal {
constexpr uint8_t kAllBookFlags = kBookSnapshotBegin | kBookEndOfMessage | kBookInferred;
inline bool SideOk(Side s) { return static_cast<uint8_t>(s) <= 1; }
}  // namespace tape_internal

inline bool TapeRecordOk(const Event& e, size_t instruments) {
  using tape_internal::SideOk;
  if (e.instrument.value >= instruments) return false;
  switch (e.kind) {
    case EventKind::kTrade:
    case EventKind::kLiquidation:
      return e.trade.qty.raw >= 0 && SideOk(e.trade.aggressor);
    case EventKind::kQuote:
      return e.quote.bid_qty.raw >= 0 && e.quote.ask_qty.raw >= 0;
    case EventKind::kBookLevel:
      return e.level.qty.raw >= 0 && SideOk(e.level.side) &&
             (e.level.flags & ~tape_internal::kAllBookFlags) == 0;
    case EventKind::kFundingRate:
    case EventKind::kMarkPrice:
    case EventKind::kIndexPrice:
      return true;
    case EventKind::kOpenInterest:
      return e.open_interest.qty.raw >= 0;
    case EventKind::kBar:
      return e.bar.volume.raw >= 0;
    case EventKind::kL3Order:
      return e.l3.qty.raw >= 0 && SideOk(e.l3.side) &&
             static_cast<uint8_t>(e.l3.action) <= static_cast<uint8_t>(L3Action::kExecute) &&
             (e.l3.flags & ~tape_internal::kAllBookFlags) == 0;
    default:
      return false;  // not market data, or not a kind at all
  }
}

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_TAPE_RECORDS_H_
