#include "core/instrument.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/decimal.h"

namespace tapedeck {

std::string_view InstrumentKindName(InstrumentKind k) {
  switch (k) {
    case InstrumentKind::kSpot:
      return "spot";
    case InstrumentKind::kPerpetual:
      return "perpetual";
    case InstrumentKind::kDatedFuture:
      return "future";
  }
  return "?";
}

Money Instrument::Notional(Price p, Qty q) const {
  // p x q x multiplier at 10^-(price_scale + qty_scale + 8), rescaled to Money's 10^-8: nearly
  // always all in 64 bits (this runs several times a fill), else through 128 bits below; the
  // two give the same rounding (half away from zero).
  const int scale = price_scale + qty_scale;
  int64_t pq, v;
  if (scale <= kMaxDecimalScale && !__builtin_mul_overflow(p.raw, q.raw, &pq) &&
      !__builtin_mul_overflow(pq, contract_multiplier_e8, &v)) {
    return Money(MulDivRound(v, 1, Pow10(scale)));
  }
  Int128 v128 = 0;
  int64_t out = 0;
  const bool ok = !__builtin_mul_overflow(static_cast<Int128>(p.raw) * q.raw,
                                          static_cast<Int128>(contract_multiplier_e8), &v128) &&
                  Rescale(v128, scale + 8, Money::kScale, &out);
  (void)ok;  // beyond int64 money (9.2e10 quote units): outside any backtest; reads as 0
  return Money(out);
}

Money Instrument::Fee(Money notional, Rate rate) {
  const Int128 v = static_cast<Int128>(notional.raw) * rate.raw;
  int64_t out = 0;
  (void)Rescale(v, Money::kScale + Rate::kScale, Money::kScale, &out);
  return Money(out);
}

absl::Status InstrumentTable::Add(Instrument in) {
  const std::string where = absl::StrCat("instrument '", in.symbol, "': ");
  if (in.symbol.empty()) return absl::InvalidArgumentError("instrument with an empty symbol");
  if (in.price_scale < 0 || in.price_scale > 12) {
    return absl::InvalidArgumentError(absl::StrCat(where, "price_scale must be within 0..12"));
  }
  if (in.qty_scale < 0 || in.qty_scale > 12) {
    return absl::InvalidArgumentError(absl::StrCat(where, "qty_scale must be within 0..12"));
  }
  if (in.tick_size.raw <= 0) return absl::InvalidArgumentError(absl::StrCat(where, "tick_size must be > 0"));
  if (in.lot_size.raw <= 0) return absl::InvalidArgumentError(absl::StrCat(where, "lot_size must be > 0"));
  if (in.contract_multiplier_e8 <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, "contract_multiplier must be > 0"));
  }
  if (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns == 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, "a dated future needs an expiry"));
  }
  for (const Instrument& other : instruments_) {
    if (other.symbol == in.symbol) {
      return absl::InvalidArgumentError(absl::StrCat(where, "symbol appears twice"));
    }
  }
  if (instruments_.size() >= 65535) return absl::ResourceExhaustedError("too many instruments");
  in.id = InstrumentId(static_cast<uint16_t>(instruments_.size()));
  instruments_.push_back(std::move(in));
  return absl::OkStatus();
}

absl::StatusOr<InstrumentId> InstrumentTable::Find(std::string_view symbol) const {
  for (const Instrument& in : instruments_) {
    if (in.symbol == symbol) return in.id;
  }
  std::vector<std::string> known;
  for (const Instrument& in : instruments_) known.push_back(in.symbol);
  return absl::NotFoundError(absl::StrCat("unknown instrument '", std::string(symbol), "' (known: ",
                                          absl::StrJoin(known, ", "), ")"));
}

}  // namespace tapedeck
