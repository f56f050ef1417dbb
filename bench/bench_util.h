// What several benchmark suites share: the one instrument their generated events trade.
#ifndef TAPEDECK_BENCH_BENCH_UTIL_H_
#define TAPEDECK_BENCH_BENCH_UTIL_H_

#include "core/instrument.h"
#include "core/types.h"

namespace tapedeck::bench {

// BTCUSDT priced in cents and traded in thousandths (price_scale 2, qty_scale 3), the only
// instrument (id 0) of the returned table.
inline InstrumentTable BtcTable(InstrumentKind kind = InstrumentKind::kSpot,
                                Rate maker_fee = Rate(), Rate taker_fee = Rate()) {
  InstrumentTable t;
  Instrument in;
  in.symbol = "BTCUSDT";
  in.kind = kind;
  in.price_scale = 2;
  in.qty_scale = 3;
  in.maker_fee = maker_fee;
  in.taker_fee = taker_fee;
  (void)t.Add(in);  // valid by construction
  return t;
}

}  // namespace tapedeck::bench

#endif  // TAPEDECK_BENCH_BENCH_UTIL_H_
