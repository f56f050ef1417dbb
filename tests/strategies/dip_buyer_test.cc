#include "strategies/dip_buyer.h"

#include <algorithm>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/strategies/scenario_run.h"
#include "testkit/strategy_test.h"
#include "tests/test_util.h"

namespace tapedeck::strategies {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::RunOnScenario;
using ::tapedeck::testing::ScenarioRun;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

const nlohmann::json kParams = {{"instrument", "BTC-SPOT"}, {"tranche_qty", "1"}};

// The time and price of the lowest spot trade of the deleveraging day.
std::pair<Timestamp, int64_t> DayLow(const replay::ScenarioParams& p, uint64_t seed) {
  InstrumentTable t;
  for (Instrument& in : replay::ScenarioInstruments(p)) EXPECT_THAT(t.Add(in), IsOk());
  auto src = replay::ScenarioSource::Create(p, seed, t);
  EXPECT_THAT(src, IsOk());
  std::pair<Timestamp, int64_t> low{Timestamp(), INT64_MAX};
  for (;;) {
    auto b = (*src)->NextBatch();
    if (!b.ok() || b->empty()) break;
    for (const Event& e : *b) {
      if (e.kind == EventKind::kTrade && e.instrument.value == 0 && e.exchange_ts >= p.day_open.ns &&
          e.exchange_ts < p.day_close.ns && e.trade.price.raw < low.second) {
        low = {e.exchange_time(), e.trade.price.raw};
      }
    }
  }
  return low;
}

TEST(DipBuyerTest, FirstEntryComesAfterTheCascadeLowNotInTheFirstLeg) {
  const replay::ScenarioParams p;
  ScenarioRun run;
  ASSERT_THAT(RunOnScenario(p, 7, "dip_buyer", kParams, &run), IsOk());
  const auto& log = run.engine->records().order_log();
  const auto& fills = run.engine->records().fill_log();
  ASSERT_FALSE(log.empty());
  ASSERT_FALSE(fills.empty());
  const auto [low_time, low_price] = DayLow(p, 7);
  // The first order goes out after the day's low, which is set in the second leg.
  EXPECT_GT(low_time, p.second_leg_start);
  EXPECT_GT(log.front().ts, low_time);
  EXPECT_EQ(log.front().action, RequestAction::kNew);
  EXPECT_EQ(log.front().request.side, Side::kBuy);
  // ... and the strategy's own view of the cascade low is that low.
  const auto* dip = dynamic_cast<const DipBuyer*>(run.strategy.get());
  ASSERT_NE(dip, nullptr);
  ASSERT_FALSE(dip->trades().empty());
  const DipBuyer::Trade& t = dip->trades().front();
  EXPECT_EQ(t.cascade_low.raw, low_price);
  // Strategy time is local time: the exchange time plus the feed latency.
  EXPECT_GE(t.cascade_low_time, low_time);
  EXPECT_LT(t.cascade_low_time, low_time + Duration::Seconds(1));
  EXPECT_GT(t.first_entry, low_time);
  // It rode the rebound out at a profit.
  EXPECT_EQ(t.exit_reason, "take_profit");
  EXPECT_GT(run.engine->context().portfolio().TotalRealized().raw, 0);
  EXPECT_EQ(run.engine->context().position(InstrumentId(0)).raw, 0);
}

TEST(DipBuyerTest, NoTradesInACalmOnlyScenario) {
  replay::ScenarioParams p;
  p.calm_only = true;
  ScenarioRun run;
  ASSERT_THAT(RunOnScenario(p, 7, "dip_buyer", kParams, &run), IsOk());
  EXPECT_TRUE(run.engine->records().order_log().empty());
}

TEST(DipBuyerTest, SameSeedSameOrders) {
  replay::ScenarioParams p;
  ScenarioRun a, b;
  ASSERT_THAT(RunOnScenario(p, 11, "dip_buyer", kParams, &a), IsOk());
  ASSERT_THAT(RunOnScenario(p, 11, "dip_buyer", kParams, &b), IsOk());
  const auto& fa = a.engine->records().fill_log();
  const auto& fb = b.engine->records().fill_log();
  ASSERT_EQ(fa.size(), fb.size());
  for (size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i].local_ts, fb[i].local_ts);
    EXPECT_EQ(fa[i].price, fb[i].price);
    EXPECT_EQ(fa[i].qty, fb[i].qty);
  }
  EXPECT_EQ(a.strategy->Report().dump(), b.strategy->Report().dump());
}

// Bars only (no aggressor side, no liquidations): 1-minute bars built from the scenario's spot
// trades, as a kline file would give them.
TEST(DipBuyerTest, WorksOnBars) {
  const replay::ScenarioParams p;
  InstrumentTable t;
  for (Instrument& in : replay::ScenarioInstruments(p)) ASSERT_THAT(t.Add(in), IsOk());
  auto src = replay::ScenarioSource::Create(p, 7, t);
  ASSERT_THAT(src, IsOk());
  std::vector<Event> bars;
  const int64_t minute = Duration::Minutes(1).ns;
  Event bar;
  int64_t bar_end = 0;
  for (;;) {
    auto b = (*src)->NextBatch();
    ASSERT_THAT(b, IsOk());
    if (b->empty()) break;
    for (const Event& e : *b) {
      if (e.kind != EventKind::kTrade || e.instrument.value != 0) continue;
      const int64_t end = (e.exchange_ts / minute + 1) * minute;
      if (end != bar_end) {
        if (bar_end != 0) bars.push_back(bar);
        bar = MakeEvent(EventKind::kBar, e.instrument, Timestamp(end), Timestamp(end + 1'000'000));
        bar.bar = BarPayload{e.trade.price, e.trade.price, e.trade.price, e.trade.price, Qty(0)};
        bar_end = end;
      }
      bar.bar.high = std::max(bar.bar.high, e.trade.price);
      bar.bar.low = std::min(bar.bar.low, e.trade.price);
      bar.bar.close = e.trade.price;
      bar.bar.volume = bar.bar.volume + e.trade.qty;
    }
  }
  bars.push_back(bar);
  const auto low = *std::min_element(bars.begin(), bars.end(), [](const Event& a, const Event& b) {
    return a.bar.low < b.bar.low;
  });

  ConfigObject c(&kParams, "params");
  auto strategy = CreateStrategy("dip_buyer", c, t);
  ASSERT_THAT(strategy, IsOk());
  absl::StatusOr<testkit::Outcome> r =
      testkit::Backtest(t, std::make_unique<testkit::VectorSource>(std::move(bars)), **strategy);
  ASSERT_THAT(r, IsOk());
  const auto& log = r->records().order_log();
  ASSERT_FALSE(log.empty());
  EXPECT_GT(log.front().ts.ns, low.exchange_ts);
  const auto* dip = r->strategy_as<DipBuyer>();
  ASSERT_FALSE(dip->trades().empty());
  EXPECT_EQ(dip->trades().front().confirmation, "none (the data has no liquidations)");
}

TEST(DipBuyerTest, UnknownAndBadParametersAreErrors) {
  const replay::ScenarioParams p;
  InstrumentTable t;
  for (Instrument& in : replay::ScenarioInstruments(p)) ASSERT_THAT(t.Add(in), IsOk());
  nlohmann::json bad = kParams;
  bad["drawdown"] = 5;
  ConfigObject c(&bad, "strategies[0].params");
  EXPECT_THAT(CreateStrategy("dip_buyer", c, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("drawdown")));
  nlohmann::json bad2 = kParams;
  bad2["take_profit_bps"] = -1;
  ConfigObject c2(&bad2, "strategies[0].params");
  EXPECT_THAT(CreateStrategy("dip_buyer", c2, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("take_profit_bps")));
}

}  // namespace
}  // namespace tapedeck::strategies
