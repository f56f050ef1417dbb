// What a run leaves behind, record by record: every request the strategy sent, every fill and
// account event it learnt of, and the sampled equity curve. The StrategyHost hands each record
// to a RunSink as it happens; CollectingSink keeps them all in memory (what the outputs and the
// tests read), a caller's sink can write them out as they come instead.
#ifndef TAPEDECK_CORE_RECORDS_H_
#define TAPEDECK_CORE_RECORDS_H_

#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/large_vector.h"
#include "core/order.h"
#include "core/types.h"

namespace tapedeck {

enum class RequestAction : uint8_t { kNew = 0, kCancel = 1, kModify = 2 };

// One request as the strategy sent it: the order/cancel/modify list whose digest pins a run.
// A modify carries the order's request with the new price and total quantity; a cancel the
// order's request as it stood.
struct OrderLogEntry {
  Timestamp ts;
  RequestAction action = RequestAction::kNew;
  OrderRequest request;
};

// One fill as the strategy learnt of it.
struct FillLogEntry {
  Timestamp local_ts;
  Timestamp exchange_ts;
  OrderId order_id;
  InstrumentId instrument;
  Side side;
  Price price;
  Qty qty;
  Money fee;
  Liquidity liquidity;
  TradeGroup group;  // of its order; in memory only (fills.csv and the digests leave it out)
};

// One account event (funding, settlement, liquidation) as the strategy learnt of it.
struct AccountLogEntry {
  Timestamp local_ts;
  Timestamp exchange_ts;
  InstrumentId instrument;
  AccountAction action;
  Qty qty;       // signed position the action applied to
  Price price;   // mark (funding), settlement or liquidation price
  Money amount;  // funding received (< 0 paid); PnL realised by a settlement or liquidation
  Money fee;     // liquidation fee
};

// The portfolio at one instant of strategy time (the engine samples it at a fixed interval).
struct EquityPoint {
  Timestamp ts;
  Money equity;
  Money cash;
  Money realized;
  Money unrealized;
  Money fees;
};

// Receives a run's records in the order they happen, on the strategy's thread; each table in its
// own order (a sink may also be handed a finished run's tables one after another). Calls come
// from inside the strategy's requests and the host's deliveries: a sink must not call back into
// the strategy or its Context. A sink overrides what it needs.
class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void OnOrder(const OrderLogEntry&) {}
  virtual void OnFill(const FillLogEntry&) {}
  virtual void OnAccount(const AccountLogEntry&) {}
  virtual void OnEquity(const EquityPoint&) {}
};

// Keeps every record. Order, fill and account logs grow by moving pages (core/large_vector.h):
// a busy backtest logs hundreds of thousands of requests.
class CollectingSink final : public RunSink {
 public:
  void OnOrder(const OrderLogEntry& e) override { orders_.push_back(e); }
  void OnFill(const FillLogEntry& e) override { fills_.push_back(e); }
  void OnAccount(const AccountLogEntry& e) override { account_.push_back(e); }
  void OnEquity(const EquityPoint& p) override { equity_.push_back(p); }

  const LargeVector<OrderLogEntry>& order_log() const { return orders_; }
  const LargeVector<FillLogEntry>& fill_log() const { return fills_; }
  const LargeVector<AccountLogEntry>& account_log() const { return account_; }
  const std::vector<EquityPoint>& equity() const { return equity_; }

 private:
  LargeVector<OrderLogEntry> orders_;
  LargeVector<FillLogEntry> fills_;
  LargeVector<AccountLogEntry> account_;
  std::vector<EquityPoint> equity_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_RECORDS_H_
