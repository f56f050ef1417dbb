#include "runner/new_project_templates.h"

namespace tapedeck::runner {

const char kCMakeListsTemplate[] = R"tpl(# @NAME@: a tapedeck strategy, built as a plugin that `tapedeck run` loads, and its unit test.
#
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=/where/tapedeck/is/installed
#   cmake --build build && ctest --test-dir build
#   tapedeck run configs/@NAME@.json
cmake_minimum_required(VERSION 3.25)
project(@NAME@ LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)  # the engine's own build; a plugin runs at its speed
endif()

find_package(tapedeck CONFIG REQUIRED)

# build/lib@NAME@.so, which configs/@NAME@.json names in "plugins".
tapedeck_add_plugin(@NAME@ SOURCES src/@NAME@.cc)

# The test compiles the strategy in and runs it through the engine with the test kit.
enable_testing()
find_package(GTest CONFIG REQUIRED)
add_executable(@NAME@_test tests/@NAME@_test.cc src/@NAME@.cc)
target_link_libraries(@NAME@_test PRIVATE tapedeck::sdk tapedeck::testing
  GTest::gtest GTest::gmock GTest::gtest_main)
include(GoogleTest)
gtest_discover_tests(@NAME@_test)
)tpl";

// Every callback of core/strategy.h, each saying when it comes; the example logic is a channel
// breakout so that the test and the config have something to see.
const char kStrategyTemplate[] = R"tpl(// @NAME@: buys when a trade prints above the highest of the previous `window` trades, and
// sells back to flat when one prints below their lowest. Replace the logic with your own; the
// callbacks below are every one a strategy can override, in the order of core/strategy.h.
//
// Rules a strategy keeps (the engine is deterministic; so must the strategy be): no wall clock
// (ctx.now() is the time), no unseeded randomness, integers for decisions (Price, Qty and Money
// are integer counts at the instrument's scale: core/types.h).
#include <algorithm>
#include <cstdint>
#include <deque>

#include "core/params.h"
#include "core/strategy.h"
#include "core/strategy_registry.h"
#include "core/strategy_report.h"

namespace tapedeck::plugins {
namespace {

// The parameters, read from the config's "params" by kParams below (which also documents them
// for `tapedeck strategies`).
struct @CLASS@Params {
  InstrumentId instrument;
  int window = 20;  // trades in the channel
  Qty qty;          // position when long, in the instrument's units
};

class @CLASS@ final : public Strategy {
 public:
  explicit @CLASS@(const @CLASS@Params& p) : p_(p) {}

  // Once, before the first event. Timers set here fire in strategy time.
  void OnStart(Context&) override {}

  // Each trade print, in strategy time (local_ts); the market view is already updated.
  void OnTrade(Context& ctx, const Event& e) override {
    if (e.instrument != p_.instrument) return;
    const int64_t price = e.trade.price.raw;
    if (static_cast<int>(last_.size()) == p_.window && !InFlight(ctx)) {
      const Qty pos = ctx.position(p_.instrument);
      if (price > *std::max_element(last_.begin(), last_.end()) && pos.raw == 0) {
        pending_ = ctx.BuyMarket(p_.instrument, p_.qty);
      } else if (price < *std::min_element(last_.begin(), last_.end()) && pos.raw > 0) {
        pending_ = ctx.SellMarket(p_.instrument, pos);
      }
    }
    last_.push_back(price);
    if (static_cast<int>(last_.size()) > p_.window) last_.pop_front();
  }

  // A run of consecutive trades of one instrument in one call (see core/trade_run.h); taking
  // them one by one through OnTrade, as here, is always right.
  void OnTrades(Context& ctx, TradeRun& run) override {
    while (const Event* e = run.Next()) OnTrade(ctx, *e);
  }

  // Best bid and ask changed (e.quote).
  void OnQuote(Context&, const Event&) override {}

  // A level (e.level) or an order (e.l3) of the book changed.
  void OnBookLevel(Context&, const Event&) override {}

  // A bar (e.bar: open, high, low, close, volume), from bar data.
  void OnBar(Context&, const Event&) override {}

  // Funding rate, mark and index price, open interest, liquidation prints.
  void OnReference(Context&, const Event&) override {}

  // Acks, fills, cancels, rejects and replacements of this strategy's orders; ctx.order(id)
  // is already updated.
  void OnOrderUpdate(Context&, const Event&) override {}

  // Funding paid or received, a future settled, a liquidation: the portfolio is updated.
  void OnAccount(Context&, const Event&) override {}

  // A timer set with ctx.SetTimer / SetTimerAfter is due.
  void OnTimer(Context&, uint64_t /*timer_id*/, uint64_t /*tag*/) override {}

  // Connected, disconnected, halted, resumed (paper and live); data ended (backtests).
  void OnVenueStatus(Context&, VenueStatus) override {}

  // After the last event; orders sent here are not executed.
  void OnStop(Context&) override {}

  // Facts for summary.json's "strategy_report" (deterministic).
  nlohmann::json Report() const override { return {{"window", p_.window}}; }

  // Tables and charts for the run's report.html (core/strategy_report.h).
  StrategySections Sections() const override { return {}; }

 private:
  // An order of ours not yet filled, cancelled or rejected.
  bool InFlight(const Context& ctx) const {
    const OrderState* o = pending_.valid() ? ctx.order(pending_) : nullptr;
    return o != nullptr && !IsTerminal(o->status);
  }

  @CLASS@Params p_;
  std::deque<int64_t> last_;  // the last `window` trade prices (raw)
  OrderId pending_;
};

absl::Status Check(const @CLASS@Params& p, const ConfigObject& params, const InstrumentTable&) {
  if (p.window < 1) return params.Error("window", "must be at least 1");
  if (p.qty.raw <= 0) return params.Error("qty", "must be positive");
  return absl::OkStatus();
}

using P = @CLASS@Params;
const ParamTable<P> kParams(
    {Param<P>::Symbol("instrument", &P::instrument, "the traded instrument").Default("BTC-PERP"),
     Param<P>::Int("window", &P::window, "trades in the channel"),
     Param<P>::Quantity("qty", &P::qty, &P::instrument, "position when long").DefaultLots(1)},
    &Check);

// The one registration: name, description, parameters, and example parameters that trade on
// the built-in scenario.
[[maybe_unused]] const bool kRegistered = RegisterStrategy<@CLASS@>(
    "@NAME@", "channel breakout: long above the last window's high, flat below its low",
    kParams, {{"instrument", "BTC-PERP"}, {"window", 50}, {"qty", "1"}});

}  // namespace
}  // namespace tapedeck::plugins
)tpl";

const char kConfigTemplate[] = R"tpl({
  "seed": 20260205,
  "plugins": ["../build/lib@NAME@.so"],
  "sources": [
    {"format": "scenario"}
  ],
  "venue": {"entry_latency": "2ms", "response_latency": "2ms"},
  "account": {"initial_cash": "1000000"},
  "strategies": [
    {"name": "@NAME@", "params": {"instrument": "BTC-PERP", "window": 50, "qty": "1"}}
  ],
  "output": {"dir": "out/@NAME@", "equity_interval": "5m"}
}
)tpl";

const char kTestTemplate[] = R"tpl(// @NAME@ on a market made in code, run through the backtest engine and the simulated venue
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
)tpl";

const char kReadmeTemplate[] = R"tpl(# @NAME@

A tapedeck strategy, kept in its own repository and loaded by `tapedeck` at run time.

| file | what |
|---|---|
| `src/@NAME@.cc` | the strategy: parameters, every callback (commented), its registration |
| `tests/@NAME@_test.cc` | its unit test: a market made in code, run through the engine |
| `configs/@NAME@.json` | a backtest on the built-in 2026-02-05 scenario, loading the plugin |

Build and test against an installed tapedeck (`cmake --install build --prefix P` in tapedeck):

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=P
cmake --build build
ctest --test-dir build
```

Run it: `tapedeck run configs/@NAME@.json` (outputs in `out/@NAME@/`), or sweep its
parameters with `tapedeck sweep`. The test kit's helpers are described in its header,
`testkit/strategy_test.h`, under the SDK's include folder.
)tpl";

}  // namespace tapedeck::runner
