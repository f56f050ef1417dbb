// `tapedeck sweep` and `sweep-merge` end to end on a small scenario: the table does not depend on
// the number of worker threads or on sharding through GNU parallel, every row's digest is the
// digest of `tapedeck run` on that point's config, and bad grids fail before any run.
#include <sys/wait.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "apps/sweep.h"
#include "core/config.h"
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
  p["drawdown_bps"] = 300;
  p["cooldown"] = "30m";
  c["output"]["dir"] = "unused";
  return c.dump(2);
}

// 4 x 4 x 2 x 2 = 64 points. On this scenario dip_buyer enters once, after the first leg's low
// (14:26 on the 5th): the hard stop decides whether the second leg (to 18:00) stops it out, the
// time stop (max_hold) when it leaves otherwise, the tranche interval and exhaustion time what it
// pays; drawdown, take-profit and cooldown change nothing here (one cascade, no target reached
// before the time stop), so they are not swept. 28 distinct digests.
std::string Grid() {
  return R"({
    "params": [
      {"path": "strategies[0].params.hard_stop_bps", "values": [150, 300, 500, 900]},
      {"path": "strategies[0].params.max_hold", "values": ["2h", "5h", "10h", "30h"]},
      {"path": "strategies[0].params.tranche_interval", "values": ["5m", "20m"]},
      {"path": "strategies[0].params.exhaustion_time", "values": ["30m", "90m"]}
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
  // The grid changes what the strategy does: many distinct runs, not a handful.
  EXPECT_GE(digests.size(), 20u);
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

// ---- Walk-forward ----

Timestamp At(const std::string& utc) { return *ParseTimestamp(utc); }

std::string Window(const WalkWindow& w) {
  return FormatTimestamp(w.train_start) + " " + FormatTimestamp(w.train_end) + " | " +
         FormatTimestamp(w.test_start) + " " + FormatTimestamp(w.test_end);
}

// Span 00:00 .. 20:00 (20 h). Rolling, train 8 h, test 5 h (step = test): window k trains on
// [5k, 5k + 8) and tests on [5k + 8, 5k + 13) while 5k + 8 < 20, i.e. k = 0, 1, 2; the last test
// period [18, 23) is cut at 20.
TEST(WalkForwardWindowsTest, RollingAnchoredAndSteppedByHand) {
  const Timestamp s = At("2026-02-05T00:00:00Z"), e = At("2026-02-05T20:00:00Z");
  WalkForwardSpec spec{Duration::Hours(8), Duration::Hours(5), Duration(), false};
  absl::StatusOr<std::vector<WalkWindow>> w = WalkForwardWindows(s, e, spec);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_EQ(w->size(), 3u);
  EXPECT_EQ(Window((*w)[0]), "2026-02-05T00:00:00Z 2026-02-05T08:00:00Z | "
                             "2026-02-05T08:00:00Z 2026-02-05T13:00:00Z");
  EXPECT_EQ(Window((*w)[1]), "2026-02-05T05:00:00Z 2026-02-05T13:00:00Z | "
                             "2026-02-05T13:00:00Z 2026-02-05T18:00:00Z");
  EXPECT_EQ(Window((*w)[2]), "2026-02-05T10:00:00Z 2026-02-05T18:00:00Z | "
                             "2026-02-05T18:00:00Z 2026-02-05T20:00:00Z");
  // Anchored: the same test periods, train periods all from 00:00 (8, 13, 18 h long).
  spec.anchored = true;
  w = WalkForwardWindows(s, e, spec);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->size(), 3u);
  EXPECT_EQ(Window((*w)[2]), "2026-02-05T00:00:00Z 2026-02-05T18:00:00Z | "
                             "2026-02-05T18:00:00Z 2026-02-05T20:00:00Z");
  // Step 7 h > test 5 h: train ends at 8, 15 (22 >= 20 stops): tests [8, 13), [15, 20); the
  // hours 13..15 are in no test period.
  spec = WalkForwardSpec{Duration::Hours(8), Duration::Hours(5), Duration::Hours(7), false};
  w = WalkForwardWindows(s, e, spec);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ(Window((*w)[1]), "2026-02-05T07:00:00Z 2026-02-05T15:00:00Z | "
                             "2026-02-05T15:00:00Z 2026-02-05T20:00:00Z");
  // Errors name the flag.
  spec.step = Duration::Hours(4);  // < test: test periods would overlap
  EXPECT_THAT(std::string(WalkForwardWindows(s, e, spec).status().message()), HasSubstr("--step"));
  spec = WalkForwardSpec{Duration::Hours(20), Duration::Hours(5), Duration(), false};
  EXPECT_THAT(std::string(WalkForwardWindows(s, e, spec).status().message()), HasSubstr("--train"));
}

// Two test periods from an initial cash of 1000: window 0 goes 1000 -> 1010 -> 990; window 1,
// run from 1000 again, goes 1000 -> 1030. Stitched: window 1 is shifted by 990 - 1000 = -10, so
// it reads 990 (carried over) -> 990 -> 1020.
TEST(WalkForwardWindowsTest, StitchedEquityIsContinuous) {
  auto money = [](int64_t units) { return Money(units * Money::kOne); };
  auto point = [&](int64_t s, int64_t units) {
    EquityPoint p;
    p.ts = Timestamp(s * 1'000'000'000LL);
    p.equity = money(units);
    return p;
  };
  std::vector<WalkWindowResult> w(2);
  w[0].window = {Timestamp(0), Timestamp(100'000'000'000LL), Timestamp(100'000'000'000LL),
                 Timestamp(200'000'000'000LL)};
  w[0].test_equity = {point(160, 1010), point(200, 990)};
  w[1].window = {Timestamp(100'000'000'000LL), Timestamp(200'000'000'000LL),
                 Timestamp(200'000'000'000LL), Timestamp(300'000'000'000LL)};
  w[1].test_equity = {point(260, 1000), point(300, 1030)};
  const std::vector<StitchedPoint> c = StitchEquity(w, money(1000));
  std::vector<std::string> got;
  for (const StitchedPoint& p : c) {
    got.push_back(absl::StrCat(p.ts.ns / 1'000'000'000LL, ":", p.window, ":",
                               p.equity.raw / Money::kOne));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"100:0:1000", "160:0:1010", "200:0:990", "200:1:990",
                                           "260:1:990", "300:1:1020"}));
}

// The walk-forward config: the crash day, a fixed span, volume_ratio_pct low enough that a
// window starting cold at 12:00 still sees the cascade (its baseline is then crash volume).
std::string WalkConfig() {
  nlohmann::json c = nlohmann::json::parse(SmallConfig());
  c["strategies"][0]["params"]["volume_ratio_pct"] = 120;
  c["window"] = {{"start", "2026-02-05T00:00:00Z"}, {"end", "2026-02-06T20:00:00Z"}};
  return c.dump(2);
}

std::string WalkGrid() {  // 2 x 2 x 2 = 8 points
  return R"({
    "params": [
      {"path": "strategies[0].params.hard_stop_bps", "values": [150, 500]},
      {"path": "strategies[0].params.max_hold", "values": ["2h", "30h"]},
      {"path": "strategies[0].params.tranche_interval", "values": ["5m", "20m"]}
    ],
    "objective": {"metric": "pnl", "goal": "max"},
    "constraints": [{"metric": "max_drawdown", "op": "<=", "value": 0.15}]
  })";
}

std::vector<std::vector<std::string>> Csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream ls(line);
    std::string x;
    while (std::getline(ls, x, ',')) f.push_back(x);
    rows.push_back(f);
  }
  return rows;
}

TEST(WalkForwardTest, JobsPlainSweepsAndStitchingAgree) {
  const std::string dir = MakeTempDir("walkforward");
  WriteFile(dir + "/config.json", WalkConfig());
  WriteFile(dir + "/grid.json", WalkGrid());
  const std::string common = "sweep " + dir + "/config.json --grid " + dir +
                             "/grid.json --quiet --walk-forward --train 6h --test 6h";
  const Output one = Cli(common + " --jobs 1 --out " + dir + "/j1");
  ASSERT_EQ(one.exit_code, 0) << one.out;
  const Output two = Cli(common + " --jobs 2 --out " + dir + "/j2");
  ASSERT_EQ(two.exit_code, 0) << two.out;
  for (const char* f : {"/walkforward.json", "/walkforward.csv", "/oos_equity.csv",
                        "/window-01/train/results.json", "/window-01/test/summary.json"}) {
    EXPECT_EQ(ReadFile(dir + "/j1" + f), ReadFile(dir + "/j2" + f)) << f;
  }

  // Span 2026-02-05T00:00 .. 02-06T20:00 = 44 h; train 6 h, test = step = 6 h: window k trains on
  // [6k, 6k + 6) and tests on [6k + 6, 6k + 12) while 6k + 6 < 44: k = 0..6, the last test period
  // [42, 48) cut at 44 (20:00 on the 6th).
  const nlohmann::json wf = nlohmann::json::parse(ReadFile(dir + "/j1/walkforward.json"));
  ASSERT_EQ(wf["windows"].size(), 7u);
  EXPECT_EQ(wf["windows"][1]["train"]["start"], "2026-02-05T06:00:00Z");
  EXPECT_EQ(wf["windows"][1]["test"]["start"], "2026-02-05T12:00:00Z");
  EXPECT_EQ(wf["windows"][1]["test"]["end"], "2026-02-05T18:00:00Z");
  EXPECT_EQ(wf["windows"][6]["test"]["start"], "2026-02-06T18:00:00Z");
  EXPECT_EQ(wf["windows"][6]["test"]["end"], "2026-02-06T20:00:00Z");

  // The in-sample choice is the best row of a plain sweep restricted to the train window (the
  // crash is in windows 1 (test) and 2 (train)); the test run is `tapedeck run` on its config.
  for (size_t k : {size_t{1}, size_t{2}}) {
    const std::string w = dir + "/j1/window-0" + std::to_string(k);
    const std::string plain = dir + "/plain-" + std::to_string(k);
    const Output sweep = Cli("sweep " + w + "/train/config.json --grid " + dir +
                             "/grid.json --quiet --jobs 2 --out " + plain);
    ASSERT_EQ(sweep.exit_code, 0) << sweep.out;
    EXPECT_EQ(ReadFile(plain + "/results.json"), ReadFile(w + "/train/results.json"));
    const nlohmann::json table = nlohmann::json::parse(ReadFile(plain + "/results.json"));
    EXPECT_EQ(wf["windows"][k]["index"], table["rows"][0]["index"]);
    EXPECT_EQ(wf["windows"][k]["in_sample"]["digest"], table["rows"][0]["digest"]);
    const Output run = Cli("run " + w + "/test/config.json --quiet --out " + plain + "/run");
    ASSERT_EQ(run.exit_code, 0) << run.out;
    const nlohmann::json s =
        nlohmann::json::parse(ReadFile(plain + "/run/dip_buyer/summary.json"));
    EXPECT_EQ(s["digest"]["run"], wf["windows"][k]["out_of_sample"]["digest"]);
  }
  // Window 1 tests on the crash and trades: the stitched curve is not flat.
  EXPECT_GT(wf["out_of_sample"]["orders"].get<int>(), 0);
  EXPECT_NE(wf["out_of_sample"]["pnl"], "0.00000000");

  // Stitched curve: times never go back; each window opens at the value the previous one closed
  // at; inside a window it moves exactly as that test run's own equity.csv does.
  const auto curve = Csv(ReadFile(dir + "/j1/oos_equity.csv"));
  ASSERT_FALSE(curve.empty());
  for (size_t i = 1; i < curve.size(); ++i) {
    EXPECT_LE(std::stoll(curve[i - 1][0]), std::stoll(curve[i][0])) << i;
    if (curve[i][2] != curve[i - 1][2]) {
      EXPECT_EQ(curve[i][3], curve[i - 1][3]) << "row " << i;
    }
  }
  const auto own = Csv(ReadFile(dir + "/j1/window-01/test/equity.csv"));
  std::vector<std::string> stitched1;
  for (const auto& r : curve) {
    if (r[2] == "1") stitched1.push_back(r[3]);
  }
  ASSERT_EQ(stitched1.size(), own.size() + 1);  // + the opening point
  const double offset = std::stod(stitched1[0]) - 1000000.0;
  for (size_t i = 0; i < own.size(); ++i) {
    EXPECT_NEAR(std::stod(stitched1[i + 1]) - std::stod(own[i][2]), offset, 1e-6) << i;
  }
  EXPECT_EQ(curve.back()[3], wf["out_of_sample"]["final_equity"]);
}

TEST(WalkForwardTest, BadInputFailsBeforeAnyRun) {
  const std::string dir = MakeTempDir("walkforward_bad");
  WriteFile(dir + "/config.json", WalkConfig());
  WriteFile(dir + "/grid.json", WalkGrid());
  const std::string common = "sweep " + dir + "/config.json --grid " + dir + "/grid.json --quiet ";
  EXPECT_EQ(Cli(common + "--walk-forward --test 6h --out " + dir + "/a").exit_code, 2);
  EXPECT_EQ(Cli(common + "--train 6h --test 6h --out " + dir + "/a").exit_code, 2);
  EXPECT_EQ(Cli(common + "--walk-forward --train 6x --test 6h --out " + dir + "/a").exit_code, 2);
  EXPECT_EQ(Cli(common + "--walk-forward --train 6h --test 6h --shard 1/2 --out " + dir + "/a")
                .exit_code,
            2);
  Output r = Cli(common + "--walk-forward --train 6h --test 6h --step 3h --out " + dir + "/a");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("--step: must be at least --test"));
  r = Cli(common + "--walk-forward --train 44h --test 6h --out " + dir + "/a");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("--train"));
  WriteFile(dir + "/wgrid.json",
            R"({"params": [{"path": "window.start", "values": ["2026-02-05T01:00:00Z"]}]})");
  r = Cli("sweep " + dir + "/config.json --grid " + dir +
          "/wgrid.json --quiet --walk-forward --train 6h --test 6h --out " + dir + "/a");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("params[0].path: 'window.start'"));
  EXPECT_EQ(Sh("test -e " + dir + "/a").exit_code, 1);
  // A run config's window must be a real interval.
  nlohmann::json c = nlohmann::json::parse(WalkConfig());
  c["window"]["end"] = "2026-02-04T00:00:00Z";
  WriteFile(dir + "/bad.json", c.dump());
  r = Cli("run " + dir + "/bad.json --quiet --out " + dir + "/a");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("window.end: must be after start"));
}

}  // namespace
}  // namespace tapedeck::apps
