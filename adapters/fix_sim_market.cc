// fixsim's market data: subscriptions (35=V) and the replayed events as snapshots (35=W) and
// incremental refreshes (35=X) to the sessions that asked for them (fix_sim.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_sim_state.h"
#include "core/decimal.h"
#include "quickfix/Group.h"

namespace tapedeck::adapters {

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

}  // namespace tapedeck::adapters
