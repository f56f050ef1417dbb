#include "core/metrics.h"

#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kHour = 3600 * kSec;
constexpr int64_t kDay = 24 * kHour;

Money Usd(double v) { return Money(static_cast<int64_t>(std::llround(v * 1e8))); }

InstrumentTable OneSpot() {
  InstrumentTable t;
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;  // Price raw = cents
  in.qty_scale = 3;    // Qty raw = 0.001
  EXPECT_TRUE(t.Add(in).ok());
  return t;
}

EquityPoint Point(int64_t ts, double equity) {
  EquityPoint p;
  p.ts = Timestamp(ts);
  p.equity = Usd(equity);
  return p;
}

FillLogEntry Fill(int64_t ts, Side side, double price, double qty, double fee) {
  FillLogEntry f;
  f.local_ts = Timestamp(ts);
  f.exchange_ts = Timestamp(ts);
  f.instrument = InstrumentId(0);
  f.side = side;
  f.price = Price(std::llround(price * 100));
  f.qty = Qty(std::llround(qty * 1000));
  f.fee = Usd(fee);
  return f;
}

MetricsInput Input(const InstrumentTable& t, int64_t start, int64_t end, double initial) {
  MetricsInput in;
  in.instruments = &t;
  in.start = Timestamp(start);
  in.end = Timestamp(end);
  in.initial_equity = Usd(initial);
  in.final_marks.assign(t.size(), std::nullopt);
  return in;
}

TEST(MetricsTest, FlatSeriesWithNoTradesHasZeroRiskAndUndefinedRatios) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, 3 * kDay, 1000);
  in.equity = {Point(kDay, 1000), Point(2 * kDay, 1000), Point(3 * kDay, 1000)};
  const Metrics m = ComputeMetrics(in);
  // Series (0,1000) (1d,1000) (2d,1000) (3d,1000): three returns, all 0.
  EXPECT_EQ(m.returns, 3u);
  EXPECT_DOUBLE_EQ(m.total_return, 0.0);
  ASSERT_TRUE(m.cagr.has_value());  // span 3 days >= 1 day: 1^(365/3) - 1 = 0
  EXPECT_DOUBLE_EQ(*m.cagr, 0.0);
  // dt = 3d / 3 = 86400 s, periods per year = 365.
  ASSERT_TRUE(m.periods_per_year.has_value());
  EXPECT_DOUBLE_EQ(*m.periods_per_year, 365.0);
  ASSERT_TRUE(m.volatility.has_value());
  EXPECT_DOUBLE_EQ(*m.volatility, 0.0);
  EXPECT_FALSE(m.sharpe.has_value());   // stdev 0
  EXPECT_FALSE(m.sortino.has_value());  // no negative return
  EXPECT_DOUBLE_EQ(m.drawdown.fraction, 0.0);
  EXPECT_FALSE(m.drawdown.peak.has_value());
  EXPECT_FALSE(m.drawdown.recovery.has_value());
  EXPECT_FALSE(m.calmar.has_value());
  EXPECT_EQ(m.round_trips, 0u);
  EXPECT_FALSE(m.win_rate.has_value());
  EXPECT_FALSE(m.profit_factor.has_value());
  EXPECT_FALSE(m.average_win.has_value());
  EXPECT_DOUBLE_EQ(m.exposure, 0.0);
  EXPECT_EQ(m.fees.raw, 0);
  EXPECT_EQ(m.fills, 0u);
}

TEST(MetricsTest, DrawdownThatNeverRecovers) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, 3 * kHour, 100);
  in.equity = {Point(kHour, 120), Point(2 * kHour, 90), Point(3 * kHour, 96)};
  const Metrics m = ComputeMetrics(in);
  // Series 100, 120, 90, 96 at 0h..3h.
  // total return = 96 / 100 - 1 = -0.04; span 3h < 1 day: no CAGR, so no Calmar.
  EXPECT_NEAR(m.total_return, -0.04, 1e-12);
  EXPECT_FALSE(m.cagr.has_value());
  EXPECT_FALSE(m.calmar.has_value());
  // Peak 120 at 1h, trough 90 at 2h: (120 - 90) / 120 = 0.25, 30 USD; 96 < 120: no recovery.
  EXPECT_DOUBLE_EQ(m.drawdown.fraction, 0.25);
  EXPECT_EQ(m.drawdown.amount, Usd(30));
  EXPECT_EQ(m.drawdown.peak_equity, Usd(120));
  EXPECT_EQ(m.drawdown.trough_equity, Usd(90));
  EXPECT_EQ(m.drawdown.peak, Timestamp(kHour));
  EXPECT_EQ(m.drawdown.trough, Timestamp(2 * kHour));
  EXPECT_FALSE(m.drawdown.recovery.has_value());
  // Returns r = 0.2, -0.25, 96/90 - 1 = 0.0666...; mean = 0.016666.../3 = 0.0055556.
  // Deviations 0.194444, -0.255556, 0.061111; squares sum 0.106852; / (3-1) -> sd = 0.2311405.
  // dt = 3h / 3 = 3600 s -> periods per year = 31,536,000 / 3600 = 8760, sqrt = 93.5949.
  // volatility = 0.2311405 x 93.5949 = 21.63356; sharpe = 0.0055556 / 0.2311405 x 93.5949 =
  // 2.249591; downside deviation = sqrt(0.25^2 / 3) = 0.1443376 -> sortino = 3.602468.
  ASSERT_TRUE(m.periods_per_year.has_value());
  EXPECT_DOUBLE_EQ(*m.periods_per_year, 8760.0);
  EXPECT_NEAR(*m.volatility, 21.633564456906104, 1e-9);
  EXPECT_NEAR(*m.sharpe, 2.2495907580838232, 1e-9);
  EXPECT_NEAR(*m.sortino, 3.602468289628345, 1e-9);
}

TEST(MetricsTest, DeepestDrawdownAndItsRecoveryAreReported) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, 5 * kHour, 100);
  in.equity = {Point(1 * kHour, 90), Point(2 * kHour, 100), Point(3 * kHour, 120),
               Point(4 * kHour, 96), Point(5 * kHour, 121)};
  const Metrics m = ComputeMetrics(in);
  // First drawdown 100 -> 90 = 10%, recovered at 2h; the second 120 -> 96 = 24/120 = 20% is
  // deeper: peak at 3h, trough at 4h, recovered at 5h (121 >= 120).
  EXPECT_DOUBLE_EQ(m.drawdown.fraction, 0.2);
  EXPECT_EQ(m.drawdown.amount, Usd(24));
  EXPECT_EQ(m.drawdown.peak, Timestamp(3 * kHour));
  EXPECT_EQ(m.drawdown.trough, Timestamp(4 * kHour));
  EXPECT_EQ(m.drawdown.recovery, Timestamp(5 * kHour));
}

TEST(MetricsTest, CagrAndCalmarOverSeventyThreeDays) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, 73 * kDay, 100);
  in.equity = {Point(10 * kDay, 95), Point(73 * kDay, 110)};
  const Metrics m = ComputeMetrics(in);
  // Growth 1.1 over 73 days = 1/5 year: CAGR = 1.1^5 - 1 = 0.61051.
  ASSERT_TRUE(m.cagr.has_value());
  EXPECT_NEAR(*m.cagr, 0.61051, 1e-12);
  // Max drawdown 100 -> 95 = 5%; recovered at 73d. Calmar = 0.61051 / 0.05 = 12.2102.
  EXPECT_NEAR(m.drawdown.fraction, 0.05, 1e-15);
  EXPECT_EQ(m.drawdown.peak, Timestamp(0));
  EXPECT_EQ(m.drawdown.recovery, Timestamp(73 * kDay));
  ASSERT_TRUE(m.calmar.has_value());
  EXPECT_NEAR(*m.calmar, 12.2102, 1e-9);
}

TEST(MetricsTest, SinglePointHasNoReturns) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 5 * kSec, 5 * kSec, 100);
  const Metrics m = ComputeMetrics(in);
  EXPECT_EQ(m.returns, 0u);
  EXPECT_DOUBLE_EQ(m.total_return, 0.0);
  EXPECT_EQ(m.final_equity, Usd(100));
  EXPECT_FALSE(m.periods_per_year.has_value());
  EXPECT_FALSE(m.volatility.has_value());
  EXPECT_FALSE(m.sharpe.has_value());
  EXPECT_FALSE(m.sortino.has_value());
  EXPECT_FALSE(m.drawdown.peak.has_value());
  EXPECT_DOUBLE_EQ(m.exposure, 0.0);
  // The JSON has every key, with nulls for what is undefined.
  const nlohmann::json j = MetricsToJson(m);
  EXPECT_TRUE(j["sharpe"].is_null());
  EXPECT_TRUE(j["max_drawdown"]["recovery"].is_null());
  EXPECT_EQ(j["fees"], "0.00000000");
}

TEST(MetricsTest, RoundTripsAreFlatToFlatCyclesAndFlipsAreSplit) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, 10 * kSec, 1000);
  in.fills = {
      Fill(1 * kSec, Side::kBuy, 100, 1, 0.1),   // long 1
      Fill(2 * kSec, Side::kBuy, 110, 1, 0.1),   // long 2, entry VWAP 105
      Fill(3 * kSec, Side::kSell, 120, 2, 0.2),  // flat: trip 1
      Fill(4 * kSec, Side::kSell, 120, 1, 0.1),  // short 1
      Fill(5 * kSec, Side::kBuy, 125, 3, 0.3),   // closes the short (1), opens long 2
  };
  in.final_marks = {Price(13000)};  // 130.00
  in.orders = 5;
  const Metrics m = ComputeMetrics(in);
  ASSERT_EQ(m.trips.size(), 3u);
  // Trip 1, long: cash flow = 240 - 100 - 110 = 30, fees 0.4, pnl 29.6.
  const RoundTrip& a = m.trips[0];
  EXPECT_TRUE(a.closed);
  EXPECT_TRUE(a.long_side);
  EXPECT_EQ(a.open_ts, Timestamp(1 * kSec));
  EXPECT_EQ(a.close_ts, Timestamp(3 * kSec));
  EXPECT_EQ(a.qty, Qty(2000));
  EXPECT_DOUBLE_EQ(a.EntryPrice(t.at(InstrumentId(0))), 105.0);
  EXPECT_DOUBLE_EQ(a.ExitPrice(t.at(InstrumentId(0))), 120.0);
  EXPECT_EQ(a.pnl, Usd(29.6));
  // Trip 2, short: 120 - 125 (1 of the 3 bought at 125) - fees 0.1 - 0.3 x 1/3 = -5.2.
  const RoundTrip& b = m.trips[1];
  EXPECT_TRUE(b.closed);
  EXPECT_FALSE(b.long_side);
  EXPECT_EQ(b.fees, Usd(0.2));
  EXPECT_EQ(b.pnl, Usd(-5.2));
  // Trip 3, still open: long 2 from 125, fee 0.2, marked at 130: -250 + 260 - 0.2 = 9.8.
  const RoundTrip& c = m.trips[2];
  EXPECT_FALSE(c.closed);
  EXPECT_EQ(c.pnl, Usd(9.8));

  EXPECT_EQ(m.round_trips, 2u);
  EXPECT_EQ(m.open_round_trips, 1u);
  EXPECT_EQ(m.wins, 1u);
  EXPECT_EQ(m.losses, 1u);
  EXPECT_DOUBLE_EQ(*m.win_rate, 0.5);
  EXPECT_NEAR(*m.profit_factor, 29.6 / 5.2, 1e-12);  // 5.6923
  EXPECT_EQ(*m.average_win, Usd(29.6));
  EXPECT_EQ(*m.average_loss, Usd(-5.2));
  // Fees 0.1 + 0.1 + 0.2 + 0.1 + 0.3 = 0.8; traded 100 + 110 + 240 + 120 + 375 = 945.
  EXPECT_EQ(m.fees, Usd(0.8));
  EXPECT_EQ(m.traded_notional, Usd(945));
  EXPECT_DOUBLE_EQ(m.turnover, 0.945);
  // Per instrument: flows -100 - 110 + 240 + 120 - 375 = -225, - fees 0.8, + 2 x 130 = 34.2,
  // which is the sum of the trips: 29.6 - 5.2 + 9.8.
  ASSERT_EQ(m.instruments.size(), 1u);
  EXPECT_EQ(m.instruments[0].pnl, Usd(34.2));
  EXPECT_EQ(m.instruments[0].final_position, Qty(2000));
  EXPECT_EQ(m.instruments[0].fills, 5u);
  EXPECT_EQ(m.instruments[0].round_trips, 2u);
  // In a position during [1s, 3s] and [4s, 10s]: 8 of 10 seconds.
  EXPECT_DOUBLE_EQ(m.exposure, 0.8);
  EXPECT_DOUBLE_EQ(m.instruments[0].exposure, 0.8);
  EXPECT_EQ(m.fills, 5u);
  EXPECT_EQ(m.orders, 5u);
}

// A hedged pair: a spot and a future leg under one trade group are one trade, its PnL the sum of
// the legs; a group with a leg still open is an open trade; an ungrouped round trip is a trade.
TEST(MetricsTest, RoundTripsOfOneTradeGroupAreOneTrade) {
  InstrumentTable t = OneSpot();
  Instrument fut;
  fut.symbol = "BTCUSDT_PERP";
  fut.price_scale = 2;
  fut.qty_scale = 3;
  ASSERT_TRUE(t.Add(fut).ok());
  auto leg = [](int64_t ts, uint16_t instrument, Side side, double price, uint32_t group) {
    FillLogEntry f = Fill(ts * kSec, side, price, 1, 0);
    f.instrument = InstrumentId(instrument);
    f.group = TradeGroup(group);
    return f;
  };
  MetricsInput in = Input(t, 0, 10 * kSec, 1000);
  in.fills = {
      leg(1, 0, Side::kBuy, 100, 1),   // group 1: spot +10 ...
      leg(1, 1, Side::kSell, 101, 1),  // ... future -11
      leg(2, 0, Side::kSell, 110, 1),
      leg(2, 1, Side::kBuy, 112, 1),
      leg(3, 0, Side::kBuy, 100, 0),   // ungrouped spot: +5
      leg(4, 0, Side::kSell, 105, 0),
      leg(5, 0, Side::kBuy, 100, 2),   // group 2: spot closed (+1), future still open
      leg(5, 1, Side::kSell, 101, 2),
      leg(6, 0, Side::kSell, 101, 2),
  };
  in.final_marks = {Price(10100), Price(10100)};
  const Metrics m = ComputeMetrics(in);
  ASSERT_EQ(m.trips.size(), 5u);  // the legs stay in round_trips.csv
  EXPECT_EQ(m.trips[0].group, TradeGroup(1));
  const std::vector<Trade> trades = GroupTrades(m.trips);
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades[0].group, TradeGroup(1));
  EXPECT_EQ(trades[0].legs, 2u);
  EXPECT_TRUE(trades[0].closed);
  EXPECT_EQ(trades[0].pnl, Usd(-1));
  EXPECT_EQ(trades[0].close_ts, Timestamp(2 * kSec));
  EXPECT_FALSE(trades[1].group.valid());
  EXPECT_EQ(trades[1].pnl, Usd(5));
  EXPECT_EQ(trades[2].group, TradeGroup(2));
  EXPECT_FALSE(trades[2].closed);  // its future leg is open
  EXPECT_EQ(trades[2].legs, 2u);

  EXPECT_EQ(m.round_trips, 2u);  // group 1 and the ungrouped one
  EXPECT_EQ(m.open_round_trips, 1u);
  EXPECT_EQ(m.wins, 1u);
  EXPECT_EQ(m.losses, 1u);
  EXPECT_EQ(m.gross_loss, Usd(-1));  // not -11: the pair's legs net
  EXPECT_EQ(m.gross_profit, Usd(5));
  EXPECT_DOUBLE_EQ(*m.win_rate, 0.5);
  // Per instrument the legs count: spot has three closed round trips, the future one.
  EXPECT_EQ(m.instruments[0].round_trips, 3u);
  EXPECT_EQ(m.instruments[0].wins, 3u);
  EXPECT_EQ(m.instruments[1].round_trips, 1u);
  EXPECT_EQ(m.instruments[1].wins, 0u);
}

TEST(MetricsTest, FundingIsSplitIntoPaidAndReceived) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, kHour, 100);
  in.funding = {{Timestamp(1), InstrumentId(0), Usd(1.5)}, {Timestamp(2), InstrumentId(0), Usd(-0.5)}};
  const Metrics m = ComputeMetrics(in);
  EXPECT_EQ(m.funding_received, Usd(1.5));
  EXPECT_EQ(m.funding_paid, Usd(0.5));
  EXPECT_EQ(m.instruments[0].funding, Usd(1.0));
  EXPECT_EQ(m.instruments[0].pnl, Usd(1.0));
}

TEST(MetricsTest, SameInputsGiveIdenticalJson) {
  const InstrumentTable t = OneSpot();
  MetricsInput in = Input(t, 0, 3 * kHour, 100);
  in.equity = {Point(kHour, 120), Point(2 * kHour, 90), Point(3 * kHour, 96)};
  EXPECT_EQ(MetricsToJson(ComputeMetrics(in)).dump(), MetricsToJson(ComputeMetrics(in)).dump());
}

// ---- The metric table and summary.json ----

// A run with trades, an open position, funding and a drawdown: every kind of value.
Metrics TradedRun(const InstrumentTable& t) {
  MetricsInput in = Input(t, 0, 2 * kDay, 1000);
  in.equity = {Point(kDay / 2, 1010), Point(kDay, 990), Point(2 * kDay, 1030.25)};
  in.fills = {Fill(1 * kSec, Side::kBuy, 100, 1, 0.1), Fill(2 * kSec, Side::kSell, 120, 1, 0.1),
              Fill(3 * kSec, Side::kBuy, 110, 2, 0.2)};
  in.funding = {{Timestamp(5), InstrumentId(0), Usd(-0.5)}};
  in.final_marks = {Price(11500)};
  in.orders = 3;
  return ComputeMetrics(in);
}

RunTotals Totals() {
  RunTotals r;
  r.events = 1234;
  r.orders = 3;
  r.requests = 4;
  r.fills = 3;
  r.initial_cash = Usd(1000);
  r.final_equity = Usd(1030.25);
  r.pnl = Usd(30.25);
  r.realized_pnl = Usd(20);
  r.unrealized_pnl = Usd(10);
  r.fees = Usd(0.4);
  r.funding = Usd(-0.5);
  return r;
}

nlohmann::json Summary(const InstrumentTable& t) {
  nlohmann::json s = {{"metrics", MetricsToJson(TradedRun(t))}};
  RunTotalsToJson(Totals(), &s);
  return s;
}

TEST(MetricTableTest, NamesAreUniqueAndInIdOrder) {
  std::set<std::string_view> names;
  ASSERT_EQ(MetricTable().size(), kMetricCount);
  for (size_t i = 0; i < MetricTable().size(); ++i) {
    const Metric& m = MetricTable()[i];
    EXPECT_EQ(static_cast<size_t>(m.id), i) << m.name;
    EXPECT_TRUE(names.insert(m.name).second) << m.name << " twice";
    EXPECT_FALSE(m.label.empty()) << m.name;
    EXPECT_EQ(FindMetric(m.name), &m);
    EXPECT_EQ(&GetMetric(m.id), &m);
  }
  EXPECT_EQ(FindMetric("max_dd"), nullptr);
  EXPECT_EQ(GetMetric(MetricId::kMaxDrawdown).name, "max_drawdown");
  EXPECT_EQ(GetMetric(MetricId::kMaxDrawdown).better, MetricBetter::kLower);
  EXPECT_EQ(GetMetric(MetricId::kSharpe).unit, MetricUnit::kRatio);
}

TEST(MetricTableTest, SummaryJsonHoldsEveryMetricWhereTheTableSays) {
  const InstrumentTable t = OneSpot();
  const Metrics m = TradedRun(t);
  const nlohmann::json s = Summary(t);
  EXPECT_EQ(s["pnl"], "30.25000000");
  EXPECT_EQ(s["events"], 1234);
  EXPECT_EQ(s["metrics"]["max_drawdown"]["fraction"], m.drawdown.fraction);
  EXPECT_EQ(s["metrics"]["sharpe"], *m.sharpe);
  EXPECT_EQ(s["metrics"]["round_trips"], 1);
  EXPECT_EQ(s["metrics"]["instruments"][0]["final_position"], "2.000");
  EXPECT_EQ(s["metrics"]["instruments"][0]["symbol"], "BTCUSDT");
  // The metrics object's own fill-based figures sit beside the table's.
  EXPECT_EQ(s["metrics"]["fees"], "0.40000000");
  EXPECT_EQ(s["metrics"]["orders"], 3);
}

TEST(MetricTableTest, ReadBackGivesTheSameValuesAndTheSameJson) {
  const InstrumentTable t = OneSpot();
  const Metrics m = TradedRun(t);
  const RunTotals totals = Totals();
  const nlohmann::json s = Summary(t);
  RunTotals totals2;
  Metrics m2;
  ASSERT_TRUE(ResultsFromJson(nlohmann::json::parse(s.dump()), "s.json", &totals2, &m2).ok());
  for (const Metric& metric : MetricTable()) {
    const MetricValue a = metric.Read(totals, m), b = metric.Read(totals2, m2);
    EXPECT_EQ(a.ToJson(), b.ToJson()) << metric.name;
    // Bit for bit: what a sweep compares.
    if (a.ToDouble().has_value()) {
      EXPECT_EQ(*a.ToDouble(), *b.ToDouble()) << metric.name;
    } else {
      EXPECT_FALSE(b.ToDouble().has_value()) << metric.name;
    }
  }
  nlohmann::json again = {{"metrics", MetricsToJson(m2)}};
  RunTotalsToJson(totals2, &again);
  EXPECT_EQ(again.dump(), s.dump());
}

TEST(MetricTableTest, MoneyAsDoubleIsWhatParsingItsTextGives) {
  for (int64_t raw : {int64_t{0}, int64_t{1}, int64_t{-5}, int64_t{100'071'949'185'677},
                      int64_t{123'456'789'012'345'678}, int64_t{-9'007'199'254'740'993}}) {
    const std::string text = FormatDecimal(raw, Money::kScale);
    EXPECT_EQ(*MetricValue::Of(Money(raw)).ToDouble(), std::strtod(text.c_str(), nullptr)) << text;
  }
  EXPECT_FALSE(MetricValue::Of(std::nan("")).has_value());
  EXPECT_TRUE(MetricValue::Of(std::optional<double>()).ToJson().is_null());
}

TEST(MetricTableTest, BadSummaryErrorsNameTheKeyPath) {
  const InstrumentTable t = OneSpot();
  auto error = [](const nlohmann::json& s) {
    RunTotals totals;
    Metrics m;
    const absl::Status st = ResultsFromJson(s, "run/summary.json", &totals, &m);
    return st.ok() ? std::string("OK") : std::string(st.message());
  };
  EXPECT_EQ(error(Summary(t)), "OK");
  nlohmann::json s = Summary(t);
  s["metrics"].erase("sharpe");
  EXPECT_EQ(error(s), "run/summary.json: metrics.sharpe: missing");
  s = Summary(t);
  s["pnl"] = 3.5;
  EXPECT_EQ(error(s), "run/summary.json: pnl: expected money (a decimal string)");
  s = Summary(t);
  s["metrics"]["instruments"][0]["fees"] = "1.2.3";
  EXPECT_THAT(error(s), ::testing::StartsWith("run/summary.json: metrics.instruments[0].fees: "));
  s = Summary(t);
  s["metrics"]["max_drawdown"]["peak"] = "yesterday";
  EXPECT_THAT(error(s), ::testing::StartsWith("run/summary.json: metrics.max_drawdown.peak: "));
  s = Summary(t);
  s["metrics"]["round_trips"] = -1;
  EXPECT_EQ(error(s), "run/summary.json: metrics.round_trips: expected a count (an integer >= 0)");
}

// docs/outputs.md lists the table as it is: every metric with its label, unit and direction.
TEST(MetricTableTest, DocsListEveryMetric) {
  const std::string doc = ::tapedeck::testing::ReadFile(::tapedeck::testing::SourceDir() +
                                                         "/docs/outputs.md");
  auto unit = [](MetricUnit u) {
    switch (u) {
      case MetricUnit::kMoney: return "money";
      case MetricUnit::kFraction: return "fraction";
      case MetricUnit::kRatio: return "ratio";
      case MetricUnit::kCount: return "count";
      case MetricUnit::kSeconds: return "s";
    }
    return "";
  };
  auto better = [](MetricBetter b) {
    return b == MetricBetter::kHigher ? "higher" : b == MetricBetter::kLower ? "lower" : "";
  };
  for (const Metric& m : MetricTable()) {
    const std::string row = std::string("| `") + std::string(m.name) + "` | " +
                            std::string(m.label) + " | " + unit(m.unit) + " | " + better(m.better) +
                            " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/outputs.md lacks: " << row;
  }
}

}  // namespace
}  // namespace tapedeck
