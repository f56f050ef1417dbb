// Runs of trades (Engine::DeliverTradeRun, Strategy::OnTrades) change nothing a run produces:
// every registered strategy, with and without them, gives the same orders, fills, account
// events, equity curve and counts, on data where trades go in runs.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/strategy_registry.h"
#include "gtest/gtest.h"
#include "replay/scenario.h"
#include "strategies/sma_crossover.h"
#include "tests/core/engine_test_util.h"
#include "tests/strategies/scenario_run.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::RunOnScenario;
using ::tapedeck::testing::ScenarioRun;

// Everything a run leaves behind, as text: a difference shows where it starts.
std::string Outcome(const Engine& engine) {
  const Context& c = engine.context();
  const CollectingSink& records = engine.records();
  std::string out;
  for (const OrderLogEntry& o : records.order_log()) {
    const OrderRequest& r = o.request;
    absl::StrAppend(&out, "order ", o.ts.ns, " ", static_cast<int>(o.action), " ", r.id.value, " ",
                    r.instrument.value, " ", static_cast<int>(r.side), static_cast<int>(r.type),
                    static_cast<int>(r.tif), " ", r.price.raw, " ", r.qty.raw, r.post_only,
                    r.reduce_only, "\n");
  }
  for (const FillLogEntry& f : records.fill_log()) {
    absl::StrAppend(&out, "fill ", f.local_ts.ns, " ", f.exchange_ts.ns, " ", f.order_id.value,
                    " ", f.instrument.value, " ", static_cast<int>(f.side), " ", f.price.raw,
                    " ", f.qty.raw, " ", f.fee.raw, " ", static_cast<int>(f.liquidity), "\n");
  }
  for (const AccountLogEntry& a : records.account_log()) {
    absl::StrAppend(&out, "account ", a.local_ts.ns, " ", a.exchange_ts.ns, " ",
                    a.instrument.value, " ", static_cast<int>(a.action), " ", a.qty.raw, " ",
                    a.price.raw, " ", a.amount.raw, " ", a.fee.raw, "\n");
  }
  for (const EquityPoint& p : engine.equity_curve()) {
    absl::StrAppend(&out, "equity ", p.ts.ns, " ", p.equity.raw, " ", p.cash.raw, " ",
                    p.realized.raw, " ", p.unrealized.raw, " ", p.fees.raw, "\n");
  }
  const EngineStats& s = engine.stats();
  absl::StrAppend(&out, "stats ", s.market_events, " ", s.delivered, " ", s.first_ts.ns, " ",
                  s.last_ts.ns, " now ", c.now().ns, "\n");
  return out;
}

// Where two outcomes part: the first line that differs, in each.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t line = a.rfind('\n', i == 0 ? 0 : i - 1);
  const size_t from = line == std::string::npos || i == 0 ? 0 : line + 1;
  auto until_eol = [from](const std::string& s) {
    return s.substr(from, s.find('\n', from) - from);
  };
  return absl::StrCat("with runs: '", until_eol(a), "', without: '", until_eol(b), "'");
}

// The deleveraging scenario, small, with no feed latency (a trade is then due to the strategy
// when the venue sees it, the condition for a run).
replay::ScenarioParams Unlagged() {
  replay::ScenarioParams p;
  for (double& r : p.book_rate) r /= 10;
  for (double& r : p.trade_rate) r /= 10;
  p.liquidation_rate /= 10;
  p.latency_base = Duration();
  p.latency_jitter = Duration();
  p.latency_spike = Duration();
  return p;
}

// Every registered strategy with its example parameters, on the small unlagged scenario.
class TradeRunsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TradeRunsTest, SameOutcomeWithAndWithoutRuns) {
  const StrategyInfo* info = FindStrategy(GetParam());
  ASSERT_NE(info, nullptr);
  ScenarioRun with, without;
  const Money cash(1'000'000 * Money::kOne);
  ASSERT_THAT(RunOnScenario(Unlagged(), 7, info->name, info->example_params, &with,
                            {.initial_cash = cash, .trade_runs = true}),
              IsOk());
  ASSERT_THAT(RunOnScenario(Unlagged(), 7, info->name, info->example_params, &without,
                            {.initial_cash = cash, .trade_runs = false}),
              IsOk());
  EXPECT_EQ(without.engine->stats().trade_runs, 0u);
  // The path under test ran, some runs with more than one trade (the scenario's trades come in
  // short bursts between book updates), and the example parameters trade.
  EXPECT_GT(with.engine->stats().trade_runs, 100u);
  EXPECT_GT(with.engine->stats().run_trades, with.engine->stats().trade_runs);
  EXPECT_FALSE(with.engine->records().order_log().empty());
  EXPECT_EQ(Outcome(*with.engine), Outcome(*without.engine));
  EXPECT_EQ(with.strategy->Report().dump(), without.strategy->Report().dump());
  EXPECT_EQ(SectionsToJson(with.strategy->Sections().sections).dump(),
            SectionsToJson(without.strategy->Sections().sections).dump());
}

std::vector<std::string> RegisteredNames() {
  std::vector<std::string> names;
  for (const StrategyInfo& s : Strategies()) names.push_back(s.name);
  return names;
}

// Evaluated when the tests are listed (in main), after every registration has run.
INSTANTIATE_TEST_SUITE_P(Registered, TradeRunsTest, ::testing::ValuesIn(RegisteredNames()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// The full scenario, with its feed latency: a trade reaches the strategy after the venue, so runs
// are rare, and the outcome is the same either way (one strategy is enough: the scenario is slow).
TEST(TradeRunsFeedLatencyTest, SameOutcomeWithAndWithoutRuns) {
  const nlohmann::json params = {{"instrument", "BTC-SPOT"}, {"tranche_qty", "1"}};
  ScenarioRun with, without;
  const Money cash(1'000'000 * Money::kOne);
  ASSERT_THAT(RunOnScenario(replay::ScenarioParams(), 7, "dip_buyer", params, &with,
                            {.initial_cash = cash, .trade_runs = true}),
              IsOk());
  ASSERT_THAT(RunOnScenario(replay::ScenarioParams(), 7, "dip_buyer", params, &without,
                            {.initial_cash = cash, .trade_runs = false}),
              IsOk());
  EXPECT_EQ(without.engine->stats().trade_runs, 0u);
  EXPECT_FALSE(with.engine->records().order_log().empty());
  EXPECT_EQ(Outcome(*with.engine), Outcome(*without.engine));
  EXPECT_EQ(with.strategy->Report().dump(), without.strategy->Report().dump());
}

// Instruments 0 and 1 of the tapes below: AAA and BBB, in cents.
InstrumentTable TwoInstruments() {
  InstrumentTable table;
  EXPECT_THAT(table.Add(testing::CentsInstrument("AAA")), IsOk());
  EXPECT_THAT(table.Add(testing::CentsInstrument("BBB")), IsOk());
  return table;
}

// The SMA example on a trades-only tape of two instruments with random gaps, against a venue
// with random latencies: its order round trips end runs at every kind of boundary (its own
// submit, the order's arrival, the fill's delivery, the equity sample, the other instrument).
TEST(SmaTradeRunsTest, TradesOnlyTapeWithRandomLatency) {
  const InstrumentTable table = TwoInstruments();
  const std::vector<Event> tape =
      testing::RandomWalkTrades(88172645463325252ull, 200'000, 3, 400'000, 8);
  std::string outcomes[2];
  uint64_t runs[2] = {0, 0};
  for (const bool trade_runs : {true, false}) {
    strategies::SmaCrossoverParams p;
    p.instrument = InstrumentId(0);
    p.fast = 4;
    p.slow = 9;
    p.qty = Qty(10);
    strategies::SmaCrossover sma(p);
    EngineConfig config;
    config.trade_runs = trade_runs;
    config.equity_interval = Duration::Millis(250);
    const LatencySpec lognormal = LatencySpec::Lognormal(Duration::Micros(200), 800);
    for (LatencySpec& l : config.venue.latency) l = lognormal;
    config.venue.seed = 11;
    auto engine = testing::RunEngine(table, tape, sma, config, /*batch=*/1000);
    outcomes[trade_runs ? 0 : 1] = Outcome(*engine) + sma.Report().dump();
    runs[trade_runs ? 0 : 1] = engine->stats().trade_runs;
  }
  EXPECT_GT(runs[0], 1000u);
  EXPECT_EQ(runs[1], 0u);
  EXPECT_EQ(outcomes[0], outcomes[1]);
}

// Inside OnTrades the Context answers as after one-at-a-time delivery of every trade taken so
// far (it catches up lazily, when asked): the clock, the last trade, the mark and the equity
// read after each Next(), on a pattern of trades that skips some, match what OnTrade sees, and
// a request sent in the middle of a run carries the time of the trade that set it off.
TEST(TradeRunsContextTest, AnswersAsIfEachTradeWasDelivered) {
  const InstrumentTable table = TwoInstruments();
  const std::vector<Event> tape =
      testing::RandomWalkTrades(6364136223846793005ull, 50'000, 2, 300'000, 6);
  // Looks at the Context after some trades (by trade id), and buys or sells one lot now and
  // then so that fills move the position and the equity.
  class Observer final : public Strategy {
   public:
    void OnTrade(Context& ctx, const Event& e) override { Look(ctx, e); }
    void OnTrades(Context& ctx, TradeRun& run) override {
      while (const Event* e = run.Next()) Look(ctx, *e);
    }
    std::string log;

   private:
    void Look(Context& ctx, const Event& e) {
      const uint64_t id = e.trade.trade_id;
      if (id % 3 == 0) return;  // not asked: the Context need not catch up
      const InstrumentId a(0);
      absl::StrAppend(&log, id, " ", ctx.now().ns, " ",
                      ctx.market(a).last_trade.value_or(Price()).raw, " ",
                      ctx.market(InstrumentId(1)).last_trade.value_or(Price()).raw, " ",
                      ctx.portfolio().position(a).mark.raw, " ", ctx.portfolio().Equity().raw,
                      "\n");
      if (id % 97 == 0) ctx.BuyMarket(a, Qty(1));
      if (id % 89 == 0) ctx.SellMarket(a, Qty(1));
    }
  };
  std::string logs[2];
  std::string outcomes[2];
  for (const bool trade_runs : {true, false}) {
    EngineConfig config;
    config.trade_runs = trade_runs;
    config.venue.entry_latency = Duration::Micros(700);
    config.venue.response_latency = Duration::Micros(900);
    Observer observer;
    auto engine = testing::RunEngine(table, tape, observer, config, /*batch=*/777);
    logs[trade_runs ? 0 : 1] = observer.log;
    outcomes[trade_runs ? 0 : 1] = Outcome(*engine);
    EXPECT_EQ(engine->stats().trade_runs > 100, trade_runs);
  }
  EXPECT_FALSE(logs[0].empty());
  EXPECT_TRUE(logs[0] == logs[1]) << FirstDifference(logs[0], logs[1]);
  EXPECT_TRUE(outcomes[0] == outcomes[1]) << FirstDifference(outcomes[0], outcomes[1]);
}

// Progress reports come at the same counts with runs as without: every 2^16 market events.
TEST(TradeRunsProgressTest, ReportsEvery65536Events) {
  const InstrumentTable table = testing::TableOf(testing::CentsInstrument());
  std::vector<Event> tape;
  for (int64_t i = 0; i < 200'000; ++i) {
    tape.push_back(testing::TradeAt(InstrumentId(0), 0, 10'000 + i % 7, 1, Side::kBuy));
    tape.back().exchange_ts = tape.back().local_ts = 1'000'000'000 + i * 1'000;
  }
  class Counter final : public Strategy {
   public:
    void OnTrade(Context&, const Event&) override { ++trades; }
    uint64_t trades = 0;
  };
  for (const bool trade_runs : {true, false}) {
    std::vector<std::unique_ptr<EventSource>> sources;
    sources.push_back(std::make_unique<testing::VectorSource>(tape, 5000));
    Merger merger(std::move(sources));
    ASSERT_THAT(merger.Init(), IsOk());
    EngineConfig config;
    config.trade_runs = trade_runs;
    Engine engine(table, config);
    Counter counter;
    std::vector<uint64_t> reports;
    ASSERT_THAT(engine.Run(merger, counter, [&](uint64_t n) { reports.push_back(n); }), IsOk());
    EXPECT_EQ(reports, (std::vector<uint64_t>{65'536, 131'072, 196'608})) << trade_runs;
    EXPECT_EQ(counter.trades, 200'000u);
    EXPECT_EQ(engine.stats().market_events, 200'000u);
    EXPECT_EQ(engine.stats().delivered, 200'000u);
    EXPECT_EQ(engine.stats().trade_runs > 0, trade_runs);
  }
}

}  // namespace
}  // namespace tapedeck
