// touch_quoter: a small passive market maker for testing the venue. It keeps one post-only bid
// at the best bid and one post-only ask at the best ask of its own L2 book (built from kBookLevel
// events, or quotes when there is no book), and re-quotes a side when the touch moves, at most
// once per `min_interval`. Its quotes follow the touch and never depend on its own fills or
// position (so two queue models see the same quoting intent; only the fills differ).
#ifndef TAPEDECK_STRATEGIES_TOUCH_QUOTER_H_
#define TAPEDECK_STRATEGIES_TOUCH_QUOTER_H_

#include <optional>

#include "core/instrument.h"
#include "core/order_book.h"
#include "core/strategy.h"

namespace tapedeck::strategies {

// Declared, with units and defaults, in touch_quoter.cc (kParams).
struct TouchQuoterParams {
  InstrumentId instrument;
  Qty qty;
  Duration min_interval = Duration::Seconds(1);
};

class TouchQuoter final : public Strategy {
 public:
  TouchQuoter(const TouchQuoterParams& p, const InstrumentTable& instruments);
  // With the instrument's tick size given (the L2 book's price grid).
  TouchQuoter(const TouchQuoterParams& p, Price tick);

  void OnQuote(Context& ctx, const Event& e) override;
  void OnBookLevel(Context& ctx, const Event& e) override;
  nlohmann::json Report() const override;

 private:
  struct SideQuote {
    OrderId id;
    Price price;
    bool live = false;
    Timestamp next_allowed;
  };
  // Quotes `side` at `touch` (nothing when that side of the book is empty).
  void Requote(Context& ctx, Side side, std::optional<Price> touch);

  TouchQuoterParams p_;
  OrderBook book_;
  bool has_book_ = false;
  SideQuote quotes_[2];
  uint64_t requotes_ = 0;
};

}  // namespace tapedeck::strategies

#endif  // TAPEDECK_STRATEGIES_TOUCH_QUOTER_H_
