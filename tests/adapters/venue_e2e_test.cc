// Every real venue profile end to end on loopback, with real QuickFIX sessions: paper's FixVenue
// signs its Logon in the venue's way from credentials in environment variables and key files,
// fixsim (in the same profile) checks the signature and the dialect, one order of each type
// round-trips, a wrong signature is refused with the venue's Logout text, a dropped session
// (a proxy cuts the TCP connection, no Logout) leaves no resting order where the venue offers
// cancel-on-disconnect, and no secret appears in any log, message store, journal or stderr.
// Waits are bounded only so that a broken build cannot hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/fix_crypto.h"
#include "adapters/paper_runner.h"
#include "adapters/venue_profile.h"
#include "tests/adapters/fix_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::SimThread;
using ::tapedeck::testing::WaitFor;

// Forwards loopback TCP connections from its own port to `target`, both ways, until Cut()
// closes every connection at once (no FIX Logout: what a network failure looks like). It keeps
// accepting, so the client can reconnect.
class Proxy {
 public:
  explicit Proxy(int target) : target_(target) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    sockaddr_in a = Loopback(0);
    socklen_t len = sizeof(a);
    ::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    ::listen(listen_, 16);
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~Proxy() {
    stop_ = true;
    thread_.join();
    Cut();
    ::close(listen_);
  }
  int port() const { return port_; }
  void Cut() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [a, b] : pairs_) {
      ::shutdown(a, SHUT_RDWR);
      ::shutdown(b, SHUT_RDWR);
      ::close(a);
      ::close(b);
    }
    pairs_.clear();
  }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    return a;
  }
  void Accept() {
    const int client = ::accept(listen_, nullptr, nullptr);
    if (client < 0) return;
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = Loopback(target_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
      ::close(client);
      ::close(server);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    pairs_.emplace_back(client, server);
  }
  void Loop() {
    while (!stop_) {
      std::vector<pollfd> fds{{listen_, POLLIN, 0}};
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [a, b] : pairs_) {
          fds.push_back({a, POLLIN, 0});
          fds.push_back({b, POLLIN, 0});
        }
      }
      if (::poll(fds.data(), fds.size(), 10) <= 0) continue;
      if (fds[0].revents & POLLIN) Accept();
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t i = 1; i < fds.size(); ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
        const size_t pair = (i - 1) / 2;
        if (pair >= pairs_.size()) break;
        const int from = fds[i].fd;
        const int to = from == pairs_[pair].first ? pairs_[pair].second : pairs_[pair].first;
        char buf[65536];
        const ssize_t n = ::read(from, buf, sizeof(buf));
        if (n > 0) (void)::write(to, buf, static_cast<size_t>(n));
      }
    }
  }

  int target_;
  int listen_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::pair<int, int>> pairs_;
  std::thread thread_;
};

// Submits one order of each type once the first trade has given the venue a price, and records
// every update. Order ids: 1 market buy, 2 resting limit buy, 3 IOC, 4 FOK, 5 post-only sell
// (cancelled once acknowledged), 6 a second resting limit buy.
class EachTypeStrategy final : public Strategy {
 public:
  std::mutex mu;
  std::vector<Event> updates;
  std::atomic<int> connects{0};
  std::atomic<int> acks{0};
  std::atomic<int> done{0};  // fills, cancels and rejects
  bool sent = false;

  void OnVenueStatus(Context&, VenueStatus s) override {
    if (s == VenueStatus::kConnected) ++connects;
  }
  void OnTrade(Context& ctx, const Event& e) override {
    if (sent) return;
    sent = true;
    const InstrumentId in = e.instrument;
    ctx.BuyMarket(in, Qty(10));
    ctx.BuyLimit(in, Price(100'000), Qty(10));
    OrderRequest ioc;
    ioc.instrument = in;
    ioc.type = OrderType::kLimit;
    ioc.price = Price(100'000);
    ioc.qty = Qty(10);
    ioc.tif = TimeInForce::kIoc;
    ctx.Submit(ioc);
    OrderRequest fok = ioc;
    fok.tif = TimeInForce::kFok;
    ctx.Submit(fok);
    OrderRequest post = ioc;
    post.side = Side::kSell;
    post.tif = TimeInForce::kGtc;
    post.price = Price(90'000'000);
    post.post_only = true;
    ctx.Submit(post);
    ctx.BuyLimit(in, Price(100'000), Qty(20));
  }
  void OnOrderUpdate(Context& ctx, const Event& e) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      updates.push_back(e);
    }
    if (e.kind == EventKind::kOrderAck) {
      ++acks;
      if (e.order.order_id == OrderId(5)) ctx.Cancel(OrderId(5));
    } else {
      ++done;
    }
  }
  EventKind LastOf(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu);
    EventKind k = EventKind::kTimer;
    for (const Event& e : updates) {
      if (e.order.order_id.value == id) k = e.kind;
    }
    return k;
  }
};

struct Keys {
  crypto::KeyPairPem pair;
  std::string secret;      // Base64
  std::string passphrase;
};

// The venue-side and client-side credential blocks: every item from an environment variable
// or a file, as a deployment would have them.
void CredentialBlocks(const VenueProfile& p, const std::string& dir, const std::string& tag,
                 const Keys& keys, nlohmann::json* client, nlohmann::json* venue) {
  const std::string env = "TAPEDECK_E2E_" + tag;
  ::setenv((env + "_SECRET").c_str(), keys.secret.c_str(), 1);
  ::setenv((env + "_PASSPHRASE").c_str(), keys.passphrase.c_str(), 1);
  ::setenv((env + "_KEY").c_str(), p.auth == LogonAuth::kHmacSha256Passphrase ? "CBCLIENT" : "key-1",
           1);
  ::tapedeck::testing::WriteFile(dir + "/" + tag + "-private.pem", keys.pair.private_pem);
  ::tapedeck::testing::WriteFile(dir + "/" + tag + "-public.pem", keys.pair.public_pem);
  nlohmann::json c = {{"api_key_env", env + "_KEY"}};
  nlohmann::json v = c;
  if (p.auth == LogonAuth::kEd25519RawData || p.auth == LogonAuth::kRsaSha256RawData) {
    c["private_key_file"] = dir + "/" + tag + "-private.pem";
    v["public_key_file"] = dir + "/" + tag + "-public.pem";
  } else {
    c["secret_env"] = v["secret_env"] = env + "_SECRET";
  }
  if (p.auth == LogonAuth::kHmacSha256Passphrase) {
    c["passphrase_env"] = v["passphrase_env"] = env + "_PASSPHRASE";
  }
  *client = c;
  *venue = v;
}

Keys NewKeys(const VenueProfile& p) {
  Keys k;
  if (p.auth == LogonAuth::kEd25519RawData || p.auth == LogonAuth::kRsaSha256RawData) {
    k.pair = *crypto::GenerateKeyPair(p.auth == LogonAuth::kEd25519RawData
                                          ? crypto::KeyType::kEd25519
                                          : crypto::KeyType::kRsa);
  }
  k.secret = crypto::Base64Encode(crypto::RandomBytes(32));
  k.passphrase = crypto::Base64Encode(crypto::RandomBytes(9));
  return k;
}

class VenueE2eTest : public ::testing::TestWithParam<VenueProfileId> {
 protected:
  const VenueProfile& profile() const { return GetVenueProfile(GetParam()); }
  std::string client_id() const {
    return profile().auth == LogonAuth::kHmacSha256Passphrase ? "CBCLIENT" : "TDCLIENT";
  }

  // fixsim and paper configs for this profile; paper connects to `paper_port`.
  void Configs(const std::string& dir, int sim_port, int paper_port, const Keys& venue_keys,
               const Keys& client_keys, nlohmann::json* sim, nlohmann::json* paper) {
    const std::string name(profile().name);
    nlohmann::json client_creds, venue_creds, ignored;
    CredentialBlocks(profile(), dir, name + "_V", venue_keys, &ignored, &venue_creds);
    CredentialBlocks(profile(), dir, name + "_C", client_keys, &client_creds, &ignored);
    const std::string trades = ::tapedeck::testing::WriteSawtoothTrades(dir, 3000);
    *sim = ::tapedeck::testing::FixsimConfigJson(trades, sim_port, "memory", "realtime");
    nlohmann::json& f = (*sim)["fix"];
    f["venue_profile"] = name;
    f["log"] = dir + "/sim-log";
    f["store"] = dir + "/sim-store";  // file stores, so the search below covers them
    f["sessions"] = {{{"sender_comp_id", std::string(profile().default_target_comp_id)},
                      {"target_comp_id", client_id()},
                      {"credentials", venue_creds}}};
    *paper = ::tapedeck::testing::PaperConfigJson(paper_port, {{"instrument", "BTCUSDT"}});
    nlohmann::json& p = (*paper)["fix"];
    p.erase("password");
    p["venue_profile"] = name;
    p["sender_comp_id"] = client_id();
    p["target_comp_id"] = std::string(profile().default_target_comp_id);
    p["credentials"] = client_creds;
    p["market_data"] = true;  // the real venues serve it elsewhere; fixsim on this session
    p["log"] = dir + "/paper-log";
    p["store"] = dir + "/paper-store";
  }
};

// The secrets of `keys`: the HMAC secret, the passphrase, the private key, and each Base64
// line of the key's body (a log may wrap or cut it).
std::vector<std::string> SecretsOf(std::initializer_list<const Keys*> keys) {
  std::vector<std::string> out;
  for (const Keys* k : keys) {
    for (const std::string& v : {k->secret, k->passphrase, k->pair.private_pem}) {
      if (!v.empty()) out.push_back(v);
    }
    for (absl::string_view line : absl::StrSplit(k->pair.private_pem, '\n')) {
      if (line.size() >= 16 && line.find("-----") == absl::string_view::npos) {
        out.emplace_back(line.data(), line.size());
      }
    }
  }
  return out;
}

// Every file under `dir` and the given texts, searched for each secret.
void ExpectNoSecret(const std::string& dir, const std::vector<std::string>& texts,
                    const std::vector<std::string>& secrets) {
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() == ".pem") continue;  // the key files
    all.emplace_back(e.path().string(), ::tapedeck::testing::ReadFile(e.path().string()));
  }
  for (size_t i = 0; i < texts.size(); ++i) all.emplace_back("text " + std::to_string(i), texts[i]);
  ASSERT_FALSE(secrets.empty());
  for (const auto& [where, text] : all) {
    for (const std::string& s : secrets) {
      EXPECT_EQ(text.find(s), std::string::npos) << "a secret in " << where;
    }
  }
}

std::string AllText(const std::string& dir) {
  std::string out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out += ::tapedeck::testing::ReadFile(e.path().string());
  }
  return out;
}

TEST_P(VenueE2eTest, SignedLogonOrdersOfEachTypeAndCancelOnDisconnect) {
  const std::string dir = MakeTempDir(std::string("venue_e2e_") + std::string(profile().name));
  absl::StatusOr<int> sim_port = PickFreePort();
  ASSERT_THAT(sim_port, IsOk());
  Proxy proxy(*sim_port);
  const Keys keys = NewKeys(profile());
  nlohmann::json simj, paperj;
  Configs(dir, *sim_port, proxy.port(), keys, keys, &simj, &paperj);
  ::testing::internal::CaptureStderr();
  auto sim = ::tapedeck::testing::StartSim(simj);
  ASSERT_NE(sim, nullptr);
  absl::StatusOr<PaperConfig> pc = ::tapedeck::testing::ParsePaper(paperj);
  ASSERT_THAT(pc, IsOk());
  auto strategy = std::make_unique<EachTypeStrategy>();
  EachTypeStrategy* s = strategy.get();
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = PaperRunner::Create(*pc, std::move(strategy));
  ASSERT_THAT(runner, IsOk());
  std::atomic<bool> stop{false};
  PaperOptions options;
  options.interrupt = &stop;
  options.duration = Duration::Seconds(40);
  options.journal_path = dir + "/journal.tdj";
  absl::Status run_status;
  std::thread paper([&] { run_status = (*runner)->Run(options); });

  // 1 filled, 2 and 6 resting, 3 and 4 expired, 5 acknowledged then cancelled.
  const bool settled = WaitFor([&] { return s->acks.load() >= 3 && s->done.load() >= 4; }, 20000);
  EXPECT_TRUE(settled) << sim->sim().stats().orders << " orders at fixsim";
  EXPECT_EQ(s->LastOf(1), EventKind::kOrderFill);
  EXPECT_EQ(s->LastOf(2), EventKind::kOrderAck);
  EXPECT_EQ(s->LastOf(3), EventKind::kOrderCancel);
  EXPECT_EQ(s->LastOf(4), EventKind::kOrderCancel);
  EXPECT_EQ(s->LastOf(5), EventKind::kOrderCancel);
  EXPECT_EQ(s->LastOf(6), EventKind::kOrderAck);
  EXPECT_EQ(sim->sim().stats().orders, 6u);
  EXPECT_EQ(sim->sim().stats().rejects, 0u) << "fixsim refused an order's dialect";
  EXPECT_EQ(sim->sim().resting_orders(), 2u);

  // While the session is up its stores hold the Logons both ends sent: no secret in them.
  ExpectNoSecret(dir + "/paper-store", {}, SecretsOf({&keys}));
  ExpectNoSecret(dir + "/sim-store", {}, SecretsOf({&keys}));

  proxy.Cut();  // the session drops without a Logout
  if (profile().cancel_on_disconnect.tag != 0) {
    EXPECT_TRUE(WaitFor([&] { return sim->sim().resting_orders() == 0; }));
    EXPECT_EQ(sim->sim().stats().cancelled_on_disconnect, 2u);
  } else {
    // The venue offers no cancel-on-disconnect: the orders stay, as they would there.
    EXPECT_TRUE(WaitFor([&] { return (*runner)->venue().stats().disconnects >= 1; }));
    EXPECT_EQ(sim->sim().resting_orders(), 2u);
  }
  stop = true;
  paper.join();
  sim->Stop();
  EXPECT_THAT(run_status, IsOk());
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(sim->sim().stats().refused_logons, 0u) << err;
  std::vector<std::string> texts = {err};
  for (const std::string& l : (*runner)->venue().log_lines()) texts.push_back(l);
  ExpectNoSecret(dir, texts, SecretsOf({&keys}));
  // The credential fields are in the logs, redacted.
  const std::string log = AllText(dir + "/paper-log") + AllText(dir + "/sim-log");
  EXPECT_NE(log.find("35=A"), std::string::npos);
  if (profile().auth != LogonAuth::kHmacSha512Nonce) {
    EXPECT_NE(log.find("96=***"), std::string::npos);
  }
  if (profile().auth == LogonAuth::kHmacSha512Nonce || profile().auth == LogonAuth::kSha256RawDataNonce) {
    EXPECT_NE(log.find("554=***"), std::string::npos);
  }
  EXPECT_NE(log.find("8=" + std::string(profile().begin_string)), std::string::npos);
  // fixsim's store holds the reports it sent (the search covered them); paper's store dir holds
  // the run's ClOrdID prefix.
  EXPECT_NE(AllText(dir + "/sim-store").find("35=8"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir + "/paper-store/clordid_prefixes"));
}

TEST_P(VenueE2eTest, AWrongSignatureIsRefusedWithTheVenuesLogout) {
  const std::string dir = MakeTempDir(std::string("venue_refused_") + std::string(profile().name));
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  const Keys venue_keys = NewKeys(profile());
  const Keys client_keys = NewKeys(profile());  // not the keys the venue knows
  nlohmann::json simj, paperj;
  Configs(dir, *port, *port, venue_keys, client_keys, &simj, &paperj);
  ::testing::internal::CaptureStderr();
  auto sim = ::tapedeck::testing::StartSim(simj);
  ASSERT_NE(sim, nullptr);
  absl::StatusOr<PaperConfig> pc = ::tapedeck::testing::ParsePaper(paperj);
  ASSERT_THAT(pc, IsOk());
  auto strategy = std::make_unique<EachTypeStrategy>();
  EachTypeStrategy* s = strategy.get();
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = PaperRunner::Create(*pc, std::move(strategy));
  ASSERT_THAT(runner, IsOk());
  std::atomic<bool> stop{false};
  PaperOptions options;
  options.interrupt = &stop;
  options.duration = Duration::Seconds(20);
  std::thread paper([&] { (void)(*runner)->Run(options); });
  EXPECT_TRUE(WaitFor([&] { return sim->sim().stats().refused_logons >= 1; }));
  // The Logout reached paper's log with the venue's words.
  EXPECT_TRUE(WaitFor([&] {
    return AllText(dir + "/paper-log").find("58=" + std::string(profile().logon_refused_text)) !=
           std::string::npos;
  }));
  stop = true;
  paper.join();
  sim->Stop();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(s->connects.load(), 0);
  EXPECT_EQ(sim->sim().stats().logons, 0u);
  ASSERT_FALSE(sim->sim().refusals().empty());
  ExpectNoSecret(dir, {err, absl::StrJoin(sim->sim().refusals(), "\n")},
                 SecretsOf({&venue_keys, &client_keys}));
}

std::string ProfileName(const ::testing::TestParamInfo<VenueProfileId>& info) {
  return std::string(GetVenueProfile(info.param).name);
}

INSTANTIATE_TEST_SUITE_P(Profiles, VenueE2eTest,
                         ::testing::Values(VenueProfileId::kBinanceSpot,
                                           VenueProfileId::kCoinbaseExchange,
                                           VenueProfileId::kKraken, VenueProfileId::kDeribit,
                                           VenueProfileId::kBybit),
                         ProfileName);

}  // namespace
}  // namespace tapedeck::adapters
