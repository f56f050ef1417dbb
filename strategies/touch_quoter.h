// touch_quoter: a small passive market maker for testing the venue. It keeps one post-only bid
// at the best bid and one post-only ask at the best ask of its own L2 book (built from kBookLevel
// events, or quotes when there is no book), and re-quotes a side when the touch moves, at most
// once per `min_interval`. Its quotes follow the touch and never depend on its own fills or
// position (so two queue models see the same quoting intent; only the fills differ).
#ifndef TAPEDECK_STRATEGIES_TOUCH_QUOTER_H_
#define TAPEDECK_STRATEGIES_TOUCH_QUOTER_H_

#include <optional>

#include "core/order_book.h"
#include "core/strategy.h"

namespace tapedeck::strategies {

struct TouchQuoterParams {
  InstrumentId instrument;
  Qty qty;                                    // per quote
  Duration min_interval = Duration::Seconds(1);  // between re-quotes of one side
};

class TouchQuoter final : public Strategy {
 public:
  TouchQuoter(TouchQuoterParams p, Price tick);

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
