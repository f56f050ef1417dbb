// The Binance capture reader's records: each stream's JSON object (depth snapshots and diffs,
// bookTicker, trades, markPrice, forceOrder) checked field by field and turned into events.
#include "replay/binance_ws.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"
#include "replay/binance_ws_internal.h"
#include "simdjson.h"

namespace tapedeck::replay {

using binance_ws_internal::DuplicateKey;
using binance_ws_internal::Lower;

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr int64_t kNanosPerMilli = 1'000'000;
// Diffs held while waiting for a snapshot line; the collector writes the snapshot within the first
// seconds, so more means there is none (an error under "fail"; the older half is dropped under
// "resync").
constexpr size_t kMaxHeldDiffs = 4096;

}  // namespace

// --- field helpers ---------------------------------------------------------------------------

namespace {

// Reads an integer field (Binance sends ids and times as JSON numbers).
bool GetU64(const element& obj, const char* key, uint64_t* out) {
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS) return false;
  if (v.get(*out) == simdjson::SUCCESS) return true;
  int64_t s = 0;
  if (v.get(s) == simdjson::SUCCESS && s >= 0) {
    *out = static_cast<uint64_t>(s);
    return true;
  }
  return false;
}

bool GetString(const element& obj, const char* key, std::string_view* out) {
  return obj[key].get(*out) == simdjson::SUCCESS;
}

// Binance's times (E, T) are ms since the epoch; as ns they must end by 2262-04-11, the last
// instant int64 nanoseconds hold (a larger T would wrap to a date in the past).
enum class Millis { kOk, kMissing, kBeyond };
Millis GetMillis(const element& obj, const char* key, int64_t* ns) {
  uint64_t ms = 0;
  if (!GetU64(obj, key, &ms)) return Millis::kMissing;
  if (ms > static_cast<uint64_t>(INT64_MAX / kNanosPerMilli)) return Millis::kBeyond;
  *ns = static_cast<int64_t>(ms) * kNanosPerMilli;
  return Millis::kOk;
}

absl::Status MillisError(const LineReader& lines, const char* key, Millis m,
                         const element& obj) {
  if (m == Millis::kMissing) return lines.Error(key, "missing or not an integer");
  uint64_t ms = 0;
  (void)GetU64(obj, key, &ms);
  return lines.Error(key, absl::StrCat("time ", ms, " ms is beyond 2262-04-11, the last time "
                                       "that int64 nanoseconds hold"));
}


}  // namespace

absl::Status BinanceWsReader::ParsePrice(std::string_view text, const char* field,
                                         Price* out) const {
  int64_t raw = 0;
  if (!TryParseDecimal(text, price_scale_, &raw, DecimalSyntax::kExponent)) {
    absl::StatusOr<int64_t> why = ParseDecimal(text, price_scale_, DecimalSyntax::kExponent);
    return lines_->Error(field, absl::StrCat("'", std::string(text), "': ",
                                             why.ok() ? std::string("bad price") : std::string(why.status().message()),
                                             " (price scale ", price_scale_, ")"));
  }
  *out = Price(raw);
  return absl::OkStatus();
}

absl::Status BinanceWsReader::ParseQty(std::string_view text, const char* field, Qty* out) const {
  int64_t raw = 0;
  if (!TryParseDecimal(text, qty_scale_, &raw, DecimalSyntax::kExponent)) {
    absl::StatusOr<int64_t> why = ParseDecimal(text, qty_scale_, DecimalSyntax::kExponent);
    return lines_->Error(field, absl::StrCat("'", std::string(text), "': ",
                                             why.ok() ? std::string("bad size") : std::string(why.status().message()),
                                             " (size scale ", qty_scale_, ")"));
  }
  if (raw < 0) return lines_->Error(field, absl::StrCat("negative size '", std::string(text), "'"));
  *out = Qty(raw);
  return absl::OkStatus();
}

absl::Status BinanceWsReader::ParseLevels(const element& arr_el, const char* field, Side side,
                                          int64_t exchange_ts, int64_t local_ts,
                                          uint64_t update_id, std::vector<Event>* out) {
  array arr;
  if (arr_el.get(arr) != simdjson::SUCCESS) return lines_->Error(field, "not an array");
  size_t i = 0;
  for (element lv : arr) {
    array pair;
    std::string_view px, qty;
    if (lv.get(pair) != simdjson::SUCCESS || pair.size() < 2 ||
        pair.at(0).get(px) != simdjson::SUCCESS || pair.at(1).get(qty) != simdjson::SUCCESS) {
      return lines_->Error(absl::StrCat(field, "[", i, "]"), "expected [\"price\", \"size\"]");
    }
    Event e = MakeEvent(EventKind::kBookLevel, *instrument_, Timestamp(exchange_ts),
                        Timestamp(local_ts));
    e.level.side = side;
    e.level.update_id = update_id;
    TAPEDECK_RETURN_IF_ERROR(ParsePrice(px, field, &e.level.price));
    TAPEDECK_RETURN_IF_ERROR(ParseQty(qty, field, &e.level.qty));
    out->push_back(e);
    ++i;
  }
  return absl::OkStatus();
}

// --- records ---------------------------------------------------------------------------------

absl::Status BinanceWsReader::OnSnapshot(const element& doc, int64_t local_ts) {
  std::string_view sym;
  if (GetString(doc, "symbol", &sym) && !file_symbol_.empty() && Lower(sym) != file_symbol_) {
    return lines_->Error("symbol", absl::StrCat("snapshot of '", std::string(sym),
                                                "' in a capture of ", file_symbol_));
  }
  TAPEDECK_RETURN_IF_ERROR(ResolveInstrument(sym));
  uint64_t id = 0;
  if (!GetU64(doc, "lastUpdateId", &id)) return lines_->Error("lastUpdateId", "not an integer");
  int64_t e_ns = 0;
  const Millis e_time = GetMillis(doc, "E", &e_ns);
  if (e_time == Millis::kBeyond) return MillisError(*lines_, "E", e_time, doc);
  const bool has_time = e_time == Millis::kOk;
  element bids, asks;
  if (doc["bids"].get(bids) != simdjson::SUCCESS) return lines_->Error("bids", "missing");
  if (doc["asks"].get(asks) != simdjson::SUCCESS) return lines_->Error("asks", "missing");

  if (synced_ && id <= last_u_) {
    ++stats_.snapshots_skipped;  // the live book is already newer
    return absl::OkStatus();
  }
  // The snapshot's time: E where the venue sends one, else the latest time seen; never after the
  // first diff applied on top of it.
  int64_t ts = has_time ? SeenTs(e_ns) : InferTs();
  for (const Diff& d : held_) {
    if (d.last >= id) {
      ts = std::min(ts, d.exchange_ts);
      break;
    }
  }
  if (ts == INT64_MIN && !held_.empty()) ts = held_.front().exchange_ts;

  scratch_.clear();
  TAPEDECK_RETURN_IF_ERROR(ParseLevels(bids, "bids", Side::kBuy, ts, local_ts, id, &scratch_));
  TAPEDECK_RETURN_IF_ERROR(ParseLevels(asks, "asks", Side::kSell, ts, local_ts, id, &scratch_));
  if (!scratch_.empty()) {
    scratch_.front().level.flags |= kBookSnapshotBegin;
    scratch_.back().level.flags |= kBookEndOfMessage;
  } else {
    book_->Clear();
  }
  for (const Event& e : scratch_) {
    const BookResult r = book_->Apply(e.level);
    if (r != BookResult::kOk) {
      return lines_->Error("bids/asks", absl::StrCat("snapshot: ", std::string(BookResultName(r))));
    }
    Emit(e);
  }
  stats_.levels += static_cast<int64_t>(scratch_.size());
  ++stats_.snapshots;
  synced_ = true;
  awaiting_bridge_ = true;
  snapshot_id_ = id;
  last_u_ = id;
  // Replay the diffs held for this snapshot.
  std::vector<Diff> held = std::move(held_);
  std::vector<Event> held_events = std::move(held_events_);
  held_.clear();
  held_events_.clear();
  for (size_t k = 0; k < held.size(); ++k) {
    const Diff& d = held[k];
    if (!synced_) {  // a gap in the held diffs under "resync": hold the rest again
      held_.push_back(d);
      held_.back().begin = held_events_.size();
      held_events_.insert(held_events_.end(), held_events.begin() + static_cast<std::ptrdiff_t>(d.begin),
                          held_events.begin() + static_cast<std::ptrdiff_t>(d.end));
      held_.back().end = held_events_.size();
      continue;
    }
    TAPEDECK_RETURN_IF_ERROR(ApplyDiff(d, held_events.data() + d.begin, d.end - d.begin));
  }
  return absl::OkStatus();
}

absl::Status BinanceWsReader::Gap(int64_t line, const std::string& what) {
  ++stats_.gaps;
  const std::string where = absl::StrCat(lines_->path(), ":", line, ": ");
  if (stats_.first_gap.empty()) stats_.first_gap = absl::StrCat(where, what);
  if (options_.gaps == BinanceWsOptions::Gaps::kFail) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, what, " (gaps: \"fail\"; \"resync\" waits for the next snapshot)"));
  }
  synced_ = false;
  awaiting_bridge_ = false;
  return absl::OkStatus();
}

absl::Status BinanceWsReader::ApplyDiff(const Diff& d, const Event* events, size_t n) {
  if (!synced_) {
    // Hold it for the next snapshot line.
    if (held_.size() >= kMaxHeldDiffs) {
      if (options_.gaps == BinanceWsOptions::Gaps::kFail) {
        return absl::InvalidArgumentError(absl::StrCat(
            lines_->path(), ":", d.line, ": no REST snapshot line within ", kMaxHeldDiffs,
            " depth updates", stats_.snapshots == 0 ? "" : " after a gap"));
      }
      const size_t keep_from = held_.size() / 2;
      const size_t drop = held_[keep_from].begin;
      stats_.depth_dropped += static_cast<int64_t>(keep_from);
      held_events_.erase(held_events_.begin(), held_events_.begin() + static_cast<std::ptrdiff_t>(drop));
      held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(keep_from));
      for (Diff& h : held_) h.begin -= drop, h.end -= drop;
    }
    Diff h = d;
    h.begin = held_events_.size();
    held_events_.insert(held_events_.end(), events, events + n);
    h.end = held_events_.size();
    held_.push_back(h);
    return absl::OkStatus();
  }
  if (awaiting_bridge_) {
    if (d.last < snapshot_id_) {
      ++stats_.depth_dropped;  // already in the snapshot
      return absl::OkStatus();
    }
    if (d.first > snapshot_id_ + 1) {
      TAPEDECK_RETURN_IF_ERROR(Gap(d.line, absl::StrCat("U: sequence gap: the first diff after the "
                                                        "snapshot (lastUpdateId ", snapshot_id_,
                                                        ") starts at U=", d.first)));
      if (!synced_) return ApplyDiff(d, events, n);  // resync: hold it
    }
    awaiting_bridge_ = false;
  } else if (d.futures ? d.prev != last_u_ : d.first != last_u_ + 1) {
    TAPEDECK_RETURN_IF_ERROR(Gap(
        d.line, d.futures
                    ? absl::StrCat("pu: sequence gap: pu=", d.prev, " but the previous diff ended at u=",
                                   last_u_)
                    : absl::StrCat("U: sequence gap: U=", d.first, " but the previous diff ended at u=",
                                   last_u_)));
    if (!synced_) return ApplyDiff(d, events, n);  // resync: hold it
  }
  for (size_t i = 0; i < n; ++i) {
    const BookResult r = book_->Apply(events[i].level);
    if (r != BookResult::kOk) {
      return absl::InvalidArgumentError(absl::StrCat(
          lines_->path(), ":", d.line, ": ", r == BookResult::kCrossed ? "b/a: " : "",
          std::string(BookResultName(r)), r == BookResult::kCrossed
                                 ? absl::StrCat(" after update u=", d.last, ": bid ",
                                                FormatDecimal(book_->best_bid().raw, price_scale_),
                                                " >= ask ",
                                                FormatDecimal(book_->best_ask().raw, price_scale_))
                                 : ""));
    }
    Emit(events[i]);
  }
  stats_.levels += static_cast<int64_t>(n);
  ++stats_.depth_messages;
  last_u_ = d.last;
  return absl::OkStatus();
}

absl::Status BinanceWsReader::OnDepth(const element& data, int64_t local_ts) {
  Diff d;
  d.line = lines_->line_number();
  int64_t e_ns = 0;
  if (Millis m = GetMillis(data, "E", &e_ns); m != Millis::kOk) return MillisError(*lines_, "E", m, data);
  if (!GetU64(data, "U", &d.first)) return lines_->Error("U", "missing or not an integer");
  if (!GetU64(data, "u", &d.last)) return lines_->Error("u", "missing or not an integer");
  if (d.first > d.last) return lines_->Error("U", "greater than u");
  d.futures = GetU64(data, "pu", &d.prev);
  d.exchange_ts = SeenTs(e_ns);
  element b, a;
  if (data["b"].get(b) != simdjson::SUCCESS) return lines_->Error("b", "missing");
  if (data["a"].get(a) != simdjson::SUCCESS) return lines_->Error("a", "missing");
  scratch_.clear();
  TAPEDECK_RETURN_IF_ERROR(ParseLevels(b, "b", Side::kBuy, d.exchange_ts, local_ts, d.last, &scratch_));
  TAPEDECK_RETURN_IF_ERROR(ParseLevels(a, "a", Side::kSell, d.exchange_ts, local_ts, d.last, &scratch_));
  if (!scratch_.empty()) scratch_.back().level.flags |= kBookEndOfMessage;
  return ApplyDiff(d, scratch_.data(), scratch_.size());
}

absl::Status BinanceWsReader::OnBookTicker(const element& data, int64_t local_ts) {
  uint64_t u = 0;
  if (!GetU64(data, "u", &u)) return lines_->Error("u", "missing or not an integer");
  int64_t e_ns = 0;
  const Millis e_time = GetMillis(data, "E", &e_ns);
  if (e_time == Millis::kBeyond) return MillisError(*lines_, "E", e_time, data);
  const int64_t ts = e_time == Millis::kOk ? SeenTs(e_ns) : InferTs();
  std::string_view b, bq, a, aq;
  if (!GetString(data, "b", &b)) return lines_->Error("b", "missing or not a string");
  if (!GetString(data, "B", &bq)) return lines_->Error("B", "missing or not a string");
  if (!GetString(data, "a", &a)) return lines_->Error("a", "missing or not a string");
  if (!GetString(data, "A", &aq)) return lines_->Error("A", "missing or not a string");
  Event e = MakeEvent(EventKind::kQuote, *instrument_, Timestamp(ts), Timestamp(local_ts));
  TAPEDECK_RETURN_IF_ERROR(ParsePrice(b, "b", &e.quote.bid));
  TAPEDECK_RETURN_IF_ERROR(ParseQty(bq, "B", &e.quote.bid_qty));
  TAPEDECK_RETURN_IF_ERROR(ParsePrice(a, "a", &e.quote.ask));
  TAPEDECK_RETURN_IF_ERROR(ParseQty(aq, "A", &e.quote.ask_qty));
  e.quote.update_id = u;
  Emit(e);
  ++stats_.quotes;
  return absl::OkStatus();
}

absl::Status BinanceWsReader::OnTrade(const element& data, int64_t local_ts, bool agg) {
  uint64_t id = 0;
  int64_t t_ns = 0;
  if (Millis m = GetMillis(data, "T", &t_ns); m != Millis::kOk) return MillisError(*lines_, "T", m, data);
  if (!GetU64(data, agg ? "a" : "t", &id)) {
    return lines_->Error(agg ? "a" : "t", "missing or not an integer");
  }
  std::string_view p, q;
  if (!GetString(data, "p", &p)) return lines_->Error("p", "missing or not a string");
  if (!GetString(data, "q", &q)) return lines_->Error("q", "missing or not a string");
  bool maker = false;
  if (data["m"].get(maker) != simdjson::SUCCESS) return lines_->Error("m", "missing or not a bool");
  Event e = MakeEvent(EventKind::kTrade, *instrument_,
                      Timestamp(SeenTs(t_ns)),
                      Timestamp(local_ts));
  TAPEDECK_RETURN_IF_ERROR(ParsePrice(p, "p", &e.trade.price));
  TAPEDECK_RETURN_IF_ERROR(ParseQty(q, "q", &e.trade.qty));
  e.trade.trade_id = id;
  e.trade.aggressor = maker ? Side::kSell : Side::kBuy;  // the buyer made the market: a sell took it
  Emit(e);
  ++stats_.trades;
  return absl::OkStatus();
}

absl::Status BinanceWsReader::OnMarkPrice(const element& data, int64_t local_ts) {
  int64_t e_ns = 0;
  if (Millis m = GetMillis(data, "E", &e_ns); m != Millis::kOk) return MillisError(*lines_, "E", m, data);
  const Timestamp ts(SeenTs(e_ns));
  std::string_view p, i, r;
  if (!GetString(data, "p", &p)) return lines_->Error("p", "missing or not a string");
  Event mark = MakeEvent(EventKind::kMarkPrice, *instrument_, ts, Timestamp(local_ts));
  TAPEDECK_RETURN_IF_ERROR(ParsePrice(p, "p", &mark.price.price));
  Emit(mark);
  ++stats_.reference;
  if (GetString(data, "i", &i) && !i.empty()) {
    Event index = MakeEvent(EventKind::kIndexPrice, *instrument_, ts, Timestamp(local_ts));
    TAPEDECK_RETURN_IF_ERROR(ParsePrice(i, "i", &index.price.price));
    Emit(index);
    ++stats_.reference;
  }
  // Delivery contracts send an empty funding rate.
  if (GetString(data, "r", &r) && !r.empty()) {
    int64_t next_ns = 0;
    if (Millis m = GetMillis(data, "T", &next_ns); m != Millis::kOk) {
      return m == Millis::kMissing ? lines_->Error("T", "missing next funding time")
                                   : MillisError(*lines_, "T", m, data);
    }
    Event f = MakeEvent(EventKind::kFundingRate, *instrument_, ts, Timestamp(local_ts));
    int64_t raw = 0;
    if (!TryParseDecimal(r, Rate::kScale, &raw, DecimalSyntax::kExponent)) {
      return lines_->Error("r", absl::StrCat("'", std::string(r), "' is not a rate with at most ",
                                             Rate::kScale, " decimals"));
    }
    f.funding.rate = Rate(raw);
    f.funding.funding_ts = Timestamp(next_ns);
    Emit(f);
    ++stats_.reference;
  }
  return absl::OkStatus();
}

absl::Status BinanceWsReader::OnForceOrder(const element& data, int64_t local_ts) {
  int64_t e_ns = 0;
  if (Millis m = GetMillis(data, "E", &e_ns); m != Millis::kOk) return MillisError(*lines_, "E", m, data);
  element o;
  if (data["o"].get(o) != simdjson::SUCCESS || !o.is_object()) {
    return lines_->Error("o", "missing or not an object");
  }
  if (std::string_view dup; DuplicateKey(o.get_object().value_unsafe(), &dup)) {
    return lines_->Error(absl::StrCat("o.", std::string(dup)), "the key appears twice in the message");
  }
  std::string_view side, p, ap, q, z;
  if (!GetString(o, "S", &side) || (side != "BUY" && side != "SELL")) {
    return lines_->Error("o.S", "expected \"BUY\" or \"SELL\"");
  }
  if (!GetString(o, "p", &p)) return lines_->Error("o.p", "missing or not a string");
  if (!GetString(o, "q", &q)) return lines_->Error("o.q", "missing or not a string");
  Event e = MakeEvent(EventKind::kLiquidation, *instrument_,
                      Timestamp(SeenTs(e_ns)),
                      Timestamp(local_ts));
  // The average fill price and the filled size where the venue gives them (a filled forced
  // order), else the order's own price and size.
  Price avg;
  if (GetString(o, "ap", &ap)) TAPEDECK_RETURN_IF_ERROR(ParsePrice(ap, "o.ap", &avg));
  if (avg.raw != 0) {
    e.trade.price = avg;
  } else {
    TAPEDECK_RETURN_IF_ERROR(ParsePrice(p, "o.p", &e.trade.price));
  }
  Qty filled;
  if (GetString(o, "z", &z)) TAPEDECK_RETURN_IF_ERROR(ParseQty(z, "o.z", &filled));
  if (filled.raw != 0) {
    e.trade.qty = filled;
  } else {
    TAPEDECK_RETURN_IF_ERROR(ParseQty(q, "o.q", &e.trade.qty));
  }
  e.trade.aggressor = side == "BUY" ? Side::kBuy : Side::kSell;  // the forced order takes
  Emit(e);
  ++stats_.liquidations;
  return absl::OkStatus();
}

}  // namespace tapedeck::replay
