// What a tape record may hold. A tape is market data: every record has a market-data kind
// (core/event.h IsMarketData), an instrument id inside the tape's own table, and the fields of
// its kind within their ranges (enums among their values, quantities >= 0, book flags among
// BookFlags). Order responses, timers and account events come from the engine, never from a
// tape: a tape that held them (checksums valid or not) would drive the strategy's context with
// responses to orders it never sent.
//
// Tape::Open checks every record when it verifies the checksums; with verification off
// (TapeOpenOptions::verify = false) TapeSource checks each batch as it hands it out, so nothing
// downstream ever sees a record outside these bounds or out of exchange time order. Both use
// TapeRecordChecker: one branch-free pass per batch, and a record-by-record walk only when that
// pass found something, to name the first bad record.
#ifndef TAPEDECK_REPLAY_TAPE_RECORDS_H_
#define TAPEDECK_REPLAY_TAPE_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
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

// What TapeRecordChecker::Check found.
enum class TapeCheckFault : uint8_t {
  kNone = 0,
  kBounds = 1,     // TapeRecordOk is false: DescribeTapeRecordFault says why
  kBackwards = 2,  // exchange_ts is before the previous record's
};
struct TapeCheckResult {
  size_t index = 0;  // of the first bad record; the span's size when none is
  TapeCheckFault fault = TapeCheckFault::kNone;
};

// Checks consecutive batches of one tape: every record's bounds (TapeRecordOk) and the exchange
// time order, which carries from one batch to the next.
//
// Every bound of a record is an upper limit on one of its bytes or 16-bit words (a quantity's
// sign byte <= 0x7f, a side <= 1, book flags <= 7, an L3 action <= 3, an instrument id <= the
// table's size - 1, the kind/reserved word <= 0 for a kind that may not be in a tape), so a table
// with one row of 64 limits per kind value checks a record with two saturating subtractions
// whose results are OR-ed over the batch. With AVX2 that is about ten instructions a record and
// no branch but the loop's; without it, the record-by-record walk does the work.
class TapeRecordChecker {
 public:
  enum class Path : uint8_t { kFastest, kScalar };  // kScalar: tests compare the two
  explicit TapeRecordChecker(size_t instruments, Path path = Path::kFastest);
  ~TapeRecordChecker();
  TapeRecordChecker(TapeRecordChecker&&) noexcept;
  TapeRecordChecker& operator=(TapeRecordChecker&&) noexcept;

  // Checks `records`, which follow the records of the previous calls.
  TapeCheckResult Check(std::span<const Event> records);

  // True when Check uses the table pass (the CPU has AVX2 and the path is kFastest).
  bool vectorized() const { return vectorized_; }

  struct Limits;  // the table (tape_records.cc)

 private:
  TapeCheckResult Walk(std::span<const Event> records);

  size_t instruments_;
  bool vectorized_;
  std::unique_ptr<Limits> limits_;  // a row of 64 bytes for each value of the kind byte
  int64_t last_ts_ = INT64_MIN;           // exchange_ts of the last record checked
};

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
