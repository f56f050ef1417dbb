#include "replay/lobster.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"

namespace tapedeck::replay {
namespace {

constexpr int kLobsterPriceScale = 4;             // prices are dollars x 10000
constexpr int64_t kDummyPrice = 9'999'999'999;    // empty level in a book row (ask; -x for bid)
constexpr int64_t kNanosPerSecond = 1'000'000'000;

int SideIndex(Side s) { return s == Side::kBuy ? 0 : 1; }

// Bids: higher is better; asks: lower is better.
bool Better(Side s, int64_t a, int64_t b) { return s == Side::kBuy ? a > b : a < b; }

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// "AAPL_2012-06-21_34200000_57600000_message_10.csv" -> ("AAPL", "2012-06-21").
std::pair<std::string, std::string> TickerAndDate(const std::string& path) {
  const std::string base = BaseName(path);
  const size_t a = base.find('_');
  if (a == std::string::npos) return {"", ""};
  const size_t b = base.find('_', a + 1);
  if (b == std::string::npos) return {base.substr(0, a), ""};
  return {base.substr(0, a), base.substr(a + 1, b - a - 1)};
}

absl::StatusOr<absl::CivilDay> ParseDate(const std::string& date) {
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day)) {
    return absl::InvalidArgumentError(absl::StrCat("'", date, "' is not a date YYYY-MM-DD"));
  }
  // Times are int64 ns since 1970: the day and the following one must lie within 1678..2261.
  if (day.year() < 1678 || day.year() > 2261) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", date, "' is outside 1678..2261, the years int64 nanoseconds hold"));
  }
  return day;
}

// The n-th (1-based) Sunday of month `m`, or the last one when n == 0.
absl::CivilDay NthSunday(int64_t y, int m, int n) {
  if (n == 0) {
    absl::CivilDay d = absl::CivilDay(absl::CivilMonth(y, m) + 1) - 1;  // last day of the month
    while (absl::GetWeekday(d) != absl::Weekday::sunday) --d;
    return d;
  }
  absl::CivilDay d(y, m, 1);
  while (absl::GetWeekday(d) != absl::Weekday::sunday) ++d;
  return d + 7 * (n - 1);
}

}  // namespace

absl::StatusOr<int64_t> UsEasternOffsetSeconds(const std::string& date) {
  TAPEDECK_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate(date));
  const int64_t y = day.year();
  absl::CivilDay start, end;  // summer time from start (inclusive) to end (exclusive), by day
  if (y >= 2007) {
    start = NthSunday(y, 3, 2);
    end = NthSunday(y, 11, 1);
  } else {
    start = NthSunday(y, 4, 1);
    end = NthSunday(y, 10, 0);
  }
  return day >= start && day < end ? -4 * 3600 : -5 * 3600;
}

std::string LobsterStats::Summary() const {
  return absl::StrCat("messages=", messages, " inferred_initial_levels=", inferred_initial_levels,
                      " levels_from_book_file=", levels_from_book_file,
                      " unknown_order_refs=", unknown_order_refs,
                      " stale_levels_removed=", stale_levels_removed,
                      " levels_verified=", levels_verified,
                      " hidden_executions=", hidden_executions, " halts=", halts);
}

absl::StatusOr<std::unique_ptr<LobsterReader>> LobsterReader::Open(
    const std::string& path, const std::string& symbol, const InstrumentTable& instruments,
    LobsterOptions options) {
  std::unique_ptr<LobsterReader> r(new LobsterReader());
  TAPEDECK_ASSIGN_OR_RETURN(r->messages_, LineReader::Open(path));
  r->options_ = options;
  const auto [ticker, file_date] = TickerAndDate(path);
  // The instrument.
  if (!symbol.empty()) {
    absl::StatusOr<InstrumentId> id = instruments.Find(symbol);
    if (!id.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": instrument: ", id.status().message()));
    }
    r->instrument_ = *id;
  } else if (!ticker.empty() && instruments.Find(ticker).ok()) {
    r->instrument_ = *instruments.Find(ticker);
  } else if (instruments.size() == 1) {
    r->instrument_ = InstrumentId(0);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": cannot tell the instrument; name it with \"instrument\" in the source"));
  }
  const Instrument& inst = instruments.at(r->instrument_);
  r->price_scale_ = inst.price_scale;
  r->qty_unit_ = Pow10(inst.qty_scale);
  // The trading date and its midnight in New York.
  const std::string date = options.date.empty() ? file_date : options.date;
  if (date.empty() || !ParseDate(date).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": options.date: ", date.empty() ? "no date in the file name" : "'" + date + "' is not a date",
        "; give the trading date as \"date\": \"YYYY-MM-DD\""));
  }
  TAPEDECK_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate(date));
  TAPEDECK_ASSIGN_OR_RETURN(int64_t offset, UsEasternOffsetSeconds(date));
  r->midnight_ns_ = absl::ToUnixNanos(absl::FromCivil(day, absl::UTCTimeZone())) -
                    offset * kNanosPerSecond;
  // The paired orderbook file.
  std::string book = options.orderbook;
  if (book.empty()) {
    const std::string base = BaseName(path);
    const size_t at = base.find("_message_");
    if (at != std::string::npos) {
      std::string candidate =
          (std::filesystem::path(path).parent_path() /
           (base.substr(0, at) + "_orderbook_" + base.substr(at + 9)))
              .string();
      if (std::filesystem::exists(candidate)) book = candidate;
    }
  }
  if (!book.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(r->book_file_, LineReader::Open(book));
    r->orderbook_path_ = book;
  }
  return r;
}

absl::Status LobsterReader::ParseMessage(std::string_view line, Message* m) const {
  std::vector<std::string_view> f;
  if (SplitFields(line, ',', &f) != 6) {
    return messages_->Error("", absl::StrCat("expected 6 fields (time,type,order_id,size,price,"
                                             "direction), got ", f.size()));
  }
  int64_t since_midnight = 0;
  // At most a day: the trading day's own times, and no sum beyond int64 ns.
  if (!TryParseDecimal(f[0], 9, &since_midnight) || since_midnight < 0 ||
      since_midnight > 86'400 * kNanosPerSecond) {
    return messages_->Error("time", absl::StrCat("'", std::string(f[0]),
                                                 "' is not seconds after midnight (0..86400)"));
  }
  m->ts = midnight_ns_ + since_midnight;
  int64_t type = 0, id = 0, size = 0, price = 0, dir = 0;
  if (!TryParseInt(f[1], &type) || type < 1 || type > 7) {
    return messages_->Error("type", absl::StrCat("'", std::string(f[1]), "' is not 1..7"));
  }
  m->type = static_cast<int>(type);
  if (!TryParseInt(f[2], &id) || id < 0) {
    return messages_->Error("order_id", absl::StrCat("'", std::string(f[2]), "' is not an id"));
  }
  m->id = static_cast<uint64_t>(id);
  if (!TryParseInt(f[3], &size)) {
    return messages_->Error("size", absl::StrCat("'", std::string(f[3]), "' is not an integer"));
  }
  if (size < 0) return messages_->Error("size", absl::StrCat("negative size ", size));
  m->size = size;
  int64_t raw = 0;
  if (!TryParseInt(f[4], &price) ||
      !Rescale(price, kLobsterPriceScale, price_scale_, &raw) ||
      (price_scale_ < kLobsterPriceScale && price % Pow10(kLobsterPriceScale - price_scale_) != 0)) {
    return messages_->Error("price", absl::StrCat("'", std::string(f[4]),
                                                  "' is not a price x10000 at the instrument's scale ",
                                                  price_scale_));
  }
  m->price = Price(raw);
  if (!TryParseInt(f[5], &dir) || (dir != 1 && dir != -1)) {
    return messages_->Error("direction", absl::StrCat("'", std::string(f[5]), "' is not 1 or -1"));
  }
  m->side = dir == 1 ? Side::kBuy : Side::kSell;
  return absl::OkStatus();
}

absl::Status LobsterReader::ReadRow(Row* row) {
  std::string_view line;
  if (!book_file_->Next(&line)) {
    TAPEDECK_RETURN_IF_ERROR(book_file_->status());
    return absl::InvalidArgumentError(absl::StrCat(
        orderbook_path_, ": ends at line ", book_file_->line_number(), " but ", messages_->path(),
        " has a message at line ", messages_->line_number()));
  }
  std::vector<std::string_view> f;
  const size_t n = SplitFields(line, ',', &f);
  if (n == 0 || n % 4 != 0) {
    return book_file_->Error("", absl::StrCat("expected 4 columns per level "
                                              "(ask_price,ask_size,bid_price,bid_size), got ", n));
  }
  const size_t levels = n / 4;
  for (int s = 0; s < 2; ++s) {
    row->levels[s].clear();
    row->full[s] = true;
  }
  for (size_t k = 0; k < levels; ++k) {
    for (int s = 0; s < 2; ++s) {  // columns: ask first, then bid
      const size_t col = 4 * k + (s == 1 ? 0 : 2);
      int64_t price = 0, size = 0;
      if (!TryParseInt(f[col], &price) || !TryParseInt(f[col + 1], &size) || size < 0) {
        return book_file_->Error(absl::StrCat("level ", k + 1, s == 1 ? " ask" : " bid"),
                                 "expected an integer price x10000 and a size >= 0");
      }
      if (size == 0 || price == kDummyPrice || price == -kDummyPrice) {
        row->full[s] = false;
        continue;
      }
      int64_t raw = 0;
      if (!Rescale(price, kLobsterPriceScale, price_scale_, &raw) ||
          (price_scale_ < kLobsterPriceScale &&
           price % Pow10(kLobsterPriceScale - price_scale_) != 0)) {
        return book_file_->Error(absl::StrCat("level ", k + 1, s == 1 ? " ask" : " bid"),
                                 "price is not at the instrument's scale");
      }
      row->levels[s].push_back(BookLevel{Price(raw), Shares(size)});
    }
  }
  return absl::OkStatus();
}

absl::Status LobsterReader::EmitL3(int64_t ts, L3Action action, uint64_t id, Side side,
                                   Price price, Qty qty, uint8_t flags, std::vector<Event>* out) {
  Event e = MakeEvent(EventKind::kL3Order, instrument_, Timestamp(ts), Timestamp(ts));
  e.l3.order_id = id;
  e.l3.side = side;
  e.l3.price = price;
  e.l3.qty = qty;
  e.l3.action = action;
  e.l3.flags = flags;
  e.l3.record = static_cast<uint32_t>(messages_->line_number());
  const L3Result r = book_.Apply(e.l3);
  if (r != L3Result::kOk) {
    return messages_->Error("order_id", absl::StrCat(std::string(L3ActionName(action)), " of order ", id, ": ",
                                                     std::string(L3ResultName(r))));
  }
  out->push_back(e);
  return absl::OkStatus();
}

absl::Status LobsterReader::Seed(const Message& first, const Row& row, std::vector<Event>* out) {
  // The book before the first message: the first row with the first message undone.
  std::vector<BookLevel> pre[2] = {row.levels[0], row.levels[1]};
  const int s = SideIndex(first.side);
  auto& levels = pre[s];
  auto it = std::find_if(levels.begin(), levels.end(),
                         [&](const BookLevel& l) { return l.price == first.price; });
  const Qty size = Shares(first.size);
  if (first.type == 1) {
    if (it == levels.end() || it->qty < size) {
      return book_file_->Error("", "the first message's order is not in the first book row");
    }
    it->qty = it->qty - size;
    if (it->qty.is_zero()) levels.erase(it);
  } else if (first.type >= 2 && first.type <= 4) {
    if (it != levels.end()) {
      it->qty = it->qty + size;
    } else {
      auto pos = std::find_if(levels.begin(), levels.end(), [&](const BookLevel& l) {
        return Better(first.side, first.price.raw, l.price.raw);
      });
      levels.insert(pos, BookLevel{first.price, size});
    }
  }
  bool begin = true;
  for (int k = 0; k < 2; ++k) {
    const Side side = k == 0 ? Side::kBuy : Side::kSell;
    for (const BookLevel& l : pre[k]) {
      const uint64_t id = NextInferredId();
      uint8_t flags = kBookInferred;
      if (begin) flags |= kBookSnapshotBegin;
      begin = false;
      TAPEDECK_RETURN_IF_ERROR(EmitL3(first.ts, L3Action::kAdd, id, side, l.price, l.qty, flags, out));
      ++stats_.inferred_initial_levels;
    }
    // Known down to the row's last level when the row is full; the whole side otherwise.
    if (row.full[k] && !row.levels[k].empty()) {
      frontier_[k] = row.levels[k].back().price.raw;
    } else {
      frontier_[k].reset();
    }
  }
  if (!out->empty()) out->back().l3.flags |= kBookEndOfMessage;
  for (Event& e : *out) e.l3.record = 0;  // the book before the first message
  return absl::OkStatus();
}

std::vector<L3Order> LobsterReader::OrdersAt(Side side, Price price) const {
  std::vector<L3Order> orders(book_.order_count());
  orders.resize(book_.OrdersAt(side, price, std::span<L3Order>(orders)));
  return orders;
}

absl::Status LobsterReader::RemoveLevel(Side side, Price price, int64_t ts,
                                        std::vector<Event>* out) {
  for (const L3Order& o : OrdersAt(side, price)) {
    TAPEDECK_RETURN_IF_ERROR(
        EmitL3(ts, L3Action::kDelete, o.id, side, price, o.qty, kBookInferred, out));
  }
  return absl::OkStatus();
}

absl::Status LobsterReader::ApplyMessage(const Message& m, std::vector<Event>* out) {
  const Qty size = Shares(m.size);
  if (m.type == 1) {
    return EmitL3(m.ts, L3Action::kAdd, m.id, m.side, m.price, size, kBookEndOfMessage, out);
  }
  if (m.type >= 2 && m.type <= 4) {
    const L3Action action = m.type == 2 ? L3Action::kCancel
                            : m.type == 3 ? L3Action::kDelete
                                          : L3Action::kExecute;
    const L3Order* o = book_.Find(m.id);
    if (o == nullptr) {
      // An order the messages never showed (it rested before the sample, or deeper than the
      // file's levels): its size is part of the inferred orders at its price. Take it from them in
      // queue order; a delete becomes a cancel of that size.
      std::vector<L3Order> inferred;
      int64_t available = 0;
      for (const L3Order& q : OrdersAt(m.side, m.price)) {
        if (q.id >= kInferredIdBase) {
          inferred.push_back(q);
          available += q.qty.raw;
        }
      }
      if (available < size.raw) {
        return messages_->Error(
            "order_id", absl::StrCat("order ", m.id, " is not live, and no size at ",
                                     FormatDecimal(m.price.raw, price_scale_), " on the ",
                                     SideName(m.side), " side predates the messages"));
      }
      ++stats_.unknown_order_refs;
      int64_t left = size.raw;
      for (size_t i = 0; i < inferred.size() && left > 0; ++i) {
        const int64_t take = std::min(left, inferred[i].qty.raw);
        left -= take;
        TAPEDECK_RETURN_IF_ERROR(EmitL3(
            m.ts, action == L3Action::kExecute ? L3Action::kExecute : L3Action::kCancel,
            inferred[i].id, m.side, m.price, Qty(take), left == 0 ? kBookEndOfMessage : 0, out));
      }
    } else if (o->side != m.side || o->price != m.price) {
      return messages_->Error("order_id", absl::StrCat("order ", m.id, " rests at ",
                                                       FormatDecimal(o->price.raw, price_scale_),
                                                       " on the ", SideName(o->side), " side"));
    } else {
      TAPEDECK_RETURN_IF_ERROR(
          EmitL3(m.ts, action, m.id, m.side, m.price, size, kBookEndOfMessage, out));
    }
  }
  if (m.type == 4 || m.type == 5 || m.type == 6) {
    Event t = MakeEvent(EventKind::kTrade, instrument_, Timestamp(m.ts), Timestamp(m.ts));
    t.trade.price = m.price;
    t.trade.qty = size;
    t.trade.aggressor = Opposite(m.side);  // direction is the resting (or hidden) order's side
    out->push_back(t);
    if (m.type == 5) ++stats_.hidden_executions;
  }
  if (m.type == 7) ++stats_.halts;
  return absl::OkStatus();
}

absl::Status LobsterReader::Reconcile(const Row& row, int64_t ts, std::vector<Event>* out) {
  std::vector<BookLevel> ours;
  for (int k = 0; k < 2; ++k) {
    const Side side = k == 0 ? Side::kBuy : Side::kSell;
    const std::vector<BookLevel>& want = row.levels[k];
    auto load = [&] {
      ours.resize(book_.level_count(side));
      ours.resize(book_.Levels(side, std::span<BookLevel>(ours)));
    };
    load();
    auto mismatch = [&](size_t j, const char* when) {
      const std::string theirs =
          j < want.size() ? absl::StrCat(FormatDecimal(want[j].price.raw, price_scale_), " x ",
                                         want[j].qty.raw / qty_unit_)
                          : "no level";
      const std::string mine =
          j < ours.size() ? absl::StrCat(FormatDecimal(ours[j].price.raw, price_scale_), " x ",
                                         ours[j].qty.raw / qty_unit_)
                          : "no level";
      return absl::InvalidArgumentError(absl::StrCat(
          orderbook_path_, ":", book_file_->line_number(), ": level ", j + 1, " ", SideName(side),
          ": the book file has ", theirs, " but the messages give ", mine, " ", when, " (",
          messages_->path(), ":", messages_->line_number(), ")"));
    };
    auto known = [&](int64_t price) {
      return !frontier_[k].has_value() || !Better(side, *frontier_[k], price);
    };
    // Levels the messages determine: at or better than the previous row's last level.
    size_t j = 0;
    for (; j < want.size() && known(want[j].price.raw); ++j) {
      if (options_.verify) {
        if (j >= ours.size() || ours[j].price != want[j].price || ours[j].qty != want[j].qty) {
          return mismatch(j, "after the message");
        }
        ++stats_.levels_verified;
      }
    }
    // Beyond it the messages are silent: what entered the top from deeper comes from the file.
    // Levels of ours there that the file does not show are gone (their cancels were deeper than
    // the file's levels); levels whose size differs are replaced by one inferred order.
    bool changed = false;
    const bool bounded = row.full[k] && !want.empty();
    for (const BookLevel& l : ours) {
      if (known(l.price.raw)) continue;
      if (bounded && Better(side, want.back().price.raw, l.price.raw)) break;
      const bool shown = std::any_of(want.begin() + static_cast<std::ptrdiff_t>(j), want.end(),
                                     [&](const BookLevel& w) { return w.price == l.price; });
      if (!shown) {
        TAPEDECK_RETURN_IF_ERROR(RemoveLevel(side, l.price, ts, out));
        ++stats_.stale_levels_removed;
        changed = true;
      }
    }
    for (; j < want.size(); ++j) {
      Qty have = book_.QtyAt(side, want[j].price);
      if (have == want[j].qty) continue;
      if (have > want[j].qty) {
        TAPEDECK_RETURN_IF_ERROR(RemoveLevel(side, want[j].price, ts, out));
        have = Qty(0);
      }
      TAPEDECK_RETURN_IF_ERROR(EmitL3(ts, L3Action::kAdd, NextInferredId(), side, want[j].price,
                                      want[j].qty - have, kBookInferred, out));
      ++stats_.levels_from_book_file;
      changed = true;
    }
    if (changed) out->back().l3.flags |= kBookEndOfMessage;
    if (changed && options_.verify) {
      load();
      for (size_t i = 0; i < want.size(); ++i) {
        if (i >= ours.size() || ours[i].price != want[i].price || ours[i].qty != want[i].qty) {
          return mismatch(i, "after taking the new levels from the file");
        }
      }
    }
    // Known from here on: down to this row's last level, or the whole side when the row shows
    // fewer levels than the file has columns.
    if (bounded) {
      frontier_[k] = want.back().price.raw;
    } else {
      frontier_[k].reset();
    }
  }
  return absl::OkStatus();
}

absl::Status LobsterReader::ReadMore(std::vector<Event>* out) {
  std::string_view line;
  if (!messages_->Next(&line)) {
    TAPEDECK_RETURN_IF_ERROR(messages_->status());
    if (book_file_ != nullptr && book_file_->Next(&line) && !line.empty()) {
      return book_file_->Error("", absl::StrCat("more book rows than messages in ",
                                                messages_->path()));
    }
    if (book_file_ != nullptr) TAPEDECK_RETURN_IF_ERROR(book_file_->status());
    Finish();
    return absl::OkStatus();
  }
  if (line.empty()) return messages_->Error("", "empty line");
  Message m;
  TAPEDECK_RETURN_IF_ERROR(ParseMessage(line, &m));
  if (m.ts < last_ts_) return messages_->Error("time", "goes back in time");
  last_ts_ = m.ts;
  ++stats_.messages;
  if (book_file_ == nullptr) return ApplyMessage(m, out);
  Row row;
  TAPEDECK_RETURN_IF_ERROR(ReadRow(&row));
  if (!started_) {
    started_ = true;
    TAPEDECK_RETURN_IF_ERROR(Seed(m, row, out));
  }
  TAPEDECK_RETURN_IF_ERROR(ApplyMessage(m, out));
  return Reconcile(row, m.ts, out);
}

// --- format registration ---------------------------------------------------------------------

bool DetectLobster(const std::vector<std::string>& head) {
  if (head.empty()) return false;
  std::vector<std::string_view> f;
  for (const std::string& line : head) {
    if (SplitFields(line, ',', &f) != 6) return false;
    int64_t t = 0, type = 0, id = 0, size = 0, price = 0, dir = 0;
    if (!TryParseDecimal(f[0], 9, &t) || !TryParseInt(f[1], &type) || !TryParseInt(f[2], &id) ||
        !TryParseInt(f[3], &size) || !TryParseInt(f[4], &price) || !TryParseInt(f[5], &dir)) {
      return false;
    }
    // Seconds after midnight (a day has 86400), types 1..7, direction +-1.
    if (t < 0 || t > 86'400 * kNanosPerSecond || type < 1 || type > 7 || (dir != 1 && dir != -1)) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenLobster(const SourceSpec& spec,
                                                         const InstrumentTable& instruments) {
  LobsterOptions options;
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject opts,
                            ConfigObject::Of(&spec.options, spec.where + ".options"));
  TAPEDECK_RETURN_IF_ERROR(opts.String("date", &options.date));
  TAPEDECK_RETURN_IF_ERROR(opts.String("orderbook", &options.orderbook));
  TAPEDECK_RETURN_IF_ERROR(opts.Bool("verify", &options.verify));
  TAPEDECK_RETURN_IF_ERROR(opts.Finish());
  if (!options.date.empty() && !ParseDate(options.date).ok()) {
    return opts.Error("date", absl::StrCat("'", options.date, "' is not a date YYYY-MM-DD"));
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LobsterReader> r,
                            LobsterReader::Open(spec.path, spec.instrument, instruments, options));
  return std::unique_ptr<EventSource>(std::move(r));
}

}  // namespace tapedeck::replay
