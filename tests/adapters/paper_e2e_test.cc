// End to end with real processes, as a user runs them: `tapedeck fixsim` replays the seeded
// deleveraging scenario (the generator, thinned so that the test takes seconds even under the
// sanitizers) to two sessions at once, `tapedeck paper` runs dip_buyer on one and basis_reentry on
// the other, both on 127.0.0.1 and a free port, with the shipped configs/paper_dip_buyer.json as
// the base of their configs (its instruments, "fix.clock": "venue"). Each gets fills, and
// `tapedeck run --journal` replays each journal to byte-identical orders.csv and digest.txt.
// No assertion depends on wall-clock time; `timeout` only stops a hang.
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "adapters/fix_session_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

nlohmann::json LoadConfig(const std::string& name) {
  return nlohmann::json::parse(ReadFile(SourceDir() + "/configs/" + name));
}

// The scenario from 2026-02-05 00:00 to the rebound peak, in 10 s steps with one book level and
// a tenth of the rates (~130k events): both strategies still trade it (the backtest of the same
// thinned scenario: dip_buyer buys 3 x 1 BTC from 14:57 and sells at 16:11; basis_reentry buys
// the basis at 15:33 and unwinds on the 6th).
nlohmann::json ThinScenario() {
  return {{"format", "scenario"},
          {"path", SourceDir() + "/configs/scenarios/deleveraging.json"},
          {"options",
           {{"start", "2026-02-05T00:00:00Z"},
            {"end", "2026-02-06T20:00:00Z"},
            {"step", "10s"},
            {"mark_interval", "10s"},
            {"book_depth", 1},
            {"book_rate", {{"far", 0.005}, {"near", 0.008}, {"perp", 0.02}, {"spot", 0.015}}},
            {"trade_rate", {{"far", 0.006}, {"near", 0.012}, {"perp", 0.05}, {"spot", 0.03}}},
            {"liquidation_rate", 0.012}}}};
}

TEST(PaperEndToEndTest, FixsimScenarioPaperDipBuyerAndBasisReentryJournalsReplayIdentically) {
  const std::string dir = MakeTempDir("paper_e2e");
  absl::StatusOr<int> port = adapters::PickFreePort();
  ASSERT_TRUE(port.ok());

  // fixsim: the shipped config, on the free port, two sessions, the thinned scenario.
  nlohmann::json sim = LoadConfig("fixsim_feb5.json");
  sim["sources"] = nlohmann::json::array({ThinScenario()});
  sim["fix"]["port"] = *port;
  sim["fix"]["store"] = dir + "/store";
  sim["fix"]["sessions"] = nlohmann::json::array(
      {{{"sender_comp_id", "FIXSIM"}, {"target_comp_id", "DIP"}, {"password", "pw-dip"}},
       {{"sender_comp_id", "FIXSIM"}, {"target_comp_id", "BASIS"}, {"password", "pw-basis"}}});
  sim["fix"]["wait_for_sessions"] = 2;
  sim["fix"]["linger"] = "1s";
  WriteFile(dir + "/fixsim.json", sim.dump(2));

  // paper: the shipped config with the session and the strategy swapped in. dip_buyer's windows
  // are shortened as in the thinned backtest (sweep_test.cc); basis_reentry takes its feb5 params.
  auto paper = [&](const std::string& comp_id, const std::string& password,
                   const nlohmann::json& strategy) {
    nlohmann::json p = LoadConfig("paper_dip_buyer.json");
    p["fix"]["port"] = *port;
    p["fix"]["sender_comp_id"] = comp_id;
    p["fix"]["password"] = password;
    p["strategies"] = nlohmann::json::array({strategy});
    p["fix"]["drain"] = "2s";
    p["fix"]["store"] = dir + "/" + comp_id + "_store";
    EXPECT_EQ(p["fix"]["clock"], "venue");
    WriteFile(dir + "/" + comp_id + ".json", p.dump(2));
  };
  nlohmann::json dip = LoadConfig("dip_buyer_feb5.json")["strategies"][0];
  dip["params"]["high_window"] = "4h";
  dip["params"]["volume_baseline"] = "4h";
  dip["params"]["exhaustion_time"] = "30m";
  dip["params"]["fade_min_quiet"] = "15m";
  dip["params"]["drawdown_bps"] = 300;
  dip["params"]["cooldown"] = "30m";
  paper("DIP", "pw-dip", dip);
  paper("BASIS", "pw-basis", LoadConfig("basis_reentry_feb5.json")["strategies"][0]);

  const std::string cli = CliPath();
  const std::string script =
      "cd " + dir + " && T='timeout 300'; " +  //
      "$T " + cli + " fixsim --config fixsim.json --quiet > fixsim.log 2>&1 & s=$!; " +
      "$T " + cli + " paper --config DIP.json --out dip --quiet > dip.log 2>&1 & a=$!; " +
      "$T " + cli + " paper --config BASIS.json --out basis --quiet > basis.log 2>&1 & b=$!; " +
      "wait $a; ra=$?; wait $b; rb=$?; wait $s; rs=$?; echo \"$rs $ra $rb\"";
  std::string out;
  ASSERT_EQ(Shell(script, &out), 0);
  EXPECT_EQ(out, "0 0 0\n") << ReadFile(dir + "/fixsim.log") << ReadFile(dir + "/dip.log")
                            << ReadFile(dir + "/basis.log");
  EXPECT_THAT(ReadFile(dir + "/fixsim.log"), HasSubstr(" 0 refused logons"));
  // QuickFIX formats the listening port as a signed 16-bit number; fixsim shows the real one.
  EXPECT_THAT(ReadFile(dir + "/fixsim.log"),
              HasSubstr("Accepted connection from 127.0.0.1 on port " + std::to_string(*port) + "\n"));
  // paper keeps no copy of what it sent (PersistMessages=N: its resends would be refused
  // anyway), only sequence numbers; fixsim's store holds every message it sent.
  for (const std::string comp_id : {"DIP", "BASIS"}) {
    const std::string store = dir + "/" + comp_id + "_store/FIX.4.4-" + comp_id + "-FIXSIM";
    ASSERT_TRUE(std::filesystem::exists(store + ".seqnums")) << store;
    EXPECT_EQ(std::filesystem::file_size(store + ".body"), 0u) << store;
    EXPECT_GT(std::filesystem::file_size(dir + "/store/FIX.4.4-FIXSIM-" + comp_id + ".body"), 0u);
  }

  for (const std::string name : {"dip", "basis"}) {
    SCOPED_TRACE(name);
    const nlohmann::json summary = nlohmann::json::parse(ReadFile(dir + "/" + name + "/summary.json"));
    const nlohmann::json& p = summary["paper"];
    EXPECT_EQ(p["reached_end_of_data"], true);
    EXPECT_EQ(p["clock"], "venue");
    EXPECT_GT(p["orders_sent"].get<int>(), 0);
    EXPECT_GT(p["fills"].get<int>(), 0);
    EXPECT_EQ(p["venue"]["undecodable"], 0);
    EXPECT_EQ(p["venue"]["local_rejects"], 0);

    std::string log;
    ASSERT_EQ(Shell(cli + " run --journal " + dir + "/" + name + "/journal.tdj --out " + dir + "/" +
                        name + "_replay --quiet 2>&1",
                    &log),
              0)
        << log;
    const std::string orders = ReadFile(dir + "/" + name + "/orders.csv");
    EXPECT_GT(orders.size(), 100u);
    EXPECT_EQ(ReadFile(dir + "/" + name + "_replay/orders.csv"), orders);
    EXPECT_EQ(ReadFile(dir + "/" + name + "_replay/fills.csv"),
              ReadFile(dir + "/" + name + "/fills.csv"));
    // exchange_ts is the venue's time of each fill (TransactTime from fixsim's replay of the
    // scenario's February data), not the wall time the report arrived at.
    std::istringstream fills(ReadFile(dir + "/" + name + "/fills.csv"));
    std::string line;
    std::getline(fills, line);  // header
    int rows = 0;
    constexpr int64_t kFeb1 = 1'769'904'000'000'000'000, kFeb10 = 1'770'681'600'000'000'000;
    while (std::getline(fills, line)) {
      const std::vector<std::string> cols = absl::StrSplit(line, ',');
      ASSERT_GE(cols.size(), 2u) << line;
      const int64_t exchange_ts = std::stoll(cols[1]);
      EXPECT_GE(exchange_ts, kFeb1) << line;
      EXPECT_LT(exchange_ts, kFeb10) << line;
      ++rows;
    }
    EXPECT_GT(rows, 0);
    EXPECT_EQ(ReadFile(dir + "/" + name + "_replay/digest.txt"),
              ReadFile(dir + "/" + name + "/digest.txt"));
  }
}

}  // namespace
}  // namespace tapedeck
