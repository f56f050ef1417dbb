// Real QuickFIX sessions on 127.0.0.1 with free ports, no mocks: fixsim and FixVenue/paper end to
// end, faults (kill and reconnect, rejects, garbage bytes, refused logons), a plain foreign
// acceptor, TLS. No assertion depends on wall-clock time; waits are bounded only so a broken
// build cannot hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "adapters/fix_codec.h"
#include "adapters/fix_dictionary.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_venue.h"
#include "adapters/journal.h"
#include "adapters/paper_runner.h"
#include "quickfix/Application.h"
#include "quickfix/Session.h"
#include "quickfix/SocketAcceptor.h"
#include "tests/adapters/fix_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::BtcInstrument;
using ::tapedeck::testing::FixsimConfigJson;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::PaperConfigJson;
using ::tapedeck::testing::SimThread;
using ::tapedeck::testing::StartSim;
using ::tapedeck::testing::SessionCounters;
using ::tapedeck::testing::WaitFor;
using ::tapedeck::testing::WriteSawtoothTrades;

PaperConfig Paper(const nlohmann::json& j) {
  absl::StatusOr<PaperConfig> c = ::tapedeck::testing::ParsePaper(j);
  EXPECT_THAT(c, IsOk());
  return c.ok() ? *c : PaperConfig();
}

// A strategy driven by the test: `on_connect` runs at every logon (with the logon count), and
// every order update and venue status is recorded (read after the runner stops, or through
// the atomics while it runs).
class ScriptStrategy final : public Strategy {
 public:
  std::function<void(Context&, int)> on_connect;
  std::function<void(Context&, const Event&)> on_update;
  std::vector<Event> updates;
  std::atomic<int> connects{0};
  std::atomic<int> disconnects{0};
  std::atomic<int> data_ended{0};
  std::atomic<int> acks{0};
  std::atomic<int> fills{0};
  std::atomic<int> finished{0};

  void OnVenueStatus(Context& ctx, VenueStatus status) override {
    if (status == VenueStatus::kConnected) {
      const int n = ++connects;
      if (on_connect) on_connect(ctx, n);
    } else if (status == VenueStatus::kDisconnected) {
      ++disconnects;
    } else if (status == VenueStatus::kDataEnded) {
      ++data_ended;
    }
  }
  void OnOrderUpdate(Context& ctx, const Event& e) override {
    updates.push_back(e);
    if (e.kind == EventKind::kOrderAck) ++acks;
    if (e.kind == EventKind::kOrderFill) ++fills;
    if (e.kind == EventKind::kOrderCancel || e.kind == EventKind::kOrderReject) ++finished;
    if (on_update) on_update(ctx, e);
  }
};

TEST(FixSessionTest, PaperTradesThroughFixsimAndTheJournalReplaysToIdenticalOrders) {
  const std::string dir = MakeTempDir("e2e");
  const std::string trades = WriteSawtoothTrades(dir, 1000);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  auto sim = StartSim(FixsimConfigJson(trades, *port, dir + "/sim-store", "20x"));
  ASSERT_NE(sim, nullptr);
  const nlohmann::json params = {{"instrument", "BTCUSDT"}, {"fast", 3}, {"slow", 8}, {"qty", "0.010"}};
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner =
      ::tapedeck::testing::PaperFromConfig(PaperConfigJson(*port, params));
  ASSERT_THAT(runner, IsOk());
  PaperOptions options;
  options.journal_path = dir + "/journal.tdj";
  options.duration = Duration::Seconds(20);  // a bound against hangs only
  ASSERT_THAT((*runner)->Run(options), IsOk());
  ASSERT_TRUE(sim->Join()) << SessionCounters(*sim, **runner);
  EXPECT_THAT(sim->status(), IsOk());
  const PaperRunner& r = **runner;
  EXPECT_TRUE(r.reached_end_of_data());
  EXPECT_GT(r.host().orders_sent(), 2u);
  EXPECT_GT(r.records().fill_log().size(), 2u);
  EXPECT_EQ(sim->sim().stats().orders, r.host().orders_sent());
  EXPECT_EQ(sim->sim().stats().events, 1000u);
  EXPECT_EQ(r.venue().stats().undecodable, 0u);
  EXPECT_GT(r.decision_latency().count, 0u);
  // Every order sent on a market-data event is stamped when QuickFIX has encoded it and when
  // its send returns, the first before the second.
  EXPECT_GT(r.encoded_latency().count, 0u);
  EXPECT_EQ(r.encoded_latency().count, r.send_latency().count);
  EXPECT_LE(r.encoded_latency().p50, r.send_latency().p50);
  EXPECT_LE(r.encoded_latency().max, r.send_latency().max);
  EXPECT_GT(r.round_trip_latency().count, 0u);

  absl::StatusOr<JournalContents> j = ReadJournal(options.journal_path);
  ASSERT_THAT(j, IsOk());
  EXPECT_EQ(j->events.size(), r.events_processed());
  EXPECT_TRUE(j->stopped);
  absl::StatusOr<std::unique_ptr<Strategy>> again =
      runner::BuildStrategy({"sma_crossover", "sma", params, "strategies[0]"},
                            r.context().instruments());
  ASSERT_THAT(again, IsOk());
  JournalReplay replay(r.context().instruments(), Money(100'000 * Money::kOne));
  ASSERT_TRUE(replay.Run(*j, **again).ok());
  EXPECT_EQ(OrderLogText(replay.records().order_log()), OrderLogText(r.records().order_log()));
  EXPECT_EQ(replay.records().fill_log().size(), r.records().fill_log().size());
}

TEST(FixSessionTest, VenueRejectsReachTheStrategy) {
  const std::string dir = MakeTempDir("rej");
  const std::string trades = WriteSawtoothTrades(dir, 50);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  auto sim = StartSim(FixsimConfigJson(trades, *port, "memory", "20x"));
  ASSERT_NE(sim, nullptr);
  nlohmann::json pj = PaperConfigJson(*port, {{"instrument", "BTCUSDT"}});
  // The paper side knows an instrument the venue does not list.
  pj["instruments"].push_back(BtcInstrument("FOOUSDT"));
  pj["fix"]["symbols"] = {"BTCUSDT"};
  auto strategy = std::make_unique<ScriptStrategy>();
  ScriptStrategy* s = strategy.get();
  s->on_connect = [](Context& ctx, int n) {
    if (n != 1) return;
    ctx.BuyLimit(InstrumentId(1), Price(100), Qty(10));  // FOOUSDT: unknown at the venue
    ctx.BuyMarket(InstrumentId(0), Qty(0));              // a zero quantity
    ctx.SellLimit(InstrumentId(0), Price(8'000'000), Qty(10));  // fine: rests
  };
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = PaperRunner::Create(Paper(pj), std::move(strategy));
  ASSERT_THAT(runner, IsOk());
  PaperOptions options;
  options.duration = Duration::Seconds(20);
  ASSERT_THAT((*runner)->Run(options), IsOk());
  ASSERT_TRUE(sim->Join()) << SessionCounters(*sim, **runner);
  std::vector<RejectReason> reasons(4, RejectReason::kNone);
  for (const Event& e : s->updates) {
    if (e.kind == EventKind::kOrderReject) reasons[e.order.order_id.value] = e.order.reason;
  }
  EXPECT_EQ(reasons[1], RejectReason::kUnknownInstrument);
  EXPECT_EQ(reasons[2], RejectReason::kInvalidQty);
  EXPECT_EQ(reasons[3], RejectReason::kNone);
  EXPECT_EQ((*runner)->context().order(OrderId(3))->status, OrderStatus::kOpen);
  EXPECT_EQ((*runner)->context().order(OrderId(1))->status, OrderStatus::kRejected);
  // fixsim's end of data (TradingSessionStatus closed) reached the strategy, once, as status.
  EXPECT_TRUE((*runner)->reached_end_of_data());
  EXPECT_EQ(s->connects.load(), 1);
  EXPECT_EQ(s->data_ended.load(), 1);
}

TEST(FixSessionTest, FixsimKilledMidSessionReconnectsAndReconcilesWithoutDuplicates) {
  const std::string dir = MakeTempDir("kill");
  const std::string trades = WriteSawtoothTrades(dir, 2000);  // 20 s of data in real time
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  const nlohmann::json simj = FixsimConfigJson(trades, *port, dir + "/store", "realtime");
  auto first = StartSim(simj);
  ASSERT_NE(first, nullptr);

  auto strategy = std::make_unique<ScriptStrategy>();
  ScriptStrategy* s = strategy.get();
  s->on_connect = [](Context& ctx, int n) {
    // First session: an order that rests far from the market. Second: a fresh one.
    if (n == 1) ctx.SellLimit(InstrumentId(0), Price(8'000'000), Qty(10));
    if (n == 2) ctx.BuyLimit(InstrumentId(0), Price(100'000), Qty(20));
  };
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner =
      PaperRunner::Create(Paper(PaperConfigJson(*port, {{"instrument", "BTCUSDT"}})), std::move(strategy));
  ASSERT_THAT(runner, IsOk());
  std::atomic<bool> stop{false};
  absl::Status run_status;
  PaperOptions options;
  options.interrupt = &stop;
  options.duration = Duration::Seconds(30);
  options.journal_path = dir + "/journal.tdj";
  std::thread paper([&] { run_status = (*runner)->Run(options); });

  ASSERT_TRUE(WaitFor([&] { return s->acks.load() >= 1; }));
  first->Stop();  // closes every socket without a Logout, as a killed process would
  const uint64_t first_orders = first->sim().stats().orders;
  first.reset();
  ASSERT_TRUE(WaitFor([&] { return s->disconnects.load() >= 1; }));

  auto second = StartSim(simj);  // same port, same FileStore directory
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(WaitFor([&] { return s->connects.load() >= 2 && s->acks.load() >= 2 && s->finished.load() >= 1; }));
  const uint64_t second_orders = second->sim().stats().orders;
  const uint64_t status_requests = second->sim().stats().status_requests;
  stop.store(true);
  paper.join();
  second->Stop();
  ASSERT_THAT(run_status, IsOk());

  EXPECT_EQ(first_orders, 1u);
  EXPECT_EQ(second_orders, 1u);  // order 1 was not resent
  EXPECT_EQ(status_requests, 1u);
  const Context& ctx = (*runner)->context();
  ASSERT_EQ((*runner)->host().orders_sent(), 2u);
  // The venue lost order 1 with its restart: reported cancelled, exactly once.
  EXPECT_EQ(ctx.order(OrderId(1))->status, OrderStatus::kCancelled);
  EXPECT_EQ(ctx.order(OrderId(2))->status, OrderStatus::kOpen);
  int cancels_of_1 = 0, acks_of_1 = 0;
  for (const Event& e : s->updates) {
    if (e.order.order_id.value != 1) continue;
    cancels_of_1 += e.kind == EventKind::kOrderCancel ? 1 : 0;
    acks_of_1 += e.kind == EventKind::kOrderAck ? 1 : 0;
  }
  EXPECT_EQ(cancels_of_1, 1);
  EXPECT_EQ(acks_of_1, 1);
  EXPECT_EQ(s->disconnects.load(), 1);
  EXPECT_EQ((*runner)->venue().stats().refused_resends, 0u);
}

// Sends `bytes` on a fresh TCP connection to 127.0.0.1:port and closes it.
void SendGarbage(int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    (void)!::write(fd, bytes.data(), bytes.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::close(fd);
}

std::string GarbageBytes() {
  std::string g = "GET / HTTP/1.1\r\n\r\n8=FIX.4.4\x01" "9=9999\x01" "35=A\x01garbage\x01" "10=000\x01";
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1664525u + 1013904223u;
    g.push_back(static_cast<char>(x >> 24));
  }
  g += "8=FIX.4.4\x01" "9=5\x01" "35=0\x01" "10=999\x01";
  return g;
}

TEST(FixSessionTest, GarbageBytesCrashNeitherSide) {
  const std::string dir = MakeTempDir("garbage");
  const std::string trades = WriteSawtoothTrades(dir, 100);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  auto sim = StartSim(FixsimConfigJson(trades, *port, "memory", "20x"));
  ASSERT_NE(sim, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (int i = 0; i < 3; ++i) SendGarbage(*port, GarbageBytes());
  // fixsim still serves a proper session to the end.
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = ::tapedeck::testing::PaperFromConfig(
      PaperConfigJson(*port, {{"instrument", "BTCUSDT"}, {"fast", 3}, {"slow", 8}}));
  ASSERT_THAT(runner, IsOk());
  PaperOptions options;
  options.duration = Duration::Seconds(20);
  ASSERT_THAT((*runner)->Run(options), IsOk());
  ASSERT_TRUE(sim->Join()) << SessionCounters(*sim, **runner);
  EXPECT_THAT(sim->status(), IsOk());
  EXPECT_TRUE((*runner)->reached_end_of_data());
  EXPECT_EQ(sim->sim().stats().events, 100u);

  // The other way round: a "venue" that answers FixVenue's Logon with garbage.
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(lfd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ASSERT_EQ(::listen(lfd, 4), 0);
  const int gport = ntohs(addr.sin_port);
  std::thread server([&] {
    const int c = ::accept(lfd, nullptr, nullptr);
    if (c < 0) return;
    char buf[512];
    (void)!::read(c, buf, sizeof(buf));
    const std::string g = GarbageBytes();
    (void)!::write(c, g.data(), g.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::close(c);
  });
  PaperConfig pc = Paper(PaperConfigJson(gport, {{"instrument", "BTCUSDT"}}));
  absl::StatusOr<std::unique_ptr<FixVenue>> venue = FixVenue::Create(pc.venue, pc.instruments);
  ASSERT_THAT(venue, IsOk());
  ASSERT_THAT((*venue)->Start(), IsOk());
  server.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE((*venue)->logged_on());
  (*venue)->Stop(false);
  ::close(lfd);
}

TEST(FixSessionTest, UnknownCompIdsAndWrongPasswordsAreRefusedAndLogged) {
  const std::string dir = MakeTempDir("refuse");
  const std::string trades = WriteSawtoothTrades(dir, 10);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  auto sim = StartSim(FixsimConfigJson(trades, *port, "memory"));
  ASSERT_NE(sim, nullptr);
  auto try_logon = [&](const std::string& sender, const std::string& password) {
    nlohmann::json pj = PaperConfigJson(*port, {{"instrument", "BTCUSDT"}});
    pj["fix"]["sender_comp_id"] = sender;
    pj["fix"]["password"] = password;
    PaperConfig pc = Paper(pj);
    absl::StatusOr<std::unique_ptr<FixVenue>> venue = FixVenue::Create(pc.venue, pc.instruments);
    ASSERT_THAT(venue, IsOk());
    const size_t before = sim->sim().refusals().size();
    ASSERT_THAT((*venue)->Start(), IsOk());
    EXPECT_TRUE(WaitFor([&] { return sim->sim().refusals().size() > before; }));
    EXPECT_FALSE((*venue)->logged_on());
    (*venue)->Stop(false);
  };
  try_logon("PAPER", "wrong");
  try_logon("INTRUDER", "s3cret");
  const std::vector<std::string> refusals = sim->sim().refusals();
  ASSERT_GE(refusals.size(), 2u);
  EXPECT_THAT(refusals[0], ::testing::HasSubstr("wrong password"));
  EXPECT_THAT(refusals.back(), ::testing::HasSubstr("INTRUDER"));
  EXPECT_EQ(sim->sim().stats().logons, 0u);
  sim->Stop();
}

// A plain FIX 4.4 acceptor in the manner of QuickFIX's `executor` example: it fills every
// order in full at its limit price and knows nothing of tapedeck (official dictionary when
// ../shared is present, no market data, no tapedeck-only tags).
class Executor final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& id) override {
    if (m.getHeader().getField(35) != "D") throw FIX::UnsupportedMessageType();
    if (m.getField(40) != "2") return;  // executor fills limit orders only
    FIX::Message er;
    er.getHeader().setField(35, "8");
    er.setField(37, std::to_string(++n_));
    er.setField(17, std::to_string(++n_));
    er.setField(150, "F");
    er.setField(39, "2");
    er.setField(55, m.getField(55));
    er.setField(54, m.getField(54));
    er.setField(151, "0");
    er.setField(14, m.getField(38));
    er.setField(6, m.getField(44));
    er.setField(11, m.getField(11));
    er.setField(38, m.getField(38));
    er.setField(32, m.getField(38));
    er.setField(31, m.getField(44));
    FIX::Session::sendToTarget(er, id);
  }

 private:
  int n_ = 0;
};

TEST(FixSessionTest, FixVenueTradesWithAPlainExecutorAcceptor) {
  const std::string dir = MakeTempDir("executor");
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  std::string dictionary = std::string(TAPEDECK_SHARED_DIR) + "/fix/FIX44.xml";
  if (!std::filesystem::exists(dictionary)) {
    absl::StatusOr<std::string> own = EmbeddedFix44DictionaryPath();
    ASSERT_THAT(own, IsOk());
    dictionary = *own;
  }
  const std::string cfg = absl::StrCat(
      "[DEFAULT]\nConnectionType=acceptor\nSocketAcceptPort=", *port,
      "\nStartTime=00:00:00\nEndTime=00:00:00\nSocketNodelay=Y\nUseDataDictionary=Y\n"
      "DataDictionary=", dictionary,
      "\n[SESSION]\nBeginString=FIX.4.4\nSenderCompID=EXEC\nTargetCompID=PAPER\n");
  ::tapedeck::testing::WriteFile(dir + "/executor.cfg", cfg);
  Executor app;
  FIX::SessionSettings settings(dir + "/executor.cfg");
  FIX::MemoryStoreFactory store;
  FIX::SocketAcceptor acceptor(app, store, settings);
  acceptor.start();

  nlohmann::json pj = PaperConfigJson(*port, {{"instrument", "BTCUSDT"}});
  pj["fix"]["target_comp_id"] = "EXEC";
  pj["fix"].erase("password");
  std::atomic<bool> stop{false};
  auto strategy = std::make_unique<ScriptStrategy>();
  ScriptStrategy* s = strategy.get();
  s->on_connect = [](Context& ctx, int n) {
    if (n == 1) ctx.BuyLimit(InstrumentId(0), Price(6'900'012), Qty(25));
  };
  s->on_update = [&](Context& ctx, const Event& e) {
    if (e.kind == EventKind::kOrderFill && e.order.order_id.value == 1) {
      ctx.SellLimit(InstrumentId(0), Price(6'900'500), Qty(25));
    }
    if (e.kind == EventKind::kOrderFill && e.order.order_id.value == 2) stop.store(true);
  };
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = PaperRunner::Create(Paper(pj), std::move(strategy));
  ASSERT_THAT(runner, IsOk());
  PaperOptions options;
  options.interrupt = &stop;
  options.duration = Duration::Seconds(10);
  ASSERT_THAT((*runner)->Run(options), IsOk());
  acceptor.stop(true);
  const Context& ctx = (*runner)->context();
  const auto& fills = (*runner)->records().fill_log();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].price.raw, 6'900'012);
  EXPECT_EQ(fills[0].qty.raw, 25);
  EXPECT_EQ(fills[1].price.raw, 6'900'500);
  EXPECT_EQ(ctx.position(InstrumentId(0)).raw, 0);
  EXPECT_EQ(ctx.order(OrderId(1))->status, OrderStatus::kFilled);
}

TEST(FixSessionTest, PaperTradesOverTls) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl binary";
  const std::string dir = MakeTempDir("tls");
  const std::string cmd = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ", dir, "/key.pem -out ", dir,
      "/cert.pem -days 1 -subj /CN=localhost >/dev/null 2>&1");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string trades = WriteSawtoothTrades(dir, 200);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  nlohmann::json sj = FixsimConfigJson(trades, *port, "memory", "20x");
  sj["fix"]["tls"] = {{"enabled", true}, {"cert_file", dir + "/cert.pem"}, {"key_file", dir + "/key.pem"}};
  auto sim = StartSim(sj);
  ASSERT_NE(sim, nullptr);
  nlohmann::json pj = PaperConfigJson(*port, {{"instrument", "BTCUSDT"}, {"fast", 3}, {"slow", 8}});
  pj["fix"]["tls"] = {{"enabled", true}, {"ca_file", dir + "/cert.pem"}};
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = ::tapedeck::testing::PaperFromConfig(pj);
  ASSERT_THAT(runner, IsOk());
  PaperOptions options;
  options.duration = Duration::Seconds(20);
  ASSERT_THAT((*runner)->Run(options), IsOk());
  ASSERT_TRUE(sim->Join()) << SessionCounters(*sim, **runner);
  EXPECT_TRUE((*runner)->reached_end_of_data());
  EXPECT_EQ(sim->sim().stats().events, 200u);
  EXPECT_GT((*runner)->records().fill_log().size(), 0u);
}

}  // namespace
}  // namespace tapedeck::adapters
