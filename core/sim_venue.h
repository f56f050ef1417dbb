// The simulated venue, first version: fills against the touch, trades and bars; constant
// order-entry and response latency; maker/taker fees.
//
// Rules (venue side, at exchange time):
// - A market order fills in full at the opposite touch when the data has quotes; with trades
//   only it fills at the next trade's price, with bars at the next bar's open.
// - A limit order that crosses the touch on arrival fills at the touch (taker, price improvement).
//   Otherwise it rests and fills in full, at its limit (maker), when the market trades through
//   it: a trade (or a bar's range) strictly beyond the limit, or the opposite touch strictly
//   beyond it.
// - Post-only orders that would cross are rejected; IOC and FOK orders that cannot fill at once
//   are cancelled.
// - A cancel for an order that is no longer open is rejected (kUnknownOrder).
#ifndef TAPEDECK_CORE_SIM_VENUE_H_
#define TAPEDECK_CORE_SIM_VENUE_H_

#include <vector>

#include "core/event.h"
#include "core/instrument.h"
#include "core/order.h"
#include "core/types.h"

namespace tapedeck {

struct SimVenueConfig {
  Duration entry_latency = Duration::Millis(1);     // strategy -> venue, per request
  Duration response_latency = Duration::Millis(1);  // venue -> strategy, per response
};

class SimVenue {
 public:
  // Responses are appended to *out with exchange_ts = venue time and
  // local_ts = venue time + response latency; the caller takes them from there.
  SimVenue(const InstrumentTable& instruments, SimVenueConfig config, std::vector<Event>* out);

  const SimVenueConfig& config() const { return config_; }

  void OnMarketData(const Event& e);
  void OnOrderArrival(const OrderRequest& r, Timestamp at);
  void OnCancelArrival(OrderId id, InstrumentId instrument, Timestamp at);

  size_t resting_orders() const;

 private:
  struct Resting {
    OrderRequest request;
    Qty remaining;
  };
  struct Touch {
    Price bid, ask;
    bool has_bid = false, has_ask = false;
  };

  void Respond(EventKind kind, const OrderRequest& r, Timestamp at, Price price, Qty qty,
               Money fee, Liquidity liq, RejectReason reason);
  void Fill(const OrderRequest& r, Timestamp at, Price price, Qty qty, Liquidity liq);
  // Fills resting orders that the market at `trade_price` trades through; market orders fill
  // at `market_price`.
  void MatchResting(InstrumentId id, Timestamp at, Price market_price, Price low, Price high);
  void MatchTouch(InstrumentId id, Timestamp at);

  const InstrumentTable* instruments_;
  SimVenueConfig config_;
  std::vector<Event>* out_;
  std::vector<Touch> touch_;
  std::vector<std::vector<Resting>> resting_;  // per instrument, in arrival order
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_SIM_VENUE_H_
