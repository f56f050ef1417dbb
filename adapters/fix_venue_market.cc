// FixVenue's market data (adapters/fix_venue.h): MarketDataSnapshotFullRefresh (35=W) and
// MarketDataIncrementalRefresh (35=X) become events for the strategy thread. QuickFIX's thread
// calls all of these.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_venue.h"
#include "core/decimal.h"
#include "quickfix/Group.h"

namespace tapedeck::adapters {

void FixVenue::OnMarketData(const FIX::Message& msg, bool snapshot, int64_t local_ns) {
  stat_[kMarketMessages].fetch_add(1, std::memory_order_relaxed);
  const size_t n = msg.groupCount(tag::kNoMDEntries);
  InstrumentId inst;
  bool have_inst = false;
  if (msg.isSetField(tag::kSymbol)) {
    if (!LookupSymbol(msg.getField(tag::kSymbol), &inst)) {
      Note(absl::StrCat("market data for unknown symbol '", msg.getField(tag::kSymbol), "'"));
      return;
    }
    have_inst = true;
  }
  if (snapshot && have_inst && IsTopOfBook(msg)) {
    PushQuoteSnapshot(msg, inst, local_ns);
    return;
  }
  // Levels and trades, one event per entry. Level flags: a snapshot's first level clears the
  // book; the last level of each instrument's run in the message closes it.
  thread_local std::vector<Event> events;
  events.clear();
  bool first_level = true;
  for (size_t i = 1; i <= n; ++i) {
    const FIX::FieldMap& g = msg.getGroupRef(static_cast<int>(i), tag::kNoMDEntries);
    if (g.isSetField(tag::kSymbol)) {
      if (!LookupSymbol(g.getField(tag::kSymbol), &inst)) {
        Note(absl::StrCat("market data for unknown symbol '", g.getField(tag::kSymbol), "'"));
        continue;
      }
      have_inst = true;
    }
    if (!have_inst || !g.isSetField(tag::kMDEntryType)) {
      Note("market data entry without Symbol or MDEntryType");
      continue;
    }
    Event e;
    if (!DecodeMarketEntry(g, inst, local_ns, &e)) continue;
    if (e.kind == EventKind::kBookLevel) {
      if (snapshot && first_level) e.level.flags = kBookSnapshotBegin;
      first_level = false;
    }
    events.push_back(e);
  }
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    if (e.kind != EventKind::kBookLevel) continue;
    const bool last_of_run = i + 1 == events.size() || events[i + 1].kind != EventKind::kBookLevel ||
                             events[i + 1].instrument != e.instrument;
    if (last_of_run) e.level.flags = static_cast<uint8_t>(e.level.flags | kBookEndOfMessage);
  }
  for (const Event& e : events) Push(e);
  stat_[kMarketEvents].fetch_add(events.size(), std::memory_order_relaxed);
}

bool FixVenue::IsTopOfBook(const FIX::Message& msg) {
  // A snapshot with exactly one bid and one offer is a quote (top of book).
  int bids = 0, offers = 0, others = 0;
  const size_t n = msg.groupCount(tag::kNoMDEntries);
  for (size_t i = 1; i <= n; ++i) {
    const std::string& t =
        msg.getGroupRef(static_cast<int>(i), tag::kNoMDEntries).getField(tag::kMDEntryType);
    if (t == "0") ++bids; else if (t == "1") ++offers; else ++others;
  }
  return bids == 1 && offers == 1 && others == 0;
}

void FixVenue::PushQuoteSnapshot(const FIX::Message& msg, InstrumentId inst, int64_t local_ns) {
  const Instrument& in = instruments_->at(inst);
  Event e = MakeEvent(EventKind::kQuote, inst, Timestamp(local_ns), Timestamp(local_ns));
  std::string error;
  const size_t n = msg.groupCount(tag::kNoMDEntries);
  for (size_t i = 1; i <= n; ++i) {
    const FIX::FieldMap& g = msg.getGroupRef(static_cast<int>(i), tag::kNoMDEntries);
    int64_t px = 0, sz = 0, ts = 0;
    if (!GetDecimalField(g, tag::kMDEntryPx, in.price_scale, &px, &error) ||
        !GetDecimalField(g, tag::kMDEntrySize, in.qty_scale, &sz, &error)) {
      Note(absl::StrCat(in.symbol, " quote: ", error));
      return;
    }
    if (g.isSetField(tag::kMDEntryDate) && g.isSetField(tag::kMDEntryTime) &&
        ParseFixDateTime(g.getField(tag::kMDEntryDate), g.getField(tag::kMDEntryTime), &ts)) {
      e.exchange_ts = ts;
    }
    if (g.getField(tag::kMDEntryType) == "0") {
      e.quote.bid = Price(px);
      e.quote.bid_qty = Qty(sz);
    } else {
      e.quote.ask = Price(px);
      e.quote.ask_qty = Qty(sz);
    }
  }
  Push(e);
  stat_[kMarketEvents].fetch_add(1, std::memory_order_relaxed);
}

bool FixVenue::DecodeMarketEntry(const FIX::FieldMap& g, InstrumentId inst, int64_t local_ns,
                                 Event* out) {
  const Instrument& in = instruments_->at(inst);
  const std::string& type = g.getField(tag::kMDEntryType);
  std::string error;
  int64_t px = 0, sz = 0, ts = local_ns;
  if (!GetDecimalField(g, tag::kMDEntryPx, in.price_scale, &px, &error) ||
      !GetDecimalField(g, tag::kMDEntrySize, in.qty_scale, &sz, &error)) {
    Note(absl::StrCat(in.symbol, " market data: ", error));
    return false;
  }
  if (g.isSetField(tag::kMDEntryDate) && g.isSetField(tag::kMDEntryTime) &&
      !ParseFixDateTime(g.getField(tag::kMDEntryDate), g.getField(tag::kMDEntryTime), &ts)) {
    ts = local_ns;
  }
  auto make = [&](EventKind kind) { return MakeEvent(kind, inst, Timestamp(ts), Timestamp(local_ns)); };
  if (type == "0" || type == "1") {
    const bool deleted =
        g.isSetField(tag::kMDUpdateAction) && g.getField(tag::kMDUpdateAction) == "2";
    *out = make(EventKind::kBookLevel);
    out->level.price = Price(px);
    out->level.qty = Qty(deleted ? 0 : sz);
    out->level.side = type == "0" ? Side::kBuy : Side::kSell;
  } else if (type == "2") {
    const bool liquidation = g.isSetField(tag::kTradeCondition) &&
                             g.getField(tag::kTradeCondition) == "liquidation";
    *out = make(liquidation ? EventKind::kLiquidation : EventKind::kTrade);
    out->trade.price = Price(px);
    out->trade.qty = Qty(sz);
    int64_t id = 0;
    if (g.isSetField(tag::kMDEntryID) && TryParseInt(g.getField(tag::kMDEntryID), &id) && id > 0) {
      out->trade.trade_id = static_cast<uint64_t>(id);
    }
    out->trade.aggressor = g.isSetField(tag::kTickDirection) && g.getField(tag::kTickDirection) == "2"
                               ? Side::kSell
                               : Side::kBuy;
  } else if (type == "3" || type == "6") {
    *out = make(type == "3" ? EventKind::kIndexPrice : EventKind::kMarkPrice);
    out->price.price = Price(px);
  } else if (type == "C") {
    *out = make(EventKind::kOpenInterest);
    out->open_interest.qty = Qty(sz);
  } else {
    return false;  // an entry type tapedeck has no event for
  }
  return true;
}

}  // namespace tapedeck::adapters
