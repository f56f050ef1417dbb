#include "testkit/strategy_test.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/merger.h"
#include "core/strategy_registry.h"
#include "testkit/vector_source.h"

namespace tapedeck::testkit {
namespace {

// The number of decimals of a decimal text ("0.01": 2, "5": 0).
int ScaleOf(std::string_view text) {
  const size_t dot = text.find('.');
  return dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
}

// A decimal without trailing zeros ("100.5", "0", "-2").
std::string Text(int64_t raw, int scale) { return FormatDecimalText(raw, scale); }

}  // namespace

// ---- Market

Market& Market::Start(Timestamp start) {
  start_ = start;
  return *this;
}

Market& Market::FeedLatency(Duration d) {
  feed_latency_ = d;
  return *this;
}

Market& Market::Spot(std::string symbol, std::string_view tick, std::string_view lot) {
  return Listed(std::move(symbol), InstrumentKind::kSpot, tick, lot);
}

Market& Market::Perpetual(std::string symbol, std::string_view tick, std::string_view lot) {
  return Listed(std::move(symbol), InstrumentKind::kPerpetual, tick, lot);
}

Market& Market::Listed(std::string symbol, InstrumentKind kind, std::string_view tick,
                       std::string_view lot) {
  where_ = absl::StrCat("instrument ", symbol);
  Instrument in;
  in.symbol = std::move(symbol);
  in.kind = kind;
  in.price_scale = ScaleOf(tick);
  in.qty_scale = ScaleOf(lot);
  if (!Parse(tick, in.price_scale, "tick", &in.tick_size.raw) ||
      !Parse(lot, in.qty_scale, "lot", &in.lot_size.raw)) {
    return *this;
  }
  return Add(std::move(in));
}

Market& Market::Add(Instrument instrument) {
  const std::string symbol = instrument.symbol;
  absl::Status s = instruments_.Add(std::move(instrument));
  if (!s.ok()) {
    Fail(absl::InvalidArgumentError(absl::StrCat("instrument ", symbol, ": ", s.message())));
  }
  return *this;
}

void Market::Fail(absl::Status s) {
  if (status_.ok()) status_ = std::move(s);
}

bool Market::Parse(std::string_view text, int scale, std::string_view field, int64_t* out) {
  absl::StatusOr<int64_t> v = ParseDecimal(text, scale);
  if (v.ok()) {
    *out = *v;
    return true;
  }
  Fail(absl::InvalidArgumentError(absl::StrCat(where_, " ", std::string(field), " '",
                                               std::string(text), "': ", v.status().message())));
  return false;
}

Event* Market::Append(EventKind kind, std::string_view symbol, Duration at,
                      std::string_view what) {
  where_ = absl::StrCat("event ", events_.size(), " (", std::string(what), ")");
  absl::StatusOr<InstrumentId> id = instruments_.Find(symbol);
  if (!id.ok()) {
    Fail(absl::InvalidArgumentError(absl::StrCat(where_, ": ", id.status().message())));
    return nullptr;
  }
  const Timestamp t = start_ + at;
  events_.push_back(MakeEvent(kind, *id, t, t + feed_latency_));
  return &events_.back();
}

Market& Market::Trade(std::string_view symbol, Duration at, std::string_view price,
                      std::string_view qty, Side aggressor) {
  Event* e = Append(EventKind::kTrade, symbol, at, "trade");
  if (e == nullptr) return *this;
  const Instrument& in = instruments_.at(e->instrument);
  e->trade.aggressor = aggressor;
  e->trade.trade_id = events_.size();
  if (!Parse(price, in.price_scale, "price", &e->trade.price.raw) ||
      !Parse(qty, in.qty_scale, "qty", &e->trade.qty.raw)) {
    events_.pop_back();
  }
  return *this;
}

Market& Market::Quote(std::string_view symbol, Duration at, std::string_view bid,
                      std::string_view bid_qty, std::string_view ask, std::string_view ask_qty) {
  Event* e = Append(EventKind::kQuote, symbol, at, "quote");
  if (e == nullptr) return *this;
  const Instrument& in = instruments_.at(e->instrument);
  e->quote.update_id = events_.size();
  if (!Parse(bid, in.price_scale, "bid", &e->quote.bid.raw) ||
      !Parse(bid_qty, in.qty_scale, "bid_qty", &e->quote.bid_qty.raw) ||
      !Parse(ask, in.price_scale, "ask", &e->quote.ask.raw) ||
      !Parse(ask_qty, in.qty_scale, "ask_qty", &e->quote.ask_qty.raw)) {
    events_.pop_back();
  }
  return *this;
}

Market& Market::Level(std::string_view symbol, Duration at, Side side, std::string_view price,
                      std::string_view qty) {
  Event* e = Append(EventKind::kBookLevel, symbol, at, "book level");
  if (e == nullptr) return *this;
  const Instrument& in = instruments_.at(e->instrument);
  e->level.side = side;
  e->level.flags = kBookEndOfMessage;
  e->level.update_id = events_.size();
  if (!Parse(price, in.price_scale, "price", &e->level.price.raw) ||
      !Parse(qty, in.qty_scale, "qty", &e->level.qty.raw)) {
    events_.pop_back();
  }
  return *this;
}

Market& Market::Funding(std::string_view symbol, Duration at, std::string_view rate,
                        Duration paid_at) {
  Event* e = Append(EventKind::kFundingRate, symbol, at, "funding");
  if (e == nullptr) return *this;
  e->funding.funding_ts = start_ + paid_at;
  if (!Parse(rate, Rate::kScale, "rate", &e->funding.rate.raw)) events_.pop_back();
  return *this;
}

Market& Market::Mark(std::string_view symbol, Duration at, std::string_view price) {
  Event* e = Append(EventKind::kMarkPrice, symbol, at, "mark price");
  if (e == nullptr) return *this;
  if (!Parse(price, instruments_.at(e->instrument).price_scale, "price", &e->price.price.raw)) {
    events_.pop_back();
  }
  return *this;
}

Market& Market::Add(const Event& e) {
  events_.push_back(e);
  return *this;
}

// ---- Run

absl::StatusOr<Outcome> Backtest(std::unique_ptr<InstrumentTable> instruments, EventSource& source,
                            Strategy& strategy, const EngineConfig& config,
                            std::unique_ptr<Strategy> owned) {
  // The merger owns its sources; `source` stays the caller's, so hand it a forwarding one.
  class Borrowed final : public EventSource {
   public:
    explicit Borrowed(EventSource& s) : s_(s) {}
    absl::StatusOr<std::span<const Event>> NextBatch() override { return s_.NextBatch(); }
    std::string Describe() const override { return s_.Describe(); }
    int64_t SizeHint() const override { return s_.SizeHint(); }

   private:
    EventSource& s_;
  };
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<Borrowed>(source));
  Merger merger(std::move(sources));
  if (absl::Status s = merger.Init(); !s.ok()) return s;
  Outcome out;
  out.instruments_ = std::move(instruments);
  out.engine_ = std::make_unique<Engine>(*out.instruments_, config);
  if (absl::Status s = out.engine_->Run(merger, strategy); !s.ok()) return s;
  out.owned_ = std::move(owned);
  out.strategy_ = &strategy;
  return out;
}

absl::StatusOr<Outcome> Backtest(const InstrumentTable& instruments,
                            std::unique_ptr<EventSource> source, Strategy& strategy,
                            const EngineConfig& config) {
  return Backtest(std::make_unique<InstrumentTable>(instruments), *source, strategy, config,
                  nullptr);
}

absl::StatusOr<Outcome> Backtest(const Market& market, Strategy& strategy,
                            const EngineConfig& config) {
  if (!market.status().ok()) return market.status();
  VectorSource source(market.events(), 2, "market");
  return Backtest(std::make_unique<InstrumentTable>(market.instruments()), source, strategy, config,
             nullptr);
}

absl::StatusOr<Outcome> Backtest(const Market& market, std::string_view name,
                            const nlohmann::json& params, const EngineConfig& config) {
  if (!market.status().ok()) return market.status();
  ConfigObject c(&params, "params");
  absl::StatusOr<std::unique_ptr<Strategy>> s = CreateStrategy(name, c, market.instruments());
  if (!s.ok()) return s.status();
  Strategy& strategy = **s;
  VectorSource source(market.events(), 2, "market");
  return Backtest(std::make_unique<InstrumentTable>(market.instruments()), source, strategy, config,
             std::move(*s));
}

// ---- Outcome

std::string Outcome::Symbol(InstrumentId id) const {
  return id.value < instruments_->size() ? instruments_->at(id).symbol
                                         : absl::StrCat("#", id.value);
}

std::vector<std::string> Outcome::Orders() const {
  std::vector<std::string> out;
  for (const OrderLogEntry& e : records().order_log()) {
    const OrderRequest& r = e.request;
    const Instrument& in = instruments_->at(r.instrument);
    const std::string price = Text(r.price.raw, in.price_scale);
    const std::string qty = Text(r.qty.raw, in.qty_scale);
    switch (e.action) {
      case RequestAction::kNew: {
        std::string line = absl::StrCat("new ", SideName(r.side), " ",
                                        std::string(OrderTypeName(r.type)), " ", qty, " ",
                                        in.symbol);
        if (r.type == OrderType::kLimit) absl::StrAppend(&line, " @ ", price);
        if (r.tif != TimeInForce::kGtc) {
          absl::StrAppend(&line, " ", std::string(TimeInForceName(r.tif)));
        }
        out.push_back(std::move(line));
        break;
      }
      case RequestAction::kCancel:
        out.push_back(absl::StrCat("cancel #", r.id.value, " ", in.symbol));
        break;
      case RequestAction::kModify:
        out.push_back(absl::StrCat("modify #", r.id.value, " ", in.symbol, " @ ", price, " qty ",
                                   qty));
        break;
    }
  }
  return out;
}

std::vector<std::string> Outcome::Fills() const {
  std::vector<std::string> out;
  for (const FillLogEntry& f : records().fill_log()) {
    const Instrument& in = instruments_->at(f.instrument);
    out.push_back(absl::StrCat(SideName(f.side), " ", Text(f.qty.raw, in.qty_scale), " ",
                               in.symbol, " @ ", Text(f.price.raw, in.price_scale), " ",
                               f.liquidity == Liquidity::kMaker ? "maker" : "taker", " fee ",
                               Text(f.fee.raw, Money::kScale)));
  }
  return out;
}

std::string Outcome::Position(std::string_view symbol) const {
  absl::StatusOr<InstrumentId> id = instruments_->Find(symbol);
  if (!id.ok()) return absl::StrCat("unknown symbol ", std::string(symbol));
  return Text(portfolio().position(*id).qty.raw, instruments_->at(*id).qty_scale);
}

std::string Outcome::RealizedPnl() const {
  return Text(portfolio().TotalRealized().raw, Money::kScale);
}

std::string Outcome::UnrealizedPnl() const {
  Money total;
  for (const Instrument& in : instruments_->all()) total += portfolio().Unrealized(in.id);
  return Text(total.raw, Money::kScale);
}

std::string Outcome::Fees() const { return Text(portfolio().TotalFees().raw, Money::kScale); }

std::string Outcome::Funding() const {
  return Text(portfolio().TotalFunding().raw, Money::kScale);
}

std::string Outcome::Pnl() const {
  return Text((portfolio().Equity() - portfolio().initial_cash()).raw, Money::kScale);
}

}  // namespace tapedeck::testkit
