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

// A new order. Build one with Market or Limit and the modifiers, which return a changed copy:
//   ctx.Submit(OrderRequest::Limit(id, Side::kBuy, price, qty).PostOnly());
//   ctx.Submit(OrderRequest::Market(id, Side::kSell, qty).ReduceOnly());
//   ctx.Submit(OrderRequest::Market(id, Side::kBuy, qty).InGroup(TradeGroup(7)));
struct OrderRequest {
  OrderId id;  // assigned by the Context
  InstrumentId instrument;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  TimeInForce tif = TimeInForce::kGtc;
  Price price;  // limit price; ignored for market orders
  Qty qty;
  bool post_only = false;    // rejected (kWouldCross) rather than take liquidity
  bool reduce_only = false;  // only ever shrinks the position; the venue cuts the rest
  TradeGroup group;          // strategy-side only: the trade its fills belong to (none by default)

  static constexpr OrderRequest Market(InstrumentId instrument, Side side, Qty qty) {
    OrderRequest r;
    r.instrument = instrument;
    r.side = side;
    r.type = OrderType::kMarket;
    r.qty = qty;
    return r;
  }
  static constexpr OrderRequest Limit(InstrumentId instrument, Side side, Price price, Qty qty) {
    OrderRequest r = Market(instrument, side, qty);
    r.type = OrderType::kLimit;
    r.price = price;
    return r;
  }
  constexpr OrderRequest PostOnly() const {
    OrderRequest r = *this;
    r.post_only = true;
    return r;
  }
  constexpr OrderRequest ReduceOnly() const {
    OrderRequest r = *this;
    r.reduce_only = true;
    return r;
  }
  // Its fills count towards the trade `g` (core/types.h); the venue never sees it.
  constexpr OrderRequest InGroup(TradeGroup g) const {
    OrderRequest r = *this;
    r.group = g;
    return r;
  }
  constexpr OrderRequest WithTif(TimeInForce t) const {
    OrderRequest r = *this;
    r.tif = t;
    return r;
  }
  constexpr OrderRequest Ioc() const { return WithTif(TimeInForce::kIoc); }
  constexpr OrderRequest Fok() const { return WithTif(TimeInForce::kFok); }
  // The same request under the id `order_id` (venue-side tests and tools; a strategy's Context
  // assigns ids itself).
  constexpr OrderRequest WithId(OrderId order_id) const {
    OrderRequest r = *this;
    r.id = order_id;
    return r;
  }
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
