#include "core/portfolio.h"

#include <cstdlib>

#include "core/decimal.h"

namespace tapedeck {

Portfolio::Portfolio(const InstrumentTable& instruments, Money initial_cash)
    : instruments_(&instruments),
      initial_cash_(initial_cash),
      cash_(initial_cash),
      positions_(instruments.size()) {}

void Portfolio::ApplyFill(InstrumentId id, Side side, Price price, Qty qty, Money fee) {
  Apply(id, side, price, qty, fee, /*traded=*/true);
}

Money Portfolio::ClosePosition(InstrumentId id, Qty qty, Price price, Money fee) {
  if (qty.raw == 0) {
    cash_ -= fee;
    positions_[id.value].fees += fee;
    return Money(0);
  }
  const Money before = positions_[id.value].realized_pnl;
  Apply(id, qty.raw > 0 ? Side::kSell : Side::kBuy, price, Qty(std::llabs(qty.raw)), fee,
        /*traded=*/false);
  return positions_[id.value].realized_pnl - before;
}

void Portfolio::Apply(InstrumentId id, Side side, Price price, Qty qty, Money fee, bool traded) {
  const Instrument& in = instruments_->at(id);
  Position& p = positions_[id.value];
  const int64_t sign = SideSign(side);
  const Money notional = in.Notional(price, qty);
  cash_ -= Money(sign * notional.raw);
  cash_ -= fee;
  p.fees += fee;
  if (traded) p.traded = p.traded + qty;
  p.mark = price;
  p.has_mark = true;

  int64_t remaining = qty.raw;
  const int64_t pos_sign = p.qty.raw > 0 ? 1 : (p.qty.raw < 0 ? -1 : 0);
  if (pos_sign != 0 && pos_sign != sign) {
    // Reduce: the closed part realises PnL against a proportional share of the cost.
    const int64_t open_abs = std::llabs(p.qty.raw);
    const int64_t closed = remaining < open_abs ? remaining : open_abs;
    // Closing all of the position takes all of its cost; closing with all of the fill (a flip
    // from long to flat, say) values it at the fill's notional above. Both as computed.
    const Money cost_closed =
        closed == open_abs ? p.cost : Money(MulDivRound(p.cost.raw, closed, open_abs));
    const Money closed_notional = closed == qty.raw ? notional : in.Notional(price, Qty(closed));
    const Money value_closed(pos_sign * closed_notional.raw);
    p.realized_pnl += value_closed - cost_closed;
    p.cost -= cost_closed;
    p.qty = Qty(p.qty.raw - pos_sign * closed);
    remaining -= closed;
    if (p.qty.raw == 0) p.cost = Money(0);
  }
  if (remaining > 0) {
    p.qty = Qty(p.qty.raw + sign * remaining);
    // A fill that flips the position: the opened part is what the fill's notional leaves after
    // the closed part, so that the two add up to the cash that moved (each rounded on its own
    // could differ from it by 10^-8, which the account would then lose or make).
    const Money opened_notional = remaining == qty.raw
                                      ? notional
                                      : notional - in.Notional(price, Qty(qty.raw - remaining));
    p.cost += Money(sign * opened_notional.raw);
  }
}

void Portfolio::ApplyFunding(InstrumentId id, Money amount) {
  cash_ += amount;
  positions_[id.value].funding += amount;
}

Money Portfolio::Unrealized(InstrumentId id) const {
  const Position& p = positions_[id.value];
  if (!p.has_mark || p.qty.raw == 0) return Money(0);
  const Instrument& in = instruments_->at(id);
  const int64_t sign = p.qty.raw > 0 ? 1 : -1;
  return Money(sign * in.Notional(p.mark, Qty(std::llabs(p.qty.raw))).raw) - p.cost;
}

Money Portfolio::Equity() const {
  Money e = cash_;
  for (size_t i = 0; i < positions_.size(); ++i) {
    const Position& p = positions_[i];
    if (p.qty.raw == 0) continue;
    // Without a mark the position is carried at cost.
    e += p.cost + Unrealized(InstrumentId(static_cast<uint16_t>(i)));
  }
  return e;
}

Money Portfolio::TotalRealized() const {
  Money m;
  for (const Position& p : positions_) m += p.realized_pnl;
  return m;
}

Money Portfolio::TotalFees() const {
  Money m;
  for (const Position& p : positions_) m += p.fees;
  return m;
}

Money Portfolio::TotalFunding() const {
  Money m;
  for (const Position& p : positions_) m += p.funding;
  return m;
}

std::string Portfolio::AveragePrice(InstrumentId id) const {
  const Position& p = positions_[id.value];
  if (p.qty.raw == 0) return "";
  const Instrument& in = instruments_->at(id);
  // avg = (cost / 1e8) / ((qty / 10^qty_scale) x (multiplier / 1e8)), at price_scale + 4 decimals.
  const int out_scale = in.price_scale + 4;
  const Int128 num =
      static_cast<Int128>(std::llabs(p.cost.raw)) * Pow10(in.qty_scale) * Pow10(out_scale);
  const Int128 den = static_cast<Int128>(std::llabs(p.qty.raw)) * in.contract_multiplier_e8;
  return FormatDecimal(static_cast<int64_t>((num + den / 2) / den), out_scale);
}

}  // namespace tapedeck
