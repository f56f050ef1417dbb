// fixsim's order entry: NewOrderSingle, cancel, replace and status requests decoded (in the
// venue profile's dialect) and sent to the venue on its request channel (fix_sim.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_sim_state.h"
#include "adapters/venue_dialect.h"
#include "quickfix/Session.h"

namespace tapedeck::adapters {

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

}  // namespace tapedeck::adapters
