// Order sizes from money: how much of an instrument a notional buys at a price, in whole lots,
// in integers (no double anywhere), for a strategy's sizing rules:
//
//   const Qty q = QtyForEquityFraction(ctx.instruments().at(id), *ctx.market(id).ask,
//                                      ctx.portfolio().Equity(), /*fraction_bps=*/2'500);
//   if (q.raw > 0) ctx.BuyMarket(id, q);
#ifndef TAPEDECK_CORE_SIZING_H_
#define TAPEDECK_CORE_SIZING_H_

#include <cstdint>

#include "core/instrument.h"
#include "core/types.h"

namespace tapedeck {

// The largest whole number of lots whose notional at `price` (price x qty x the contract
// multiplier, exact, before Instrument::Notional's rounding) is at most `notional`. 0 when the
// price or the notional is not positive, or when not even one lot fits.
Qty QtyForNotional(const Instrument& instrument, Price price, Money notional);

// QtyForNotional for `fraction_bps` / 10'000 of `equity` (rounded down to 10^-8): 2'500 is a
// quarter. 0 when equity or the fraction is not positive.
Qty QtyForEquityFraction(const Instrument& instrument, Price price, Money equity,
                         int64_t fraction_bps);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_SIZING_H_
