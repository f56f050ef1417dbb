// funding_carry: a perpetual funding-rate carry, kept out of the engine's tree and loaded as a
// plugin. When the announced funding rate of the perpetual is high, longs pay shorts: be short
// and collect it; when it is as negative, be long; when it falls back towards zero, go flat.
// (No hedge leg: the position carries the price risk the rate pays for.)
//
// Build against an installed tapedeck (CMakeLists.txt beside this file), then
//   tapedeck run examples/funding_carry/run.json --plugin build/libfunding_carry.so
#include <cstdint>

#include "core/context.h"
#include "core/order.h"
#include "core/params.h"
#include "core/strategy.h"
#include "core/strategy_registry.h"

namespace {

using namespace tapedeck;  // NOLINT: an example reads better with the names unqualified

struct FundingCarryParams {
  InstrumentId instrument;
  int64_t enter_ppm = 50;  // |rate| per funding interval to enter, in millionths (50 = 0.005%)
  int64_t exit_ppm = 10;   // |rate| at or below which the position is closed, in millionths
  Qty qty;
};

class FundingCarry final : public Strategy {
 public:
  explicit FundingCarry(const FundingCarryParams& p) : p_(p) {}

  void OnReference(Context& ctx, const Event& e) override {
    if (e.kind != EventKind::kFundingRate || e.instrument != p_.instrument) return;
    // Rate is 10^-8 per interval; 1 ppm = 100 of them.
    const int64_t ppm = e.funding.rate.raw / 100;
    int want = side_;
    if (ppm >= p_.enter_ppm) {
      want = -1;  // longs pay: be short
    } else if (ppm <= -p_.enter_ppm) {
      want = 1;
    } else if (ppm <= p_.exit_ppm && ppm >= -p_.exit_ppm) {
      want = 0;
    }
    if (want != side_) Target(ctx, want);
  }

  void OnAccount(Context&, const Event& e) override {
    if (e.account.action == AccountAction::kFunding) funding_ += e.account.amount.raw;
  }

  nlohmann::json Report() const override {
    return nlohmann::json{{"entries", entries_}, {"funding_received_raw", funding_}};
  }

 private:
  void Target(Context& ctx, int want) {
    // One order in flight at a time.
    if (pending_.valid()) {
      const OrderState* o = ctx.order(pending_);
      if (o != nullptr && !IsTerminal(o->status)) return;
    }
    const Qty delta = Qty(p_.qty.raw * want) - ctx.position(p_.instrument);
    if (delta.raw > 0) pending_ = ctx.BuyMarket(p_.instrument, delta);
    if (delta.raw < 0) pending_ = ctx.SellMarket(p_.instrument, Qty(-delta.raw));
    if (want != 0) ++entries_;
    side_ = want;
  }

  FundingCarryParams p_;
  OrderId pending_;
  int side_ = 0;  // -1 short, 0 flat, 1 long
  int64_t entries_ = 0;
  int64_t funding_ = 0;  // Money raw (10^-8 of the quote currency)
};

using P = FundingCarryParams;

absl::Status Check(const P& p, const ConfigObject& params, const InstrumentTable&) {
  if (p.enter_ppm <= 0) return params.Error("enter_ppm", "must be > 0");
  if (p.exit_ppm < 0 || p.exit_ppm >= p.enter_ppm) {
    return params.Error("exit_ppm", "must be >= 0 and below enter_ppm");
  }
  if (p.qty.raw <= 0) return params.Error("qty", "must be > 0");
  return absl::OkStatus();
}

const ParamTable<P> kParams(
    {Param<P>::Symbol("instrument", &P::instrument, "the perpetual traded").Required(),
     Param<P>::Int("enter_ppm", &P::enter_ppm,
                   "funding rate per interval, in millionths, from which to take the carry"),
     Param<P>::Int("exit_ppm", &P::exit_ppm,
                   "funding rate per interval, in millionths, at or below which to go flat"),
     Param<P>::Quantity("qty", &P::qty, &P::instrument, "position size").DefaultLots(1)},
    &Check);

[[maybe_unused]] const bool kRegistered = RegisterStrategy<FundingCarry>(
    "funding_carry", "short the perpetual while funding pays shorts, long while it pays longs",
    kParams, {{"instrument", "BTC-PERP"}});

}  // namespace
