// The DBN reader's handlers for the records other than MBO: trades and mbp (quotes, book
// levels), bbo, ohlcv, statistics, definitions and symbol mappings (see dbn_reader.h).
#include "absl/strings/str_cat.h"
#include "replay/dbn_instruments.h"
#include "replay/dbn_reader.h"
#include "replay/dbn_reader_inl.h"

namespace tapedeck::replay {
namespace {

using dbn::Get;
namespace off = dbn::off;

bool SameTop(const QuotePayload& a, const QuotePayload& b) {
  return a.bid == b.bid && a.bid_qty == b.bid_qty && a.ask == b.ask && a.ask_qty == b.ask_qty;
}

bool IsBbo(uint8_t rtype) { return rtype == dbn::kRTypeBbo1S || rtype == dbn::kRTypeBbo1M; }

}  // namespace

bool DbnReader::QuoteOf(const Slot& s, const uint8_t* level, QuotePayload* q) {
  const int64_t bid = Get<int64_t>(level, off::kLevelBidPx);
  const int64_t ask = Get<int64_t>(level, off::kLevelAskPx);
  const uint32_t bid_sz = Get<uint32_t>(level, off::kLevelBidSz);
  const uint32_t ask_sz = Get<uint32_t>(level, off::kLevelAskSz);
  // An empty side (undefined price or no size) is a zero price and size, as in every quote.
  if (bid != dbn::kUndefPrice && bid_sz > 0) {
    if (!ToPrice(s, bid, "bid_px", &q->bid.raw)) return false;
    if (!ToQty(s, bid_sz, "bid_sz", &q->bid_qty.raw)) return false;
  }
  if (ask != dbn::kUndefPrice && ask_sz > 0) {
    if (!ToPrice(s, ask, "ask_px", &q->ask.raw)) return false;
    if (!ToQty(s, ask_sz, "ask_sz", &q->ask_qty.raw)) return false;
  }
  return true;
}

void DbnReader::PushQuote(Slot& s, const QuotePayload& q, int64_t ex, int64_t local) {
  Event& e = Push(EventKind::kQuote, s, ex, local);
  e.quote = q;
  s.quote = q;
  s.has_quote = true;
}

bool DbnReader::OnMbp(const uint8_t* r, Slot& s, uint8_t rtype) {
  const uint8_t flags = r[off::kMbpFlags];
  const char action = static_cast<char>(r[off::kMbpAction]);
  int64_t ex = 0, local = 0;
  if (!Times(Get<uint64_t>(r, off::kTsEvent), Get<uint64_t>(r, off::kMbpTsRecv), &ex, &local)) {
    return false;
  }
  const uint32_t sequence = rtype == dbn::kRTypeCmbp1 ? 0 : Get<uint32_t>(r, off::kMbpSequence);
  if (!Sequence(s, 1, sequence, flags)) return false;
  int64_t price = 0, qty = 0;
  if (action == 'T') {
    if (!ToPrice(s, Get<int64_t>(r, off::kMbpPrice), "price", &price)) return false;
    if (!ToQty(s, Get<uint32_t>(r, off::kMbpSize), "size", &qty)) return false;
  }
  const char side = static_cast<char>(r[off::kMbpSide]);
  switch (rtype) {
    case dbn::kRTypeMbp0:
      if (action != 'T') {
        Skip(rtype);
        return true;
      }
      return PushTrade(s, price, qty, side, ex, local);
    case dbn::kRTypeMbp1:
    case dbn::kRTypeCmbp1: {
      QuotePayload q{};
      if (!QuoteOf(s, r + off::kMbpLevels, &q)) return false;
      q.update_id = sequence;
      // A trade does not change the book: its record's top is the one before it (tbbo), sent
      // as a quote when it differs from the last one.
      if (action != 'T' || !s.has_quote || !SameTop(q, s.quote)) PushQuote(s, q, ex, local);
      if (action == 'T') return PushTrade(s, price, qty, side, ex, local);
      return true;
    }
    default: {  // mbp-10
      const uint16_t publisher = Get<uint16_t>(r, off::kPublisher);
      if (static_cast<int>(publisher) != s.book_publisher) {
        if (!ClaimBook(s, publisher)) return false;
      }
      if (!Mbp10Levels(r, s, ex, local, sequence)) return false;
      if (action == 'T' && !PushTrade(s, price, qty, side, ex, local)) return false;
      if ((flags & dbn::kFlagLast) != 0) CloseBook(s);
      return true;
    }
  }
}

void DbnReader::PushLevel(Slot& s, Side side, const Level& l, uint32_t sequence, uint8_t flags,
                          int64_t ex, int64_t local) {
  Event& e = Push(EventKind::kBookLevel, s, ex, local);
  e.level.price = Price(l.price);
  e.level.qty = Qty(l.qty);
  e.level.update_id = sequence;
  e.level.side = side;
  e.level.flags = flags;
  OpenBook(s);
}

bool DbnReader::Mbp10Levels(const uint8_t* r, Slot& s, int64_t ex, int64_t local,
                            uint32_t sequence) {
  Level now[2][10];
  int n[2] = {0, 0};
  for (size_t i = 0; i < 10; ++i) {
    const uint8_t* level = r + off::kMbpLevels + i * off::kLevelSize;
    const size_t px_at[2] = {off::kLevelBidPx, off::kLevelAskPx};
    const size_t sz_at[2] = {off::kLevelBidSz, off::kLevelAskSz};
    for (int k = 0; k < 2; ++k) {
      const int64_t px = Get<int64_t>(level, px_at[k]);
      const uint32_t sz = Get<uint32_t>(level, sz_at[k]);
      if (px == dbn::kUndefPrice || sz == 0) continue;
      Level& l = now[k][n[k]++];
      if (!ToPrice(s, px, k == 0 ? "bid_px" : "ask_px", &l.price)) return false;
      if (!ToQty(s, sz, k == 0 ? "bid_sz" : "ask_sz", &l.qty)) return false;
    }
  }
  // The first record is a snapshot of the ten a side; after it, what changed: a level gone
  // from the ten (size 0), a new level, a new size.
  const bool first = !s.has_levels;
  uint8_t flags = first ? kBookSnapshotBegin : 0;
  for (int k = 0; k < 2; ++k) {
    const Side side = k == 0 ? Side::kBuy : Side::kSell;
    for (int i = 0; !first && i < s.depth[k]; ++i) {
      const Level& old = s.levels[k][i];
      bool kept = false;
      for (int j = 0; j < n[k] && !kept; ++j) kept = now[k][j].price == old.price;
      if (!kept) PushLevel(s, side, Level{old.price, 0}, sequence, 0, ex, local);
    }
    for (int j = 0; j < n[k]; ++j) {
      const Level& l = now[k][j];
      bool same = false;
      for (int i = 0; !first && i < s.depth[k] && !same; ++i) {
        same = s.levels[k][i].price == l.price && s.levels[k][i].qty == l.qty;
      }
      if (same) continue;
      PushLevel(s, side, l, sequence, flags, ex, local);
      flags = 0;
    }
    std::copy(now[k], now[k] + n[k], s.levels[k]);
    s.depth[k] = n[k];
  }
  s.has_levels = true;
  return true;
}

bool DbnReader::OnBbo(const uint8_t* r, Slot& s, uint8_t rtype) {
  const uint8_t flags = r[off::kBboFlags];
  int64_t ex = 0, local = 0;
  if (!Times(Get<uint64_t>(r, off::kTsEvent), Get<uint64_t>(r, off::kBboTsRecv), &ex, &local)) {
    return false;
  }
  const uint32_t sequence = IsBbo(rtype) ? Get<uint32_t>(r, off::kBboSequence) : 0;
  if (!Sequence(s, 2, sequence, flags)) return false;
  QuotePayload q{};
  if (!QuoteOf(s, r + off::kMbpLevels, &q)) return false;
  q.update_id = sequence;
  PushQuote(s, q, ex, local);
  if (rtype != dbn::kRTypeTcbbo) return true;
  int64_t price = 0, qty = 0;
  if (!ToPrice(s, Get<int64_t>(r, off::kMbpPrice), "price", &price)) return false;
  if (!ToQty(s, Get<uint32_t>(r, off::kMbpSize), "size", &qty)) return false;
  return PushTrade(s, price, qty, static_cast<char>(r[off::kBboSide]), ex, local);
}

bool DbnReader::OnOhlcv(const uint8_t* r, Slot& s, int64_t interval) {
  const uint64_t start = Get<uint64_t>(r, off::kTsEvent);
  if (start > static_cast<uint64_t>(INT64_MAX - interval)) {
    return Fail(Error(absl::StrCat("ts_event ", start, " is undefined or beyond 2262")));
  }
  // DBN stamps a bar with its interval's start; a tapedeck bar is known at its end.
  const uint64_t end = start + static_cast<uint64_t>(interval);
  int64_t ex = 0, local = 0;
  if (!Times(end, end, &ex, &local)) return false;
  Event& e = Push(EventKind::kBar, s, ex, local);
  if (!ToPrice(s, Get<int64_t>(r, off::kOpen), "open", &e.bar.open.raw)) return false;
  if (!ToPrice(s, Get<int64_t>(r, off::kHigh), "high", &e.bar.high.raw)) return false;
  if (!ToPrice(s, Get<int64_t>(r, off::kLow), "low", &e.bar.low.raw)) return false;
  if (!ToPrice(s, Get<int64_t>(r, off::kClose), "close", &e.bar.close.raw)) return false;
  return ToQty(s, Get<uint64_t>(r, off::kVolume), "volume", &e.bar.volume.raw);
}

bool DbnReader::OpenInterest(const uint8_t* r) const {
  const bool v3 = metadata_.version >= 3;
  const uint16_t type = Get<uint16_t>(r, v3 ? off::kStatTypeV3 : off::kStatTypeV1);
  const uint8_t action = r[v3 ? off::kStatActionV3 : off::kStatActionV1];
  // Undefined quantities are INT64_MAX (v3) and INT32_MAX (v1, v2).
  const int64_t qty =
      v3 ? Get<int64_t>(r, off::kStatQuantity) : Get<int32_t>(r, off::kStatQuantity);
  return type == dbn::kStatOpenInterest && action == dbn::kStatActionNew && qty >= 0 &&
         qty != INT64_MAX && qty != INT32_MAX;
}

bool DbnReader::OnStatistics(const uint8_t* r, Slot& s) {
  const bool v3 = metadata_.version >= 3;
  const int64_t qty =
      v3 ? Get<int64_t>(r, off::kStatQuantity) : Get<int32_t>(r, off::kStatQuantity);
  int64_t ex = 0, local = 0;
  if (!Times(Get<uint64_t>(r, off::kTsEvent), Get<uint64_t>(r, off::kStatTsRecv), &ex, &local)) {
    return false;
  }
  Event& e = Push(EventKind::kOpenInterest, s, ex, local);
  return ToQty(s, static_cast<uint64_t>(qty), "quantity", &e.open_interest.qty.raw);
}

void DbnReader::OnSymbolMapping(const uint8_t* r) {
  const bool v1 = metadata_.version == 1;
  const std::string symbol =
      dbn::GetText(r, v1 ? off::kMappingOutSymbolV1 : off::kMappingOutSymbolV2,
                   v1 ? 22 : metadata_.symbol_cstr_len);
  if (!symbol.empty()) mapped_symbols_[Get<uint32_t>(r, off::kInstrument)] = symbol;
  Skip(dbn::kRTypeSymbolMapping);
}

void DbnReader::OnDefinition(const uint8_t* r) {
  const DbnDefinition d = ParseDefinition(r, metadata_.version);
  if (!d.raw_symbol.empty()) defined_symbols_[d.instrument_id] = d.raw_symbol;
  ++stats_.definitions;
}

}  // namespace tapedeck::replay
