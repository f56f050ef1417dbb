#include "strategies/sma_crossover.h"

#include "core/params.h"
#include "core/strategy_registry.h"

// Appended to the registered name: tests/plugin builds this same file as a plugin named
// "sma_crossover_plugin", to check that a plugin gives the built-in's digest at its speed.
#ifndef TAPEDECK_SMA_CROSSOVER_SUFFIX
#define TAPEDECK_SMA_CROSSOVER_SUFFIX ""
#endif

namespace tapedeck::strategies {

void SmaCrossover::Cross(Context& ctx, int want) {
  // One order in flight at a time: wait for it to finish before acting again.
  if (pending_.valid()) {
    const OrderState* o = ctx.order(pending_);
    if (o != nullptr && !IsTerminal(o->status)) return;
  }
  const Qty pos = ctx.position(p_.instrument);
  const Qty target = want == 1 ? p_.qty : Qty(0);
  const Qty delta = target - pos;
  if (delta.raw > 0) {
    pending_ = ctx.BuyMarket(p_.instrument, delta);
  } else if (delta.raw < 0) {
    pending_ = ctx.SellMarket(p_.instrument, -delta);
  }
  state_ = want;
  ++crossings_;
}

nlohmann::json SmaCrossover::Report() const {
  return nlohmann::json{{"crossings", crossings_}};
}

namespace {

using P = SmaCrossoverParams;

absl::Status Check(const P& p, const ConfigObject& params, const InstrumentTable& instruments) {
  if (p.fast < 1) return params.Error("fast", "must be at least 1");
  if (p.slow <= p.fast) return params.Error("slow", "must be greater than fast");
  const Instrument& in = instruments.at(p.instrument);
  if (p.qty.raw <= 0 || p.qty.raw % in.lot_size.raw != 0) {
    return params.Error("qty", "must be a positive multiple of the instrument's lot size");
  }
  return absl::OkStatus();
}

const ParamTable<P> kParams(
    {Param<P>::Symbol("instrument", &P::instrument, "the traded instrument").Required(),
     Param<P>::Int("fast", &P::fast, "window of the fast average, in prices"),
     Param<P>::Int("slow", &P::slow, "window of the slow average, in prices"),
     Param<P>::Quantity("qty", &P::qty, &P::instrument, "position size when long")
         .DefaultLots(1)},
    &Check);

[[maybe_unused]] const bool kRegistered = RegisterStrategy<SmaCrossover>(
    "sma_crossover" TAPEDECK_SMA_CROSSOVER_SUFFIX,
    "long when the fast SMA of closes is above the slow one, flat otherwise",
    kParams, {{"instrument", "BTC-PERP"}, {"fast", 5}, {"slow", 20}});

}  // namespace

}  // namespace tapedeck::strategies
