// The latest market state a strategy has seen for one instrument (Context::market). A field is
// empty until the data has carried it: a trades-only tape never fills the quote, a spot
// instrument never has a mark.
#ifndef TAPEDECK_CORE_MARKET_VIEW_H_
#define TAPEDECK_CORE_MARKET_VIEW_H_

#include <optional>

#include "core/event.h"
#include "core/types.h"

namespace tapedeck {

struct MarketView {
  // The last quote's best bid and ask; a side is empty while the quote shows it empty (size 0).
  std::optional<Price> bid, ask;
  Qty bid_qty, ask_qty;  // of the last quote (0: that side is empty)
  // The last trade's price, or the last bar's close.
  std::optional<Price> last_trade;
  std::optional<Price> mark, index;
  // The last funding event: the rate of the interval ending at funding_ts, paid then.
  std::optional<FundingPayload> funding;
  std::optional<Qty> open_interest;
  std::optional<BarPayload> last_bar;

  // Both sides of the quote are there.
  bool two_sided() const { return bid.has_value() && ask.has_value(); }
  // (bid + ask) / 2 in raw price units, rounded toward zero; empty unless two-sided.
  std::optional<Price> mid() const {
    if (!two_sided()) return std::nullopt;
    return Price((bid->raw + ask->raw) / 2);
  }
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_MARKET_VIEW_H_
