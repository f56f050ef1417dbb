// What several benchmark suites share: the one instrument their generated events trade, and the
// generator of their data.
#ifndef TAPEDECK_BENCH_BENCH_UTIL_H_
#define TAPEDECK_BENCH_BENCH_UTIL_H_

#include <cstdint>

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

// xorshift64 (Marsaglia, shifts 13, 7, 17): generated data that is the same on every run.
// Next() advances the state and returns it; the seed must not be 0.
class XorShift64 {
 public:
  explicit XorShift64(uint64_t seed) : x_(seed) {}
  uint64_t Next() {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }

 private:
  uint64_t x_;
};

}  // namespace tapedeck::bench

#endif  // TAPEDECK_BENCH_BENCH_UTIL_H_
