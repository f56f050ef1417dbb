// @NAME@ on a market made in code, run through the backtest engine and the simulated venue
// by the test kit (testkit/strategy_test.h).
#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testkit/strategy_test.h"

namespace {

using ::tapedeck::Side;
using ::tapedeck::testkit::Market;
using ::tapedeck::testkit::Millis;
using ::tapedeck::testkit::Outcome;
using ::testing::ElementsAre;

// A flat market at 100, a break up to 101 and a fall to 99 (traded twice, so that the sell sent
// on the first fills before the data ends); the book quotes a tick either side.
Market BreakUpThenDown() {
  struct Tick {
    const char* bid;
    const char* trade;
    const char* ask;
  };
  const Tick ticks[] = {{"99.5", "100", "100.5"}, {"99.5", "100", "100.5"},
                        {"99.5", "100", "100.5"}, {"100.5", "101", "101.5"},
                        {"100.5", "101", "101.5"}, {"98.5", "99", "99.5"}, {"98.5", "99", "99.5"}};
  Market m;
  m.Perpetual("BTC-PERP", "0.5", "0.001");
  int64_t ms = 0;
  for (const Tick& t : ticks) {
    m.Quote("BTC-PERP", Millis(ms), t.bid, "10", t.ask, "10");
    m.Trade("BTC-PERP", Millis(ms + 1), t.trade, "1");
    ms += 1000;
  }
  return m;
}

TEST(@CLASS@Test, BuysTheBreakoutAndSellsTheBreakdown) {
  absl::StatusOr<Outcome> r =
      tapedeck::testkit::Backtest(BreakUpThenDown(), "@NAME@", {{"window", 3}, {"qty", "2"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->Orders(), ElementsAre("new buy market 2 BTC-PERP", "new sell market 2 BTC-PERP"));
  // Market orders take the quote: buy at the ask, sell at the bid (no fees on this instrument).
  EXPECT_THAT(r->Fills(), ElementsAre("buy 2 BTC-PERP @ 101.5 taker fee 0",
                                      "sell 2 BTC-PERP @ 98.5 taker fee 0"));
  EXPECT_EQ(r->Position("BTC-PERP"), "0");
  EXPECT_EQ(r->RealizedPnl(), "-6");
}

TEST(@CLASS@Test, ABadParameterIsAnErrorNamingIt) {
  absl::StatusOr<Outcome> r = tapedeck::testkit::Backtest(BreakUpThenDown(), "@NAME@", {{"window", 0}});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("window"));
}

}  // namespace
