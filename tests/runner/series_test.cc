// SeriesRecorder (the `run` command's price series) passes runs of trades on to the strategy's
// OnTrades, ended before each sample boundary, and records what one-by-one delivery records.
#include "runner/series.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/engine.h"
#include "runner/csv_tables.h"
#include "gtest/gtest.h"
#include "strategies/sma_crossover.h"
#include "tests/core/engine_test_util.h"

namespace tapedeck::runner {
namespace {

// The SMA example, counting the runs it is handed.
class CountingSma final : public Strategy {
 public:
  explicit CountingSma(strategies::SmaCrossoverParams p) : sma_(p) {}
  void OnTrade(Context& ctx, const Event& e) override { sma_.OnTrade(ctx, e); }
  void OnTrades(Context& ctx, TradeRun& run) override {
    ++runs;
    sma_.OnTrades(ctx, run);
  }
  void OnOrderUpdate(Context& ctx, const Event& e) override { sma_.OnOrderUpdate(ctx, e); }
  uint64_t runs = 0;

 private:
  strategies::SmaCrossover sma_;
};

TEST(SeriesRecorderTest, HandsRunsToTheStrategyAndRecordsTheSameSeries) {
  const InstrumentTable table = testing::TableOf(testing::CentsInstrument("AAA"));
  // ~100 us apart on average, half of them at the same time as the one before.
  const std::vector<Event> tape =
      testing::RandomWalkTrades(0x5EED5EED5EEDull, 100'000, 2, 400'000, /*other_every=*/0);
  std::string prices[2];
  std::string fills[2];
  uint64_t runs[2] = {0, 0};
  for (const bool trade_runs : {true, false}) {
    strategies::SmaCrossoverParams p;
    p.instrument = InstrumentId(0);
    p.fast = 5;
    p.slow = 15;
    p.qty = Qty(10);
    CountingSma sma(p);
    EngineConfig config;
    config.trade_runs = trade_runs;
    // The recorder samples every 40 ms (~400 trades), the engine's equity curve every minute:
    // the engine's runs cross the recorder's boundaries, which must end them.
    config.equity_interval = Duration::Minutes(1);
    SeriesRecorder recorder(sma, table, Duration::Millis(40));
    auto engine = testing::RunEngine(table, tape, recorder, config, /*batch=*/4096);
    const int k = trade_runs ? 0 : 1;
    prices[k] = RenderPricesCsv(table, recorder.samples());
    for (const FillLogEntry& f : engine->records().fill_log()) {
      absl::StrAppend(&fills[k], f.local_ts.ns, " ", f.price.raw, " ", f.qty.raw, "\n");
    }
    runs[k] = sma.runs;
    EXPECT_GT(recorder.samples().size(), 200u);
  }
  EXPECT_GT(runs[0], 100u);
  EXPECT_EQ(runs[1], 0u);
  EXPECT_FALSE(fills[0].empty());
  EXPECT_TRUE(prices[0] == prices[1]);
  EXPECT_TRUE(fills[0] == fills[1]);
}

}  // namespace
}  // namespace tapedeck::runner
