// Walk-forward: windows by hand, the stitched curve, and end to end: the table does not depend
// on the number of threads, each window's choice is a plain sweep's best row on its train period,
// and each test run is `tapedeck run` on its config.
#include "analysis/walk_forward.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/analysis/sweep_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::analysis {
namespace {

using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;
using testing::Cli;
using testing::Output;
using testing::Sh;
using testing::SmallConfig;

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
}  // namespace tapedeck::analysis
