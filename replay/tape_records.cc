#include "replay/tape_records.h"

#include "absl/strings/str_cat.h"

namespace tapedeck::replay {
namespace {

// The byte offset of `field` within the record `e`.
template <typename T>
uint32_t At(const Event& e, const T& field) {
  return static_cast<uint32_t>(reinterpret_cast<const char*>(&field) -
                               reinterpret_cast<const char*>(&e));
}

RecordFault Negative(const Event& e, const Qty& q, const char* name) {
  return {At(e, q), absl::StrCat(name, " ", q.raw, " is negative")};
}

RecordFault BadSide(const Event& e, const Side& s, const char* name) {
  return {At(e, s), absl::StrCat(name, " ", static_cast<int>(s), " is not a side (0 buy, 1 sell)")};
}

RecordFault BadFlags(const Event& e, const uint8_t& f) {
  return {At(e, f), absl::StrCat("book flags 0x", absl::Hex(f), " include unknown bits")};
}

RecordFault PayloadFault(const Event& e) {
  switch (e.kind) {
    case EventKind::kTrade:
    case EventKind::kLiquidation:
      if (e.trade.qty.raw < 0) return Negative(e, e.trade.qty, "quantity");
      return BadSide(e, e.trade.aggressor, "aggressor");
    case EventKind::kQuote:
      if (e.quote.bid_qty.raw < 0) return Negative(e, e.quote.bid_qty, "bid quantity");
      return Negative(e, e.quote.ask_qty, "ask quantity");
    case EventKind::kBookLevel:
      if (e.level.qty.raw < 0) return Negative(e, e.level.qty, "level quantity");
      if (!tape_internal::SideOk(e.level.side)) return BadSide(e, e.level.side, "side");
      return BadFlags(e, e.level.flags);
    case EventKind::kOpenInterest:
      return Negative(e, e.open_interest.qty, "open interest");
    case EventKind::kBar:
      return Negative(e, e.bar.volume, "bar volume");
    case EventKind::kL3Order:
      if (e.l3.qty.raw < 0) return Negative(e, e.l3.qty, "order quantity");
      if (!tape_internal::SideOk(e.l3.side)) return BadSide(e, e.l3.side, "side");
      if (static_cast<uint8_t>(e.l3.action) > static_cast<uint8_t>(L3Action::kExecute)) {
        return {At(e, e.l3.action),
                absl::StrCat("L3 action ", static_cast<int>(e.l3.action), " is not 0..3")};
      }
      return BadFlags(e, e.l3.flags);
    default:
      return {At(e, e.kind), "invariant: no fault found"};
  }
}

}  // namespace

RecordFault DescribeTapeRecordFault(const Event& e, size_t instruments) {
  const int kind = static_cast<int>(e.kind);
  if (kind >= kEventKindCount) {
    return {At(e, e.kind), absl::StrCat("unknown event kind ", kind)};
  }
  if (!IsMarketData(e.kind)) {
    return {At(e, e.kind),
            absl::StrCat("event kind ", kind, " (", std::string(EventKindName(e.kind)),
                         ") is not market data: a tape holds market data only")};
  }
  if (e.instrument.value >= instruments) {
    return {At(e, e.instrument),
            absl::StrCat("instrument id ", e.instrument.value, " is outside the tape's table of ",
                         instruments, " instrument", instruments == 1 ? "" : "s")};
  }
  return PayloadFault(e);
}

size_t FirstBadTapeRecord(std::span<const Event> records, size_t instruments) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (!TapeRecordOk(records[i], instruments)) return i;
  }
  return records.size();
}

}  // namespace tapedeck::replay
