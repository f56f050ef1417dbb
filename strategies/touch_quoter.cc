#include "strategies/touch_quoter.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/status.h"

namespace tapedeck::strategies {

TouchQuoter::TouchQuoter(TouchQuoterParams p, Price tick) : p_(p), book_(tick) {}

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

absl::StatusOr<std::unique_ptr<Strategy>> CreateTouchQuoter(ConfigObject& params,
                                                            const InstrumentTable& instruments) {
  TouchQuoterParams p;
  std::string symbol;
  TAPEDECK_RETURN_IF_ERROR(params.String("instrument", &symbol, /*required=*/true));
  absl::StatusOr<InstrumentId> id = instruments.Find(symbol);
  if (!id.ok()) return params.Error("instrument", std::string(id.status().message()));
  p.instrument = *id;
  const Instrument& in = instruments.at(p.instrument);
  int64_t qty = in.lot_size.raw;
  TAPEDECK_RETURN_IF_ERROR(params.Decimal("qty", in.qty_scale, &qty));
  p.qty = Qty(qty);
  TAPEDECK_RETURN_IF_ERROR(params.DurationValue("min_interval", &p.min_interval));
  TAPEDECK_RETURN_IF_ERROR(params.Finish());
  if (p.qty.raw <= 0 || p.qty.raw % in.lot_size.raw != 0) {
    return params.Error("qty", "must be a positive multiple of the instrument's lot size");
  }
  if (p.min_interval.ns < 0) return params.Error("min_interval", "must be >= 0");
  return std::unique_ptr<Strategy>(new TouchQuoter(p, in.tick_size));
}

}  // namespace tapedeck::strategies
