// fixsim's answers: the venue's responses, taken off its response channel as venue time
// reaches them, turned into ExecutionReports and OrderCancelRejects (fix_sim.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_sim_state.h"
#include "core/decimal.h"

namespace tapedeck::adapters {

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

}  // namespace tapedeck::adapters
