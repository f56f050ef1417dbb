#include "core/venue_account.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "core/matching_core.h"

namespace tapedeck {
namespace {
int64_t Abs(int64_t v) { return v < 0 ? -v : v; }
}  // namespace

VenueAccount::VenueAccount(const InstrumentTable& instruments, Money initial_cash,
                           ExchangeSide* exchange, bool watch_always)
    : instruments_(&instruments),
      exchange_(exchange),
      state_(instruments.size()),
      books_(instruments, initial_cash),
      watch_always_(watch_always),
      watch_every_event_(watch_always) {
  for (const Instrument& in : instruments.all()) {
    if (in.initial_margin.raw > 0) initial_margin_on_ = true;
    if (in.maintenance_margin.raw > 0) maintenance_on_ = true;
  }
  RecomputeDue();
}

Money VenueAccount::OnFill(const OrderRequest& r, Price price, Qty qty, Liquidity liq) {
  const Instrument& in = instruments_->at(r.instrument);
  const Money fee = Instrument::Fee(in.Notional(price, qty),
                                    liq == Liquidity::kMaker ? in.maker_fee : in.taker_fee);
  State& s = state_[r.instrument.value];
  UpdatePosition(s, r.side == Side::kBuy ? qty.raw : -qty.raw);
  books_.ApplyFill(r.instrument, r.side, price, qty, fee);
  return fee;
}

void VenueAccount::RecomputeDue() {
  int64_t due = INT64_MAX;
  for (size_t i = 0; i < state_.size(); ++i) {
    const State& s = state_[i];
    if (s.funding_ts != 0) due = std::min(due, s.funding_ts);
    const Instrument& in = instruments_->at(InstrumentId(static_cast<uint16_t>(i)));
    if (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns != 0 && !s.expired) {
      due = std::min(due, in.expiry.ns);
    }
  }
  due_ns_ = due;
}

void VenueAccount::UpdatePosition(State& s, int64_t delta) {
  const bool was_open = s.position != 0;
  s.position += delta;
  const bool open = s.position != 0;
  if (open && !was_open) ++open_positions_;
  if (!open && was_open) --open_positions_;
  watch_every_event_ = watch_always_ || watching_positions();
}

Price VenueAccount::MarkOf(const State& s, const BookState& book) {
  return s.has_mark_price ? s.mark_price : book.last_price;
}

bool VenueAccount::HasMark(const State& s, const BookState& book) {
  return s.has_mark_price || book.has_last_price;
}

Money VenueAccount::MarkedEquity(const MatchingCore& matching) {
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    const State& s = state_[i];
    if (s.position != 0 && HasMark(s, matching.state(id))) {
      books_.Mark(id, MarkOf(s, matching.state(id)));
    }
  }
  return books_.Equity();
}

void VenueAccount::OnData(const Event& e, MatchingCore& matching) {
  if (e.exchange_ts >= due_ns_) DueBy(e.exchange_time(), matching);
  State& s = state_[e.instrument.value];
  bool mark_moved = false;
  switch (e.kind) {
    case EventKind::kFundingRate: {
      const int64_t ft = e.funding.funding_ts.ns;
      // 0: the source does not say when the rate is paid; a funding time already paid, or a
      // later one while an earlier is still pending, is not what the next payment uses.
      if (ft == 0 || ft <= s.funding_paid_ts || (s.funding_ts != 0 && ft > s.funding_ts)) break;
      s.funding_rate = e.funding.rate;
      s.funding_ts = ft;
      if (ft <= e.exchange_ts) {
        PayFunding(e.instrument, s, e.exchange_time(), matching);  // realised: paid at its time
      } else {
        due_ns_ = std::min(due_ns_, ft);
      }
      break;
    }
    case EventKind::kMarkPrice:
      s.mark_price = e.price.price;
      s.has_mark_price = true;
      mark_moved = true;
      break;
    case EventKind::kIndexPrice:
      s.index_price = e.price.price;
      s.has_index_price = true;
      break;
    case EventKind::kTrade:  // its price is the last price already
      mark_moved = !s.has_mark_price;
      break;
    case EventKind::kBar:
      // The close is the last price from now on (what was due by now was paid at the one
      // before).
      MatchingCore::SetLastPrice(matching.state(e.instrument), e.bar.close);
      mark_moved = !s.has_mark_price;
      break;
    default:
      break;
  }
  if (mark_moved && watching_positions()) CheckMaintenance(e.exchange_time(), matching);
}

void VenueAccount::DueBy(Timestamp at, MatchingCore& matching) {
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    State& s = state_[i];
    if (s.funding_ts != 0 && s.funding_ts <= at.ns) PayFunding(id, s, at, matching);
    const Instrument& in = instruments_->at(id);
    if (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns != 0 && !s.expired &&
        in.expiry <= at) {
      Expire(id, s, at, matching);
    }
  }
  RecomputeDue();
}

void VenueAccount::PayFunding(InstrumentId id, State& s, Timestamp at,
                              const MatchingCore& matching) {
  s.funding_paid_ts = s.funding_ts;
  s.funding_ts = 0;
  if (s.position == 0 || s.funding_rate.raw == 0) return;
  const Instrument& in = instruments_->at(id);
  const Price mark = MarkOf(s, matching.state(id));
  // rate x notional at mark; a long pays a positive rate, a short receives it.
  const Money pay = Instrument::Fee(in.Notional(mark, Qty(Abs(s.position))), s.funding_rate);
  const Money amount = s.position > 0 ? -pay : pay;
  if (amount.raw == 0) return;
  books_.ApplyFunding(id, amount);
  exchange_->RespondAccount(AccountAction::kFunding, id, at, amount, mark, Qty(s.position),
                            Money());
}

void VenueAccount::ClosePosition(InstrumentId id, State& s, Timestamp at, AccountAction a,
                                 Price price, Money fee) {
  const Qty qty(s.position);
  const Money realized = books_.ClosePosition(id, qty, price, fee);
  UpdatePosition(s, -s.position);
  exchange_->RespondAccount(a, id, at, realized, price, qty, fee);
}

void VenueAccount::Expire(InstrumentId id, State& s, Timestamp at, MatchingCore& matching) {
  s.expired = true;
  matching.CancelAll(id, at);
  if (s.position == 0) return;
  // Settlement price: the last index price (what delivery contracts settle against), else the
  // mark, else the last traded price.
  const Price price = s.has_index_price ? s.index_price : MarkOf(s, matching.state(id));
  ClosePosition(id, s, at, AccountAction::kSettlement, price, Money());
}

bool VenueAccount::MarginAllows(const OrderRequest& r, const MatchingCore& matching) {
  // Initial requirement = sum over instruments of initial_margin x notional at mark of the
  // larger of |position + open buys| and |position - open sells| (the worst case if every open
  // order filled). An order is refused when the requirement with it exceeds the equity and is
  // larger than without it (orders that reduce the requirement always pass).
  Money before, after;
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    const Instrument& in = instruments_->at(id);
    if (in.initial_margin.raw <= 0) continue;
    const State& s = state_[i];
    const OpenQty open = matching.OpenOrders(id);
    int64_t buys = open.buys, sells = open.sells;
    const bool mine = id == r.instrument;
    if (!mine && s.position == 0 && buys == 0 && sells == 0) continue;
    Price price;
    const BookState& book = matching.state(id);
    if (HasMark(s, book)) {
      price = MarkOf(s, book);
    } else if (mine && r.type == OrderType::kLimit) {
      price = r.price;
    } else if (mine && (r.side == Side::kBuy ? book.has_ask : book.has_bid)) {
      price = r.side == Side::kBuy ? book.ask : book.bid;
    } else {
      continue;  // nothing to value it at (and nothing can fill before a price exists)
    }
    auto requirement = [&](int64_t b, int64_t sl) {
      const int64_t exposure = std::max(Abs(s.position + b), Abs(s.position - sl));
      return Instrument::Fee(in.Notional(price, Qty(exposure)), in.initial_margin);
    };
    before += requirement(buys, sells);
    if (mine) {
      (r.side == Side::kBuy ? buys : sells) += r.qty.raw;
    }
    after += requirement(buys, sells);
  }
  if (after <= before) return true;
  return after <= MarkedEquity(matching);
}

void VenueAccount::CheckMaintenance(Timestamp at, MatchingCore& matching) {
  Money required;
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    const State& s = state_[i];
    const Instrument& in = instruments_->at(id);
    if (s.position == 0 || in.maintenance_margin.raw <= 0) continue;
    const Price mark = MarkOf(s, matching.state(id));
    required += Instrument::Fee(in.Notional(mark, Qty(Abs(s.position))), in.maintenance_margin);
  }
  if (required.raw <= 0 || MarkedEquity(matching) >= required) return;
  // Cross margin: the whole account is liquidated. Open orders are cancelled first (they could
  // only reopen positions), then every position closes at its mark, the fee charged on the
  // notional closed.
  for (size_t i = 0; i < state_.size(); ++i) {
    matching.CancelAll(InstrumentId(static_cast<uint16_t>(i)), at);
  }
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    State& s = state_[i];
    if (s.position == 0) continue;
    const Instrument& in = instruments_->at(id);
    const Price mark = MarkOf(s, matching.state(id));
    const Money fee =
        Instrument::Fee(in.Notional(mark, Qty(Abs(s.position))), in.liquidation_fee);
    ClosePosition(id, s, at, AccountAction::kLiquidation, mark, fee);
  }
}

}  // namespace tapedeck
