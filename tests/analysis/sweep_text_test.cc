// What `tapedeck sweep` prints, as text: the shard commands, the best point so far and the
// summary at the end.
#include "analysis/sweep_text.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tapedeck::analysis {
namespace {

using ::testing::ElementsAre;

SweepRow Row(uint64_t index, bool feasible, std::optional<double> objective) {
  SweepRow r;
  r.index = index;
  r.feasible = feasible;
  r.objective = objective;
  return r;
}

TEST(SweepTextTest, ShellQuoteLeavesSafeWordsAndQuotesTheRest) {
  EXPECT_EQ(ShellQuote("configs/dip_buyer_feb5.json"), "configs/dip_buyer_feb5.json");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
}

TEST(SweepTextTest, ShardCommandsOnePerShardWithItsOwnDirectory) {
  const ShardSpec spec{"/opt/tapedeck", "my config.json", "grid.json", "out/sw", 3, {}};
  EXPECT_THAT(
      ShardCommands(spec),
      ElementsAre(
          "/opt/tapedeck sweep 'my config.json' --grid grid.json --shard 1/3 --jobs 1 --quiet "
          "--out out/sw/shard-1",
          "/opt/tapedeck sweep 'my config.json' --grid grid.json --shard 2/3 --jobs 1 --quiet "
          "--out out/sw/shard-2",
          "/opt/tapedeck sweep 'my config.json' --grid grid.json --shard 3/3 --jobs 1 --quiet "
          "--out out/sw/shard-3"));
  EXPECT_TRUE(ShardCommands(ShardSpec{"t", "c", "g", "o", 0, {}}).empty());
}

// A sweep that loads plugins gives each shard the same --plugin files, or its strategies would
// be unknown there.
TEST(SweepTextTest, ShardCommandsCarryThePlugins) {
  const ShardSpec spec{"tapedeck", "c.json", "g.json", "o", 1, {"lib/my strats.so", "b.so"}};
  EXPECT_THAT(ShardCommands(spec),
              ElementsAre("tapedeck sweep c.json --grid g.json --shard 1/1 --jobs 1 --quiet "
                          "--out o/shard-1 --plugin 'lib/my strats.so' --plugin b.so"));
}

TEST(SweepTextTest, BestSoFarNamesTheObjectiveAndFeasibility) {
  const SweepRow best = Row(17, true, 8065.32);
  EXPECT_EQ(ObjectiveText(MetricId::kPnl, best), "pnl 8065.32 (point 17)");
  EXPECT_EQ(BestSoFarText(MetricId::kPnl, &best), "best pnl 8065.32 (point 17)");
  const SweepRow bad = Row(3, false, std::nullopt);
  EXPECT_EQ(BestSoFarText(MetricId::kSharpe, &bad), "best (infeasible) sharpe n/a (point 3)");
  EXPECT_EQ(BestSoFarText(MetricId::kPnl, nullptr), "");
}

TEST(SweepTextTest, SummaryNamesTheBestFeasiblePointItsParamsAndConfig) {
  SweepTable t;
  t.points = 4;
  t.params = {"strategies[0].params.hard_stop_bps", "strategies[0].params.max_hold"};
  SweepRow best = Row(2, true, 120.5);
  best.params = {nlohmann::json(300), nlohmann::json("5h")};
  t.rows = {best, Row(0, true, 10), Row(1, false, 500)};
  EXPECT_EQ(SweepSummaryText(t, "out/sw/configs"),
            "best feasible point: pnl 120.5 (point 2)\n"
            "  strategies[0].params.hard_stop_bps = 300\n"
            "  strategies[0].params.max_hold = \"5h\"\n"
            "  config: out/sw/configs/point-000002.json\n");
  EXPECT_EQ(SweepSummaryText(t, ""),
            "best feasible point: pnl 120.5 (point 2)\n"
            "  strategies[0].params.hard_stop_bps = 300\n"
            "  strategies[0].params.max_hold = \"5h\"\n");
  SweepRunInfo info;
  info.resumed_points = 1;
  EXPECT_EQ(SweepRunText(t, info, "out/sw").substr(0, 84),
            "2 of 4 points run, 1 taken from out/sw/sweep.journal; results in out/sw/results.csv\n");
  t.rows = {Row(1, false, 500)};
  EXPECT_EQ(SweepSummaryText(t, "x"), "no feasible point: every point breaks a constraint\n");
  EXPECT_EQ(SweepRunText(t, SweepRunInfo{}, "d"),
            "1 of 4 points run; results in d/results.csv\n"
            "no feasible point: every point breaks a constraint\n");
}

}  // namespace
}  // namespace tapedeck::analysis
