// FixSim's construction, its configuration section, its counters and the outbox that sends
// what the two threads built under mu_ (fix_sim.h). The logon side is in fix_sim_logon.cc,
// orders in fix_sim_orders.cc, their reports in fix_sim_reports.cc, market data in
// fix_sim_market.cc, and the replay loop in fix_sim_run.cc.
#include "adapters/fix_sim.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <exception>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/fix_listen.h"
#include "adapters/fix_redact.h"
#include "adapters/fix_sim_state.h"
#include "adapters/fix_venue.h"
#include "core/decimal.h"
#include "core/status.h"
#include "quickfix/FileLog.h"
#include "quickfix/SSLSocketAcceptor.h"
#include "quickfix/Session.h"
#include "quickfix/SocketAcceptor.h"

namespace tapedeck::adapters {
namespace {

// QuickFIX's acceptor says "Accepted connection from ADDR on port P" with the listening port
// formatted as a signed 16-bit number, so a port above 32767 shows as P - 65536; this puts it
// back.
std::string WithUnsignedPort(const std::string& text) {
  const std::string kOnPort = " on port ";
  const size_t at = text.rfind(kOnPort);
  int port = 0;
  if (at == std::string::npos || !absl::SimpleAtoi(text.substr(at + kOnPort.size()), &port) ||
      port >= 0 || port < -32768) {
    return text;
  }
  return absl::StrCat(text.substr(0, at + kOnPort.size()), port + 65536);
}

class NullLog final : public FIX::Log {
 public:
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string&) override {}
  void onOutgoing(const std::string&) override {}
  void onEvent(const std::string&) override {}
};

}  // namespace

// The acceptor's global log: catches "Session not found" (unknown comp ids) and accepted
// connections; session logs go to files when configured.
class FixSim::CaptureLogFactory final : public FIX::LogFactory {
 public:
  CaptureLogFactory(FixSim* sim, const FIX::SessionSettings& settings, bool files,
                    const std::vector<std::string>& secrets)
      : sim_(sim),
        files_(files ? std::make_unique<RedactingLogFactory>(
                           std::make_unique<FIX::FileLogFactory>(settings), secrets)
                     : nullptr) {}

  FIX::Log* create() override { return new Global(sim_); }
  FIX::Log* create(const FIX::SessionID& id) override {
    if (files_) return files_->create(id);
    return new NullLog();
  }
  void destroy(FIX::Log* log) override {
    if (files_ && dynamic_cast<Global*>(log) == nullptr && dynamic_cast<NullLog*>(log) == nullptr) {
      files_->destroy(log);
      return;
    }
    delete log;
  }
  FIX::LogFactory* files() { return files_.get(); }

 private:
  class Global final : public FIX::Log {
   public:
    explicit Global(FixSim* sim) : sim_(sim) {}
    void clear() override {}
    void backup() override {}
    void onIncoming(const std::string&) override {}
    void onOutgoing(const std::string&) override {}
    void onEvent(const std::string& text) override {
      if (absl::StartsWith(text, "Session not found")) {
        std::string shown = text;
        for (char& c : shown) {
          if (c == '\x01') c = '|';
        }
        sim_->Refuse(absl::StrCat("unknown session: ", shown));
      } else if (absl::StartsWith(text, "Accepted")) {
        std::fprintf(stderr, "fixsim: %s\n", WithUnsignedPort(text).c_str());
      }
    }

   private:
    FixSim* sim_;
  };

  FixSim* sim_;
  std::unique_ptr<FIX::LogFactory> files_;
};

absl::Status ParseFixSimSection(ConfigObject& fix, FixSimConfig* c) {
  std::string pace = "fast";
  TAPEDECK_RETURN_IF_ERROR(fix.String("pace", &pace));
  if (pace == "fast") {
    c->speed_milli = 0;
  } else if (pace == "realtime") {
    c->speed_milli = 1000;
  } else {
    int64_t k = 0;
    if (pace.size() < 2 || pace.back() != 'x' ||
        !TryParseDecimal(std::string_view(pace).substr(0, pace.size() - 1), 3, &k) || k <= 0) {
      return fix.Error("pace", "must be \"fast\", \"realtime\" or a speed like \"10x\"");
    }
    c->speed_milli = k;
  }
  TAPEDECK_RETURN_IF_ERROR(fix.Int("wait_for_sessions", &c->wait_for_sessions));
  TAPEDECK_RETURN_IF_ERROR(fix.DurationValue("linger", &c->linger));
  if (c->linger.ns < 0) return fix.Error("linger", "must be >= 0");
  // The session keys, then Finish: unknown keys of the section are errors.
  TAPEDECK_ASSIGN_OR_RETURN(c->fix, ParseFixSessionConfig(fix, FixRole::kAcceptor));
  in_addr a{};
  if (c->fix.host != "localhost" && ::inet_pton(AF_INET, c->fix.host.c_str(), &a) != 1) {
    return fix.Error("host", "must be an IPv4 address (connections to it are admitted), "
                             "\"localhost\", or \"0.0.0.0\" for every interface");
  }
  if (c->wait_for_sessions < 0 ||
      static_cast<size_t>(c->wait_for_sessions) > c->fix.sessions.size()) {
    return fix.Error("wait_for_sessions", "must be between 0 and the number of sessions");
  }
  return absl::OkStatus();
}

FixSim::FixSim(const FixSimConfig& config) : config_(config) {
  // "host": the local address to listen on; "0.0.0.0" is every interface.
  in_addr a{};
  const std::string host = config_.fix.host == "localhost" ? "127.0.0.1" : config_.fix.host;
  if (host != "0.0.0.0" && ::inet_pton(AF_INET, host.c_str(), &a) == 1) {
    restrict_host_ = true;
    host_addr_ = a.s_addr;
  }
}

FixSim::~FixSim() {
  if (acceptor_ != nullptr) {
    try {
      acceptor_->stop(true);
    } catch (const std::exception&) {
    }
  }
  if (listen_set_) ClearListenAddress(config_.fix.port);
}

absl::StatusOr<std::unique_ptr<FixSim>> FixSim::Create(
    const FixSimConfig& config, std::vector<std::unique_ptr<EventSource>> sources) {
  if (sources.empty()) return absl::InvalidArgumentError("fixsim: no sources to replay");
  std::unique_ptr<FixSim> sim(new FixSim(config));
  sim->sources_ = std::move(sources);
  if (sim->config_.fix.port == 0) {
    TAPEDECK_ASSIGN_OR_RETURN(sim->config_.fix.port, PickFreePort());
  }
  // The venue's spelling of the instruments, on the wire and in every lookup.
  TAPEDECK_ASSIGN_OR_RETURN(sim->config_.instruments,
                            WireInstruments(*sim->config_.fix.profile, sim->config_.instruments,
                                            sim->config_.fix.symbol_map));
  for (const FixSessionIdentity& id : sim->config_.fix.sessions) {
    for (std::string& secret : id.credentials.Secrets()) sim->secrets_.push_back(std::move(secret));
  }
  TAPEDECK_ASSIGN_OR_RETURN(sim->settings_, ToSessionSettings(sim->config_.fix, FixRole::kAcceptor));
  sim->store_ = MakeStoreFactory(sim->config_.fix, sim->settings_);
  sim->log_factory_ = std::make_unique<CaptureLogFactory>(
      sim.get(), sim->settings_, !sim->config_.fix.log.empty(), sim->secrets_);
  for (const FixSessionIdentity& id : sim->config_.fix.sessions) {
    auto s = std::make_unique<SessionState>();
    s->id = SessionIdOf(sim->config_.fix, id);
    s->identity = id;
    s->subscribed.assign(sim->config_.instruments.size(), false);
    sim->sessions_.push_back(std::move(s));
  }
  sim->venue_ = std::make_unique<VenueDriver>(sim->config_.instruments, sim->config_.venue);
  FIX::Application& app = *sim;
  try {
    if (sim->config_.fix.tls.enabled) {
      sim->acceptor_ = std::make_unique<FIX::SSLSocketAcceptor>(app, *sim->store_, sim->settings_,
                                                                *sim->log_factory_);
    } else {
      sim->acceptor_ = std::make_unique<FIX::SocketAcceptor>(app, *sim->store_, sim->settings_,
                                                             *sim->log_factory_);
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("FIX acceptor: ", e.what()));
  }
  return sim;
}


FixSimStats FixSim::stats() const {
  FixSimStats s;
  s.events = stat_[kEvents].load();
  s.market_messages = stat_[kMarketMessages].load();
  s.orders = stat_[kOrders].load();
  s.rejects = stat_[kRejects].load();
  s.fills = stat_[kFills].load();
  s.cancels = stat_[kCancels].load();
  s.status_requests = stat_[kStatusRequests].load();
  s.refused_logons = stat_[kRefused].load();
  s.logons = stat_[kLogons].load();
  s.cancelled_on_disconnect = stat_[kCancelledOnDisconnect].load();
  return s;
}

std::vector<std::string> FixSim::refusals() const {
  std::lock_guard<std::mutex> lock(refusals_mu_);
  return refusals_;
}

size_t FixSim::resting_orders() {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const OrderInfo& o : orders_) n += o.status == '0' || o.status == '1' || o.status == 'A';
  return n;
}

void FixSim::Refuse(std::string line) {
  line = RedactFixText(line, secrets_);
  stat_[kRefused].fetch_add(1);
  std::fprintf(stderr, "fixsim: refused: %s\n", line.c_str());
  std::lock_guard<std::mutex> lock(refusals_mu_);
  refusals_.push_back(std::move(line));
}

size_t FixSim::SessionIndex(const FIX::SessionID& id) const {
  for (size_t i = 0; i < sessions_.size(); ++i) {
    if (sessions_[i]->id == id) return i;
  }
  return sessions_.size();
}

void FixSim::Send(FIX::Message& msg, size_t session) {
  SessionState& s = *sessions_[session];
  if (s.session == nullptr) s.session = FIX::Session::lookupSession(s.id);
  if (s.session == nullptr) return;
  outbox_.push_back(Outgoing{s.session, msg});
}

void FixSim::FlushOutbox(std::unique_lock<std::mutex>& lock) {
  std::vector<Outgoing> out;
  out.swap(outbox_);
  lock.unlock();
  // Sent without mu_: QuickFIX takes the session's own lock in send(), and holds it while it
  // calls fromApp, which takes mu_; sending under mu_ would invert that order.
  for (Outgoing& o : out) {
    try {
      o.session->send(o.message);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fixsim: send failed: %s\n", e.what());
    }
  }
}

}  // namespace tapedeck::adapters
