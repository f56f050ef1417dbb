#include "core/event.h"

#include <cstring>

namespace tapedeck {

std::string_view EventKindName(EventKind k) {
  switch (k) {
    case EventKind::kTrade: return "trade";
    case EventKind::kQuote: return "quote";
    case EventKind::kBookLevel: return "book_level";
    case EventKind::kFundingRate: return "funding_rate";
    case EventKind::kMarkPrice: return "mark_price";
    case EventKind::kIndexPrice: return "index_price";
    case EventKind::kLiquidation: return "liquidation";
    case EventKind::kOpenInterest: return "open_interest";
    case EventKind::kBar: return "bar";
    case EventKind::kTimer: return "timer";
    case EventKind::kOrderAck: return "order_ack";
    case EventKind::kOrderFill: return "order_fill";
    case EventKind::kOrderCancel: return "order_cancel";
    case EventKind::kOrderReject: return "order_reject";
    case EventKind::kL3Order: return "l3_order";
    case EventKind::kOrderReplaced: return "order_replaced";
    case EventKind::kAccount: return "account";
    case EventKind::kVenueStatus: return "venue_status";
  }
  return "unknown";
}

std::string_view AccountActionName(AccountAction a) {
  switch (a) {
    case AccountAction::kFunding: return "funding";
    case AccountAction::kSettlement: return "settlement";
    case AccountAction::kLiquidation: return "liquidation";
  }
  return "unknown";
}

std::string_view VenueStatusName(VenueStatus s) {
  switch (s) {
    case VenueStatus::kConnected: return "connected";
    case VenueStatus::kDisconnected: return "disconnected";
    case VenueStatus::kTradingHalted: return "trading_halted";
    case VenueStatus::kTradingResumed: return "trading_resumed";
    case VenueStatus::kDataEnded: return "data_ended";
  }
  return "unknown";
}

std::string_view L3ActionName(L3Action a) {
  switch (a) {
    case L3Action::kAdd: return "add";
    case L3Action::kCancel: return "cancel";
    case L3Action::kDelete: return "delete";
    case L3Action::kExecute: return "execute";
  }
  return "unknown";
}

bool IsMarketData(EventKind k) {
  return static_cast<uint8_t>(k) <= static_cast<uint8_t>(EventKind::kBar) ||
         k == EventKind::kL3Order;
}

bool IsOrderResponse(EventKind k) {
  return k == EventKind::kOrderAck || k == EventKind::kOrderFill || k == EventKind::kOrderCancel ||
         k == EventKind::kOrderReject || k == EventKind::kOrderReplaced;
}

std::string_view RejectReasonName(RejectReason r) {
  switch (r) {
    case RejectReason::kNone: return "none";
    case RejectReason::kUnknownInstrument: return "unknown_instrument";
    case RejectReason::kInvalidQty: return "invalid_qty";
    case RejectReason::kInvalidPrice: return "invalid_price";
    case RejectReason::kNoLiquidity: return "no_liquidity";
    case RejectReason::kUnknownOrder: return "unknown_order";
    case RejectReason::kWouldCross: return "would_cross";
    case RejectReason::kVenue: return "venue";
    case RejectReason::kInsufficientMargin: return "insufficient_margin";
    case RejectReason::kInstrumentExpired: return "instrument_expired";
  }
  return "unknown";
}

Event MakeEvent(EventKind kind, InstrumentId instrument, Timestamp exchange_ts, Timestamp local_ts) {
  Event e;
  std::memset(static_cast<void*>(&e), 0, sizeof(e));
  e.exchange_ts = exchange_ts.ns;
  e.local_ts = local_ts.ns;
  e.kind = kind;
  e.instrument = instrument;
  return e;
}

}  // namespace tapedeck
