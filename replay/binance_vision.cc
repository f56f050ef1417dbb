#include "replay/binance_vision.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"
#include "replay/csv_common.h"

namespace tapedeck::replay {
namespace {

using csv::CsvSource;
using Fields = std::vector<std::string_view>;

enum class Kind { kKline, kTrades, kAggTrades, kBookTicker, kFunding };

// Epoch milliseconds (13 digits today) or microseconds (16), as Binance writes them.
bool IsEpoch(std::string_view t) { return csv::IsUnsignedInt(t) && t.size() >= 12 && t.size() <= 16; }

bool AllDecimal(const Fields& f, size_t from, size_t to) {
  for (size_t i = from; i <= to; ++i) {
    if (!csv::IsDecimal(f[i])) return false;
  }
  return true;
}

bool IsBool(std::string_view t) {
  bool unused = false;
  return csv::ParseBool(t, &unused);
}

// Shapes of headerless rows; mutually exclusive by field count and the type of each field.
bool KlineShape(const Fields& f) {
  return f.size() == 12 && IsEpoch(f[0]) && AllDecimal(f, 1, 5) && IsEpoch(f[6]) &&
         csv::IsUnsignedInt(f[8]);
}
bool TradesShape(const Fields& f) {
  return (f.size() == 6 || f.size() == 7) && csv::IsUnsignedInt(f[0]) && AllDecimal(f, 1, 3) &&
         IsEpoch(f[4]) && IsBool(f[5]) && (f.size() == 6 || IsBool(f[6]));
}
bool AggTradesShape(const Fields& f) {
  return (f.size() == 7 || f.size() == 8) && csv::IsUnsignedInt(f[0]) && AllDecimal(f, 1, 2) &&
         csv::IsUnsignedInt(f[3]) && csv::IsUnsignedInt(f[4]) && IsEpoch(f[5]) && IsBool(f[6]) &&
         (f.size() == 7 || IsBool(f[7]));
}
bool BookTickerShape(const Fields& f) {
  return f.size() == 7 && csv::IsUnsignedInt(f[0]) && AllDecimal(f, 1, 4) && IsEpoch(f[5]) &&
         IsEpoch(f[6]);
}

struct Layout {
  Kind kind;
  std::string_view format;
  // The full header; the last `optional` columns may be absent (spot's is_best_match).
  std::vector<std::string_view> columns;
  size_t optional;
  bool (*shape)(const Fields&);  // headerless rows; nullptr: the header is required
};

const Layout& LayoutOf(Kind kind) {
  static const Layout kLayouts[] = {
      {Kind::kKline, "binance_kline_csv",
       {"open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
        "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"},
       0, &KlineShape},
      {Kind::kTrades, "binance_trades_csv",
       {"id", "price", "qty", "quote_qty", "time", "is_buyer_maker", "is_best_match"}, 1,
       &TradesShape},
      {Kind::kAggTrades, "binance_aggtrades_csv",
       {"agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time",
        "is_buyer_maker", "is_best_match"},
       1, &AggTradesShape},
      {Kind::kBookTicker, "binance_bookticker_csv",
       {"update_id", "best_bid_price", "best_bid_qty", "best_ask_price", "best_ask_qty",
        "transaction_time", "event_time"},
       0, &BookTickerShape},
      {Kind::kFunding, "binance_funding_csv",
       {"calc_time", "funding_interval_hours", "last_funding_rate"}, 0, nullptr},
  };
  return kLayouts[static_cast<int>(kind)];
}

// The number of columns when `fields` is one of the layout's headers, else 0.
size_t HeaderWidth(const Layout& layout, const std::vector<std::string>& fields) {
  for (size_t drop = 0; drop <= layout.optional; ++drop) {
    const size_t n = layout.columns.size() - drop;
    if (fields.size() != n) continue;
    if (std::equal(fields.begin(), fields.end(), layout.columns.begin())) return n;
  }
  return 0;
}

bool Detect(Kind kind, const std::vector<std::string>& head) {
  const Layout& layout = LayoutOf(kind);
  for (const std::string& line : head) {
    if (line.empty()) continue;
    if (HeaderWidth(layout, csv::SplitOwned(line)) != 0) return true;
    Fields fields;
    SplitFields(line, ',', &fields);
    return layout.shape != nullptr && layout.shape(fields);
  }
  return false;
}

class BinanceCsv final : public CsvSource {
 public:
  BinanceCsv(std::unique_ptr<LineReader> reader, Kind kind, size_t width, const Instrument& in)
      : CsvSource(std::move(reader)), kind_(kind), instrument_(in.id),
        price_scale_(in.price_scale), qty_scale_(in.qty_scale) {
    const Layout& layout = LayoutOf(kind);
    SetColumns(Fields(layout.columns.begin(),
                      layout.columns.begin() + static_cast<ptrdiff_t>(width)));
  }

  void KeepFirstRow(std::string line) { PushBackFirstRow(std::move(line)); }

 private:
  absl::Status ParseRow(std::vector<Event>* out) override {
    switch (kind_) {
      case Kind::kKline: return Kline(out);
      case Kind::kTrades: return Trade(out, 0, 4, 5);
      case Kind::kAggTrades: return Trade(out, 0, 5, 6);
      case Kind::kBookTicker: return BookTicker(out);
      case Kind::kFunding: return Funding(out);
    }
    return absl::InternalError("unreachable");
  }

  absl::Status Kline(std::vector<Event>* out) {
    int64_t open_raw = 0, close_raw = 0, open_ns = 0, end_ns = 0;
    TAPEDECK_RETURN_IF_ERROR(Integer(0, &open_raw));
    TAPEDECK_RETURN_IF_ERROR(Integer(6, &close_raw));
    TAPEDECK_RETURN_IF_ERROR(ScaleTime(0, open_raw, UnitNs(open_raw), &open_ns));
    // close_time is the last unit inside the bar (…59999 ms): one unit more is its end.
    TAPEDECK_RETURN_IF_ERROR(ScaleTime(6, close_raw + 1, UnitNs(close_raw), &end_ns));
    if (end_ns <= open_ns) {
      return Error(column(6), absl::StrCat("close_time ", close_raw, " is before open_time ",
                                           open_raw));
    }
    TAPEDECK_RETURN_IF_ERROR(CheckOrder(0, open_ns));
    if (open_ns < previous_end_) {
      return Error(column(0), absl::StrCat("bar starts at ", FormatTimestamp(Timestamp(open_ns)),
                                           ", before the previous bar ended at ",
                                           FormatTimestamp(Timestamp(previous_end_))));
    }
    previous_end_ = end_ns;
    int64_t open = 0, high = 0, low = 0, close = 0, volume = 0;
    TAPEDECK_RETURN_IF_ERROR(NonNegative(1, price_scale_, &open));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(2, price_scale_, &high));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(3, price_scale_, &low));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(4, price_scale_, &close));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(5, qty_scale_, &volume));
    if (high < low) {
      return Error(column(2), absl::StrCat("high ", std::string(fields()[2]), " is below low ",
                                           std::string(fields()[3])));
    }
    Event e = MakeEvent(EventKind::kBar, instrument_, Timestamp(end_ns), Timestamp(end_ns));
    e.bar.open = Price(open);
    e.bar.high = Price(high);
    e.bar.low = Price(low);
    e.bar.close = Price(close);
    e.bar.volume = Qty(volume);
    out->push_back(e);
    return absl::OkStatus();
  }

  absl::Status Trade(std::vector<Event>* out, size_t id_col, size_t time_col, size_t maker_col) {
    int64_t id = 0, price = 0, qty = 0, ts = 0;
    bool buyer_maker = false;
    TAPEDECK_RETURN_IF_ERROR(Integer(id_col, &id));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(1, price_scale_, &price));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(2, qty_scale_, &qty));
    TAPEDECK_RETURN_IF_ERROR(MillisOrMicros(time_col, &ts));
    TAPEDECK_RETURN_IF_ERROR(CheckOrder(time_col, ts));
    TAPEDECK_RETURN_IF_ERROR(Bool(maker_col, &buyer_maker));
    Event e = MakeEvent(EventKind::kTrade, instrument_, Timestamp(ts), Timestamp(ts));
    e.trade.price = Price(price);
    e.trade.qty = Qty(qty);
    e.trade.trade_id = static_cast<uint64_t>(id);
    // The buyer rested on the book, so the seller was the taker.
    e.trade.aggressor = buyer_maker ? Side::kSell : Side::kBuy;
    out->push_back(e);
    return absl::OkStatus();
  }

  absl::Status BookTicker(std::vector<Event>* out) {
    int64_t id = 0, bid = 0, bid_qty = 0, ask = 0, ask_qty = 0, tx = 0, ev = 0;
    TAPEDECK_RETURN_IF_ERROR(Integer(0, &id));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(1, price_scale_, &bid));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(2, qty_scale_, &bid_qty));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(3, price_scale_, &ask));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(4, qty_scale_, &ask_qty));
    TAPEDECK_RETURN_IF_ERROR(MillisOrMicros(5, &tx));
    TAPEDECK_RETURN_IF_ERROR(MillisOrMicros(6, &ev));
    TAPEDECK_RETURN_IF_ERROR(CheckOrder(5, tx));
    // event_time is when the venue pushed the update: the earliest a subscriber could see it.
    Event e = MakeEvent(EventKind::kQuote, instrument_, Timestamp(tx), Timestamp(std::max(tx, ev)));
    e.quote.bid = Price(bid);
    e.quote.bid_qty = Qty(bid_qty);
    e.quote.ask = Price(ask);
    e.quote.ask_qty = Qty(ask_qty);
    e.quote.update_id = static_cast<uint64_t>(id);
    out->push_back(e);
    return absl::OkStatus();
  }

  absl::Status Funding(std::vector<Event>* out) {
    int64_t ts = 0, hours = 0, rate = 0;
    TAPEDECK_RETURN_IF_ERROR(MillisOrMicros(0, &ts));
    TAPEDECK_RETURN_IF_ERROR(CheckOrder(0, ts));
    TAPEDECK_RETURN_IF_ERROR(Integer(1, &hours));
    if (hours == 0) return Error(column(1), "funding interval of 0 hours");
    TAPEDECK_RETURN_IF_ERROR(Signed(2, Rate::kScale, &rate));
    Event e = MakeEvent(EventKind::kFundingRate, instrument_, Timestamp(ts), Timestamp(ts));
    e.funding.rate = Rate(rate);
    e.funding.funding_ts = Timestamp(ts);
    out->push_back(e);
    return absl::OkStatus();
  }

  static int64_t UnitNs(int64_t epoch) { return epoch > 1'000'000'000'000'000 ? 1'000 : 1'000'000; }

  Kind kind_;
  InstrumentId instrument_;
  int price_scale_;
  int qty_scale_;
  int64_t previous_end_ = INT64_MIN;  // klines: end of the previous bar, ns
};

absl::StatusOr<std::unique_ptr<EventSource>> Open(Kind kind, const SourceSpec& spec,
                                                  const InstrumentTable& instruments) {
  const Layout& layout = LayoutOf(kind);
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject options, csv::Options(spec));
  TAPEDECK_RETURN_IF_ERROR(options.Finish());
  TAPEDECK_ASSIGN_OR_RETURN(const Instrument* in,
                            csv::RequireInstrument(spec, instruments, layout.format));
  std::string first;
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader,
                            csv::OpenWithFirstLine(spec.path, &first));
  const size_t width = HeaderWidth(layout, csv::SplitOwned(first));
  if (width != 0) return std::unique_ptr<EventSource>(new BinanceCsv(std::move(reader), kind, width, *in));
  Fields fields;
  SplitFields(first, ',', &fields);
  if (layout.shape != nullptr && layout.shape(fields)) {
    auto source = std::make_unique<BinanceCsv>(std::move(reader), kind, fields.size(), *in);
    source->KeepFirstRow(std::move(first));
    return std::unique_ptr<EventSource>(std::move(source));
  }
  std::vector<std::string_view> header = layout.columns;
  header.resize(header.size() - layout.optional);
  return reader->Error(
      "header",
      absl::StrCat("expected the header ", csv::JoinNames(header),
                   layout.optional != 0 ? absl::StrCat(" (optionally ,", std::string(layout.columns.back()), ")") : "",
                   layout.shape != nullptr ? " or a headerless data row of that shape" : "",
                   ", got '", first.substr(0, 80), "'"));
}

}  // namespace

bool DetectBinanceKlineCsv(const std::vector<std::string>& head) {
  return Detect(Kind::kKline, head);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceKlineCsv(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kKline, spec, instruments);
}

bool DetectBinanceTradesCsv(const std::vector<std::string>& head) {
  return Detect(Kind::kTrades, head);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceTradesCsv(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kTrades, spec, instruments);
}

bool DetectBinanceAggTradesCsv(const std::vector<std::string>& head) {
  return Detect(Kind::kAggTrades, head);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceAggTradesCsv(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kAggTrades, spec, instruments);
}

bool DetectBinanceBookTickerCsv(const std::vector<std::string>& head) {
  return Detect(Kind::kBookTicker, head);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceBookTickerCsv(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kBookTicker, spec, instruments);
}

bool DetectBinanceFundingCsv(const std::vector<std::string>& head) {
  return Detect(Kind::kFunding, head);
}
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceFundingCsv(
    const SourceSpec& spec, const InstrumentTable& instruments) {
  return Open(Kind::kFunding, spec, instruments);
}

}  // namespace tapedeck::replay
