#include "adapters/fix_sim.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_listen.h"
#include "adapters/fix_redact.h"
#include "adapters/fix_venue.h"
#include "adapters/venue_dialect.h"
#include "core/decimal.h"
#include "core/merger.h"
#include "core/status.h"
#include "quickfix/FileLog.h"
#include "quickfix/Group.h"
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

enum Stat {
  kEvents, kMarketMessages, kOrders, kRejects, kFills, kCancels, kStatusRequests, kRefused,
  kLogons, kCancelledOnDisconnect
};

class NullLog final : public FIX::Log {
 public:
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string&) override {}
  void onOutgoing(const std::string&) override {}
  void onEvent(const std::string&) override {}
};

}  // namespace

struct FixSim::SessionState {
  FIX::SessionID id;
  FixSessionIdentity identity;
  FIX::Session* session = nullptr;
  bool logged_on = false;
  LogonState auth;                    // nonces seen (venue_auth.h)
  bool cancel_on_disconnect = false;  // asked for in the last Logon
  bool logout_received = false;       // the client said Logout before the session ended
  std::vector<bool> subscribed;  // by instrument
  bool any_subscription = false;
  std::string md_req_id;
  std::map<std::string, uint64_t> clordids;  // ClOrdID -> venue order id
};

struct FixSim::OrderInfo {
  size_t session = 0;
  std::string clordid;
  std::string cancel_clordid;  // the pending cancel's ClOrdID, if any
  std::string replace_clordid;  // the 35=G being applied (answered before the next message)
  std::string previous_clordid;  // the ClOrdID before the last replacement
  OrderRequest request;        // request.id is the venue's id
  Qty cum;
  Int128 notional = 0;         // sum of price raw x qty raw, for AvgPx
  Price last_px;
  char status = 'A';           // FIX OrdStatus: A pending new, 0, 1, 2, 4, 8
  // OrdStatus as reports carry it: an order the venue has not acknowledged yet reads as New.
  char wire_status() const { return status == 'A' ? '0' : status; }
};

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

void FixSim::onLogon(const FIX::SessionID& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) return;
  sessions_[i]->logged_on = true;
  sessions_[i]->session = FIX::Session::lookupSession(id);
  stat_[kLogons].fetch_add(1);
}

void FixSim::onLogout(const FIX::SessionID& id) {
  std::unique_lock<std::mutex> lock(mu_);
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) return;
  SessionState& s = *sessions_[i];
  if (s.logged_on && s.cancel_on_disconnect &&
      (config_.fix.profile->cancel_on_disconnect.on_logout || !s.logout_received)) {
    CancelOnDisconnect(i);
  }
  s.cancel_on_disconnect = false;
  s.logout_received = false;
  s.logged_on = false;
  // A new logon asks for market data again.
  s.any_subscription = false;
  s.subscribed.assign(s.subscribed.size(), false);
  FlushOutbox(lock);  // the cancels' reports: stored by QuickFIX, the session being gone
}

void FixSim::CancelOnDisconnect(size_t i) {
  for (OrderInfo& o : orders_) {
    if (o.session != i || (o.status != '0' && o.status != '1' && o.status != 'A')) continue;
    stat_[kCancelledOnDisconnect].fetch_add(1);
    // The venue's own cancel travels the request channel like any request, so an order the
    // session sent before it dropped reaches the venue first and is cancelled too.
    OrderRequest cancel;
    cancel.id = o.request.id;
    cancel.instrument = o.request.instrument;
    venue_->Send(VenueMessage::kCancel, cancel, next_tag_++);
  }
  AdvanceVenue(venue_->now());
}

void FixSim::toAdmin(FIX::Message& msg, const FIX::SessionID&) {
  static const std::string kQuickFixPrefix = "Rejected Logon Attempt: ";
  if (msg.getHeader().getField(tag::kMsgType) != "5" || !msg.isSetField(tag::kText)) return;
  const std::string text = msg.getField(tag::kText);
  if (absl::StartsWith(text, kQuickFixPrefix)) {
    msg.setField(tag::kText, text.substr(kQuickFixPrefix.size()));
  }
}

void FixSim::fromAdmin(const FIX::Message& msg, const FIX::SessionID& id) {
  const std::string& type = msg.getHeader().getField(tag::kMsgType);
  if (type != "A" && type != "5") return;
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) {
    if (type == "5") return;
    Refuse(absl::StrCat("logon from unconfigured session ", id.toString()));
    throw FIX::RejectLogon("unknown session");
  }
  if (type == "5") {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[i]->logout_received = true;
    return;
  }
  CheckLogon(msg, i);
}

void FixSim::CheckLogon(const FIX::Message& msg, size_t i) {
  const VenueProfile& profile = *config_.fix.profile;
  SessionState& s = *sessions_[i];
  absl::Status checked;
  {
    std::lock_guard<std::mutex> lock(mu_);
    checked = VerifyLogon(profile, s.identity.credentials, msg, WallNanos(), &s.auth);
    if (checked.ok()) {
      s.cancel_on_disconnect = LogonRequestsCancelOnDisconnect(profile, msg);
      s.logout_received = false;
    }
  }
  if (!checked.ok()) {
    // The reason names fields, never their values (venue_auth.h); Refuse redacts all the same.
    Refuse(absl::StrCat("logon of ", s.id.toString(), ": ", checked.message()));
    throw FIX::RejectLogon(std::string(profile.logon_refused_text));
  }
}

void FixSim::fromApp(const FIX::Message& msg, const FIX::SessionID& id) {
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) return;
  const std::string& type = msg.getHeader().getField(tag::kMsgType);
  if (type != "D" && type != "F" && type != "G" && type != "H" && type != "V") {
    throw FIX::UnsupportedMessageType();
  }
  std::unique_lock<std::mutex> lock(mu_);
  try {
    if (type == "D") {
      OnNewOrder(msg, i);
    } else if (type == "F") {
      OnCancel(msg, i, false);
    } else if (type == "G") {
      OnCancel(msg, i, true);
    } else if (type == "H") {
      OnStatusRequest(msg, i);
    } else {
      OnMarketDataRequest(msg, i);
    }
  } catch (const FIX::FieldNotFound&) {
    outbox_.clear();
    throw;  // QuickFIX answers with a session-level Reject naming the missing tag
  }
  AdvanceVenue(venue_->now());
  FlushOutbox(lock);
}

void FixSim::OnMarketDataRequest(const FIX::Message& msg, size_t session) {
  SessionState& s = *sessions_[session];
  const std::string req = msg.isSetField(tag::kMDReqID) ? msg.getField(tag::kMDReqID) : "";
  const std::string type =
      msg.isSetField(tag::kSubscriptionRequestType) ? msg.getField(tag::kSubscriptionRequestType) : "1";
  const bool subscribe = type != "2";
  std::string unknown;
  const size_t n = msg.groupCount(tag::kNoRelatedSym);
  for (size_t k = 1; k <= n; ++k) {
    const std::string& sym =
        msg.getGroupRef(static_cast<int>(k), tag::kNoRelatedSym).getField(tag::kSymbol);
    absl::StatusOr<InstrumentId> in = config_.instruments.Find(sym);
    if (!in.ok()) {
      absl::StrAppend(&unknown, unknown.empty() ? "" : ", ", sym);
      continue;
    }
    s.subscribed[in->value] = subscribe;
  }
  s.any_subscription = false;
  for (bool b : s.subscribed) s.any_subscription = s.any_subscription || b;
  s.md_req_id = req;
  if (!unknown.empty()) {
    FIX::Message rej;
    rej.getHeader().setField(tag::kMsgType, "Y");
    rej.setField(tag::kMDReqID, req);
    rej.setField(tag::kMDReqRejReason, "0");
    rej.setField(tag::kText, absl::StrCat("unknown symbol: ", unknown));
    Send(rej, session);
  }
}

void FixSim::RejectOrder(size_t session, const FIX::Message& msg, int code, const std::string& text) {
  stat_[kRejects].fetch_add(1);
  auto field = [&](int t) { return msg.isSetField(t) ? msg.getField(t) : std::string(); };
  FIX::Message er;
  er.getHeader().setField(tag::kMsgType, "8");
  er.setField(tag::kOrderID, "NONE");
  er.setField(tag::kClOrdID, field(tag::kClOrdID));
  er.setField(tag::kExecID, absl::StrCat("X", next_exec_id_++));
  er.setField(tag::kExecType, "8");
  er.setField(tag::kOrdStatus, "8");
  er.setField(tag::kOrdRejReason, std::to_string(code));
  er.setField(tag::kSymbol, field(tag::kSymbol).empty() ? "?" : field(tag::kSymbol));
  er.setField(tag::kSide, field(tag::kSide).empty() ? "1" : field(tag::kSide));
  if (msg.isSetField(tag::kOrderQty)) er.setField(tag::kOrderQty, field(tag::kOrderQty));
  er.setField(tag::kLeavesQty, "0");
  er.setField(tag::kCumQty, "0");
  er.setField(tag::kAvgPx, "0");
  er.setField(tag::kText, text);
  Send(er, session);
}

void FixSim::OnNewOrder(const FIX::Message& msg, size_t session) {
  SessionState& s = *sessions_[session];
  const std::string& clordid = msg.getField(tag::kClOrdID);
  if (s.clordids.count(clordid) != 0) {
    // A possible-duplicate resend of an order we have: nothing new. Otherwise a reused id.
    if (msg.getHeader().isSetField(tag::kPossDupFlag) &&
        msg.getHeader().getField(tag::kPossDupFlag) == "Y") {
      return;
    }
    RejectOrder(session, msg, 6, "duplicate ClOrdID");
    return;
  }
  absl::StatusOr<InstrumentId> inst = config_.instruments.Find(msg.getField(tag::kSymbol));
  if (!inst.ok()) {
    RejectOrder(session, msg, 1, std::string(RejectReasonName(RejectReason::kUnknownInstrument)));
    return;
  }
  const Instrument& in = config_.instruments.at(*inst);
  OrderRequest r;
  r.instrument = *inst;
  if (!ParseFixSide(msg.getField(tag::kSide), &r.side)) {
    RejectOrder(session, msg, 99, "unsupported Side");
    return;
  }
  const std::string& type = msg.getField(tag::kOrdType);
  if (type != "1" && type != "2") {
    RejectOrder(session, msg, 99, "unsupported OrdType (1 market, 2 limit)");
    return;
  }
  r.type = type == "1" ? OrderType::kMarket : OrderType::kLimit;
  std::string error;
  int64_t v = 0;
  if (!msg.isSetField(tag::kOrderQty) || !GetDecimalField(msg, tag::kOrderQty, in.qty_scale, &v, &error)) {
    RejectOrder(session, msg, 13, std::string(RejectReasonName(RejectReason::kInvalidQty)));
    return;
  }
  r.qty = Qty(v);
  if (r.type == OrderType::kLimit) {
    v = 0;
    if (!msg.isSetField(tag::kPrice) || !GetDecimalField(msg, tag::kPrice, in.price_scale, &v, &error) ||
        v <= 0) {
      RejectOrder(session, msg, 99, std::string(RejectReasonName(RejectReason::kInvalidPrice)));
      return;
    }
    r.price = Price(v);
  }
  const std::string tif = msg.isSetField(tag::kTimeInForce) ? msg.getField(tag::kTimeInForce) : "1";
  r.tif = tif == "3" ? TimeInForce::kIoc : (tif == "4" ? TimeInForce::kFok : TimeInForce::kGtc);
  if (msg.isSetField(tag::kExecInst)) {
    const std::string& ei = msg.getField(tag::kExecInst);
    r.post_only = ei.find('6') != std::string::npos;
    r.reduce_only = ei.find('E') != std::string::npos;
  }
  if (config_.fix.profile->id != VenueProfileId::kGenericFix44) {
    if (absl::Status d = ReadOrderDialect(*config_.fix.profile, msg, &r); !d.ok()) {
      RejectOrder(session, msg, 99, std::string(d.message()));
      return;
    }
  }
  r.id = OrderId(orders_.size() + 1);
  OrderInfo o;
  o.session = session;
  o.clordid = clordid;
  o.request = r;
  orders_.push_back(o);
  s.clordids[clordid] = r.id.value;
  stat_[kOrders].fetch_add(1);
  venue_->Send(VenueMessage::kSubmit, r, /*tag=*/0);
}

void FixSim::SendCancelReject(size_t session, const std::string& order_id,
                              const std::string& clordid, const std::string& orig_clordid,
                              char ord_status, char response_to, const char* reason,
                              const std::string& text) {
  FIX::Message rej;
  rej.getHeader().setField(tag::kMsgType, "9");
  rej.setField(tag::kOrderID, order_id);
  rej.setField(tag::kClOrdID, clordid);
  rej.setField(tag::kOrigClOrdID, orig_clordid);
  rej.setField(tag::kOrdStatus, std::string(1, ord_status));
  rej.setField(tag::kCxlRejResponseTo, std::string(1, response_to));
  rej.setField(tag::kCxlRejReason, reason);
  rej.setField(tag::kText, text);
  Send(rej, session);
}

void FixSim::OnCancel(const FIX::Message& msg, size_t session, bool replace) {
  SessionState& s = *sessions_[session];
  const std::string orig = msg.isSetField(tag::kOrigClOrdID) ? msg.getField(tag::kOrigClOrdID) : "";
  auto it = s.clordids.find(orig);
  auto reject = [&](const std::string& text, char status) {
    const bool unknown = it == s.clordids.end();
    SendCancelReject(session, unknown ? "NONE" : std::to_string(it->second),
                     msg.getField(tag::kClOrdID), orig, status, replace ? '2' : '1',
                     unknown ? "1" : "99", text);
  };
  if (it == s.clordids.end()) {
    reject(std::string(RejectReasonName(RejectReason::kUnknownOrder)), '8');
    return;
  }
  OrderInfo& o = orders_[it->second - 1];
  if (replace) {
    OnReplace(msg, session, o, reject);
    return;
  }
  OrderRequest cancel;
  cancel.id = o.request.id;
  cancel.instrument = o.request.instrument;
  amends_[next_tag_] = Amend{o.request.id.value, false, msg.getField(tag::kClOrdID)};
  venue_->Send(VenueMessage::kCancel, cancel, next_tag_++);
}

template <typename Reject>
void FixSim::OnReplace(const FIX::Message& msg, size_t session, OrderInfo& o, const Reject& reject) {
  // The modify goes through SimVenue::OnModifyArrival (same rules as in a backtest);
  // OnVenueResponse answers ExecType=5 (replaced), 4 (new quantity at or below the filled one)
  // or 35=9.
  SessionState& s = *sessions_[session];
  const Instrument& in = config_.instruments.at(o.request.instrument);
  const std::string& clordid = msg.getField(tag::kClOrdID);
  if (s.clordids.count(clordid) != 0) {
    reject("duplicate ClOrdID", o.wire_status());
    return;
  }
  std::string error;
  int64_t qty = o.request.qty.raw;  // OrderQty is optional in 35=G: unchanged when absent
  if (!GetDecimalField(msg, tag::kOrderQty, in.qty_scale, &qty, &error)) {
    reject(std::string(RejectReasonName(RejectReason::kInvalidQty)), o.wire_status());
    return;
  }
  int64_t price = o.request.price.raw;
  if (!GetDecimalField(msg, tag::kPrice, in.price_scale, &price, &error)) {
    reject(std::string(RejectReasonName(RejectReason::kInvalidPrice)), o.wire_status());
    return;
  }
  // The new ClOrdID names the order from now on; the older ones still find it (a client may
  // send the next request before it hears of this one).
  s.clordids[clordid] = o.request.id.value;
  OrderRequest modify;
  modify.id = o.request.id;
  modify.instrument = o.request.instrument;
  modify.price = Price(price);
  modify.qty = Qty(qty);
  amends_[next_tag_] = Amend{o.request.id.value, true, clordid};
  venue_->Send(VenueMessage::kModify, modify, next_tag_++);
}

void FixSim::OnStatusRequest(const FIX::Message& msg, size_t session) {
  stat_[kStatusRequests].fetch_add(1);
  SessionState& s = *sessions_[session];
  auto it = s.clordids.find(msg.getField(tag::kClOrdID));
  if (it == s.clordids.end()) {
    FIX::Message er;
    er.getHeader().setField(tag::kMsgType, "8");
    er.setField(tag::kOrderID, "NONE");
    er.setField(tag::kClOrdID, msg.getField(tag::kClOrdID));
    er.setField(tag::kExecID, absl::StrCat("S", next_exec_id_++));
    er.setField(tag::kExecType, "I");
    er.setField(tag::kOrdStatus, "8");
    er.setField(tag::kOrdRejReason, "5");
    er.setField(tag::kSymbol, msg.getField(tag::kSymbol));
    er.setField(tag::kSide, msg.getField(tag::kSide));
    er.setField(tag::kLeavesQty, "0");
    er.setField(tag::kCumQty, "0");
    er.setField(tag::kAvgPx, "0");
    er.setField(tag::kText, std::string(RejectReasonName(RejectReason::kUnknownOrder)));
    Send(er, session);
    return;
  }
  SendExecutionReport(orders_[it->second - 1], 'I', nullptr, RejectReason::kNone, "");
}

void FixSim::SendExecutionReport(OrderInfo& o, char exec_type, const Event* response,
                                 RejectReason reason, const std::string& text) {
  const Instrument& in = config_.instruments.at(o.request.instrument);
  FIX::Message er;
  er.getHeader().setField(tag::kMsgType, "8");
  er.setField(tag::kOrderID, std::to_string(o.request.id.value));
  if (exec_type == '4' && !o.cancel_clordid.empty()) {
    er.setField(tag::kClOrdID, o.cancel_clordid);
    er.setField(tag::kOrigClOrdID, o.clordid);
  } else if (exec_type == '5') {
    er.setField(tag::kClOrdID, o.clordid);
    er.setField(tag::kOrigClOrdID, o.previous_clordid);
  } else {
    er.setField(tag::kClOrdID, o.clordid);
  }
  er.setField(tag::kExecID, absl::StrCat(exec_type == 'I' ? "S" : "E", next_exec_id_++));
  er.setField(tag::kExecType, std::string(1, exec_type));
  er.setField(tag::kOrdStatus, std::string(1, o.wire_status()));
  er.setField(tag::kSymbol, in.symbol);
  er.setField(tag::kSide, std::string(1, FixSide(o.request.side)));
  er.setField(tag::kOrderQty, FormatDecimal(o.request.qty.raw, in.qty_scale));
  er.setField(tag::kOrdType, o.request.type == OrderType::kMarket ? "1" : "2");
  if (o.request.type == OrderType::kLimit) {
    er.setField(tag::kPrice, FormatDecimal(o.request.price.raw, in.price_scale));
  }
  const bool open = o.status == '0' || o.status == '1' || o.status == 'A';
  er.setField(tag::kLeavesQty, FormatDecimal(open ? (o.request.qty - o.cum).raw : 0, in.qty_scale));
  er.setField(tag::kCumQty, FormatDecimal(o.cum.raw, in.qty_scale));
  int64_t avg = 0;
  if (o.cum.raw > 0) {
    const Int128 q = o.cum.raw;
    avg = static_cast<int64_t>((o.notional + q / 2) / q);
  }
  er.setField(tag::kAvgPx, FormatDecimal(avg, in.price_scale));
  if (o.last_px.raw != 0) er.setField(tag::kLastPx, FormatDecimal(o.last_px.raw, in.price_scale));
  if (response != nullptr && exec_type == 'F') {
    er.setField(tag::kLastQty, FormatDecimal(response->order.qty.raw, in.qty_scale));
    er.setField(tag::kCommission, FormatDecimal(response->order.fee.raw, Money::kScale));
    er.setField(tag::kCommType, "3");
    if (response->order.liquidity != Liquidity::kNone) {
      er.setField(tag::kLastLiquidityInd, response->order.liquidity == Liquidity::kMaker ? "1" : "2");
    }
  }
  if (response != nullptr) er.setField(tag::kTransactTime, FormatFixTimestamp(response->exchange_ts));
  if (exec_type == '8') {
    er.setField(tag::kOrdRejReason, std::to_string(FixRejectCode(reason)));
    er.setField(tag::kText, text.empty() ? std::string(RejectReasonName(reason)) : text);
  }
  Send(er, o.session);
}

void FixSim::AdvanceVenue(int64_t t) {
  if (data_ended_) {
    venue_->Flush();
    t = INT64_MAX;
  } else {
    venue_->AdvanceTo(t);
  }
  venue_->TakeResponses(t, [this](const Event& r, uint64_t tag) { OnVenueResponse(r, tag); });
}

void FixSim::OnVenueResponse(const Event& r, uint64_t tag) {
  if (!IsOrderResponse(r.kind)) return;  // account news have no FIX message here
  const uint64_t id = r.order.order_id.value;
  if (id == 0 || id > orders_.size()) return;
  OrderInfo& o = orders_[id - 1];
  // The first answer about the order to a cancel or replace request names its ClOrdID (its
  // arrival may also produce fills, and news of other orders).
  if (auto a = amends_.find(tag);
      a != amends_.end() && a->second.order == id && r.kind != EventKind::kOrderFill) {
    (a->second.replace ? o.replace_clordid : o.cancel_clordid) = std::move(a->second.clordid);
    amends_.erase(a);
  }
  switch (r.kind) {
    case EventKind::kOrderAck:
      if (o.status == 'A') o.status = '0';
      SendExecutionReport(o, '0', &r, RejectReason::kNone, "");
      break;
    case EventKind::kOrderReplaced:
      o.request.price = r.order.price;
      o.request.qty = r.order.qty;
      o.previous_clordid = o.clordid;
      o.clordid = o.replace_clordid;
      o.replace_clordid.clear();
      if (o.status == 'A') o.status = '0';
      SendExecutionReport(o, '5', &r, RejectReason::kNone, "");
      break;
    case EventKind::kOrderFill:
      o.cum = o.cum + r.order.qty;
      o.notional += static_cast<Int128>(r.order.price.raw) * r.order.qty.raw;
      o.last_px = r.order.price;
      o.status = o.cum >= o.request.qty ? '2' : '1';
      stat_[kFills].fetch_add(1);
      SendExecutionReport(o, 'F', &r, RejectReason::kNone, "");
      break;
    case EventKind::kOrderCancel:
      // A modify to at or below the filled quantity cancels the rest: answered for the 35=G.
      if (!o.replace_clordid.empty()) o.cancel_clordid = std::move(o.replace_clordid);
      o.replace_clordid.clear();
      o.status = '4';
      stat_[kCancels].fetch_add(1);
      SendExecutionReport(o, '4', &r, RejectReason::kNone, "");
      break;
    case EventKind::kOrderReject:
      if (!o.replace_clordid.empty()) {
        // A rejected modify: the order stays as it was (filled, cancelled, or unchanged).
        // 0: too late (the order is over); 99: other, named in Text.
        SendCancelReject(o.session, std::to_string(id), o.replace_clordid, o.clordid,
                         o.wire_status(), '2',
                         r.order.reason == RejectReason::kUnknownOrder ? "0" : "99",
                         std::string(RejectReasonName(r.order.reason)));
        o.replace_clordid.clear();
      } else if (r.order.reason == RejectReason::kUnknownOrder && !o.cancel_clordid.empty()) {
        SendCancelReject(o.session, std::to_string(id), o.cancel_clordid, o.clordid,
                         o.wire_status(), '1', "0",  // too late to cancel
                         std::string(RejectReasonName(r.order.reason)));
        o.cancel_clordid.clear();
      } else {
        o.status = '8';
        stat_[kRejects].fetch_add(1);
        SendExecutionReport(o, '8', &r, r.order.reason, "");
      }
      break;
    default:
      break;
  }
}

namespace {

void AddEntryTime(FIX::FieldMap& g, int64_t ns) {
  g.setField(tag::kMDEntryDate, FormatFixDate(ns));
  g.setField(tag::kMDEntryTime, FormatFixTime(ns));
}

}  // namespace

void FixSim::SendToSubscribers(FIX::Message& msg, InstrumentId instrument) {
  for (size_t i = 0; i < sessions_.size(); ++i) {
    SessionState& s = *sessions_[i];
    if (!s.logged_on || !s.subscribed[instrument.value]) continue;
    if (!s.md_req_id.empty()) msg.setField(tag::kMDReqID, s.md_req_id);
    Send(msg, i);
    stat_[kMarketMessages].fetch_add(1, std::memory_order_relaxed);
  }
}

void FixSim::FlushLevels() {
  if (pending_levels_.empty()) return;
  const Event& first = pending_levels_.front();
  const Instrument& in = config_.instruments.at(first.instrument);
  FIX::Message msg;
  const bool snapshot = (first.level.flags & kBookSnapshotBegin) != 0;
  msg.getHeader().setField(tag::kMsgType, snapshot ? "W" : "X");
  if (snapshot) msg.setField(tag::kSymbol, in.symbol);
  for (const Event& e : pending_levels_) {
    FIX::Group g(tag::kNoMDEntries, snapshot ? tag::kMDEntryType : tag::kMDUpdateAction);
    if (!snapshot) {
      g.setField(tag::kMDUpdateAction, e.level.qty.raw == 0 ? "2" : "1");
      g.setField(tag::kSymbol, config_.instruments.at(e.instrument).symbol);
    }
    g.setField(tag::kMDEntryType, e.level.side == Side::kBuy ? "0" : "1");
    g.setField(tag::kMDEntryPx, FormatDecimal(e.level.price.raw, in.price_scale));
    g.setField(tag::kMDEntrySize, FormatDecimal(e.level.qty.raw, in.qty_scale));
    AddEntryTime(g, e.exchange_ts);
    msg.addGroup(g);
  }
  const InstrumentId inst = first.instrument;
  pending_levels_.clear();
  SendToSubscribers(msg, inst);
}

void FixSim::Publish(const Event& e) {
  if (e.kind == EventKind::kBookLevel) {
    if ((e.level.flags & kBookSnapshotBegin) != 0 ||
        (!pending_levels_.empty() && pending_levels_.front().instrument != e.instrument)) {
      FlushLevels();
    }
    pending_levels_.push_back(e);
    if ((e.level.flags & kBookEndOfMessage) != 0) FlushLevels();
    return;
  }
  FlushLevels();
  const Instrument& in = config_.instruments.at(e.instrument);
  FIX::Message msg;
  switch (e.kind) {
    case EventKind::kQuote: {
      msg.getHeader().setField(tag::kMsgType, "W");
      msg.setField(tag::kSymbol, in.symbol);
      for (int side = 0; side < 2; ++side) {
        FIX::Group g(tag::kNoMDEntries, tag::kMDEntryType);
        g.setField(tag::kMDEntryType, side == 0 ? "0" : "1");
        g.setField(tag::kMDEntryPx, FormatDecimal(side == 0 ? e.quote.bid.raw : e.quote.ask.raw,
                                                  in.price_scale));
        g.setField(tag::kMDEntrySize, FormatDecimal(
                                          side == 0 ? e.quote.bid_qty.raw : e.quote.ask_qty.raw,
                                          in.qty_scale));
        AddEntryTime(g, e.exchange_ts);
        msg.addGroup(g);
      }
      break;
    }
    case EventKind::kTrade:
    case EventKind::kLiquidation:
    case EventKind::kIndexPrice:
    case EventKind::kMarkPrice:
    case EventKind::kOpenInterest: {
      msg.getHeader().setField(tag::kMsgType, "X");
      FIX::Group g(tag::kNoMDEntries, tag::kMDUpdateAction);
      g.setField(tag::kMDUpdateAction, "0");
      g.setField(tag::kSymbol, in.symbol);
      if (e.kind == EventKind::kTrade || e.kind == EventKind::kLiquidation) {
        g.setField(tag::kMDEntryType, "2");
        // A forced order printed by the venue: a trade with TradeCondition "liquidation".
        if (e.kind == EventKind::kLiquidation) g.setField(tag::kTradeCondition, "liquidation");
        if (e.trade.trade_id != 0) g.setField(tag::kMDEntryID, std::to_string(e.trade.trade_id));
        g.setField(tag::kMDEntryPx, FormatDecimal(e.trade.price.raw, in.price_scale));
        g.setField(tag::kMDEntrySize, FormatDecimal(e.trade.qty.raw, in.qty_scale));
        g.setField(tag::kTickDirection, e.trade.aggressor == Side::kSell ? "2" : "0");
      } else if (e.kind == EventKind::kOpenInterest) {
        g.setField(tag::kMDEntryType, "C");
        g.setField(tag::kMDEntrySize, FormatDecimal(e.open_interest.qty.raw, in.qty_scale));
      } else {
        g.setField(tag::kMDEntryType, e.kind == EventKind::kIndexPrice ? "3" : "6");
        g.setField(tag::kMDEntryPx, FormatDecimal(e.price.price.raw, in.price_scale));
      }
      AddEntryTime(g, e.exchange_ts);
      msg.addGroup(g);
      break;
    }
    default:
      return;  // funding, bars and L3 orders feed the venue only
  }
  SendToSubscribers(msg, e.instrument);
}

absl::Status FixSim::Run(const std::atomic<bool>* interrupt,
                         const std::function<void(const std::string&)>& progress) {
  auto interrupted = [&] { return interrupt != nullptr && interrupt->load(); };
  if (sources_.empty()) return absl::FailedPreconditionError("fixsim: Run was called before");
  Merger merger(std::move(sources_));
  sources_.clear();
  TAPEDECK_RETURN_IF_ERROR(merger.Init());
  // Listen on "host" only (fix_listen.h).
  const uint32_t listen_address = restrict_host_ ? host_addr_ : htonl(INADDR_ANY);
  SetListenAddress(config_.fix.port, listen_address);
  listen_set_ = true;
  char shown[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &listen_address, shown, sizeof(shown));
  const std::string where = absl::StrCat(shown, ":", config_.fix.port);
  if (const ListenRecord probe = ProbeListen(config_.fix.port, listen_address); probe.error != 0) {
    return absl::UnavailableError(absl::StrCat("FIX acceptor on ", where, ": ", probe.step, ": ",
                                               std::strerror(probe.error)));
  }
  try {
    acceptor_->start();  // one QuickFIX thread serves every session
  } catch (const std::exception& e) {
    std::string why = e.what();
    if (std::optional<ListenRecord> l = ListenedOn(config_.fix.port); l && l->error != 0) {
      why = absl::StrCat(l->step, ": ", std::strerror(l->error));
    }
    return absl::UnavailableError(absl::StrCat("FIX acceptor on ", where, ": ", why));
  }
  const std::optional<ListenRecord> listened = ListenedOn(config_.fix.port);
  if (restrict_host_ && (!listened || listened->error != 0 || listened->address != listen_address)) {
    try {
      acceptor_->stop(true);
    } catch (const std::exception&) {
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "FIX acceptor: this QuickFIX library bound port ", config_.fix.port,
        " on every interface itself, so fixsim cannot listen on ", shown,
        " only (see adapters/fix_listen.h); set \"fix.host\": \"0.0.0.0\" to accept that"));
  }
  std::fprintf(stderr, "fixsim: listening on %s (%zu session%s)\n", where.c_str(),
               sessions_.size(), sessions_.size() == 1 ? "" : "s");
  auto shutdown = [&] {
    try {
      acceptor_->stop(true);  // closes every connection; a Logout would cost whole seconds
    } catch (const std::exception&) {
    }
  };
  auto subscribed = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& s : sessions_) n += s->logged_on && s->any_subscription ? 1 : 0;
    return n;
  };
  while (subscribed() < config_.wait_for_sessions) {
    if (interrupted()) {
      shutdown();
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  Event e;
  int64_t t0_wall = 0, t0_data = 0;
  uint64_t count = 0;
  int64_t next_progress = WallNanos() + 250'000'000;
  while (merger.Next(&e)) {
    if (interrupted()) {
      shutdown();
      return absl::OkStatus();
    }
    if (count == 0) {
      t0_wall = WallNanos();
      t0_data = e.exchange_ts;
    }
    if (config_.speed_milli > 0) {
      const Int128 offset = static_cast<Int128>(e.exchange_ts - t0_data) * 1000 / config_.speed_milli;
      const int64_t target = t0_wall + static_cast<int64_t>(offset);
      for (int64_t now = WallNanos(); now < target && !interrupted(); now = WallNanos()) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<int64_t>(target - now, 1'000'000)));
      }
    }
    ++count;
    {
      std::unique_lock<std::mutex> lock(mu_);
      AdvanceVenue(e.exchange_ts - 1);  // orders and reports due before this event
      venue_->OnMarketData(e);
      Publish(e);
      AdvanceVenue(e.exchange_ts);
      FlushOutbox(lock);
    }
    stat_[kEvents].fetch_add(1, std::memory_order_relaxed);
    if (progress && (count & 1023) == 0 && WallNanos() >= next_progress) {
      next_progress = WallNanos() + 250'000'000;
      const FixSimStats st = stats();
      progress(absl::StrFormat("fixsim: %d events, %d orders, %d fills", st.events, st.orders, st.fills));
    }
  }
  if (!merger.status().ok()) {
    shutdown();
    return merger.status();
  }
  {
    std::unique_lock<std::mutex> lock(mu_);
    FlushLevels();
    // End of data: every order on its way reaches the venue and every report goes out; from now
    // on venue time follows the orders. Then TradingSessionStatus "closed" to every logged-on
    // session.
    data_ended_ = true;
    AdvanceVenue(INT64_MAX);
    for (size_t i = 0; i < sessions_.size(); ++i) {
      if (!sessions_[i]->logged_on) continue;
      FIX::Message h;
      h.getHeader().setField(tag::kMsgType, "h");
      h.setField(tag::kTradingSessionID, "tapedeck");
      h.setField(tag::kTradSesStatus, "3");
      h.setField(tag::kText, "end of data");
      Send(h, i);
    }
    FlushOutbox(lock);
  }
  const int64_t linger_end = WallNanos() + config_.linger.ns;
  while (WallNanos() < linger_end && !interrupted()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  shutdown();
  return absl::OkStatus();
}

}  // namespace tapedeck::adapters
