#include "strategies/touch_quoter.h"

#include <optional>

#include "core/params.h"
#include "core/strategy_registry.h"

namespace tapedeck::strategies {

TouchQuoter::TouchQuoter(const TouchQuoterParams& p, const InstrumentTable& instruments)
    : TouchQuoter(p, instruments.at(p.instrument).tick_size) {}

TouchQuoter::TouchQuoter(const TouchQuoterParams& p, Price tick) : p_(p), book_(tick) {}

namespace {

std::optional<Price> Touch(bool present, Price price) {
  return present ? std::optional<Price>(price) : std::nullopt;
}

}  // namespace

void TouchQuoter::Requote(Context& ctx, Side side, std::optional<Price> touch_price) {
  SideQuote& q = quotes_[side == Side::kBuy ? 0 : 1];
  if (!touch_price.has_value() || ctx.now() < q.next_allowed) return;
  const Price touch = *touch_price;
  if (q.live && q.price == touch) return;
  // Cancel the previous quote whatever happened to it: a filled one is simply not cancelled.
  if (q.live) ctx.Cancel(q.id);
  q.id = ctx.Submit(OrderRequest::Limit(p_.instrument, side, touch, p_.qty).PostOnly());
  q.price = touch;
  q.live = true;
  q.next_allowed = ctx.now() + p_.min_interval;
  ++requotes_;
}

void TouchQuoter::OnBookLevel(Context& ctx, const Event& e) {
  if (e.instrument != p_.instrument || e.kind != EventKind::kBookLevel) return;
  has_book_ = true;
  book_.Apply(e.level);
  // Quote only on a consistent book (after the last level of a venue message).
  if ((e.level.flags & kBookEndOfMessage) == 0 || book_.crossed()) return;
  Requote(ctx, Side::kBuy, Touch(book_.has_bid(), book_.best_bid()));
  Requote(ctx, Side::kSell, Touch(book_.has_ask(), book_.best_ask()));
}

void TouchQuoter::OnQuote(Context& ctx, const Event& e) {
  if (e.instrument != p_.instrument || has_book_) return;
  Requote(ctx, Side::kBuy, Touch(e.quote.bid_qty.raw > 0, e.quote.bid));
  Requote(ctx, Side::kSell, Touch(e.quote.ask_qty.raw > 0, e.quote.ask));
}

nlohmann::json TouchQuoter::Report() const {
  return {{"quotes_sent", requotes_}};
}

namespace {

using P = TouchQuoterParams;

absl::Status Check(const P& p, const ConfigObject& params, const InstrumentTable& instruments) {
  const Instrument& in = instruments.at(p.instrument);
  if (p.qty.raw <= 0 || p.qty.raw % in.lot_size.raw != 0) {
    return params.Error("qty", "must be a positive multiple of the instrument's lot size");
  }
  if (p.min_interval.ns < 0) return params.Error("min_interval", "must be >= 0");
  return absl::OkStatus();
}

const ParamTable<P> kParams(
    {Param<P>::Symbol("instrument", &P::instrument, "the quoted instrument").Required(),
     Param<P>::Quantity("qty", &P::qty, &P::instrument, "size of each quote").DefaultLots(1),
     Param<P>::DurationOf("min_interval", &P::min_interval,
                          "least time between two re-quotes of one side")},
    &Check);

[[maybe_unused]] const bool kRegistered = RegisterStrategy<TouchQuoter>(
    "touch_quoter",
    "passive post-only quotes at the best bid and ask, following the touch (a venue-model test)",
    kParams, {{"instrument", "BTC-SPOT"}, {"qty", "0.01"}});

}  // namespace

}  // namespace tapedeck::strategies
