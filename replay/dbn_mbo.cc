// The DBN reader's MBO handling (market by order into kL3Order events, see dbn_reader.h), the
// hot path of an MBO file, and the out-of-line failure paths of the conversions.
#include <algorithm>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "replay/dbn_reader.h"
#include "replay/dbn_reader_inl.h"

namespace tapedeck::replay {
namespace {

using dbn::Get;
using dbn_internal::kBatch;
using dbn_internal::kBatchMax;
using dbn_internal::kPrefetchAhead;
using dbn_internal::Pow10Const;
using dbn_internal::SideOf;
namespace off = dbn::off;

std::string Char(uint8_t c) { return std::string(1, static_cast<char>(c)); }

}  // namespace

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::Fail(absl::Status s) {
  error_ = std::move(s);
  return false;
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::FailTimes(uint64_t ts_event,
                                                                      uint64_t ts_recv) {
  return Fail(Error(absl::StrCat("ts_event ", ts_event, " or ts_recv ", ts_recv,
                                 " is undefined or beyond 2262")));
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::FailPrice(const Slot& s,
                                                                      int64_t dbn_price,
                                                                      const char* field) {
  if (dbn_price == dbn::kUndefPrice) return Fail(Error(absl::StrCat(field, ": undefined")));
  return Fail(Error(absl::StrCat(field, " ", FormatDecimal(dbn_price, 9), " does not fit '",
                                 s.symbol, "''s price scale ", 9 - s.price_shift)));
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::FailQty(const Slot& s, uint64_t size,
                                                                    const char* field) {
  return Fail(
      Error(absl::StrCat(field, " ", size, " overflows at '", s.symbol, "''s quantity scale")));
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::FailSequence(const Slot& s,
                                                                         uint32_t seq,
                                                                         uint32_t last) {
  return Fail(Error(absl::StrCat("sequence ", seq, " goes back (the previous record of '", s.symbol,
                                 "' had ", last, "); options.check_sequence false reads on")));
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD int64_t DbnReader::Raise(int64_t ts_event) {
  ++stats_.ts_event_raised;
  stats_.max_ts_raise_ns = std::max(stats_.max_ts_raise_ns, last_exchange_ts_ - ts_event);
  return last_exchange_ts_;
}

bool DbnReader::PushTrade(Slot& s, int64_t price, int64_t qty, char side, int64_t ex,
                          int64_t local) {
  Side aggressor;
  if (ABSL_PREDICT_FALSE(!SideOf(side, &aggressor))) {
    if (!options_.skip_unknown_side) {
      return Fail(Error(absl::StrCat("a trade with side '", std::string(1, side),
                                     "' (no aggressor); options.unknown_side \"skip\" skips it")));
    }
    ++stats_.trades_without_side;
    ++stats_.skipped;
    return true;
  }
  Event& e = Push(EventKind::kTrade, s, ex, local);
  e.trade.price = Price(price);
  e.trade.qty = Qty(qty);
  e.trade.aggressor = aggressor;
  return true;
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::MboBadSide(const char* what,
                                                                       uint64_t id, uint8_t side) {
  return Fail(Error(absl::StrCat(what, " of order ", id, " on side '", Char(side), "'")));
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::MboError(MboProblem p, const uint8_t* r,
                                                                     int64_t a, int64_t b) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  switch (p) {
    case MboProblem::kAddSizeZero:
      return Fail(Error(absl::StrCat("add of order ", id, " with size 0")));
    case MboProblem::kAddLive:
      return Fail(Error(absl::StrCat("add of order ", id, ", which is live")));
    case MboProblem::kCancelTooMuch:
      return Fail(
          Error(absl::StrCat("cancel of ", a, " (raw) of order ", id, ", which has ", b, " left")));
    case MboProblem::kModifySide:
      return Fail(Error(absl::StrCat("modify moves order ", id, " to the other side")));
    case MboProblem::kAction:
      return Fail(Error(
          absl::StrCat("action '", Char(r[off::kMboAction]), "' is none of A, C, M, R, T, F, N")));
  }
  return false;
}

template <int kShift>
inline bool DbnReader::MboPrice(const Slot& s, int64_t dbn_price, int64_t* out) {
  if constexpr (kShift == kAnyShift) {
    return ToPrice(s, dbn_price, "price", out);
  } else {
    if (ABSL_PREDICT_TRUE(dbn_price != dbn::kUndefPrice &&
                          dbn_internal::DivExact<Pow10Const(kShift)>(dbn_price, out))) {
      return true;
    }
    return FailPrice(s, dbn_price, "price");
  }
}

template <int kShift>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool DbnReader::MboAdd(const uint8_t* r, Slot& s, int64_t ex,
                                                           int64_t local) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  Side side;
  if (ABSL_PREDICT_FALSE(!SideOf(static_cast<char>(r[off::kMboSide]), &side))) {
    return MboBadSide("add", id, r[off::kMboSide]);
  }
  int64_t price = 0, qty = 0;
  if (!MboPrice<kShift>(s, Get<int64_t>(r, off::kMboPrice), &price) ||
      !ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty)) {
    return false;
  }
  if (ABSL_PREDICT_FALSE(qty <= 0)) return MboError(MboProblem::kAddSizeZero, r);
  if (ABSL_PREDICT_FALSE(!s.orders.Insert(id, price, qty, side))) {
    return MboError(MboProblem::kAddLive, r);
  }
  PushL3(s, L3Action::kAdd, id, side, price, qty, ex, local);
  return true;
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

template <int kShift>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool DbnReader::MboCancel(const uint8_t* r, Slot& s, int64_t ex,
                                                              int64_t local) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  int64_t qty = 0;
  if (!ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty)) return false;
  if (qty == 0) return true;  // cancels nothing
  LiveOrder* o = s.orders.Find(id);
  if (ABSL_PREDICT_FALSE(o == nullptr)) {
    // An order that rested before the file began: the cancel passes through as it is.
    Side side;
    int64_t price = 0;
    if (!SideOf(static_cast<char>(r[off::kMboSide]), &side)) {
      return MboBadSide("cancel", id, r[off::kMboSide]);
    }
    if (!MboPrice<kShift>(s, Get<int64_t>(r, off::kMboPrice), &price)) return false;
    ++stats_.unknown_order_refs;
    PushL3(s, L3Action::kCancel, id, side, price, qty, ex, local);
    return true;
  }
  if (ABSL_PREDICT_FALSE(qty > o->qty)) return MboError(MboProblem::kCancelTooMuch, r, qty, o->qty);
  if (ABSL_PREDICT_TRUE(s.fills.empty())) {
    PushL3(s, L3Action::kCancel, id, o->side, o->price, qty, ex, local);
  } else {
    MboReduce(s, id, *o, qty, ex, local);
  }
  o->qty -= qty;
  if (o->qty == 0) s.orders.Erase(o);
  return true;
}

template <int kShift>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool DbnReader::MboModify(const uint8_t* r, Slot& s, int64_t ex,
                                                              int64_t local) {
  const uint64_t id = Get<uint64_t>(r, off::kMboOrderId);
  Side side;
  if (ABSL_PREDICT_FALSE(!SideOf(static_cast<char>(r[off::kMboSide]), &side))) {
    return MboBadSide("modify", id, r[off::kMboSide]);
  }
  int64_t price = 0, qty = 0;
  if (!MboPrice<kShift>(s, Get<int64_t>(r, off::kMboPrice), &price) ||
      !ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty)) {
    return false;
  }
  LiveOrder* o = s.orders.Find(id);
  if (ABSL_PREDICT_FALSE(o == nullptr)) {
    // Databento: a modify of an order not in the book is an add.
    ++stats_.unknown_order_refs;
    if (qty == 0) return true;
    s.orders.Insert(id, price, qty, side);
    PushL3(s, L3Action::kAdd, id, side, price, qty, ex, local);
    return true;
  }
  if (ABSL_PREDICT_FALSE(o->side != side)) return MboError(MboProblem::kModifySide, r);
  if (price == o->price && qty <= o->qty) {  // keeps its place in the queue
    if (qty < o->qty) MboReduce(s, id, *o, o->qty - qty, ex, local);
    o->qty = qty;
    if (qty == 0) s.orders.Erase(o);
    return true;
  }
  // A new price or a larger size: to the back of the (new) level.
  PushL3(s, L3Action::kDelete, id, o->side, o->price, o->qty, ex, local);
  o->price = price;
  o->qty = qty;
  if (qty == 0) {
    s.orders.Erase(o);
    return true;
  }
  PushL3(s, L3Action::kAdd, id, side, price, qty, ex, local);
  return true;
}

ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD bool DbnReader::MboUnusual(const uint8_t* r, Slot& s) {
  const uint8_t flags = r[off::kMboFlags];
  const uint16_t publisher = Get<uint16_t>(r, off::kPublisher);
  if (static_cast<int>(publisher) != s.book_publisher && !ClaimBook(s, publisher)) return false;
  if ((flags & dbn::kFlagTob) != 0) {
    return Fail(
        Error("top-of-book MBO (flag F_TOB: each add replaces its side, as IEX and "
              "NYSE National publish) is not supported"));
  }
  if ((flags & dbn::kFlagSnapshot) != 0) ++stats_.snapshot_records;
  int64_t ex = 0, local = 0;  // Times keeps ex as last_exchange_ts_, for the caller
  if (!Times(Get<uint64_t>(r, off::kTsEvent), Get<uint64_t>(r, off::kMboTsRecv), &ex, &local)) {
    return false;
  }
  return r[off::kMboAction] == 'R' || Sequence(s, 0, Get<uint32_t>(r, off::kMboSequence), flags);
}

template <int kShift>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool DbnReader::OnMboT(const uint8_t* r, Slot& s) {
  const uint8_t flags = r[off::kMboFlags];
  const char action = static_cast<char>(r[off::kMboAction]);
  const uint64_t ts_event = Get<uint64_t>(r, off::kTsEvent);
  const uint64_t ts_recv = Get<uint64_t>(r, off::kMboTsRecv);
  const uint32_t seq = Get<uint32_t>(r, off::kMboSequence);
  // The usual record, checked at once: its book's publisher, no snapshot or top-of-book flag,
  // times defined and in order, the sequence not going back, not a clear.
  const bool usual =
      static_cast<int>(Get<uint16_t>(r, off::kPublisher)) == s.book_publisher &&
      (flags & (dbn::kFlagTob | dbn::kFlagSnapshot)) == 0 && ((ts_event | ts_recv) >> 63) == 0 &&
      static_cast<int64_t>(ts_event) >= last_exchange_ts_ && seq >= s.sequence[0] && action != 'R';
  int64_t ex = static_cast<int64_t>(ts_event), local = static_cast<int64_t>(ts_recv);
  if (ABSL_PREDICT_TRUE(usual)) {
    last_exchange_ts_ = ex;
    s.sequence[0] = seq;
  } else if (MboUnusual(r, s)) {
    ex = last_exchange_ts_;  // raised when ts_event went back
  } else {
    return false;
  }
  bool ok = true;
  switch (action) {
    case 'A': ok = MboAdd<kShift>(r, s, ex, local); break;
    case 'C': ok = MboCancel<kShift>(r, s, ex, local); break;
    case 'M': ok = MboModify<kShift>(r, s, ex, local); break;
    case 'R': MboClear(s, ex, local); break;
    case 'T': {
      int64_t price = 0, qty = 0;
      ok = MboPrice<kShift>(s, Get<int64_t>(r, off::kMboPrice), &price) &&
           ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty) &&
           PushTrade(s, price, qty, static_cast<char>(r[off::kMboSide]), ex, local);
      break;
    }
    case 'F': {  // no book change: remembered so that the cancel or modify after it executes
      int64_t qty = 0;
      ok = ToQty(s, Get<uint32_t>(r, off::kMboSize), "size", &qty);
      s.fills.push_back(Fill{Get<uint64_t>(r, off::kMboOrderId), qty});
      break;
    }
    case 'N': break;
    default: return MboError(MboProblem::kAction, r);
  }
  if ((flags & dbn::kFlagLast) != 0) {
    s.fills.clear();
    CloseBook(s);
  }
  return ok;
}

bool DbnReader::OnMbo(const uint8_t* r, Slot& s) { return OnMboT<kAnyShift>(r, s); }

template <int kShift>
bool DbnReader::MboRunT() {
  DbnInput& in = *input_;
  Slot& s = *last_slot_;
  const size_t len = expected_len_[dbn::kRTypeMbo];
  while (in.available() >= len) {
    if (n_events_ >= kBatch && (open_books_ == 0 || n_events_ >= kBatchMax)) break;
    const uint8_t* r = in.data();
    if (size_t{r[0]} * 4 != len || r[1] != dbn::kRTypeMbo ||
        Get<uint32_t>(r, off::kInstrument) != last_id_) {
      break;
    }
    // The order a record a little further on is about, so that its slot of the order map is in
    // cache by then (a book of thousands of orders is not).
    if (in.available() >= kPrefetchAhead + len && r[kPrefetchAhead + 1] == dbn::kRTypeMbo) {
      s.orders.Prefetch(Get<uint64_t>(r + kPrefetchAhead, off::kMboOrderId));
    }
    ++record_index_;
    if (!OnMboT<kShift>(r, s)) return false;
    in.Skip(len);
  }
  return true;
}

bool DbnReader::MboRun() {
  // Instantiated for the common scales (a shift of 7: cents and quarter points; 5: stocks'
  // 1e-4); any other scale takes the slot's shift at run time.
  switch (last_slot_->price_shift) {
    case 9: return MboRunT<9>();
    case 8: return MboRunT<8>();
    case 7: return MboRunT<7>();
    case 6: return MboRunT<6>();
    case 5: return MboRunT<5>();
    default: return MboRunT<kAnyShift>();
  }
}

void DbnReader::MboClear(Slot& s, int64_t ex, int64_t local) {
  ++stats_.clears;
  s.sequence[0] = 0;  // a clear starts a new book: a session, a snapshot
  s.fills.clear();
  if (s.orders.empty()) return;
  // Deletes in order-id order, not the table's.
  std::vector<LiveOrder> live = s.orders.All();
  std::sort(live.begin(), live.end(),
            [](const LiveOrder& a, const LiveOrder& b) { return a.id < b.id; });
  for (const LiveOrder& o : live)
    PushL3(s, L3Action::kDelete, o.id, o.side, o.price, o.qty, ex, local);
  s.orders.Clear();
}

}  // namespace tapedeck::replay
