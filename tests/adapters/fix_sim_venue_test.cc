// fixsim runs the venue model a backtest runs: the queue model and the latency models of its
// "venue" section take effect behind a real QuickFIX session on 127.0.0.1. The client is a plain
// QuickFIX initiator written here. Every assertion is on FIX fields and on the order of the
// messages on the session, which venue time decides (the replay starts only once the client has
// subscribed, so an order sent before that is sent at venue time 0); waits are bounded only so
// that a broken build cannot hang.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_dictionary.h"
#include "adapters/fix_session_config.h"
#include "adapters/fix_sim.h"
#include "quickfix/Application.h"
#include "quickfix/Group.h"
#include "quickfix/Session.h"
#include "quickfix/SocketInitiator.h"
#include "tests/adapters/fix_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::BtcInstrument;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::StartSim;
using ::tapedeck::testing::WaitFor;
using ::tapedeck::testing::WriteFile;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kT0 = 1'000 * kMs;  // the data starts 1 s after the epoch

// Quotes every 10 ms from 1.00 s to 2.00 s at 69000.00 / 69001.00 (ask 1.000). The bid's size
// is 1.000 up to 1.50 s, 5.000 from 1.51 s (4.000 joins behind whoever is there), 3.000 from
// 1.61 s (2.000 leaves, without a trade). A sell of 0.950 prints at 69000.00 at 1.70 s.
void WriteData(const std::string& dir) {
  std::string quotes = "ts,bid,bid_qty,ask,ask_qty\n";
  for (int64_t ms = 1000; ms <= 2000; ms += 10) {
    const char* size = ms <= 1500 ? "1.000" : ms <= 1600 ? "5.000" : "3.000";
    absl::StrAppend(&quotes, ms * kMs, ",69000.00,", size, ",69001.00,1.000\n");
  }
  WriteFile(dir + "/quotes.csv", quotes);
  WriteFile(dir + "/trades.csv", absl::StrCat("ts,price,qty,side\n", 1700 * kMs,
                                              ",69000.00,0.950,sell\n"));
}

nlohmann::json SimConfig(const std::string& dir, int port, const std::string& queue_model) {
  nlohmann::json j = {
      {"instruments", nlohmann::json::array({BtcInstrument()})},
      {"sources", nlohmann::json::array(
                      {{{"path", dir + "/quotes.csv"}, {"format", "quotes_csv"},
                        {"instrument", "BTCUSDT"}},
                       {{"path", dir + "/trades.csv"}, {"format", "trades_csv"},
                        {"instrument", "BTCUSDT"}}})},
      {"fix", {{"port", port}, {"store", "memory"}, {"heartbeat_s", 5}, {"reset_on_logon", true},
               {"sessions", nlohmann::json::array({{{"sender_comp_id", "FIXSIM"},
                                                    {"target_comp_id", "CLIENT"}}})},
               {"pace", "fast"},
               {"wait_for_sessions", 1},
               {"linger", "200ms"}}}};
  // An order reaches the venue 1.5 s after it is sent; acks come back after 200 ms and fills
  // after 250 ms, from latency models of their own.
  j["venue"] = {{"entry_latency", "1500ms"},
                {"queue_model", queue_model},
                {"latency", {{"ack", {{"model", "constant"}, {"base", "200ms"}}},
                             {"fill", {{"model", "constant"}, {"base", "250ms"}}}}}};
  if (queue_model == "power") j["venue"]["queue_power"] = 2;
  return j;
}

// Records every application message, in the order the session delivers them.
class Client final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override { logged_on = true; }
  void onLogout(const FIX::SessionID&) override { logged_on = false; }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mu);
    received.push_back(m);
  }
  std::vector<FIX::Message> Received() {
    std::lock_guard<std::mutex> lock(mu);
    return received;
  }

  std::atomic<bool> logged_on{false};
  std::mutex mu;
  std::vector<FIX::Message> received;
};

// What the client saw: each execution report with the MDEntryTime of the last market-data
// message before it.
struct Report {
  std::string exec_type;
  std::string transact_time;
  std::string last_qty;
  std::string market_time_before;
};

std::vector<Report> Reports(const std::vector<FIX::Message>& received) {
  std::vector<Report> out;
  std::string market_time;
  for (const FIX::Message& m : received) {
    const std::string type = m.getHeader().getField(35);
    if ((type == "W" || type == "X") && m.groupCount(268) > 0) {
      market_time = m.getGroupRef(1, 268).getField(273);
    } else if (type == "8") {
      out.push_back({m.getField(150), m.getField(60), m.isSetField(32) ? m.getField(32) : "",
                     market_time});
    }
  }
  return out;
}

// One fixsim session: a buy of 0.010 at 69000.00 sent before the replay starts, then the
// subscription; returns the reports once fixsim has replayed everything and lingered.
std::vector<Report> RunSession(const std::string& queue_model) {
  const std::string dir = MakeTempDir("fixsim_venue_" + queue_model);
  WriteData(dir);
  absl::StatusOr<int> port = PickFreePort();
  EXPECT_THAT(port, IsOk());
  if (!port.ok()) return {};
  auto sim = StartSim(SimConfig(dir, *port, queue_model));
  if (sim == nullptr) return {};
  Client client;
  absl::StatusOr<std::string> dictionary = EmbeddedFix44DictionaryPath();
  EXPECT_THAT(dictionary, IsOk());
  WriteFile(dir + "/client.cfg",
            absl::StrCat("[DEFAULT]\nConnectionType=initiator\nSocketConnectHost=127.0.0.1\n"
                         "SocketConnectPort=", *port, "\nStartTime=00:00:00\nEndTime=00:00:00\n"
                         "HeartBtInt=30\nReconnectInterval=1\nResetOnLogon=Y\n"
                         "UseDataDictionary=Y\nDataDictionary=", dictionary.value_or(""), "\n"
                         "[SESSION]\nBeginString=FIX.4.4\nSenderCompID=CLIENT\n"
                         "TargetCompID=FIXSIM\n"));
  FIX::SessionSettings settings(dir + "/client.cfg");
  FIX::MemoryStoreFactory store;
  FIX::SocketInitiator initiator(client, store, settings);
  initiator.start();
  EXPECT_TRUE(WaitFor([&] { return client.logged_on.load(); }));
  const FIX::SessionID session("FIX.4.4", "CLIENT", "FIXSIM");
  FIX::Message order;
  order.getHeader().setField(35, "D");
  order.setField(11, "B1");
  order.setField(55, "BTCUSDT");
  order.setField(54, "1");
  order.setField(60, "19700101-00:00:00.000");
  order.setField(38, "0.010");
  order.setField(40, "2");
  order.setField(44, "69000.00");
  order.setField(59, "1");  // good till cancel
  EXPECT_TRUE(FIX::Session::sendToTarget(order, session));
  FIX::Message subscribe;
  subscribe.getHeader().setField(35, "V");
  subscribe.setField(262, "MD1");
  subscribe.setField(263, "1");
  subscribe.setField(264, "1");
  for (const char* entry : {"0", "1", "2"}) {
    FIX::Group types(267, 269);
    types.setField(269, entry);
    subscribe.addGroup(types);
  }
  FIX::Group symbol(146, 55);
  symbol.setField(55, "BTCUSDT");
  subscribe.addGroup(symbol);
  EXPECT_TRUE(FIX::Session::sendToTarget(subscribe, session));
  EXPECT_TRUE(sim->Join());
  EXPECT_THAT(sim->status(), IsOk());
  initiator.stop(true);
  return Reports(client.Received());
}

TEST(FixSimVenueTest, TheConfiguredLatencyAndQueueModelsTakeEffect) {
  // Power model: the order reaches the venue at 1.50 s (venue time 0 + 1.5 s), behind the
  // 1.000 bid; 4.000 joins behind it. At 1.61 s the level loses 2.000: p = 4^2 / (4^2 + 1^2) =
  // 16/17 of it behind, so 0.117 ahead (floor) and 0.883 stay ahead. The 0.950 print at 1.70 s
  // takes the 0.883, then the order's whole 0.010: a maker fill at 1.70 s.
  const std::vector<Report> power = RunSession("power");
  ASSERT_EQ(power.size(), 2u);
  // The ack: produced at 1.50 s, sent once the replay reaches 1.50 + 0.20 s.
  EXPECT_EQ(power[0].exec_type, "0");
  EXPECT_EQ(power[0].transact_time, FormatFixTimestamp(kT0 + 500 * kMs));
  EXPECT_EQ(power[0].market_time_before, FormatFixTime(kT0 + 700 * kMs));
  // The fill: produced at 1.70 s, sent once the replay reaches 1.70 + 0.25 s.
  EXPECT_EQ(power[1].exec_type, "F");
  EXPECT_EQ(power[1].last_qty, "0.010");
  EXPECT_EQ(power[1].transact_time, FormatFixTimestamp(kT0 + 700 * kMs));
  EXPECT_EQ(power[1].market_time_before, FormatFixTime(kT0 + 950 * kMs));

  // Risk-averse model: the decrease at 1.61 s leaves the order behind 1.000 (the new size,
  // 3.000, is larger); the 0.950 print does not reach it. No fill.
  const std::vector<Report> risk_averse = RunSession("risk_averse");
  ASSERT_EQ(risk_averse.size(), 1u);
  EXPECT_EQ(risk_averse[0].exec_type, "0");
  EXPECT_EQ(risk_averse[0].transact_time, FormatFixTimestamp(kT0 + 500 * kMs));
}

}  // namespace
}  // namespace tapedeck::adapters
