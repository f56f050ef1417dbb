// The DBN reader's MBO handling (market by order into kL3Order events, see dbn_reader.h) and
// the conversions every record handler shares; both are on the hot path of an MBO file.
#include <algorithm>
#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/status.h"
#include "replay/dbn_reader.h"

namespace tapedeck::replay {
namespace {

using dbn::Get;
namespace off = dbn::off;

// p / D when p is a whole multiple of D. A constant divisor compiles to a multiplication.
template <int64_t D>
inline bool DivExact(int64_t p, int64_t* q) {
  *q = p / D;
  return *q * D == p;
}

bool Shift(int64_t p, int shift, int64_t* out) {
  switch (shift) {
    case 0: *out = p; return true;
    case 1: return DivExact<10>(p, out);
    case 2: return DivExact<100>(p, out);
    case 3: return DivExact<1'000>(p, out);
    case 4: return DivExact<10'000>(p, out);
    case 5: return DivExact<100'000>(p, out);
    case 6: return DivExact<1'000'000>(p, out);
    case 7: return DivExact<10'000'000>(p, out);
    case 8: return DivExact<100'000'000>(p, out);
    case 9: return DivExact<1'000'000'000>(p, out);
    default:  // scales finer than DBN's 1e-9: multiply
      return shift < 0 && shift >= -9 && !__builtin_mul_overflow(p, Pow10(-shift), out);
  }
}

// DBN sides: A(sk), B(id), N(one).
inline bool SideOf(char c, Side* side) {
  if (c == 'B') {
    *side = Side::kBuy;
    return true;
  }
  *side = Side::kSell;
  return c == 'A';
}

}  // namespace

absl::Status DbnReader::Times(uint64_t ts_event, uint64_t ts_recv, int64_t* ex, int64_t* local) {
  if (ABSL_PREDICT_FALSE((ts_event | ts_recv) > uint64_t{INT64_MAX})) {
    return Error(absl::StrCat("ts_event ", ts_event, " or ts_recv ", ts_recv,
                              " is undefined or beyond 2262"));
  }
  int64_t e = static_cast<int64_t>(ts_event);
  if (ABSL_PREDICT_FALSE(e < last_exchange_ts_)) {
    ++stats_.ts_event_raised;
    stats_.max_ts_raise_ns = std::max(stats_.max_ts_raise_ns, last_exchange_ts_ - e);
    e = last_exchange_ts_;
  }
  last_exchange_ts_ = e;
  *ex = e;
  *local = static_cast<int64_t>(ts_recv);
  return absl::OkStatus();
}

absl::Status DbnReader::ToPrice(const Slot& s, int64_t dbn_price, std::string_view field,
                                int64_t* out) {
  if (ABSL_PREDICT_TRUE(dbn_price != dbn::kUndefPrice && Shift(dbn_price, s.price_shift, out))) {
    return absl::OkStatus();
  }
  if (dbn_price == dbn::kUndefPrice) return Error(absl::StrCat(std::string(field), ": undefined"));
  return Error(absl::StrCat(std::string(field), " ", FormatDecimal(dbn_price, 9),
                            " does not fit '", s.symbol, "''s price scale ",
                            9 - s.price_shift));
}

absl::Status DbnReader::ToQty(const Slot& s, uint64_t size, std::string_view field, int64_t* out) {
  if (ABSL_PREDICT_TRUE(size <= uint64_t{INT64_MAX} &&
                        !__builtin_mul_overflow(static_cast<int64_t>(size), s.qty_unit, out))) {
    return absl::OkStatus();
  }
  return Error(absl::StrCat(std::string(field), " ", size, " overflows at '", s.symbol,
                            "''s quantity scale"));
}

absl::Status DbnReader::Sequence(Slot& s, int family, uint32_t seq, uint8_t flags) {
  uint32_t& last = s.sequence[static_cast<size_t>(family)];
  if (ABSL_PREDICT_TRUE(seq >= last) || seq == 0 || (flags & dbn::kFlagSnapshot) != 0 ||
      !options_.check_sequence) {
    if (seq != 0 && (flags & dbn::kFlagSnapshot) == 0) last = seq;
    return absl::OkStatus();
  }
  return Error(absl::StrCat("sequence ", seq, " goes back (the previous record of '", s.symbol,
                            "' had ", last, "); options.check_sequence false reads on"));
}

Event& DbnReader::Push(EventKind kind, const Slot& s, int64_t ex, int64_t local) {
  Event& e = events_.emplace_back();
  std::memset(static_cast<void*>(&e), 0, sizeof(Event));  // events compare and hash as bytes
  e.exchange_ts = ex;
  e.local_ts = local;
  e.kind = kind;
  e.instrument = s.id;
  return e;
}

void DbnReader::OpenBook(Slot& s) {
  if (s.open_batch != batch_) {
    s.open_batch = batch_;
    ++open_books_;
  }
  s.open_event = events_.size() - 1;
}

void DbnReader::CloseBook(Slot& s) {
  if (s.open_batch != batch_) return;
  Event& e = events_[s.open_event];
  if (e.kind == EventKind::kL3Order) {
    e.l3.flags |= kBookEndOfMessage;
  } else {
    e.level.flags |= kBookEndOfMessage;
  }
  s.open_batch = 0;
  --open_books_;
}

void DbnReader::PushL3(Slot& s, L3Action a, uint64_t id, Side side, int64_t price, int64_t qty,
                       int64_t ex, int64_t local) {
  Event& e = Push(EventKind::kL3Order, s, ex, local);
  e.l3.price = Price(price);
  e.l3.qty = Qty(qty);
  e.l3.order_id = id;
  e.l3.record = static_cast<uint32_t>(record_index_);
  e.l3.side = side;
  e.l3.action = a;
  OpenBook(s);
}

absl::Status DbnReader::PushTrade(Slot& s, int64_t price, int64_t qty, char side, int64_t ex,
                                  int64_t local) {
  Side aggressor;
  if (!SideOf(side, &aggressor)) {
    if (!options_.skip_unknown_side) {
      return Error(absl::StrCat("a trade with side '", std::string(1, side),
                                "' (no aggressor); options.unknown_side \"skip\" skips it"));
    }
    ++stats_.trades_without_side;
    ++stats_.skipped;
    return absl::OkStatus();
  }
  Event& e = Push(EventKind::kTrade, s, ex, local);
  e.trade.price = Price(price);
  e.trade.qty = Qty(qty);
  e.trade.aggressor = aggressor;
  return absl::OkStatus();
}

absl::Status DbnReader::OnMbo(const uint8_t* r, Slot& s) {
  const uint8_t flags = r[off::kMboFlags];
  const char action = static_cast<char>(r[off::kMboAction]);
  const uint16_t publisher = Get<uint16_t>(r, off::kPublisher);
  if (ABSL_PREDICT_FALSE(static_cast<int>(publisher) != s.book_publisher)) {
    TAPEDECK_RETURN_IF_ERROR(ClaimBook(s, publisher));
  }
  if (ABSL_PREDICT_FALSE((flags & (dbn::kFlagTob | dbn::kFlagSnapshot)) != 0)) {
    if ((flags & dbn::kFlagTob) != 0) {
      return Error("top-of-book MBO (flag F_TOB: each add replaces its side, as IEX and NYSE "
                   "National publish) is not supported");
    }
    ++stats_.snapshot_records;
  }
  int64_t ex = 0, local = 0;
  TAPEDECK_RETURN_IF_ERROR(
      Times(Get<uint64_t>(r, off::kTsEvent), Get<uint64_t>(r, off::kMboTsRecv), &ex, &local));
  if (action != 'R') {
    TAPEDECK_RETURN_IF_ERROR(Sequence(s, 0, Get<uint32_t>(r, off::kMboSequence), flags));
  }
  switch (action) {
    case 'A':
      TAPEDECK_RETURN_IF_ERROR(MboAdd(r, s, ex, local));
      break;
    case 'C':
      TAPEDECK_RETURN_IF_ERROR(MboCancel(r, s, ex, local));
      break;
    case 'M':
      TAPEDECK_RETURN_IF_ERROR(MboModify(r, s, ex, local));
      break;
    case 'R':
      MboClear(s, ex, local);
      break;
    case 'T': {
      int64_t price = 0, qty = 0;
      TAPEDECK_RETURN_IF_ERROR(ToPrice(s, Get<int64_t>(r, off::kMboPrice), "price", &price));
      TAPEDECK_RETURN_IF_ERROR(ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty));
      TAPEDECK_RETURN_IF_ERROR(
          PushTrade(s, price, qty, static_cast<char>(r[off::kMboSide]), ex, local));
      break;
    }
    case 'F': {  // no book change: remembered so that the cancel or modify after it executes
      int64_t qty = 0;
      TAPEDECK_RETURN_IF_ERROR(ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty));
      s.fills.push_back(Fill{Get<uint64_t>(r, off::kMboOrderId), qty});
      break;
    }
    case 'N':
      break;
    default:
      return Error(absl::StrCat("action '", std::string(1, action),
                                "' is none of A, C, M, R, T, F, N"));
  }
  if ((flags & dbn::kFlagLast) != 0) {
    s.fills.clear();
    CloseBook(s);
  }
  return absl::OkStatus();
}

absl::Status DbnReader::MboAdd(const uint8_t* r, Slot& s, int64_t ex, int64_t local) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  Side side;
  if (!SideOf(static_cast<char>(r[off::kMboSide]), &side)) {
    return Error(absl::StrCat("add of order ", id, " on side '",
                              std::string(1, static_cast<char>(r[off::kMboSide])), "'"));
  }
  int64_t price = 0, qty = 0;
  TAPEDECK_RETURN_IF_ERROR(ToPrice(s, Get<int64_t>(r, off::kMboPrice), "price", &price));
  TAPEDECK_RETURN_IF_ERROR(ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty));
  if (qty <= 0) return Error(absl::StrCat("add of order ", id, " with size 0"));
  const auto [it, added] = s.orders.try_emplace(id, LiveOrder{price, qty, side});
  if (!added) return Error(absl::StrCat("add of order ", id, ", which is live"));
  PushL3(s, L3Action::kAdd, id, side, price, qty, ex, local);
  return absl::OkStatus();
}

void DbnReader::MboReduce(Slot& s, uint64_t id, const LiveOrder& o, int64_t qty, int64_t ex,
                          int64_t local) {
  // The part that fills of this event explain is an execution, the rest a cancel.
  int64_t executed = 0;
  for (Fill& f : s.fills) {
    if (f.order_id != id || f.qty == 0) continue;
    const int64_t take = std::min(f.qty, qty - executed);
    f.qty -= take;
    executed += take;
    if (executed == qty) break;
  }
  if (executed > 0) PushL3(s, L3Action::kExecute, id, o.side, o.price, executed, ex, local);
  if (qty > executed) PushL3(s, L3Action::kCancel, id, o.side, o.price, qty - executed, ex, local);
}

absl::Status DbnReader::MboCancel(const uint8_t* r, Slot& s, int64_t ex, int64_t local) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  int64_t qty = 0;
  TAPEDECK_RETURN_IF_ERROR(ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty));
  if (qty == 0) return absl::OkStatus();  // cancels nothing
  auto it = s.orders.find(id);
  if (it == s.orders.end()) {
    // An order that rested before the file began: the cancel passes through as it is.
    Side side;
    int64_t price = 0;
    if (!SideOf(static_cast<char>(r[off::kMboSide]), &side)) {
      return Error(absl::StrCat("cancel of order ", id, " on side '",
                                std::string(1, static_cast<char>(r[off::kMboSide])), "'"));
    }
    TAPEDECK_RETURN_IF_ERROR(ToPrice(s, Get<int64_t>(r, off::kMboPrice), "price", &price));
    ++stats_.unknown_order_refs;
    PushL3(s, L3Action::kCancel, id, side, price, qty, ex, local);
    return absl::OkStatus();
  }
  LiveOrder& o = it->second;
  if (ABSL_PREDICT_FALSE(qty > o.qty)) {
    return Error(absl::StrCat("cancel of ", qty, " (raw) of order ", id, ", which has ", o.qty,
                              " left"));
  }
  MboReduce(s, id, o, qty, ex, local);
  o.qty -= qty;
  if (o.qty == 0) s.orders.erase(it);
  return absl::OkStatus();
}

absl::Status DbnReader::MboModify(const uint8_t* r, Slot& s, int64_t ex, int64_t local) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  Side side;
  if (!SideOf(static_cast<char>(r[off::kMboSide]), &side)) {
    return Error(absl::StrCat("modify of order ", id, " on side '",
                              std::string(1, static_cast<char>(r[off::kMboSide])), "'"));
  }
  int64_t price = 0, qty = 0;
  TAPEDECK_RETURN_IF_ERROR(ToPrice(s, Get<int64_t>(r, off::kMboPrice), "price", &price));
  TAPEDECK_RETURN_IF_ERROR(ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty));
  auto it = s.orders.find(id);
  if (it == s.orders.end()) {
    // Databento: a modify of an order not in the book is an add.
    ++stats_.unknown_order_refs;
    if (qty == 0) return absl::OkStatus();
    s.orders.emplace(id, LiveOrder{price, qty, side});
    PushL3(s, L3Action::kAdd, id, side, price, qty, ex, local);
    return absl::OkStatus();
  }
  LiveOrder& o = it->second;
  if (o.side != side) {
    return Error(absl::StrCat("modify moves order ", id, " to the other side"));
  }
  if (price == o.price && qty <= o.qty) {  // keeps its place in the queue
    if (qty < o.qty) MboReduce(s, id, o, o.qty - qty, ex, local);
    o.qty = qty;
    if (qty == 0) s.orders.erase(it);
    return absl::OkStatus();
  }
  // A new price or a larger size: to the back of the (new) level.
  PushL3(s, L3Action::kDelete, id, o.side, o.price, o.qty, ex, local);
  o = LiveOrder{price, qty, side};
  if (qty == 0) {
    s.orders.erase(it);
    return absl::OkStatus();
  }
  PushL3(s, L3Action::kAdd, id, side, price, qty, ex, local);
  return absl::OkStatus();
}

void DbnReader::MboClear(Slot& s, int64_t ex, int64_t local) {
  ++stats_.clears;
  s.sequence[0] = 0;  // a clear starts a new book: a session, a snapshot
  s.fills.clear();
  if (s.orders.empty()) return;
  // Deletes in order-id order: the map's own order differs between processes.
  std::vector<std::pair<uint64_t, LiveOrder>> live(s.orders.begin(), s.orders.end());
  std::sort(live.begin(), live.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [id, o] : live) PushL3(s, L3Action::kDelete, id, o.side, o.price, o.qty, ex, local);
  s.orders.clear();
}

}  // namespace tapedeck::replay
