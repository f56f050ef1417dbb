// Helpers shared by the sweep and walk-forward tests: the CLI as a process, and dip_buyer on a
// thinned scenario with a grid that changes what it does.
#ifndef TAPEDECK_TESTS_ANALYSIS_SWEEP_TEST_UTIL_H_
#define TAPEDECK_TESTS_ANALYSIS_SWEEP_TEST_UTIL_H_

#include <string>

#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck::analysis::testing {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;

struct Output {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

inline Output Sh(const std::string& cmd) {
  Output r;
  r.exit_code = ::tapedeck::testing::Shell(cmd + " 2>&1", &r.out);
  return r;
}

inline Output Cli(const std::string& args) { return Sh(CliPath() + " " + args); }

// dip_buyer on a thinned scenario (the crash day and the rebound), with short windows so it trades.
inline std::string SmallConfig() {
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
inline std::string Grid() {
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

// The setup the sweep tests share: a fresh temporary directory `dir` holding SmallConfig() as
// config.json and `grid` as grid.json; Args() names them as `tapedeck sweep` takes them.
struct SweepFiles {
  explicit SweepFiles(const std::string& name, const std::string& grid = Grid())
      : dir(::tapedeck::testing::MakeTempDir(name)) {
    ::tapedeck::testing::WriteFile(dir + "/config.json", SmallConfig());
    ::tapedeck::testing::WriteFile(dir + "/grid.json", grid);
  }
  // "DIR/config.json --grid DIR/grid.json"
  std::string Args() const { return dir + "/config.json --grid " + dir + "/grid.json"; }

  std::string dir;
};

}  // namespace tapedeck::analysis::testing

#endif  // TAPEDECK_TESTS_ANALYSIS_SWEEP_TEST_UTIL_H_
