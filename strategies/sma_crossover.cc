#include "strategies/sma_crossover.h"

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/status.h"
#include "strategies/registry.h"

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

absl::StatusOr<std::unique_ptr<Strategy>> CreateSmaCrossover(ConfigObject& params,
                                                             const InstrumentTable& instruments) {
  SmaCrossoverParams p;
  std::string symbol;
  TAPEDECK_RETURN_IF_ERROR(params.String("instrument", &symbol, /*required=*/true));
  absl::StatusOr<InstrumentId> id = instruments.Find(symbol);
  if (!id.ok()) return params.Error("instrument", std::string(id.status().message()));
  p.instrument = *id;
  TAPEDECK_RETURN_IF_ERROR(params.Int("fast", &p.fast));
  TAPEDECK_RETURN_IF_ERROR(params.Int("slow", &p.slow));
  const Instrument& in = instruments.at(p.instrument);
  int64_t qty = in.lot_size.raw;
  TAPEDECK_RETURN_IF_ERROR(params.Decimal("qty", in.qty_scale, &qty));
  p.qty = Qty(qty);
  TAPEDECK_RETURN_IF_ERROR(params.Finish());
  if (p.fast < 1) return params.Error("fast", "must be at least 1");
  if (p.slow <= p.fast) return params.Error("slow", "must be greater than fast");
  if (p.qty.raw <= 0 || p.qty.raw % in.lot_size.raw != 0) {
    return params.Error("qty", "must be a positive multiple of the instrument's lot size");
  }
  return std::unique_ptr<Strategy>(new SmaCrossover(p));
}

}  // namespace tapedeck::strategies
