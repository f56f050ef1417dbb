// fixsim against a stock QuickFIX initiator: a plain FIX::Application written here with standard
// FIX 4.4 fields only (no tapedeck code on the client side; the upstream FIX44.xml dictionary
// when ../shared is present), and fixsim's FileStore across a restart. Real sessions on
// 127.0.0.1 with free ports; waits are bounded only so that a broken build cannot hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/fix_dictionary.h"
#include "adapters/fix_listen.h"
#include "adapters/fix_session_config.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_venue.h"
#include "adapters/paper_runner.h"
#include "quickfix/Application.h"
#include "quickfix/FileStore.h"
#include "quickfix/Group.h"
#include "quickfix/Session.h"
#include "quickfix/SocketInitiator.h"
#include "tests/adapters/fix_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::FixsimConfigJson;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::SimThread;
using ::tapedeck::testing::StartSim;
using ::tapedeck::testing::WaitFor;
using ::tapedeck::testing::WriteSawtoothTrades;

// The client: logs on with Password (554), records every message it receives.
class StockClient final : public FIX::Application {
 public:
  std::atomic<bool> logged_on{false};
  std::mutex mu;
  std::vector<FIX::Message> app;    // application messages received
  std::vector<FIX::Message> admin;  // session messages received

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override { logged_on = true; }
  void onLogout(const FIX::SessionID&) override { logged_on = false; }
  void toAdmin(FIX::Message& m, const FIX::SessionID&) override {
    if (m.getHeader().getField(35) == "A") m.setField(554, "s3cret");
  }
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& m, const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mu);
    admin.push_back(m);
  }
  void fromApp(const FIX::Message& m, const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mu);
    app.push_back(m);
  }
  // Execution reports received with ExecType (150) `exec_type`.
  std::vector<FIX::Message> Reports(const std::string& exec_type) {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<FIX::Message> out;
    for (const FIX::Message& m : app) {
      if (m.getHeader().getField(35) == "8" && m.getField(150) == exec_type) out.push_back(m);
    }
    return out;
  }
};

std::string Dictionary() {
  const std::string upstream = std::string(TAPEDECK_SHARED_DIR) + "/fix/FIX44.xml";
  if (std::filesystem::exists(upstream)) return upstream;
  absl::StatusOr<std::string> own = EmbeddedFix44DictionaryPath();
  return own.ok() ? *own : "";
}

// A stock initiator's settings file, as a QuickFIX user writes it.
FIX::SessionSettings ClientSettings(const std::string& dir, int port, bool file_store) {
  std::string cfg = absl::StrCat(
      "[DEFAULT]\nConnectionType=initiator\nSocketConnectHost=127.0.0.1\nSocketConnectPort=", port,
      "\nStartTime=00:00:00\nEndTime=00:00:00\nHeartBtInt=30\nReconnectInterval=1\n"
      "SocketNodelay=Y\nUseDataDictionary=Y\nDataDictionary=", Dictionary(),
      "\nResetOnLogon=", file_store ? "N" : "Y", "\n");
  if (file_store) absl::StrAppend(&cfg, "FileStorePath=", dir, "/client-store\n");
  absl::StrAppend(&cfg, "[SESSION]\nBeginString=FIX.4.4\nSenderCompID=PAPER\nTargetCompID=FIXSIM\n");
  ::tapedeck::testing::WriteFile(dir + "/client.cfg", cfg);
  return FIX::SessionSettings(dir + "/client.cfg");
}

const FIX::SessionID kClient("FIX.4.4", "PAPER", "FIXSIM");

FIX::Message NewOrderSingle(const std::string& clordid, const std::string& price) {
  FIX::Message m;
  m.getHeader().setField(35, "D");
  m.setField(11, clordid);
  m.setField(55, "BTCUSDT");
  m.setField(54, "1");                      // buy
  m.setField(60, "20260205-00:00:00.000");  // TransactTime
  m.setField(38, "0.010");
  m.setField(40, "2");  // limit
  m.setField(44, price);
  m.setField(59, "0");  // day
  return m;
}

TEST(FixInteropTest, StockQuickFixInitiatorTradesWithFixsim) {
  const std::string dir = MakeTempDir("stock_initiator");
  const std::string trades = WriteSawtoothTrades(dir, 200);  // 69000.00 .. 69010.00
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  auto sim = StartSim(FixsimConfigJson(trades, *port, "memory"));
  ASSERT_NE(sim, nullptr);

  StockClient client;
  FIX::SessionSettings settings = ClientSettings(dir, *port, false);
  FIX::MemoryStoreFactory store;
  FIX::SocketInitiator initiator(client, store, settings);
  initiator.start();
  ASSERT_TRUE(WaitFor([&] { return client.logged_on.load(); }));

  // A buy limit over every price of the tape rests first (no market yet): ExecType 0, New.
  FIX::Message nos = NewOrderSingle("C1", "69100.00");
  ASSERT_TRUE(FIX::Session::sendToTarget(nos, kClient));
  ASSERT_TRUE(WaitFor([&] { return client.Reports("0").size() == 1; }));
  // Then market data is requested (standard 35=V with one NoRelatedSym entry): the replay
  // starts, the first trade prints under the limit and fills the order: ExecType F, Filled.
  FIX::Message req;
  req.getHeader().setField(35, "V");
  req.setField(262, "MD1");
  req.setField(263, "1");  // snapshot + updates
  req.setField(264, "1");
  FIX::Group types(267, 269);
  types.setField(269, "2");  // trades
  req.addGroup(types);
  FIX::Group sym(146, 55);
  sym.setField(55, "BTCUSDT");
  req.addGroup(sym);
  ASSERT_TRUE(FIX::Session::sendToTarget(req, kClient));
  ASSERT_TRUE(WaitFor([&] { return !client.Reports("F").empty() &&
                                   client.Reports("F").back().getField(39) == "2"; }));
  const FIX::Message ack = client.Reports("0")[0];
  EXPECT_EQ(ack.getField(11), "C1");
  EXPECT_EQ(ack.getField(39), "0");
  EXPECT_EQ(ack.getField(151), "0.010");  // LeavesQty
  const FIX::Message fill = client.Reports("F").back();
  EXPECT_EQ(fill.getField(11), "C1");
  EXPECT_EQ(fill.getField(14), "0.010");  // CumQty
  EXPECT_EQ(fill.getField(151), "0.000");
  EXPECT_FALSE(fill.getField(6).empty());  // AvgPx
  // An order for a symbol fixsim does not list is rejected with a standard report (ExecType 8).
  FIX::Message bad = NewOrderSingle("C2", "69000.00");
  bad.setField(55, "NOPE");
  ASSERT_TRUE(FIX::Session::sendToTarget(bad, kClient));
  ASSERT_TRUE(WaitFor([&] { return client.Reports("8").size() == 1; }));
  EXPECT_EQ(client.Reports("8")[0].getField(11), "C2");
  initiator.stop(true);
  sim->Stop();
  EXPECT_EQ(sim->sim().stats().logons, 1u);
  EXPECT_EQ(sim->sim().stats().fills, client.Reports("F").size());
}

// Sequence numbers of the stock client's session: next to send, next expected.
std::pair<int, int> SeqNums() {
  FIX::Session* s = FIX::Session::lookupSession(kClient);
  if (s == nullptr) return {0, 0};
  return {s->getExpectedSenderNum(), s->getExpectedTargetNum()};
}

TEST(FixInteropTest, FixsimRestartedOnItsFileStoreResumesSequenceNumbers) {
  const std::string dir = MakeTempDir("filestore");
  const std::string trades = WriteSawtoothTrades(dir, 10);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  nlohmann::json sj = FixsimConfigJson(trades, *port, dir + "/sim-store");
  sj["fix"]["reset_on_logon"] = false;
  std::pair<int, int> before;
  {
    // First life: logon, three orders acknowledged, stop both sides without a Logout.
    auto sim = StartSim(sj);
    ASSERT_NE(sim, nullptr);
    StockClient client;
    FIX::SessionSettings settings = ClientSettings(dir, *port, true);
    FIX::FileStoreFactory store(settings);
    FIX::SocketInitiator initiator(client, store, settings);
    initiator.start();
    ASSERT_TRUE(WaitFor([&] { return client.logged_on.load(); }));
    for (int i = 1; i <= 3; ++i) {
      FIX::Message nos = NewOrderSingle(absl::StrCat("A", i), "60000.00");
      ASSERT_TRUE(FIX::Session::sendToTarget(nos, kClient));
    }
    ASSERT_TRUE(WaitFor([&] { return client.Reports("0").size() == 3; }));
    before = SeqNums();
    initiator.stop(true);
    sim->Stop();
  }
  // Logon 1 + 3 orders sent: next to send 5; logon + 3 acks received: next expected 5.
  EXPECT_EQ(before.first, 5);
  EXPECT_EQ(before.second, 5);
  {
    // Second life on the same stores: the Logons carry on from the stored numbers, with no
    // reset. (Stopping may have left one admin message, fixsim's Logout, unread by the client:
    // the client then asks for it again and fixsim answers with a gap fill, as FIX says.)
    auto sim = StartSim(sj);
    ASSERT_NE(sim, nullptr);
    StockClient client;
    FIX::SessionSettings settings = ClientSettings(dir, *port, true);
    FIX::FileStoreFactory store(settings);
    FIX::SocketInitiator initiator(client, store, settings);
    initiator.start();
    ASSERT_TRUE(WaitFor([&] { return client.logged_on.load(); }));
    FIX::Message nos = NewOrderSingle("B1", "60000.00");
    ASSERT_TRUE(FIX::Session::sendToTarget(nos, kClient));
    ASSERT_TRUE(WaitFor([&] { return client.Reports("0").size() == 1; }));
    {
      std::lock_guard<std::mutex> lock(client.mu);
      ASSERT_FALSE(client.admin.empty());
      const FIX::Message& logon = client.admin.front();
      EXPECT_EQ(logon.getHeader().getField(35), "A");
      // fixsim's Logon continues from its store (5, or 6 after an unread Logout), not from 1.
      EXPECT_GE(std::stoi(logon.getHeader().getField(34)), before.second);
      EXPECT_FALSE(logon.isSetField(141) && logon.getField(141) == "Y") << "ResetSeqNumFlag";
      for (const FIX::Message& m : client.admin) {
        if (m.getHeader().getField(35) != "4") continue;
        // Only a gap fill over admin messages, never a reset of the numbers.
        EXPECT_TRUE(m.isSetField(123) && m.getField(123) == "Y") << "a SequenceReset-Reset";
        EXPECT_GE(std::stoi(m.getHeader().getField(34)), before.second);
      }
      EXPECT_GT(std::stoi(client.app.back().getHeader().getField(34)),
                std::stoi(logon.getHeader().getField(34)));  // the ack of B1
    }
    // Our side continued too: Logon and B1 went out at 5 and later.
    EXPECT_GE(SeqNums().first, before.first + 2);
    EXPECT_GT(SeqNums().second, before.second);
    initiator.stop(true);
    sim->Stop();
  }
}

// TLS with the peer's certificate verified: FixVenue with verify_peer (QuickFIX
// CertificateVerifyLevel 3) and ca_file set to the certificate fixsim presents logs on and
// trades. The negative case is not tested: with an unrelated CA the handshake does fail, but
// QuickFIX 1.15.1's SSLSocketInitiator then spins inside doConnect holding its lock, so
// Initiator::stop blocks for good (README, FIX section).
TEST(FixInteropTest, TlsWithPeerVerificationLogsOnWithTheVenuesCa) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl binary";
  const std::string dir = MakeTempDir("tls_verify");
  for (const std::string name : {"venue"}) {
    const std::string cmd = absl::StrCat(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ", dir, "/", name, "-key.pem -out ",
        dir, "/", name, "-cert.pem -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  const std::string trades = WriteSawtoothTrades(dir, 10);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  nlohmann::json sj = FixsimConfigJson(trades, *port, "memory");
  sj["fix"]["tls"] = {{"enabled", true}, {"cert_file", dir + "/venue-cert.pem"},
                      {"key_file", dir + "/venue-key.pem"}};
  auto sim = StartSim(sj);
  ASSERT_NE(sim, nullptr);
  auto venue_with_ca = [&](const std::string& ca) {
    nlohmann::json pj = ::tapedeck::testing::PaperConfigJson(*port, {{"instrument", "BTCUSDT"}});
    pj["fix"]["tls"] = {{"enabled", true}, {"ca_file", ca}, {"verify_peer", true}};
    absl::StatusOr<PaperConfig> pc = ::tapedeck::testing::ParsePaper(pj);
    EXPECT_THAT(pc, IsOk());
    auto config = std::make_unique<PaperConfig>(*pc);
    absl::StatusOr<std::unique_ptr<FixVenue>> venue = FixVenue::Create(config->venue, config->instruments);
    EXPECT_THAT(venue, IsOk());
    return std::make_pair(std::move(config), std::move(*venue));
  };
  {
    auto [config, venue] = venue_with_ca(dir + "/venue-cert.pem");
    ASSERT_THAT(venue->Start(), IsOk());
    EXPECT_TRUE(WaitFor([&] { return venue->logged_on(); }));
    venue->Stop(false);
    EXPECT_EQ(sim->sim().stats().logons, 1u);
  }
  sim->Stop();
}

// The local addresses listening on TCP `port`, from the kernel's table (/proc/net/tcp, state
// 0A = LISTEN; addresses as the kernel prints them: 127.0.0.2 is "0200007F").
std::vector<std::string> ListeningAddresses(int port) {
  std::ifstream in("/proc/net/tcp");
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  const std::string port_hex = absl::StrFormat("%04X", port);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    const size_t colon = local.find(':');
    if (state == "0A" && colon != std::string::npos && local.substr(colon + 1) == port_hex) {
      out.push_back(local.substr(0, colon));
    }
  }
  return out;
}

// fixsim on a free port with "fix.host" set to `host`, replaying a short tape; sim is null (and
// the test failed) when it could not be set up.
struct HostSim {
  int port = 0;
  nlohmann::json config;
  std::unique_ptr<SimThread> sim;
};
HostSim StartSimOnHost(const std::string& host) {
  HostSim h;
  absl::StatusOr<int> port = PickFreePort();
  EXPECT_THAT(port, IsOk());
  if (!port.ok()) return h;
  h.port = *port;
  h.config = FixsimConfigJson(WriteSawtoothTrades(MakeTempDir("host"), 10), h.port, "memory");
  h.config["fix"]["host"] = host;
  h.sim = StartSim(h.config);
  return h;
}

// fixsim's "host": QuickFIX 1.15.1 has no setting for the acceptor's address, and fixsim's
// socket_createAcceptor (adapters/fix_listen.h) takes the place of QuickFIX's inside
// libquickfix's own SocketServer. Linux routes all of 127.0.0.0/8 to the loopback interface, so
// fixsim on 127.0.0.2 is one address of it: a connection to 127.0.0.1 finds nothing listening.
TEST(FixInteropTest, FixsimListensOnlyOnItsHostAddress) {
  HostSim h = StartSimOnHost("127.0.0.2");
  ASSERT_NE(h.sim, nullptr);
  ASSERT_TRUE(WaitFor([&] { return ListenedOn(h.port).has_value(); }));
  ASSERT_EQ(ListenedOn(h.port)->error, 0);
  EXPECT_THAT(ListeningAddresses(h.port), ::testing::ElementsAre("0200007F"));

  // Nothing listens on 127.0.0.1: the connection is refused by the kernel.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(h.port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_NE(::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)), 0);
  EXPECT_EQ(errno, ECONNREFUSED);
  ::close(fd);

  // A venue configured with fixsim's address logs on.
  nlohmann::json pj = ::tapedeck::testing::PaperConfigJson(h.port, {{"instrument", "BTCUSDT"}});
  pj["fix"]["host"] = "127.0.0.2";
  absl::StatusOr<PaperConfig> pc = ::tapedeck::testing::ParsePaper(pj);
  ASSERT_THAT(pc, IsOk());
  absl::StatusOr<std::unique_ptr<FixVenue>> venue = FixVenue::Create(pc->venue, pc->instruments);
  ASSERT_THAT(venue, IsOk());
  ASSERT_THAT((*venue)->Start(), IsOk());
  EXPECT_TRUE(WaitFor([&] { return (*venue)->logged_on(); }));
  (*venue)->Stop(false);
  EXPECT_EQ(h.sim->sim().stats().logons, 1u);
  h.sim->Stop();
  EXPECT_THAT(h.sim->status(), IsOk());

  // The host must be an address.
  h.config["fix"]["host"] = "fixsim.example";
  EXPECT_FALSE(runner::ParseFixsimConfig(h.config, "fixsim.json").ok());
}

// "0.0.0.0" listens on every interface, as QuickFIX alone would.
TEST(FixInteropTest, FixsimOnAnyAddressListensOnEveryInterface) {
  HostSim h = StartSimOnHost("0.0.0.0");
  ASSERT_NE(h.sim, nullptr);
  ASSERT_TRUE(WaitFor([&] { return ListenedOn(h.port).has_value(); }));
  EXPECT_THAT(ListeningAddresses(h.port), ::testing::ElementsAre("00000000"));
  h.sim->Stop();
}

// An address that is not this machine's (192.0.2.0/24 is reserved for documentation) cannot be
// listened on: fixsim says which address and why, and does not fall back to every interface.
TEST(FixInteropTest, FixsimOnAForeignAddressFailsClearly) {
  HostSim h = StartSimOnHost("192.0.2.1");
  ASSERT_NE(h.sim, nullptr);
  ASSERT_TRUE(h.sim->Join());
  EXPECT_THAT(h.sim->status().message(),
              ::testing::HasSubstr(absl::StrCat("FIX acceptor on 192.0.2.1:", h.port, ": bind: ")));
  EXPECT_TRUE(ListeningAddresses(h.port).empty());
}

}  // namespace
}  // namespace tapedeck::adapters
