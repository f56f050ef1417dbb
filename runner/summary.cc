#include "runner/summary.h"

#include <optional>

#include "core/config.h"
#include "core/decimal.h"
#include "core/version.h"

namespace tapedeck::runner {
namespace {

std::string M(Money m) { return FormatDecimal(m.raw, Money::kScale); }

// Per instrument: position, average price, mark, PnL, fees, funding, traded quantity.
nlohmann::json InstrumentResults(const Portfolio& p, const InstrumentTable& t, Money* unrealized) {
  nlohmann::json instruments = nlohmann::json::array();
  for (const Instrument& in : t.all()) {
    const Position& pos = p.position(in.id);
    const Money u = p.Unrealized(in.id);
    *unrealized += u;
    instruments.push_back({{"symbol", in.symbol},
                           {"position", FormatDecimal(pos.qty.raw, in.qty_scale)},
                           {"average_price", p.AveragePrice(in.id)},
                           {"mark", pos.has_mark ? FormatDecimal(pos.mark.raw, in.price_scale) : ""},
                           {"realized_pnl", M(pos.realized_pnl)},
                           {"unrealized_pnl", M(u)},
                           {"fees", M(pos.fees)},
                           {"funding", M(pos.funding)},
                           {"traded_qty", FormatDecimal(pos.traded.raw, in.qty_scale)}});
  }
  return instruments;
}

}  // namespace

void MetricsCollector::OnAccount(const AccountLogEntry& a) {
  ++account_events_;
  switch (a.action) {
    case AccountAction::kFunding:
      ++funding_events_;
      break;
    case AccountAction::kSettlement:
      ++settlements_;
      settlement_pnl_ += a.amount;
      break;
    case AccountAction::kLiquidation:
      ++liquidations_;
      liquidation_pnl_ += a.amount;
      liquidation_fees_ += a.fee;
      break;
  }
  // Each funding payment is a flow at the time the strategy learnt of it. A settlement or a
  // liquidation closes the position like a fill by the venue (order id 0, at its price, the
  // liquidation fee as its fee), so that round trips close and per-instrument PnL is right.
  if (a.action == AccountAction::kFunding) {
    funding_.push_back(FundingFlow{a.local_ts, a.instrument, a.amount});
    return;
  }
  if (a.qty.raw == 0) return;
  venue_closes_.push_back(FillLogEntry{a.local_ts, a.exchange_ts, OrderId(), a.instrument,
                                       a.qty.raw > 0 ? Side::kSell : Side::kBuy, a.price,
                                       Qty(a.qty.raw > 0 ? a.qty.raw : -a.qty.raw), a.fee,
                                       Liquidity::kNone, TradeGroup()});
}

Metrics MetricsCollector::Compute(const Context& ctx, const RunFacts& facts) const {
  const InstrumentTable& t = ctx.instruments();
  const Portfolio& p = ctx.portfolio();
  MetricsInput mi;
  mi.instruments = &t;
  mi.start = facts.first_ts;
  mi.end = facts.last_ts;
  mi.initial_equity = p.initial_cash();
  mi.equity_series = equity_;  // lent, not copied: the curve can be long
  // The venue's closes after every real fill, as the metrics have always taken them.
  mi.fills = fills_;
  mi.fills.insert(mi.fills.end(), venue_closes_.begin(), venue_closes_.end());
  mi.funding = funding_;
  mi.orders = ctx.orders_sent();
  for (const Instrument& in : t.all()) {
    const Position& pos = p.position(in.id);
    mi.final_marks.push_back(pos.has_mark ? std::optional<Price>(pos.mark) : std::nullopt);
  }
  return ComputeMetrics(mi);
}

RunTotals MetricsCollector::Totals(const Context& ctx, const RunFacts& facts) const {
  const Portfolio& p = ctx.portfolio();
  RunTotals t;
  t.events = facts.market_events;
  t.orders = ctx.orders_sent();
  t.requests = requests_;
  t.fills = fills_.size();
  t.initial_cash = p.initial_cash();
  t.final_equity = p.Equity();
  t.pnl = t.final_equity - t.initial_cash;
  t.realized_pnl = p.TotalRealized();
  for (const Instrument& in : ctx.instruments().all()) t.unrealized_pnl += p.Unrealized(in.id);
  t.fees = p.TotalFees();
  t.funding = p.TotalFunding();
  return t;
}

nlohmann::json MetricsCollector::Summary(const Context& ctx, const RunFacts& facts,
                                         const Metrics& metrics, const RunDigests& digests,
                                         const nlohmann::json& strategy_report,
                                         const StrategySections& sections,
                                         const nlohmann::json& config) const {
  Money unrealized;
  nlohmann::json instruments = InstrumentResults(ctx.portfolio(), ctx.instruments(), &unrealized);
  const nlohmann::json metrics_json = MetricsToJson(metrics);
  nlohmann::json summary = {
      {"schema", "tapedeck.summary/1"},
      {"version", std::string(kVersion)},
      {"strategy", facts.strategy_name},
      {"label", facts.label},
      {"seed", facts.seed},
      {"start", FormatTimestamp(facts.first_ts)},
      {"end", FormatTimestamp(facts.last_ts)},
      {"account", {{"events", account_events_},
                   {"funding_payments", funding_events_},
                   {"settlements", settlements_},
                   {"settlement_pnl", M(settlement_pnl_)},
                   {"liquidations", liquidations_},
                   {"liquidation_pnl", M(liquidation_pnl_)},
                   {"liquidation_fees", M(liquidation_fees_)}}},
      {"instruments", instruments},
      {"metrics", metrics_json},
      {"strategy_report", strategy_report},
      {"strategy_sections", SectionsToJson(sections.sections)},
      {"strategy_charts", ChartsToJson(sections.charts, ctx.instruments())},
      {"digest", digests.ToJson()},
      {"config", config},
  };
  // The run's figures (events, orders, ..., pnl, fees): from the metric table (core/metrics.h).
  RunTotalsToJson(Totals(ctx, facts), &summary);
  return summary;
}

}  // namespace tapedeck::runner
