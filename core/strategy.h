// The one strategy API for every mode: a Strategy sees only these callbacks and its Context
// (core/context.h). In a backtest the Context is driven by the Engine and SimVenue; in paper or
// live trading by the FIX adapter. Strategies never know which.
//
// What a strategy author reads: this file, core/context.h (acting and asking), core/order.h
// (building requests), core/market_view.h, core/trade_run.h (runs of trades),
// core/strategy_report.h (report sections), core/params.h and core/strategy_registry.h
// (parameters and registration), core/sizing.h (quantities from money).
#ifndef TAPEDECK_CORE_STRATEGY_H_
#define TAPEDECK_CORE_STRATEGY_H_

#include <cstdint>

#include "core/context.h"
#include "core/event.h"
#include "core/strategy_report.h"
#include "core/trade_run.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

class Strategy {
 public:
  virtual ~Strategy() = default;

  virtual void OnStart(Context&) {}
  // Market data, in the strategy-side total order (local_ts). The Context's market view is
  // already updated when these run.
  virtual void OnTrade(Context&, const Event&) {}
  // A run of consecutive trades of one instrument, handed over in one call where nothing else
  // can come between them (see TradeRun). The default takes them one by one through OnTrade;
  // a strategy that overrides this gets the same trades, in the same order, with the Context
  // answering as if each had been delivered as it is taken, and saves a virtual call and the
  // engine's per-event work on each. Trades it leaves untaken come through OnTrade.
  virtual void OnTrades(Context& ctx, TradeRun& run);
  virtual void OnQuote(Context&, const Event&) {}
  // A level or an order of an instrument's book changed: e.kind == kBookLevel carries e.level,
  // e.kind == kL3Order carries e.l3.
  virtual void OnBookLevel(Context&, const Event&) {}
  virtual void OnBar(Context&, const Event&) {}
  // Funding rate, mark and index price, open interest and liquidation prints.
  virtual void OnReference(Context&, const Event&) {}
  // Acks, fills, cancels, rejects and replacements (modifies) of the strategy's own orders; the
  // order's state in the Context is already updated.
  virtual void OnOrderUpdate(Context&, const Event&) {}
  // What the venue did to the account on its own (e.account: funding paid or received, a dated
  // future settled at expiry, a liquidation); the Context's portfolio is already updated.
  virtual void OnAccount(Context&, const Event&) {}
  // A timer set with Context::SetTimer is due (`timer_id` as it returned, `tag` as given).
  virtual void OnTimer(Context&, uint64_t /*timer_id*/, uint64_t /*tag*/) {}
  // The session or the market changed state. Paper and live trading: kConnected after every
  // logon, kDisconnected when the session drops (requests are rejected until the next
  // kConnected), kTradingHalted / kTradingResumed, kDataEnded when a simulator runs out of data.
  // A backtest sends kDataEnded once, after the last event and before OnStop (orders sent then,
  // as in OnStop, are not executed).
  virtual void OnVenueStatus(Context&, VenueStatus) {}
  // After the last event; orders sent here are not executed.
  virtual void OnStop(Context&) {}

  // Strategy-specific facts for summary.json ("strategy_report"), e.g. counters and final
  // values. Must be deterministic.
  virtual nlohmann::json Report() const { return nlohmann::json::object(); }
  // Tables and charts for the run report (summary.json "strategy_sections" and
  // "strategy_charts", rendered by report code that knows no strategy). Must be deterministic.
  virtual StrategySections Sections() const { return {}; }
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_STRATEGY_H_
