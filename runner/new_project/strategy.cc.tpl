// @NAME@: buys when a trade prints above the highest of the previous `window` trades, and
// sells back to flat when one prints below their lowest. Replace the logic with your own; the
// callbacks below are every one a strategy can override, in the order of core/strategy.h.
//
// Rules a strategy keeps (the engine is deterministic; so must the strategy be): no wall clock
// (ctx.now() is the time), no unseeded randomness, integers for decisions (Price, Qty and Money
// are integer counts at the instrument's scale: core/types.h).
#include <algorithm>
#include <cstdint>
#include <deque>

#include "core/params.h"
#include "core/strategy.h"
#include "core/strategy_registry.h"
#include "core/strategy_report.h"

namespace tapedeck::plugins {
namespace {

// The parameters, read from the config's "params" by kParams below (which also documents them
// for `tapedeck strategies`).
struct @CLASS@Params {
  InstrumentId instrument;
  int window = 20;  // trades in the channel
  Qty qty;          // position when long, in the instrument's units
};

class @CLASS@ final : public Strategy {
 public:
  explicit @CLASS@(const @CLASS@Params& p) : p_(p) {}

  // Once, before the first event. Timers set here fire in strategy time.
  void OnStart(Context&) override {}

  // Each trade print, in strategy time (local_ts); the market view is already updated.
  void OnTrade(Context& ctx, const Event& e) override {
    if (e.instrument != p_.instrument) return;
    const int64_t price = e.trade.price.raw;
    if (static_cast<int>(last_.size()) == p_.window && !InFlight(ctx)) {
      const Qty pos = ctx.position(p_.instrument);
      if (price > *std::max_element(last_.begin(), last_.end()) && pos.raw == 0) {
        pending_ = ctx.BuyMarket(p_.instrument, p_.qty);
      } else if (price < *std::min_element(last_.begin(), last_.end()) && pos.raw > 0) {
        pending_ = ctx.SellMarket(p_.instrument, pos);
      }
    }
    last_.push_back(price);
    if (static_cast<int>(last_.size()) > p_.window) last_.pop_front();
  }

  // A run of consecutive trades of one instrument in one call (see core/trade_run.h); taking
  // them one by one through OnTrade, as here, is always right.
  void OnTrades(Context& ctx, TradeRun& run) override {
    while (const Event* e = run.Next()) OnTrade(ctx, *e);
  }

  // Best bid and ask changed (e.quote).
  void OnQuote(Context&, const Event&) override {}

  // A level (e.level) or an order (e.l3) of the book changed.
  void OnBookLevel(Context&, const Event&) override {}

  // A bar (e.bar: open, high, low, close, volume), from bar data.
  void OnBar(Context&, const Event&) override {}

  // Funding rate, mark and index price, open interest, liquidation prints.
  void OnReference(Context&, const Event&) override {}

  // Acks, fills, cancels, rejects and replacements of this strategy's orders; ctx.order(id)
  // is already updated.
  void OnOrderUpdate(Context&, const Event&) override {}

  // Funding paid or received, a future settled, a liquidation: the portfolio is updated.
  void OnAccount(Context&, const Event&) override {}

  // A timer set with ctx.SetTimer / SetTimerAfter is due.
  void OnTimer(Context&, uint64_t /*timer_id*/, uint64_t /*tag*/) override {}

  // Connected, disconnected, halted, resumed (paper and live); data ended (backtests).
  void OnVenueStatus(Context&, VenueStatus) override {}

  // After the last event; orders sent here are not executed.
  void OnStop(Context&) override {}

  // Facts for summary.json's "strategy_report" (deterministic).
  nlohmann::json Report() const override { return {{"window", p_.window}}; }

  // Tables and charts for the run's report.html (core/strategy_report.h).
  StrategySections Sections() const override { return {}; }

 private:
  // An order of ours not yet filled, cancelled or rejected.
  bool InFlight(const Context& ctx) const {
    const OrderState* o = pending_.valid() ? ctx.order(pending_) : nullptr;
    return o != nullptr && !IsTerminal(o->status);
  }

  @CLASS@Params p_;
  std::deque<int64_t> last_;  // the last `window` trade prices (raw)
  OrderId pending_;
};

absl::Status Check(const @CLASS@Params& p, const ConfigObject& params, const InstrumentTable&) {
  if (p.window < 1) return params.Error("window", "must be at least 1");
  if (p.qty.raw <= 0) return params.Error("qty", "must be positive");
  return absl::OkStatus();
}

using P = @CLASS@Params;
const ParamTable<P> kParams(
    {Param<P>::Symbol("instrument", &P::instrument, "the traded instrument").Default("BTC-PERP"),
     Param<P>::Int("window", &P::window, "trades in the channel"),
     Param<P>::Quantity("qty", &P::qty, &P::instrument, "position when long").DefaultLots(1)},
    &Check);

// The one registration: name, description, parameters, and example parameters that trade on
// the built-in scenario.
[[maybe_unused]] const bool kRegistered = RegisterStrategy<@CLASS@>(
    "@NAME@", "channel breakout: long above the last window's high, flat below its low",
    kParams, {{"instrument", "BTC-PERP"}, {"window", 50}, {"qty", "1"}});

}  // namespace
}  // namespace tapedeck::plugins
