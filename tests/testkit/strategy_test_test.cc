// The test kit on the built-in strategies: a market made in code, run through the engine and
// the simulated venue, read back as orders, fills, position and PnL.
#include "testkit/strategy_test.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "strategies/sma_crossover.h"

namespace tapedeck::testkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// One trade a second at each price, quoted half a dollar either side just before it.
Market Ticks(const std::vector<std::string>& prices) {
  Market m;
  m.Perpetual("BTC-PERP", "0.5", "0.01");
  int64_t ms = 0;
  for (const std::string& p : prices) {
    const std::string bid = std::to_string(std::stoi(p) - 1) + ".5";
    const std::string ask = p + ".5";
    m.Quote("BTC-PERP", Millis(ms), bid, "5", ask, "5").Trade("BTC-PERP", Millis(ms + 1), p, "1");
    ms += 1000;
  }
  return m;
}

TEST(StrategyTestKit, SmaCrossoverBuysOnTheCrossAndSellsOnTheWayDown) {
  const Market m = Ticks({"100", "100", "100", "101", "102", "103", "102", "100", "98", "97"});
  absl::StatusOr<Outcome> r = Backtest(
      m, "sma_crossover", {{"instrument", "BTC-PERP"}, {"fast", 2}, {"slow", 3}, {"qty", "2"}});
  ASSERT_TRUE(r.ok()) << r.status();
  // Long once the fast average is above the slow one (at 101), flat when it drops below (100).
  EXPECT_THAT(r->Orders(), ElementsAre("new buy market 2 BTC-PERP", "new sell market 2 BTC-PERP"));
  EXPECT_THAT(r->Fills(), ElementsAre("buy 2 BTC-PERP @ 101.5 taker fee 0",
                                      "sell 2 BTC-PERP @ 99.5 taker fee 0"));
  EXPECT_EQ(r->Position("BTC-PERP"), "0");
  EXPECT_EQ(r->RealizedPnl(), "-4");
  EXPECT_EQ(r->Pnl(), "-4");
  EXPECT_EQ(r->Fees(), "0");
  EXPECT_EQ(r->strategy().Report().dump(), R"({"crossings":2})");
}

TEST(StrategyTestKit, AStrategyObjectOfTheTestsOwnRunsTheSame) {
  const Market m = Ticks({"100", "100", "100", "101", "102", "103", "102", "100", "98", "97"});
  strategies::SmaCrossover sma({InstrumentId(0), 2, 3, Qty(200)});
  absl::StatusOr<Outcome> a = Backtest(m, sma);
  absl::StatusOr<Outcome> b = Backtest(
      m, "sma_crossover", {{"instrument", "BTC-PERP"}, {"fast", 2}, {"slow", 3}, {"qty", "2"}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Orders(), b->Orders());
  EXPECT_EQ(a->Fills(), b->Fills());
  EXPECT_EQ(a->strategy_as<strategies::SmaCrossover>(), &sma);
}

TEST(StrategyTestKit, LatencyAndFeesComeFromTheEngineConfig) {
  Market m;
  Instrument perp;
  perp.symbol = "BTC-PERP";
  perp.kind = InstrumentKind::kPerpetual;
  perp.price_scale = 1;
  perp.qty_scale = 2;
  perp.tick_size = Price(5);
  perp.taker_fee = Rate(50'000);  // 5 bps
  m.Add(perp);
  m.FeedLatency(Millis(1));
  for (int i = 0; i < 6; ++i) {
    const std::string p = std::to_string(100 + i);
    m.Quote("BTC-PERP", Seconds(i), p, "5", p + ".5", "5").Trade("BTC-PERP", Seconds(i), p, "1");
  }
  EngineConfig config;
  config.venue.entry_latency = Millis(10);
  config.venue.response_latency = Millis(10);
  absl::StatusOr<Outcome> r = Backtest(
      m, "sma_crossover", {{"instrument", "BTC-PERP"}, {"fast", 2}, {"slow", 3}, {"qty", "1"}},
      config);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->records().order_log().size(), 1u);
  // The third trade (102) is seen 1 ms after the venue printed it and the order goes out then;
  // it reaches the venue 10 ms later and buys at the ask, 102.5, paying 5 bps.
  EXPECT_EQ(r->records().order_log()[0].ts, m.start() + Seconds(2) + Millis(1));
  EXPECT_EQ(r->records().fill_log()[0].exchange_ts, m.start() + Seconds(2) + Millis(11));
  EXPECT_THAT(r->Fills(), ElementsAre("buy 1 BTC-PERP @ 102.5 taker fee 0.05125"));
  EXPECT_EQ(r->Position("BTC-PERP"), "1");
  EXPECT_EQ(r->Fees(), "0.05125");
}

TEST(StrategyTestKit, FundingIsPaidOnTheOpenPosition) {
  Market m = Ticks({"100", "100", "100", "101", "102"});
  m.Mark("BTC-PERP", Seconds(5), "102").Funding("BTC-PERP", Seconds(5), "0.001", Seconds(6));
  m.Trade("BTC-PERP", Seconds(7), "102", "1").Trade("BTC-PERP", Seconds(8), "102", "1");
  absl::StatusOr<Outcome> r = Backtest(
      m, "sma_crossover", {{"instrument", "BTC-PERP"}, {"fast", 2}, {"slow", 3}, {"qty", "1"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->Position("BTC-PERP"), "1");
  // Long 1 at a mark of 102 pays 0.1%.
  EXPECT_EQ(r->Funding(), "-0.102");
  ASSERT_EQ(r->records().account_log().size(), 1u);
}

TEST(StrategyTestKit, AMistakeInTheMarketIsReturnedNamingTheEventAndField) {
  Market m;
  m.Spot("BTC", "0.01", "0.001").Trade("BTC", Millis(0), "100.001", "1");
  strategies::SmaCrossover sma({InstrumentId(0), 2, 3, Qty(1)});
  absl::StatusOr<Outcome> r = Backtest(m, sma);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("event 0 (trade) price '100.001'"));
  Market unknown;
  unknown.Spot("BTC").Trade("ETH", Millis(0), "1", "1");
  EXPECT_THAT(std::string(Backtest(unknown, sma).status().message()),
              HasSubstr("event 0 (trade): "));
  Market bad_tick;
  bad_tick.Spot("BTC", "0.0x");
  EXPECT_THAT(std::string(bad_tick.status().message()), HasSubstr("instrument BTC tick '0.0x'"));
}

TEST(StrategyTestKit, AnUnknownStrategyOrABadParameterIsAnError) {
  const Market m = Ticks({"100"});
  EXPECT_THAT(std::string(Backtest(m, "no_such", {}).status().message()), HasSubstr("no_such"));
  EXPECT_THAT(std::string(Backtest(m, "sma_crossover", {{"instrument", "BTC-PERP"}, {"fats", 2}})
                              .status()
                              .message()),
              HasSubstr("params.fats"));
}

}  // namespace
}  // namespace tapedeck::testkit
