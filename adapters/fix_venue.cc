#include "adapters/fix_venue.h"

#include <chrono>
#include <exception>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_crypto.h"
#include "adapters/venue_auth.h"
#include "adapters/fix_redact.h"
#include "adapters/venue_dialect.h"
#include "core/check.h"
#include "core/decimal.h"
#include "core/status.h"
#include "quickfix/FileLog.h"
#include "quickfix/Group.h"
#include "quickfix/SSLSocketInitiator.h"
#include "quickfix/SocketInitiator.h"

namespace tapedeck::adapters {

int64_t WallNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<FixVenueConfig> ParseFixVenueConfig(ConfigObject& obj) {
  FixVenueConfig c;
  if (const nlohmann::json* s = obj.Raw("symbols"); s != nullptr) {
    if (!s->is_array()) return obj.Error("symbols", "must be an array of symbols");
    for (const nlohmann::json& v : *s) {
      if (!v.is_string()) return obj.Error("symbols", "must be an array of strings");
      c.symbols.push_back(v.get<std::string>());
    }
  }
  TAPEDECK_RETURN_IF_ERROR(obj.Int("market_depth", &c.market_depth));
  if (c.market_depth < 0) return obj.Error("market_depth", "must be 0 (full book) or more");
  int64_t capacity = static_cast<int64_t>(c.queue_capacity);
  TAPEDECK_RETURN_IF_ERROR(obj.Int("queue_capacity", &capacity));
  if (capacity < 16 || capacity > (int64_t{1} << 26)) {
    return obj.Error("queue_capacity", "must be in 16..67108864");
  }
  c.queue_capacity = static_cast<size_t>(capacity);
  TAPEDECK_RETURN_IF_ERROR(obj.String("clordid_prefix", &c.clordid_prefix));
  TAPEDECK_RETURN_IF_ERROR(obj.Bool("cancel_on_disconnect", &c.cancel_on_disconnect));
  const bool market_data_set = obj.Has("market_data");
  TAPEDECK_RETURN_IF_ERROR(obj.Bool("market_data", &c.market_data));
  TAPEDECK_ASSIGN_OR_RETURN(c.session, ParseFixSessionConfig(obj, FixRole::kInitiator));
  if (!market_data_set) c.market_data = c.session.profile->market_data;
  // The prefix's alphabet and length against the venue's ClOrdID rules (the tag is 10 chars).
  if (absl::StatusOr<ClOrdIdScheme> ids =
          MakeClOrdIdScheme(*c.session.profile, c.clordid_prefix, "0000000000");
      !ids.ok()) {
    return obj.Error("clordid_prefix", std::string(ids.status().message()));
  }
  return c;
}

FixVenue::FixVenue(const FixVenueConfig& config, const InstrumentTable& instruments)
    : config_(config), instruments_(&instruments), bridge_(config.queue_capacity) {}

namespace {
// The venue whose strategy thread is inside session_->send of a NewOrderSingle. QuickFIX's own
// thread writes heartbeats, resends and logons through the same log; there this is null.
thread_local FixVenue* t_sending_venue = nullptr;
}  // namespace

class FixVenue::StampingLog final : public FIX::Log {
 public:
  explicit StampingLog(FIX::Log* inner) : inner_(inner) {}
  void clear() override {
    if (inner_ != nullptr) inner_->clear();
  }
  void backup() override {
    if (inner_ != nullptr) inner_->backup();
  }
  void onIncoming(const std::string& s) override {
    if (inner_ != nullptr) inner_->onIncoming(s);
  }
  void onOutgoing(const std::string& s) override {
    FixVenue* v = t_sending_venue;
    if (v != nullptr && v->observer_ != nullptr) v->observer_->OnOrderEncoded(v->sending_);
    if (inner_ != nullptr) inner_->onOutgoing(s);
  }
  void onEvent(const std::string& s) override {
    if (inner_ != nullptr) inner_->onEvent(s);
  }
  FIX::Log* inner() const { return inner_; }

 private:
  FIX::Log* inner_;  // owned by the inner factory
};

class FixVenue::StampingLogFactory final : public FIX::LogFactory {
 public:
  explicit StampingLogFactory(std::unique_ptr<FIX::LogFactory> inner) : inner_(std::move(inner)) {}
  FIX::Log* create() override { return new StampingLog(inner_ ? inner_->create() : nullptr); }
  FIX::Log* create(const FIX::SessionID& id) override {
    return new StampingLog(inner_ ? inner_->create(id) : nullptr);
  }
  void destroy(FIX::Log* log) override {
    auto* stamping = static_cast<StampingLog*>(log);
    if (inner_ && stamping->inner() != nullptr) inner_->destroy(stamping->inner());
    delete stamping;
  }

 private:
  std::unique_ptr<FIX::LogFactory> inner_;
};

FixVenue::~FixVenue() { Stop(false); }

absl::StatusOr<std::unique_ptr<FixVenue>> FixVenue::Create(const FixVenueConfig& config,
                                                           const InstrumentTable& instruments) {
  std::unique_ptr<FixVenue> v(new FixVenue(config, instruments));
  for (const std::string& s : config.symbols) {
    TAPEDECK_RETURN_IF_ERROR(instruments.Find(s).status());
  }
  const VenueProfile& profile = *config.session.profile;
  v->generic_ = profile.id == VenueProfileId::kGenericFix44;
  TAPEDECK_ASSIGN_OR_RETURN(v->wire_,
                            WireInstruments(profile, instruments, config.session.symbol_map));
  const int64_t start = WallNanos();
  TAPEDECK_ASSIGN_OR_RETURN(v->ids_, MakeClOrdIdScheme(profile, config.clordid_prefix,
                                                       NewSessionTag(start, crypto::RandomBytes(2))));
  const FixSessionIdentity& id = config.session.sessions.front();
  TAPEDECK_RETURN_IF_ERROR(ProbeCredentials(profile, id.credentials));
  TAPEDECK_ASSIGN_OR_RETURN(v->settings_, ToSessionSettings(config.session, FixRole::kInitiator));
  v->session_id_ = SessionIdOf(config.session, id);
  v->store_ = MakeStoreFactory(config.session, v->settings_);
  if (config.session.store != "memory" && config.session.store != "null") {
    TAPEDECK_RETURN_IF_ERROR(RecordClOrdIdPrefix(config.session.store, start, v->ids_.prefix()));
  }
  FIX::Application& app = *v;
  try {
    std::unique_ptr<FIX::LogFactory> file_log;
    if (!config.session.log.empty()) {
      file_log = std::make_unique<RedactingLogFactory>(
          std::make_unique<FIX::FileLogFactory>(v->settings_), id.credentials.Secrets());
    }
    v->log_factory_ = std::make_unique<StampingLogFactory>(std::move(file_log));
    if (config.session.tls.enabled) {
      v->initiator_ = std::make_unique<FIX::SSLSocketInitiator>(app, *v->store_, v->settings_,
                                                                *v->log_factory_);
    } else {
      v->initiator_ = std::make_unique<FIX::SocketInitiator>(app, *v->store_, v->settings_,
                                                             *v->log_factory_);
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("FIX initiator: ", e.what()));
  }
  // The initiator makes its session when it is built. Taken here, before start() launches the
  // thread that logs on: onLogon sends the MarketDataRequest through it, and under load a logon
  // can complete before the thread that called start() runs again.
  v->session_ = v->initiator_->getSession(v->session_id_);
  if (v->session_ == nullptr) return absl::InternalError("FIX initiator has no session");
  return v;
}

absl::Status FixVenue::Start() {
  try {
    initiator_->start();
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("FIX initiator: ", e.what()));
  }
  return absl::OkStatus();
}

void FixVenue::Stop(bool logout) {
  if (initiator_ == nullptr || stopping_.exchange(true)) return;
  try {
    initiator_->stop(!logout);
  } catch (const std::exception&) {
    // Shutting down: nothing left to report to.
  }
}

FixVenueStats FixVenue::stats() const {
  FixVenueStats s;
  s.logons = stat_[kLogons].load();
  s.disconnects = stat_[kDisconnects].load();
  s.market_messages = stat_[kMarketMessages].load();
  s.market_events = stat_[kMarketEvents].load();
  s.exec_reports = stat_[kExecReports].load();
  s.duplicates_dropped = stat_[kDuplicates].load();
  s.undecodable = stat_[kUndecodable].load();
  s.refused_resends = stat_[kRefusedResends].load();
  s.status_requests = stat_[kStatusRequests].load();
  s.local_rejects = stat_[kLocalRejects].load();
  s.queue_full_waits = bridge_.full_waits();
  return s;
}

// --- strategy thread ---

bool FixVenue::Poll(Event* e) {
  if (!local_.empty()) {
    *e = local_.front();
    local_.pop_front();
    return true;
  }
  return bridge_.Pop(e);
}

bool FixVenue::PopDueTimer(int64_t now_ns, Event* e) {
  if (timers_.empty() || timers_.top().at > now_ns) return false;
  const Timer t = timers_.top();
  timers_.pop();
  *e = MakeEvent(EventKind::kTimer, InstrumentId(), Timestamp(t.at), Timestamp(now_ns));
  e->timer.timer_id = t.id;
  e->timer.tag = t.tag;
  return true;
}

int64_t FixVenue::sent_at(OrderId id) const {
  if (!id.valid() || id.value > sent_at_.size()) return 0;
  return sent_at_[id.value - 1];
}

void FixVenue::RejectLocally(const OrderRequest& r, int64_t now_ns) {
  Event e = MakeEvent(EventKind::kOrderReject, r.instrument, Timestamp(now_ns), Timestamp(now_ns));
  e.order.order_id = r.id;
  e.order.price = r.price;
  e.order.qty = r.qty;
  e.order.side = r.side;
  e.order.reason = RejectReason::kVenue;
  local_.push_back(e);
  stat_[kLocalRejects].fetch_add(1, std::memory_order_relaxed);
}

void FixVenue::SendOrder(const OrderRequest& request, Timestamp now) {
  TAPEDECK_CHECK(request.id.value == requests_.size() + 1,
                 "Invariant: the context numbers orders 1, 2, 3, ...");
  requests_.push_back(request);
  sent_at_.push_back(0);
  max_order_id_.store(request.id.value, std::memory_order_release);
  if (observer_ != nullptr) observer_->OnOrderBuilt(request.id);
  const int64_t wall = WallNanos();
  if (!logged_on() || session_ == nullptr) {
    RejectLocally(request, wall > now.ns ? wall : now.ns);
    return;
  }
  if (!generic_ && !UnsupportedByVenue(profile(), request).empty()) {
    // What the venue's dialect cannot say (reduce-only on a spot venue, ...) never leaves.
    RejectLocally(request, wall > now.ns ? wall : now.ns);
    return;
  }
  BuildNewOrderSingle(request, wire_.at(request.instrument), ids_.Order(request.id), wall,
                      &order_msg_);
  if (!generic_) ApplyOrderDialect(profile(), request, &order_msg_);
  bool sent = false;
  sending_ = request.id;
  t_sending_venue = this;
  try {
    sent = session_->send(order_msg_);
  } catch (const std::exception&) {
    sent = false;
  }
  t_sending_venue = nullptr;
  if (!sent) {
    // Not on the wire: the session dropped under us. It is never resent (the session keeps no
    // copy, and toApp refuses possible duplicates): the strategy hears now.
    RejectLocally(request, WallNanos());
    return;
  }
  sent_at_.back() = WallNanos();
  if (observer_ != nullptr) observer_->OnOrderHanded(request.id);
}

void FixVenue::SendCancel(OrderId id, InstrumentId, Timestamp now) {
  if (!id.valid() || id.value > requests_.size()) return;
  const OrderRequest& r = requests_[id.value - 1];
  const int64_t wall = WallNanos();
  bool sent = false;
  if (logged_on() && session_ != nullptr) {
    BuildCancelRequest(r, wire_.at(r.instrument), LiveClOrdId(id), ids_.Cancel(id), wall,
                       &cancel_msg_);
    if (!generic_) ApplyCancelDialect(profile(), &cancel_msg_);
    try {
      sent = session_->send(cancel_msg_);
    } catch (const std::exception&) {
      sent = false;
    }
  }
  if (!sent) {
    // The cancel did not go out: the strategy sees it rejected and may try again.
    Event e = MakeEvent(EventKind::kOrderReject, r.instrument, Timestamp(wall > now.ns ? wall : now.ns),
                        Timestamp(wall > now.ns ? wall : now.ns));
    e.order.order_id = id;
    e.order.side = r.side;
    e.order.reason = RejectReason::kUnknownOrder;
    local_.push_back(e);
  }
}

void FixVenue::SendModify(OrderId id, InstrumentId, Price new_price, Qty new_qty, Timestamp now) {
  if (!id.valid() || id.value > requests_.size()) return;
  OrderRequest r = requests_[id.value - 1];
  r.price = new_price;
  r.qty = new_qty;
  const int64_t wall = WallNanos();
  bool sent = false;
  // Venues without OrderCancelReplaceRequest (venue_profile.h `replace`): refused here.
  if (logged_on() && session_ != nullptr && profile().replace) {
    // OrigClOrdID: the last ClOrdID sent for the order (the venue knows the chain).
    const std::string orig = LiveClOrdId(id);
    uint32_t& n = modifies_sent_[id.value];
    BuildReplaceRequest(r, wire_.at(r.instrument), orig, ids_.Modify(id, n + 1), wall,
                        &replace_msg_);
    if (!generic_) ApplyOrderDialect(profile(), r, &replace_msg_);
    try {
      sent = session_->send(replace_msg_);
    } catch (const std::exception&) {
      sent = false;
    }
    if (sent) ++n;
  }
  if (!sent) {
    // Like a cancel that did not go out: rejected as for an unknown order, the order unchanged.
    const Timestamp at(wall > now.ns ? wall : now.ns);
    Event e = MakeEvent(EventKind::kOrderReject, r.instrument, at, at);
    e.order.order_id = id;
    e.order.price = new_price;
    e.order.qty = new_qty;
    e.order.side = r.side;
    e.order.reason = RejectReason::kUnknownOrder;
    local_.push_back(e);
  }
}

std::string FixVenue::LiveClOrdId(OrderId id) const {
  const auto it = modifies_sent_.find(id.value);
  return it == modifies_sent_.end() || it->second == 0 ? ids_.Order(id)
                                                       : ids_.Modify(id, it->second);
}

void FixVenue::ScheduleTimer(uint64_t timer_id, Timestamp at, uint64_t tag) {
  timers_.push(Timer{at.ns, timer_id, tag});
}

void FixVenue::ReconcileIfNeeded(const Context& ctx) {
  if (!need_reconcile_.load(std::memory_order_acquire)) return;
  need_reconcile_.store(false, std::memory_order_release);
  // Venues without OrderStatusRequest on the order session have nothing to ask.
  if (session_ == nullptr || !profile().status_request) return;
  for (const Instrument& in : instruments_->all()) {
    for (OrderId id : ctx.OpenOrders(in.id)) {
      FIX::Message msg;
      BuildStatusRequest(ctx.order(id)->request, wire_.at(in.id), LiveClOrdId(id), &msg);
      try {
        if (session_->send(msg)) stat_[kStatusRequests].fetch_add(1, std::memory_order_relaxed);
      } catch (const std::exception&) {
        need_reconcile_.store(true, std::memory_order_release);
      }
    }
  }
}

// --- QuickFIX thread ---

void FixVenue::Push(const Event& e) { bridge_.Push(e, &stopping_); }

void FixVenue::Note(std::string line) {
  stat_[kUndecodable].fetch_add(1, std::memory_order_relaxed);
  if (log_.size() < 1000) log_.push_back(std::move(line));
}

bool FixVenue::LookupSymbol(const std::string& symbol, InstrumentId* out) const {
  for (const Instrument& in : wire_.all()) {
    if (in.symbol == symbol) {
      *out = in.id;
      return true;
    }
  }
  return false;
}

void FixVenue::fromApp(const FIX::Message& msg, const FIX::SessionID&) {
  const int64_t local_ns = WallNanos();
  try {
    const std::string& type = msg.getHeader().getField(tag::kMsgType);
    if (type == "X") {
      OnMarketData(msg, false, local_ns);
    } else if (type == "W") {
      OnMarketData(msg, true, local_ns);
    } else if (type == "8") {
      OnExecutionReport(msg, local_ns);
    } else if (type == "9") {
      OnCancelReject(msg, local_ns);
    } else if (type == "h") {
      OnTradingSessionStatus(msg, local_ns);
    } else if (type == "j") {
      Note(absl::StrCat("business message reject of a ",
                        msg.isSetField(372) ? msg.getField(372) : std::string("?"), ": ",
                        msg.isSetField(tag::kText) ? msg.getField(tag::kText) : "(no text)"));
    } else if (type == "Y") {
      Note(absl::StrCat("market data request rejected: ",
                        msg.isSetField(tag::kText) ? msg.getField(tag::kText) : "(no text)"));
    }
  } catch (const std::exception& e) {
    Note(absl::StrCat("undecodable message: ", e.what()));
  }
}

void FixVenue::OnExecutionReport(const FIX::Message& msg, int64_t local_ns) {
  stat_[kExecReports].fetch_add(1, std::memory_order_relaxed);
  ExecReport r;
  std::string error;
  auto lookup = [this](const std::string& s, InstrumentId* id) { return LookupSymbol(s, id); };
  if (!DecodeExecutionReport(msg, wire_, ids_, lookup, &r, &error)) {
    Note(error);
    return;
  }
  if (r.order_id.value > max_order_id_.load(std::memory_order_acquire)) {
    Note(absl::StrCat("ExecutionReport for order ", r.order_id.value, " that was never sent"));
    return;
  }
  if (!r.exec_id.empty() && r.exec_type != 'I') {
    if (!exec_ids_.insert(r.exec_id).second) {
      stat_[kDuplicates].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  Track& t = tracks_[r.order_id.value];
  t.instrument = r.instrument;
  // The venue's time of the execution where the report carries one (TransactTime), else the
  // time it arrived here.
  const Report rep{r, t, r.transact_ns != 0 ? r.transact_ns : local_ns, local_ns};
  switch (r.exec_type) {
    case '0':
      if (!t.acked && !t.terminal) {
        t.acked = true;
        Push(OrderEvent(rep, EventKind::kOrderAck));
      }
      break;
    case 'F':
    case '1':
    case '2':
      OnFillReport(rep);
      break;
    case '4':
    case 'C':
      FinishOrder(rep, EventKind::kOrderCancel, RejectReason::kNone);
      break;
    case '5':
      OnReplacedReport(msg, rep);
      break;
    case '8':
      FinishOrder(rep, EventKind::kOrderReject, r.reason);
      break;
    case 'I':
      OnStatusReport(msg, rep);
      break;
    default:
      break;
  }
}

Event FixVenue::OrderEvent(const Report& rep, EventKind kind) {
  Event e = MakeEvent(kind, rep.r.instrument, Timestamp(rep.exchange_ns), Timestamp(rep.local_ns));
  e.order.order_id = rep.r.order_id;
  e.order.side = rep.r.side;
  return e;
}

void FixVenue::PushFill(const Report& rep, Qty qty, Price px) {
  Event e = OrderEvent(rep, EventKind::kOrderFill);
  e.order.price = px;
  e.order.qty = qty;
  e.order.fee = rep.r.commission;
  e.order.liquidity = rep.r.liquidity;
  rep.t.cum = rep.t.cum + qty;
  Push(e);
}

void FixVenue::FinishOrder(const Report& rep, EventKind kind, RejectReason reason) {
  if (rep.t.terminal) return;
  rep.t.terminal = true;
  Event e = OrderEvent(rep, kind);
  e.order.qty = rep.r.leaves_qty;
  e.order.reason = reason;
  Push(e);
}

void FixVenue::OnFillReport(const Report& rep) {
  const ExecReport& r = rep.r;
  Track& t = rep.t;
  if (t.terminal && t.cum >= r.cum_qty) {
    stat_[kDuplicates].fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Qty qty = r.last_qty;
  // A fill we missed (a venue that numbers its reports): take the difference in CumQty.
  if (r.cum_qty.raw > 0 && r.cum_qty - t.cum > qty) qty = r.cum_qty - t.cum;
  if (r.cum_qty.raw > 0 && r.cum_qty <= t.cum) {
    stat_[kDuplicates].fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (qty.raw > 0) PushFill(rep, qty, r.last_px);
  if (r.ord_status == '2') t.terminal = true;
}

void FixVenue::OnReplacedReport(const FIX::Message& msg, const Report& rep) {
  // Replaced (answer to our 35=G): the order's new price and total quantity.
  if (rep.t.terminal) return;
  const Instrument& in = instruments_->at(rep.r.instrument);
  int64_t px = 0, qty = 0;
  std::string error;
  if (!msg.isSetField(tag::kOrderQty) ||
      !GetDecimalField(msg, tag::kOrderQty, in.qty_scale, &qty, &error) ||
      !GetDecimalField(msg, tag::kPrice, in.price_scale, &px, &error)) {
    Note(absl::StrCat("replaced report without a readable OrderQty/Price: ", error));
    return;
  }
  rep.t.acked = true;
  Event e = OrderEvent(rep, EventKind::kOrderReplaced);
  e.order.price = Price(px);
  e.order.qty = Qty(qty);
  Push(e);
}

void FixVenue::OnStatusReport(const FIX::Message& msg, const Report& rep) {
  // Order status after a reconnect: catch up with what the venue knows.
  const ExecReport& r = rep.r;
  Track& t = rep.t;
  if (r.ord_status == '8') {
    // The venue does not know the order (it restarted, or the order never arrived): nothing
    // will happen to it any more, so it is over.
    FinishOrder(rep,
                r.reason == RejectReason::kUnknownOrder ? EventKind::kOrderCancel
                                                        : EventKind::kOrderReject,
                r.reason);
    return;
  }
  if (r.cum_qty > t.cum && !t.terminal) {
    Price px = r.last_px;
    if (px.raw == 0) {
      int64_t avg = 0;
      std::string err;
      if (GetDecimalField(msg, tag::kAvgPx, instruments_->at(r.instrument).price_scale, &avg,
                          &err)) {
        px = Price(avg);
      }
    }
    PushFill(rep, r.cum_qty - t.cum, px);
  }
  if (r.ord_status == '0' && !t.acked && !t.terminal) {
    t.acked = true;
    Push(OrderEvent(rep, EventKind::kOrderAck));
  }
  if (r.ord_status == '4' || r.ord_status == 'C') {
    FinishOrder(rep, EventKind::kOrderCancel, RejectReason::kNone);
  }
  if (r.ord_status == '2') t.terminal = true;
}

void FixVenue::OnCancelReject(const FIX::Message& msg, int64_t local_ns) {
  OrderId id;
  if (msg.isSetField(tag::kOrigClOrdID)) id = ids_.Parse(msg.getField(tag::kOrigClOrdID));
  if (!id.valid() && msg.isSetField(tag::kClOrdID)) id = ids_.Parse(msg.getField(tag::kClOrdID));
  if (!id.valid() || id.value > max_order_id_.load(std::memory_order_acquire)) {
    Note("OrderCancelReject for an order that is not ours");
    return;
  }
  // The instrument of the order is known from its earlier reports; the Context needs only the id.
  auto it = tracks_.find(id.value);
  const InstrumentId inst = it != tracks_.end() ? it->second.instrument : InstrumentId();
  Event e = MakeEvent(EventKind::kOrderReject, inst, Timestamp(local_ns), Timestamp(local_ns));
  e.order.order_id = id;
  e.order.reason = RejectReason::kUnknownOrder;
  // A rejected modify (CxlRejResponseTo 2) that was not too late (CxlRejReason 0) nor for an
  // unknown order (1): the reason named in Text, else kVenue. Either way the Context keeps the
  // order as it was.
  if (msg.isSetField(tag::kCxlRejResponseTo) && msg.getField(tag::kCxlRejResponseTo) == "2") {
    const std::string code = msg.isSetField(tag::kCxlRejReason) ? msg.getField(tag::kCxlRejReason) : "";
    if (code != "0" && code != "1") {
      const std::string text = msg.isSetField(tag::kText) ? msg.getField(tag::kText) : "";
      e.order.reason = RejectReason::kVenue;
      for (RejectReason r : {RejectReason::kInvalidQty, RejectReason::kInvalidPrice,
                             RejectReason::kWouldCross, RejectReason::kInsufficientMargin,
                             RejectReason::kInstrumentExpired, RejectReason::kUnknownOrder}) {
        if (text == RejectReasonName(r)) e.order.reason = r;
      }
    }
  }
  Push(e);
}

}  // namespace tapedeck::adapters
