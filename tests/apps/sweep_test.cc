// `tapedeck sweep` and `sweep-merge` end to end on a small scenario: the table does not depend on
// the number of worker threads or on sharding through GNU parallel, every row's digest is the
// digest of `tapedeck run` on that point's config, and bad grids fail before any run.
#include <sys/wait.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "apps/sweep.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck::apps {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

struct Output {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

Output Sh(const std::string& cmd) {
  Output r;
  r.exit_code = ::tapedeck::testing::Shell(cmd + " 2>&1", &r.out);
  return r;
}

Output Cli(const std::string& args) { return Sh(CliPath() + " " + args); }

// dip_buyer on a thinned scenario (the crash day and the rebound), with short windows so it trades.
std::string SmallConfig() {
  nlohmann::json c = nlohmann::json::parse(ReadFile(SourceDir() + "/configs/dip_buyer_feb5.json"));
  c["sources"][0]["path"] = SourceDir() + "/configs/scenarios/deleveraging.json";
  // Thinned: 10 s steps, one book level, a tenth of the trade and book rates (~130k events).
  c["sources"][0]["options"] = {
      {"start", "2026-02-05T00:00:00Z"},
      {"end", "2026-02-06T20:00:00Z"},
      {"step", "10s"},
      {"mark_interval", "10s"},
      {"book_depth", 1},
      {"book_rate", {{"far", 0.005}, {"near", 0.008}, {"perp", 0.02}, {"spot", 0.015}}},
      {"trade_rate", {{"far", 0.006}, {"near", 0.012}, {"perp", 0.05}, {"spot", 0.03}}},
      {"liquidation_rate", 0.012}};
  nlohmann::json& p = c["strategies"][0]["params"];
  p["high_window"] = "4h";
  p["volume_baseline"] = "4h";
  p["exhaustion_time"] = "30m";
  p["fade_min_quiet"] = "15m";
  c["output"]["dir"] = "unused";
  return c.dump(2);
}

// 4 x 4 x 2 x 2 = 64 points.
std::string Grid() {
  return R"({
    "params": [
      {"path": "strategies[0].params.drawdown_bps", "values": [200, 300, 400, 500]},
      {"path": "strategies[0].params.take_profit_bps", "range": {"from": 200, "to": 800, "step": 200}},
      {"path": "strategies[0].params.hard_stop_bps", "values": [100, 200]},
      {"path": "strategies[0].params.confirm", "values": ["auto", "off"]}
    ],
    "objective": {"metric": "pnl", "goal": "max"},
    "constraints": [{"metric": "max_drawdown", "op": "<=", "value": 0.15}]
  })";
}

TEST(SweepTest, JobsShardsAndRunDigestsAgree) {
  const std::string dir = MakeTempDir("sweep");
  WriteFile(dir + "/config.json", SmallConfig());
  WriteFile(dir + "/grid.json", Grid());
  const std::string common = dir + "/config.json --grid " + dir + "/grid.json --quiet";

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
  // The grid changes what the strategy does.
  EXPECT_GT(digests.size(), 1u);
}

TEST(SweepTest, RandomSearchIsSeededAndShardable) {
  const std::string dir = MakeTempDir("sweep_random");
  WriteFile(dir + "/config.json", SmallConfig());
  nlohmann::json g = nlohmann::json::parse(Grid());
  g["mode"] = "random";
  g["samples"] = 6;
  g["seed"] = 11;
  WriteFile(dir + "/grid.json", g.dump());
  const std::string common = dir + "/config.json --grid " + dir + "/grid.json --quiet";
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
  const std::string dir = MakeTempDir("sweep_bad");
  WriteFile(dir + "/config.json", SmallConfig());
  WriteFile(dir + "/grid.json",
            R"({"params": [{"path": "strategies[0].params.drawdown_bps", "values": [1.5]}]})");
  const Output r = Cli("sweep " + dir + "/config.json --grid " + dir + "/grid.json --quiet --out " +
                       dir + "/out");
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

}  // namespace
}  // namespace tapedeck::apps
