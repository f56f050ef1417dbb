#include "core/order.h"

namespace tapedeck {

std::string_view OrderTypeName(OrderType t) { return t == OrderType::kMarket ? "market" : "limit"; }

std::string_view TimeInForceName(TimeInForce t) {
  switch (t) {
    case TimeInForce::kGtc: return "gtc";
    case TimeInForce::kIoc: return "ioc";
    case TimeInForce::kFok: return "fok";
  }
  return "?";
}

std::string_view OrderStatusName(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPendingNew: return "pending_new";
    case OrderStatus::kOpen: return "open";
    case OrderStatus::kPartiallyFilled: return "partially_filled";
    case OrderStatus::kFilled: return "filled";
    case OrderStatus::kCancelled: return "cancelled";
    case OrderStatus::kRejected: return "rejected";
  }
  return "?";
}

}  // namespace tapedeck
