// Cash, positions, average price, realised and unrealised PnL, in fixed point.
//
// Accounting is in the quote currency shared by the run's instruments. A fill moves
// signed notional between cash and the position (for linear futures this is an accounting
// identity, not a cash flow: equity is the same either way), so
//   equity = cash + sum over instruments of qty x mark x multiplier.
#ifndef TAPEDECK_CORE_PORTFOLIO_H_
#define TAPEDECK_CORE_PORTFOLIO_H_

#include <string>
#include <vector>

#include "core/instrument.h"
#include "core/types.h"

namespace tapedeck {

struct Position {
  Qty qty;             // signed: > 0 long, < 0 short
  Money cost;          // signed notional paid for the open quantity (qty x average entry price)
  Money realized_pnl;  // from closing trades, before fees
  Money fees;          // paid (negative: rebates received)
  Money funding;       // received (negative: paid)
  Qty traded;          // gross quantity traded (turnover)
  Price mark;          // last price seen for this instrument
  bool has_mark = false;
};

class Portfolio {
 public:
  Portfolio(const InstrumentTable& instruments, Money initial_cash);

  void ApplyFill(InstrumentId id, Side side, Price price, Qty qty, Money fee);
  // A funding or other cash transfer attributed to an instrument; positive is received.
  void ApplyFunding(InstrumentId id, Money amount);
  // Inline: the Context marks on every trade, the hottest path of a backtest.
  void Mark(InstrumentId id, Price price) {
    Position& p = positions_[id.value];
    p.mark = price;
    p.has_mark = true;
  }
  // The venue closed `qty` (signed: the position it applied to, > 0 long) at `price` on its
  // own (a dated future's settlement, a liquidation): like an opposite fill, with `fee` counted
  // in fees, but not counted as traded quantity. Returns the PnL realised (before the fee).
  Money ClosePosition(InstrumentId id, Qty qty, Price price, Money fee);

  const Position& position(InstrumentId id) const { return positions_[id.value]; }
  Money cash() const { return cash_; }
  Money initial_cash() const { return initial_cash_; }
  // qty x mark - cost, for one instrument (zero without a mark).
  Money Unrealized(InstrumentId id) const;
  Money Equity() const;
  Money TotalRealized() const;
  Money TotalFees() const;
  Money TotalFunding() const;
  // Average entry price of the open position as decimal text with extra precision, or "".
  std::string AveragePrice(InstrumentId id) const;

 private:
  void Apply(InstrumentId id, Side side, Price price, Qty qty, Money fee, bool traded);

  const InstrumentTable* instruments_;
  Money initial_cash_;
  Money cash_;
  std::vector<Position> positions_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_PORTFOLIO_H_
