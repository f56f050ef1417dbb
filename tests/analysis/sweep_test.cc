// `tapedeck sweep` and `sweep-merge` end to end on a small scenario: the table does not depend on
// the number of worker threads or on sharding through GNU parallel, every row's digest is the
// digest of `tapedeck run` on that point's config, and bad grids fail before any run.
#include <sys/wait.h>

#include <cstdio>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/sweep.h"
#include "analysis/sweep_grid.h"
#include "core/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/analysis/sweep_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::analysis {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;
using testing::Cli;
using testing::Grid;
using testing::Output;
using testing::Sh;
using testing::SmallConfig;
using testing::SweepFiles;

TEST(SweepTest, JobsShardsAndRunDigestsAgree) {
  const SweepFiles files("sweep");
  const std::string& dir = files.dir;
  const std::string common = files.Args() + " --quiet";

  const Output one = Cli("sweep " + common + " --jobs 1 --out " + dir + "/j1");
  ASSERT_EQ(one.exit_code, 0) << one.out;
  const Output two = Cli("sweep " + common + " --jobs 2 --out " + dir + "/j2");
  ASSERT_EQ(two.exit_code, 0) << two.out;
  const std::string csv = ReadFile(dir + "/j1/results.csv");
  const std::string json = ReadFile(dir + "/j1/results.json");
  EXPECT_EQ(csv, ReadFile(dir + "/j2/results.csv"));
  EXPECT_EQ(json, ReadFile(dir + "/j2/results.json"));

  const nlohmann::json table = nlohmann::json::parse(json);
  ASSERT_EQ(table["points"], 64);
  ASSERT_EQ(table["rows"].size(), 64u);
  // Sorted: feasible first, then pnl descending, ties by index.
  for (size_t i = 1; i < table["rows"].size(); ++i) {
    const nlohmann::json& a = table["rows"][i - 1];
    const nlohmann::json& b = table["rows"][i];
    if (a["feasible"] != b["feasible"]) {
      EXPECT_TRUE(a["feasible"].get<bool>());
      continue;
    }
    const double x = a["objective"].get<double>(), y = b["objective"].get<double>();
    EXPECT_TRUE(x > y || (x == y && a["index"].get<int>() < b["index"].get<int>())) << i;
  }

  // Four shards through GNU parallel, from the commands --list-jobs prints, then merged.
  const Output jobs = Cli("sweep " + common + " --out " + dir + "/shards --list-jobs 4");
  ASSERT_EQ(jobs.exit_code, 0) << jobs.out;
  WriteFile(dir + "/jobs.txt", jobs.out);
  const Output par = Sh("parallel -j 2 --halt now,fail=1 < " + dir + "/jobs.txt");
  ASSERT_EQ(par.exit_code, 0) << par.out << "\njobs:\n" << jobs.out;
  const Output merge = Cli("sweep-merge --out " + dir + "/merged " + dir + "/shards/shard-1 " + dir +
                           "/shards/shard-2 " + dir + "/shards/shard-3 " + dir + "/shards/shard-4");
  ASSERT_EQ(merge.exit_code, 0) << merge.out;
  EXPECT_EQ(csv, ReadFile(dir + "/merged/results.csv"));
  EXPECT_EQ(json, ReadFile(dir + "/merged/results.json"));
  // A missing shard is an error.
  EXPECT_NE(Cli("sweep-merge --out " + dir + "/bad " + dir + "/shards/shard-1").exit_code, 0);

  // Every row's digest is the digest of `tapedeck run` on that point's config (every 4th row,
  // spread over the table, keeps the test short; the path is the same for all).
  std::set<std::string> digests;
  for (size_t i = 0; i < table["rows"].size(); ++i) {
    const nlohmann::json& row = table["rows"][i];
    digests.insert(row["digest"].get<std::string>());
    if (i % 4 != 0) continue;
    char name[64];
    std::snprintf(name, sizeof(name), "/j1/configs/point-%06d.json", row["index"].get<int>());
    const std::string out = dir + "/run-" + std::to_string(i);
    const Output run = Cli("run " + dir + name + " --quiet --out " + out);
    ASSERT_EQ(run.exit_code, 0) << run.out;
    const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/dip_buyer/summary.json"));
    EXPECT_EQ(summary["digest"]["run"], row["digest"]) << "row " << i;
  }
  // The grid changes what the strategy does: many distinct runs, not a handful.
  EXPECT_GE(digests.size(), 20u);
}

TEST(SweepTest, RandomSearchIsSeededAndShardable) {
  nlohmann::json g = nlohmann::json::parse(Grid());
  g["mode"] = "random";
  g["samples"] = 6;
  g["seed"] = 11;
  const SweepFiles files("sweep_random", g.dump());
  const std::string& dir = files.dir;
  const std::string common = files.Args() + " --quiet";
  ASSERT_EQ(Cli("sweep " + common + " --jobs 2 --out " + dir + "/a").exit_code, 0);
  ASSERT_EQ(Cli("sweep " + common + " --shard 1/2 --out " + dir + "/s1").exit_code, 0);
  ASSERT_EQ(Cli("sweep " + common + " --shard 2/2 --out " + dir + "/s2").exit_code, 0);
  ASSERT_EQ(Cli("sweep-merge --out " + dir + "/m " + dir + "/s1 " + dir + "/s2").exit_code, 0);
  EXPECT_EQ(ReadFile(dir + "/a/results.json"), ReadFile(dir + "/m/results.json"));
  EXPECT_EQ(nlohmann::json::parse(ReadFile(dir + "/a/results.json"))["rows"].size(), 6u);
}

// Bad grids are rejected by the parser (before any run), naming the key and the path.
TEST(SweepGridTest, BadGridsNameThePath) {
  const nlohmann::json base = nlohmann::json::parse(SmallConfig());
  auto error = [&](const std::string& grid) {
    absl::StatusOr<SweepGrid> g = ParseSweepGrid(nlohmann::json::parse(grid), "g.json", base);
    return g.ok() ? std::string("OK") : std::string(g.status().message());
  };
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.nope", "values": [1]}]})"),
              HasSubstr("g.json: params[0].path: unknown parameter path 'strategies[0].params.nope'"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[3].params.drawdown_bps", "values": [1]}]})"),
              HasSubstr("unknown parameter path"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": []}]})"),
              HasSubstr("params[0].values: strategies[0].params.drawdown_bps: empty"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps",
                                     "range": {"from": 5, "to": 1, "step": 1}}]})"),
              HasSubstr("params[0].range: strategies[0].params.drawdown_bps: empty range"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1, "x"]}]})"),
              HasSubstr("params[0].values[1]: strategies[0].params.drawdown_bps: wrong type"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.confirm", "values": [1]}]})"),
              HasSubstr("wrong type"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1]}],
                        "constraints": [{"metric": "max_dd", "op": "<=", "value": 0.1}]})"),
              HasSubstr("constraints[0].metric: unknown metric 'max_dd'"));
  EXPECT_THAT(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1]}],
                        "objective": {"metric": "happiness"}})"),
              HasSubstr("objective.metric: unknown metric 'happiness'"));
  EXPECT_EQ(error(Grid()), "OK");
}

TEST(SweepGridTest, BadGridFailsBeforeAnyRun) {
  const SweepFiles files(
      "sweep_bad", R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1.5]}]})");
  const std::string& dir = files.dir;
  const Output r = Cli("sweep " + files.Args() + " --quiet --out " + dir + "/out");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("params[0].values[0]: strategies[0].params.drawdown_bps: wrong type"));
  EXPECT_EQ(Sh("test -e " + dir + "/out").exit_code, 1);
}

TEST(SweepGridTest, ShippedGridHasAtLeast64Points) {
  nlohmann::json base = nlohmann::json::parse(ReadFile(SourceDir() + "/configs/dip_buyer_feb5.json"));
  absl::StatusOr<SweepGrid> g = ParseSweepGrid(
      nlohmann::json::parse(ReadFile(SourceDir() + "/configs/dip_buyer_grid.json")),
      "dip_buyer_grid.json", base);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_GE(SweepPointCount(*g), 64u);
}

TEST(SweepGridTest, DuplicatePathsAndUnknownOperatorsAreErrors) {
  const nlohmann::json base = nlohmann::json::parse(SmallConfig());
  auto error = [&](const std::string& grid) {
    absl::StatusOr<SweepGrid> g = ParseSweepGrid(nlohmann::json::parse(grid), "g.json", base);
    return g.ok() ? std::string("OK") : std::string(g.status().message());
  };
  EXPECT_EQ(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1]},
                                  {"path": "strategies[0].params.drawdown_bps", "values": [2]}]})"),
            "g.json: params[1].path: 'strategies[0].params.drawdown_bps' is already params[0]");
  EXPECT_EQ(error(R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1]}],
                      "constraints": [{"metric": "sharpe", "op": "=<", "value": 1}]})"),
            "g.json: constraints[0].op: unknown operator '=<'");
}

TEST(SweepGridTest, OperatorsAreParsedOnceAndCompareAsWritten) {
  for (const char* text : {"<", "<=", ">", ">=", "==", "!="}) {
    const std::optional<CompareOp> op = ParseCompareOp(text);
    ASSERT_TRUE(op.has_value()) << text;
    EXPECT_EQ(CompareOpText(*op), text);
  }
  EXPECT_FALSE(ParseCompareOp("=").has_value());
  auto holds = [](const char* op, double x) {
    return SweepConstraint{MetricId::kSharpe, *ParseCompareOp(op), 1.0}.HoldsFor(x);
  };
  EXPECT_TRUE(holds("<", 0.5) && !holds("<", 1.0));
  EXPECT_TRUE(holds("<=", 1.0) && !holds("<=", 1.5));
  EXPECT_TRUE(holds(">", 1.5) && !holds(">", 1.0));
  EXPECT_TRUE(holds(">=", 1.0) && !holds(">=", 0.5));
  EXPECT_TRUE(holds("==", 1.0) && !holds("==", 0.5));
  EXPECT_TRUE(holds("!=", 0.5) && !holds("!=", 1.0));
  // An undefined metric (a sharpe without returns) satisfies no constraint, not even "!=".
  EXPECT_FALSE((SweepConstraint{MetricId::kSharpe, CompareOp::kNotEqual, 1.0}.HoldsFor(std::nullopt)));
}

// A table by hand: two points, one infeasible, one with an undefined sharpe.
SweepTable HandTable() {
  const nlohmann::json base = nlohmann::json::parse(SmallConfig());
  absl::StatusOr<SweepGrid> g = ParseSweepGrid(nlohmann::json::parse(Grid()), "g.json", base);
  EXPECT_TRUE(g.ok()) << g.status();
  RunFigures a, b;
  a.totals.pnl = Money(250'000'000);  // 2.5
  a.metrics.sharpe = 1.25;
  a.metrics.drawdown.fraction = 0.05;
  b.totals.pnl = Money(-100'000'000);
  b.metrics.drawdown.fraction = 0.5;  // > 0.15: infeasible
  SweepTable t = SweepTableFor(*g, "0123456789abcdef", SweepPointCount(*g));
  t.rows = {MakeSweepRow(*g, 7, b, "bbbbbbbbbbbbbbbb"), MakeSweepRow(*g, 3, a, "aaaaaaaaaaaaaaaa")};
  SortSweepRows(g->goal, &t.rows);
  return t;
}

TEST(SweepTableTest, RowsAreTypedAndReadBackToTheSameFiles) {
  const SweepTable t = HandTable();
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].index, 3u);
  EXPECT_TRUE(t.rows[0].feasible);
  EXPECT_FALSE(t.rows[1].feasible);
  EXPECT_EQ(*t.rows[0].objective, 2.5);
  EXPECT_EQ(RowMetricValue(t.rows[0].metrics, MetricId::kSharpe), 1.25);
  EXPECT_FALSE(RowMetricValue(t.rows[1].metrics, MetricId::kSharpe).has_value());
  const std::string json = SweepTableJson(t).dump(2);
  absl::StatusOr<SweepTable> back = SweepTableFromJson(nlohmann::json::parse(json), "r.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(SweepTableJson(*back).dump(2), json);
  EXPECT_EQ(SweepTableCsv(*back), SweepTableCsv(t));
  // Columns: rank, index, the four parameters, feasible, objective, the row metrics by name.
  EXPECT_THAT(SweepTableCsv(t), ::testing::StartsWith(
      "rank,index,strategies[0].params.hard_stop_bps,strategies[0].params.max_hold,"
      "strategies[0].params.tranche_interval,strategies[0].params.exhaustion_time,feasible,"
      "objective,fills,max_drawdown,orders,pnl,round_trips,sharpe,total_return,win_rate,digest\n"
      "1,3,150,2h,20m,90m,true,2.5,0.0,0.05,0.0,2.5,0.0,1.25,0.0,,aaaaaaaaaaaaaaaa\n"));
}

TEST(SweepTableTest, BadResultsFilesNameTheKey) {
  nlohmann::json j = SweepTableJson(HandTable());
  auto error = [](const nlohmann::json& t) {
    absl::StatusOr<SweepTable> s = SweepTableFromJson(t, "r.json");
    return s.ok() ? std::string("OK") : std::string(s.status().message());
  };
  EXPECT_EQ(error(j), "OK");
  j["rows"][1]["metrics"]["sharpx"] = 1;
  EXPECT_EQ(error(j), "r.json: rows[1].metrics.sharpx: unknown metric 'sharpx'");
  j = SweepTableJson(HandTable());
  j["constraints"][0]["op"] = "<>";
  EXPECT_EQ(error(j), "r.json: constraints[0].op: unknown operator '<>'");
  j = SweepTableJson(HandTable());
  j["rows"][0]["params"].erase("strategies[0].params.max_hold");
  EXPECT_EQ(error(j), "r.json: rows[0].params.strategies[0].params.max_hold: missing");
  j = SweepTableJson(HandTable());
  j["schema"] = "tapedeck.walkforward/1";
  EXPECT_EQ(error(j), "r.json: not a sweep results.json");
}

}  // namespace
}  // namespace tapedeck::analysis
