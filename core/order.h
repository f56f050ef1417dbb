// Order requests and the order state a strategy's context keeps.
#ifndef TAPEDECK_CORE_ORDER_H_
#define TAPEDECK_CORE_ORDER_H_

#include <string_view>

#include "core/event.h"
#include "core/types.h"

namespace tapedeck {

enum class OrderType : uint8_t { kMarket = 0, kLimit = 1 };
enum class TimeInForce : uint8_t { kGtc = 0, kIoc = 1, kFok = 2 };

std::string_view OrderTypeName(OrderType t);
std::string_view TimeInForceName(TimeInForce t);

struct OrderRequest {
  OrderId id;  // assigned by the Context
  InstrumentId instrument;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  TimeInForce tif = TimeInForce::kGtc;
  Price price;  // limit price; ignored for market orders
  Qty qty;
  bool post_only = false;
  bool reduce_only = false;
};

enum class OrderStatus : uint8_t {
  kPendingNew = 0,  // sent, not yet acknowledged
  kOpen = 1,
  kPartiallyFilled = 2,
  kFilled = 3,
  kCancelled = 4,
  kRejected = 5,
};
std::string_view OrderStatusName(OrderStatus s);
constexpr bool IsTerminal(OrderStatus s) {
  return s == OrderStatus::kFilled || s == OrderStatus::kCancelled || s == OrderStatus::kRejected;
}

// What the strategy's side knows of one of its orders.
struct OrderState {
  OrderRequest request;
  OrderStatus status = OrderStatus::kPendingNew;
  Qty filled;
  Money fees;
  Timestamp sent_at;
  bool cancel_requested = false;
  uint32_t modifies_pending = 0;  // modifies sent and not yet answered

  Qty remaining() const { return request.qty - filled; }
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_ORDER_H_
