#include "replay/generic_csv.h"

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"
#include "replay/csv_common.h"

namespace tapedeck::replay {
namespace {

using csv::CsvSource;

const std::vector<std::string_view> kTradeColumns = {"ts", "price", "qty", "side"};
const std::vector<std::string_view> kQuoteColumns = {"ts", "bid", "bid_qty", "ask", "ask_qty"};

bool DetectHeader(const std::vector<std::string>& head,
                  const std::vector<std::string_view>& wanted) {
  for (const std::string& line : head) {
    if (line.empty()) continue;
    return csv::SameColumnSet(csv::SplitOwned(line), wanted);
  }
  return false;
}

// Both generic formats: a header naming the columns in any order, then rows.
class GenericCsv : public CsvSource {
 protected:
  GenericCsv(std::unique_ptr<LineReader> reader, std::vector<std::string> header,
             InstrumentId instrument, int price_scale, int qty_scale)
      : CsvSource(std::move(reader)), header_(std::move(header)), instrument_(instrument),
        price_scale_(price_scale), qty_scale_(qty_scale) {
    SetColumns(std::vector<std::string_view>(header_.begin(), header_.end()));
  }

  // Integer ns, or ISO-8601 UTC through the (slower) config parser.
  absl::Status Time(size_t i, int64_t* ns) const {
    if (TryParseInt(fields()[i], ns)) return absl::OkStatus();
    absl::StatusOr<Timestamp> t = ParseTimestamp(fields()[i]);
    if (!t.ok()) return Error(column(i), t.status());
    *ns = t->ns;
    return absl::OkStatus();
  }

  std::vector<std::string> header_;  // owns the names that columns() views
  InstrumentId instrument_;
  int price_scale_;
  int qty_scale_;
};

class TradesCsv final : public GenericCsv {
 public:
  TradesCsv(std::unique_ptr<LineReader> reader, std::vector<std::string> header,
            std::vector<size_t> index, const Instrument& in)
      : GenericCsv(std::move(reader), std::move(header), in.id, in.price_scale, in.qty_scale),
        ts_(index[0]), price_(index[1]), qty_(index[2]), side_(index[3]) {}

 private:
  absl::Status ParseRow(std::vector<Event>* out) override {
    int64_t ts = 0, price = 0, qty = 0;
    TAPEDECK_RETURN_IF_ERROR(Time(ts_, &ts));
    TAPEDECK_RETURN_IF_ERROR(CheckOrder(ts_, ts));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(price_, price_scale_, &price));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(qty_, qty_scale_, &qty));
    const std::string_view side = fields()[side_];
    Side aggressor = Side::kBuy;
    if (side == "sell") {
      aggressor = Side::kSell;
    } else if (side != "buy") {
      return Error(column(side_), absl::StrCat("'", std::string(side.substr(0, 40)),
                                               "' is not buy or sell"));
    }
    Event e = MakeEvent(EventKind::kTrade, instrument_, Timestamp(ts), Timestamp(ts));
    e.trade.price = Price(price);
    e.trade.qty = Qty(qty);
    e.trade.aggressor = aggressor;
    out->push_back(e);
    return absl::OkStatus();
  }

  size_t ts_, price_, qty_, side_;
};

class QuotesCsv final : public GenericCsv {
 public:
  QuotesCsv(std::unique_ptr<LineReader> reader, std::vector<std::string> header,
            std::vector<size_t> index, const Instrument& in)
      : GenericCsv(std::move(reader), std::move(header), in.id, in.price_scale, in.qty_scale),
        index_(std::move(index)) {}

 private:
  absl::Status ParseRow(std::vector<Event>* out) override {
    int64_t ts = 0, bid = 0, bid_qty = 0, ask = 0, ask_qty = 0;
    TAPEDECK_RETURN_IF_ERROR(Time(index_[0], &ts));
    TAPEDECK_RETURN_IF_ERROR(CheckOrder(index_[0], ts));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(index_[1], price_scale_, &bid));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(index_[2], qty_scale_, &bid_qty));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(index_[3], price_scale_, &ask));
    TAPEDECK_RETURN_IF_ERROR(NonNegative(index_[4], qty_scale_, &ask_qty));
    Event e = MakeEvent(EventKind::kQuote, instrument_, Timestamp(ts), Timestamp(ts));
    e.quote.bid = Price(bid);
    e.quote.bid_qty = Qty(bid_qty);
    e.quote.ask = Price(ask);
    e.quote.ask_qty = Qty(ask_qty);
    out->push_back(e);
    return absl::OkStatus();
  }

  std::vector<size_t> index_;
};

template <typename Reader>
absl::StatusOr<std::unique_ptr<EventSource>> OpenGeneric(
    const SourceSpec& spec, const InstrumentTable& instruments, std::string_view format,
    const std::vector<std::string_view>& wanted) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject options, csv::Options(spec));
  TAPEDECK_RETURN_IF_ERROR(options.Finish());
  TAPEDECK_ASSIGN_OR_RETURN(const Instrument* in,
                            csv::RequireInstrument(spec, instruments, format));
  std::string first;
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader,
                            csv::OpenWithFirstLine(spec.path, &first));
  std::vector<std::string> header = csv::SplitOwned(first);
  if (!header.empty() && csv::IsDecimal(header[0])) {
    // A data row where the header should be: say so rather than "unknown column '1700...'".
    return reader->Error("header", absl::StrCat("the first line must be the header ",
                                                csv::JoinNames(wanted),
                                                " (columns in any order), got '",
                                                first.substr(0, 80), "'"));
  }
  std::vector<size_t> index;
  TAPEDECK_RETURN_IF_ERROR(csv::MapColumns(*reader, header, wanted, &index));
  return std::unique_ptr<EventSource>(
      new Reader(std::move(reader), std::move(header), std::move(index), *in));
}

}  // namespace

bool DetectTradesCsv(const std::vector<std::string>& head) {
  return DetectHeader(head, kTradeColumns);
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenTradesCsv(const SourceSpec& spec,
                                                           const InstrumentTable& instruments) {
  return OpenGeneric<TradesCsv>(spec, instruments, "trades_csv", kTradeColumns);
}

bool DetectQuotesCsv(const std::vector<std::string>& head) {
  return DetectHeader(head, kQuoteColumns);
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenQuotesCsv(const SourceSpec& spec,
                                                           const InstrumentTable& instruments) {
  return OpenGeneric<QuotesCsv>(spec, instruments, "quotes_csv", kQuoteColumns);
}

}  // namespace tapedeck::replay
