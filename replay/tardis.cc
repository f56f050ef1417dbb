#include "replay/tardis.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"
#include "replay/csv_common.h"

namespace tapedeck::replay {
namespace {

using csv::CsvSource;
using Names = std::vector<std::string_view>;

constexpr size_t kSymbol = 1;
constexpr size_t kTimestamp = 2;
constexpr size_t kLocalTimestamp = 3;

const Names kTradeColumns = {"exchange", "symbol", "timestamp", "local_timestamp",
                             "id",       "side",   "price",     "amount"};
const Names kL2Columns = {"exchange",    "symbol", "timestamp", "local_timestamp",
                          "is_snapshot", "side",   "price",     "amount"};
const Names kQuoteColumns = {"exchange",   "symbol",    "timestamp", "local_timestamp",
                             "ask_amount", "ask_price", "bid_price", "bid_amount"};
const Names kTickerColumns = {"exchange",      "symbol",        "timestamp",
                              "local_timestamp", "funding_timestamp", "funding_rate",
                              "predicted_funding_rate", "open_interest", "last_price",
                              "index_price",   "mark_price"};

// The first non-blank line of `head`, split.
std::vector<std::string> FirstLine(const std::vector<std::string>& head) {
  for (const std::string& line : head) {
    if (!line.empty()) return csv::SplitOwned(line);
  }
  return {};
}

// book_snapshot_N headers: the four common columns, then asks[i]/bids[i] price and amount for
// i = 0..N-1. Returns N, or 0 when `header` is not one.
size_t SnapshotDepth(const std::vector<std::string>& header) {
  if (header.size() < 8 || (header.size() - 4) % 4 != 0) return 0;
  for (size_t i = 0; i < 4; ++i) {
    if (header[i] != kTradeColumns[i]) return 0;
  }
  const size_t depth = (header.size() - 4) / 4;
  for (size_t i = 0; i < depth; ++i) {
    const std::string n = absl::StrCat("[", i, "]");
    const size_t c = 4 + 4 * i;
    if (header[c] != "asks" + n + ".price" || header[c + 1] != "asks" + n + ".amount" ||
        header[c + 2] != "bids" + n + ".price" || header[c + 3] != "bids" + n + ".amount") {
      return 0;
    }
  }
  return depth;
}

struct Scales {
  int price = 0;
  int qty = 0;
};

// What every Tardis reader shares: the symbol column mapped to instruments (or filtered to the
// one named in the spec), µs times and their order.
class TardisCsv : public CsvSource {
 public:
  TardisCsv(std::unique_ptr<LineReader> reader, std::vector<std::string> header,
            const SourceSpec& spec, const InstrumentTable& instruments)
      : CsvSource(std::move(reader)), header_(std::move(header)), where_(spec.where),
        keep_symbol_(spec.instrument) {
    SetColumns(Names(header_.begin(), header_.end()));
    for (const Instrument& in : instruments.all()) {
      symbols_.push_back(in.symbol);
      scales_.push_back(Scales{in.price_scale, in.qty_scale});
    }
  }

  // With spec.instrument set, rows of other symbols are skipped: resolve it once, up front.
  absl::Status Init(const SourceSpec& spec, const InstrumentTable& instruments) {
    if (keep_symbol_.empty()) return absl::OkStatus();
    absl::StatusOr<InstrumentId> id = instruments.Find(keep_symbol_);
    if (!id.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(spec.where, ".instrument: ", std::string(id.status().message())));
    }
    cached_symbol_ = keep_symbol_;
    cached_id_ = *id;
    return absl::OkStatus();
  }

 protected:
  struct Row {
    InstrumentId instrument;
    Scales scales;
    int64_t exchange_ts = 0;
    int64_t local_ts = 0;
  };

  // One row of the reader's kind, its common columns already read (and its symbol kept).
  virtual absl::Status ParseKept(const Row& row, std::vector<Event>* out) = 0;

  // Reads the common columns of the current row into *row; *keep is false for a row of a
  // symbol that the spec filters out.
  absl::Status Begin(Row* row, bool* keep) {
    const std::string_view symbol = fields()[kSymbol];
    ++rows_;
    if (symbol != cached_symbol_) {
      if (!keep_symbol_.empty()) {
        *keep = false;
        return absl::OkStatus();
      }
      const auto it = std::find(symbols_.begin(), symbols_.end(), symbol);
      if (it == symbols_.end()) {
        return Error(column(kSymbol),
                     absl::StrCat("unknown instrument '", std::string(symbol.substr(0, 40)),
                                  "'; add it to the run's instruments, or name the one symbol "
                                  "to read with ", where_, ".instrument"));
      }
      cached_symbol_ = std::string(symbol);
      cached_id_ = InstrumentId(static_cast<uint16_t>(it - symbols_.begin()));
    }
    *keep = true;
    ++kept_;
    row->instrument = cached_id_;
    row->scales = scales_[cached_id_.value];
    TAPEDECK_RETURN_IF_ERROR(Micros(kTimestamp, &row->exchange_ts));
    TAPEDECK_RETURN_IF_ERROR(Micros(kLocalTimestamp, &row->local_ts));
    return CheckOrder(kTimestamp, row->exchange_ts);
  }

  absl::Status Micros(size_t i, int64_t* ns) const {
    int64_t us = 0;
    TAPEDECK_RETURN_IF_ERROR(Integer(i, &us));
    return ScaleTime(i, us, 1'000, ns);
  }

  Event Make(EventKind kind, const Row& row) const {
    return MakeEvent(kind, row.instrument, Timestamp(row.exchange_ts), Timestamp(row.local_ts));
  }

  // Events held back until the next row (book batches) are flushed here.
  virtual absl::Status Flush(std::vector<Event>* out) {
    (void)out;
    return absl::OkStatus();
  }

 private:
  absl::Status ParseRow(std::vector<Event>* out) final {
    Row row;
    bool keep = false;
    TAPEDECK_RETURN_IF_ERROR(Begin(&row, &keep));
    return keep ? ParseKept(row, out) : absl::OkStatus();
  }

  absl::Status AtEnd(std::vector<Event>* out) final {
    TAPEDECK_RETURN_IF_ERROR(Flush(out));
    if (!keep_symbol_.empty() && rows_ > 0 && kept_ == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(reader().path(), ": no row has symbol '", keep_symbol_, "' (",
                       where_, ".instrument)"));
    }
    return absl::OkStatus();
  }

  std::vector<std::string> header_;  // owns the names that columns() views
  std::string where_;
  std::string keep_symbol_;
  std::vector<std::string> symbols_;  // by InstrumentId
  std::vector<Scales> scales_;        // by InstrumentId
  std::string cached_symbol_;         // the symbol of the previous row, and its id
  InstrumentId cached_id_;
  int64_t rows_ = 0;
  int64_t kept_ = 0;
};

class TardisTrades final : public TardisCsv {
 public:
  using TardisCsv::TardisCsv;
  bool skip_unknown_side = false;
  EventKind kind = EventKind::kTrade;  // or kLiquidation: the same columns

 private:
  absl::Status ParseKept(const Row& row, std::vector<Event>* out) override {
    const std::string_view side = fields()[5];
    Side aggressor = Side::kBuy;
    if (side == "sell") {
      aggressor = Side::kSell;
    } else if (side == "unknown" && skip_unknown_side) {
      return absl::OkStatus();
    } else if (side != "buy") {
      return Error(column(5), absl::StrCat("'", std::string(side.substr(0, 40)),
                                           "' is not buy or sell (options.unknown_side: \"skip\" "
                                           "skips trades of unknown side)"));
    }
    int64_t price = 0, qty = 0, id = 0;
    TAPEDECK_RETURN_IF_ERROR(NonNegative(6, row.scales.price, &price));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(7, row.scales.qty, &qty));
    Event e = Make(kind, row);
    e.trade.price = Price(price);
    e.trade.qty = Qty(qty);
    // Numeric venue ids are kept; others (BitMEX's UUIDs) do not fit and are left 0.
    e.trade.trade_id = TryParseInt(fields()[4], &id) && id > 0 ? static_cast<uint64_t>(id) : 0;
    e.trade.aggressor = aggressor;
    out->push_back(e);
    return absl::OkStatus();
  }
};

class TardisIncrementalL2 final : public TardisCsv {
 public:
  using TardisCsv::TardisCsv;

 private:
  absl::Status ParseKept(const Row& row, std::vector<Event>* out) override {
    bool snapshot = false;
    TAPEDECK_RETURN_IF_ERROR(Bool(4, &snapshot));
    Side side = Side::kBuy;
    const std::string_view s = fields()[5];
    if (s == "ask") {
      side = Side::kSell;
    } else if (s != "bid") {
      return Error(column(5), absl::StrCat("'", std::string(s.substr(0, 40)),
                                           "' is not bid or ask"));
    }
    int64_t price = 0, qty = 0;
    TAPEDECK_RETURN_IF_ERROR(NonNegative(6, row.scales.price, &price));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(7, row.scales.qty, &qty));
    const size_t inst = row.instrument.value;
    if (in_snapshot_.size() <= inst) in_snapshot_.resize(inst + 1, false);
    const bool begins = snapshot && !in_snapshot_[inst];
    in_snapshot_[inst] = snapshot;
    // A new message (other times or instrument, or a snapshot starting) closes the held one.
    if (has_held_) {
      if (begins || held_.instrument != row.instrument || held_.exchange_ts != row.exchange_ts ||
          held_.local_ts != row.local_ts) {
        TAPEDECK_RETURN_IF_ERROR(Flush(out));
      } else {
        out->push_back(held_);  // same message: not its last level
      }
    }
    held_ = Make(EventKind::kBookLevel, row);
    held_.level.price = Price(price);
    held_.level.qty = Qty(qty);
    held_.level.side = side;
    held_.level.flags = begins ? kBookSnapshotBegin : 0;
    has_held_ = true;
    return absl::OkStatus();
  }

  absl::Status Flush(std::vector<Event>* out) override {
    if (has_held_) {
      held_.level.flags = static_cast<uint8_t>(held_.level.flags | kBookEndOfMessage);
      out->push_back(held_);
      has_held_ = false;
    }
    return absl::OkStatus();
  }

  Event held_;  // the last level read, until we know whether it ends its message
  bool has_held_ = false;
  std::vector<bool> in_snapshot_;  // by instrument: the previous row was a snapshot row
};

class TardisBookSnapshot final : public TardisCsv {
 public:
  TardisBookSnapshot(std::unique_ptr<LineReader> reader, std::vector<std::string> header,
                     const SourceSpec& spec, const InstrumentTable& instruments, size_t depth)
      : TardisCsv(std::move(reader), std::move(header), spec, instruments), depth_(depth) {}

 private:
  absl::Status ParseKept(const Row& row, std::vector<Event>* out) override {
    const size_t first = out->size();
    Event quote = Make(EventKind::kQuote, row);
    // Bids, then asks; a side with fewer than N levels leaves the deeper fields empty.
    for (const Side side : {Side::kBuy, Side::kSell}) {
      const size_t offset = side == Side::kSell ? 4 : 6;
      for (size_t i = 0; i < depth_; ++i) {
        const size_t c = offset + 4 * i;
        if (fields()[c].empty() && fields()[c + 1].empty()) continue;
        int64_t price = 0, qty = 0;
        TAPEDECK_RETURN_IF_ERROR(NonNegative(c, row.scales.price, &price));
        TAPEDECK_RETURN_IF_ERROR(NonNegative(c + 1, row.scales.qty, &qty));
        Event e = Make(EventKind::kBookLevel, row);
        e.level.price = Price(price);
        e.level.qty = Qty(qty);
        e.level.side = side;
        out->push_back(e);
        if (i == 0) {
          if (side == Side::kBuy) {
            quote.quote.bid = Price(price);
            quote.quote.bid_qty = Qty(qty);
          } else {
            quote.quote.ask = Price(price);
            quote.quote.ask_qty = Qty(qty);
          }
        }
      }
    }
    if (out->size() == first) {
      // An empty book still clears what was there: one empty level carrying both flags.
      Event e = Make(EventKind::kBookLevel, row);
      out->push_back(e);
    }
    (*out)[first].level.flags = kBookSnapshotBegin;
    out->back().level.flags = static_cast<uint8_t>(out->back().level.flags | kBookEndOfMessage);
    out->push_back(quote);
    return absl::OkStatus();
  }

  size_t depth_;
};

class TardisQuotes final : public TardisCsv {
 public:
  using TardisCsv::TardisCsv;

 private:
  absl::Status ParseKept(const Row& row, std::vector<Event>* out) override {
    int64_t ask_qty = 0, ask = 0, bid = 0, bid_qty = 0;
    // An absent side (empty price and amount) stays 0/0, which Quote readers take as no side.
    TAPEDECK_RETURN_IF_ERROR(Optional(4, row.scales.qty, &ask_qty));
    TAPEDECK_RETURN_IF_ERROR(Optional(5, row.scales.price, &ask));
    TAPEDECK_RETURN_IF_ERROR(Optional(6, row.scales.price, &bid));
    TAPEDECK_RETURN_IF_ERROR(Optional(7, row.scales.qty, &bid_qty));
    Event e = Make(EventKind::kQuote, row);
    e.quote.bid = Price(bid);
    e.quote.bid_qty = Qty(bid_qty);
    e.quote.ask = Price(ask);
    e.quote.ask_qty = Qty(ask_qty);
    out->push_back(e);
    return absl::OkStatus();
  }

  absl::Status Optional(size_t i, int scale, int64_t* out) const {
    if (fields()[i].empty()) return absl::OkStatus();
    return NonNegative(i, scale, out);
  }
};

class TardisDerivativeTicker final : public TardisCsv {
 public:
  using TardisCsv::TardisCsv;
  bool round_funding_rate = false;

 private:
  absl::Status ParseKept(const Row& row, std::vector<Event>* out) override {
    // In the order of KindRank at equal time: index, mark, funding, open interest.
    int64_t v = 0;
    if (!fields()[9].empty()) {
      TAPEDECK_RETURN_IF_ERROR(NonNegative(9, row.scales.price, &v));
      Event e = Make(EventKind::kIndexPrice, row);
      e.price.price = Price(v);
      out->push_back(e);
    }
    if (!fields()[10].empty()) {
      TAPEDECK_RETURN_IF_ERROR(NonNegative(10, row.scales.price, &v));
      Event e = Make(EventKind::kMarkPrice, row);
      e.price.price = Price(v);
      out->push_back(e);
    }
    if (!fields()[5].empty()) {
      TAPEDECK_RETURN_IF_ERROR(FundingRate(&v));
      Event e = Make(EventKind::kFundingRate, row);
      e.funding.rate = Rate(v);
      int64_t funding_ns = 0;
      if (!fields()[4].empty()) TAPEDECK_RETURN_IF_ERROR(Micros(4, &funding_ns));
      e.funding.funding_ts = Timestamp(funding_ns);
      out->push_back(e);
    }
    if (!fields()[7].empty()) {
      TAPEDECK_RETURN_IF_ERROR(NonNegative(7, row.scales.qty, &v));
      Event e = Make(EventKind::kOpenInterest, row);
      e.open_interest.qty = Qty(v);
      out->push_back(e);
    }
    return absl::OkStatus();
  }

  // Exact at Rate's 10^-8, or (options.round_funding_rate) rounded half away from zero to it:
  // some venues publish rates with 20 decimals (dYdX). Only the 9th decimal decides the
  // rounding, so the text is cut there and rounded exactly, never through a double.
  absl::Status FundingRate(int64_t* out) const {
    const std::string_view text = fields()[5];
    if (!round_funding_rate || TryParseDecimal(text, Rate::kScale, out)) {
      return Signed(5, Rate::kScale, out);
    }
    const size_t point = text.find('.');
    const std::string_view cut =
        point == std::string_view::npos ? text : text.substr(0, std::min(text.size(), point + 10));
    int64_t nano = 0;
    if (!TryParseDecimal(cut, 9, &nano) || !Rescale(nano, 9, Rate::kScale, out)) {
      return Signed(5, Rate::kScale, out);  // reports what is wrong with the text
    }
    return absl::OkStatus();
  }
};

enum class Kind { kTrades, kLiquidations, kL2, kSnapshot, kQuotes, kTicker };

absl::StatusOr<std::unique_ptr<EventSource>> Open(Kind kind, const SourceSpec& spec,
                                                  const InstrumentTable& instruments) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject options, csv::Options(spec));
  std::string unknown_side = "error";
  bool round_funding_rate = false;
  if (kind == Kind::kTrades || kind == Kind::kLiquidations) {
    TAPEDECK_RETURN_IF_ERROR(options.Enum("unknown_side", {"error", "skip"}, &unknown_side));
  }
  if (kind == Kind::kTicker) {
    TAPEDECK_RETURN_IF_ERROR(options.Bool("round_funding_rate", &round_funding_rate));
  }
  TAPEDECK_RETURN_IF_ERROR(options.Finish());
  std::string first;
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader,
                            csv::OpenWithFirstLine(spec.path, &first));
  std::vector<std::string> header = csv::SplitOwned(first);
  const Names* wanted = nullptr;
  switch (kind) {
    case Kind::kTrades:
    case Kind::kLiquidations: wanted = &kTradeColumns; break;
    case Kind::kL2: wanted = &kL2Columns; break;
    case Kind::kQuotes: wanted = &kQuoteColumns; break;
    case Kind::kTicker: wanted = &kTickerColumns; break;
    case Kind::kSnapshot: break;
  }
  size_t depth = 0;
  if (kind == Kind::kSnapshot) {
    depth = SnapshotDepth(header);
    if (depth == 0) {
      return reader->Error(
          "header", absl::StrCat("expected exchange,symbol,timestamp,local_timestamp then "
                                 "asks[i].price,asks[i].amount,bids[i].price,bids[i].amount for "
                                 "i = 0.. (book_snapshot_N), got '",
                                 first.substr(0, 80), "'"));
    }
  } else if (!csv::SameColumns(header, *wanted)) {
    return reader->Error("header", absl::StrCat("expected ", csv::JoinNames(*wanted), ", got '",
                                                first.substr(0, 120), "'"));
  }
  std::unique_ptr<TardisCsv> source;
  switch (kind) {
    case Kind::kTrades:
    case Kind::kLiquidations: {
      auto trades = std::make_unique<TardisTrades>(std::move(reader), std::move(header), spec,
                                                   instruments);
      trades->skip_unknown_side = unknown_side == "skip";
      trades->kind = kind == Kind::kTrades ? EventKind::kTrade : EventKind::kLiquidation;
      source = std::move(trades);
      break;
    }
    case Kind::kL2:
      source = std::make_unique<TardisIncrementalL2>(std::move(reader), std::move(header), spec,
                                                     instruments);
      break;
    case Kind::kSnapshot:
      source = std::make_unique<TardisBookSnapshot>(std::move(reader), std::move(header), spec,
                                                    instruments, depth);
      break;
    case Kind::kQuotes:
      source = std::make_unique<TardisQuotes>(std::move(reader), std::move(header), spec,
                                              instruments);
      break;
    case Kind::kTicker: {
      auto ticker = std::make_unique<TardisDerivativeTicker>(std::move(reader), std::move(header),
                                                             spec, instruments);
      ticker->round_funding_rate = round_funding_rate;
      source = std::move(ticker);
      break;
    }
  }
  TAPEDECK_RETURN_IF_ERROR(source->Init(spec, instruments));
  return std::unique_ptr<EventSource>(std::move(source));
}

}  // namespace

bool DetectTardisTrades(const std::vector<std::string>& head) {
  return csv::SameColumns(FirstLine(head), kTradeColumns);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisTrades(const SourceSpec& spec,
                                                              const InstrumentTable& instruments) {
  return Open(Kind::kTrades, spec, instruments);
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisLiquidations(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kLiquidations, spec, instruments);
}

bool DetectTardisIncrementalBookL2(const std::vector<std::string>& head) {
  return csv::SameColumns(FirstLine(head), kL2Columns);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisIncrementalBookL2(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kL2, spec, instruments);
}

bool DetectTardisBookSnapshot(const std::vector<std::string>& head) {
  return SnapshotDepth(FirstLine(head)) != 0;
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisBookSnapshot(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kSnapshot, spec, instruments);
}

bool DetectTardisQuotes(const std::vector<std::string>& head) {
  return csv::SameColumns(FirstLine(head), kQuoteColumns);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisQuotes(const SourceSpec& spec,
                                                              const InstrumentTable& instruments) {
  return Open(Kind::kQuotes, spec, instruments);
}

bool DetectTardisDerivativeTicker(const std::vector<std::string>& head) {
  return csv::SameColumns(FirstLine(head), kTickerColumns);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisDerivativeTicker(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kTicker, spec, instruments);
}

}  // namespace tapedeck::replay
