#include "core/sizing.h"

#include <limits>

#include "core/decimal.h"

namespace tapedeck {

Qty QtyForNotional(const Instrument& in, Price price, Money notional) {
  if (price.raw <= 0 || notional.raw <= 0 || in.lot_size.raw <= 0) return Qty(0);
  // Notional at 10^-8 quote units = p x q x multiplier_e8 / 10^(price_scale + qty_scale), so the
  // largest raw q is floor(notional x 10^(price_scale + qty_scale) / (p x multiplier_e8)): long
  // division, one decimal digit of the scale at a time, so that nothing overflows (the
  // remainder stays below the divisor, at most ~10^27).
  const Int128 den = static_cast<Int128>(price.raw) * in.contract_multiplier_e8;
  if (den <= 0) return Qty(0);
  constexpr Int128 kMax = std::numeric_limits<int64_t>::max();
  Int128 q = notional.raw / den;
  Int128 r = notional.raw % den;
  for (int i = 0; i < in.price_scale + in.qty_scale && q <= kMax; ++i) {
    q = q * 10 + r * 10 / den;
    r = r * 10 % den;
  }
  if (q > kMax) q = kMax;  // more than any quantity: as many lots as a Qty holds
  return Qty(static_cast<int64_t>(q - q % in.lot_size.raw));
}

Qty QtyForEquityFraction(const Instrument& in, Price price, Money equity, int64_t fraction_bps) {
  if (equity.raw <= 0 || fraction_bps <= 0) return Qty(0);
  const Int128 part = static_cast<Int128>(equity.raw) * fraction_bps / 10'000;
  constexpr Int128 kMax = std::numeric_limits<int64_t>::max();
  return QtyForNotional(in, price, Money(static_cast<int64_t>(part > kMax ? kMax : part)));
}

}  // namespace tapedeck
