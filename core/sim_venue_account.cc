// SimVenue's account: perpetual funding, dated-future expiry and settlement, initial and
// maintenance margin with cross margin, liquidation (issue 4). The rules are in the
// "Account" section of core/sim_venue.h. The venue keeps its own books of the account in a
// Portfolio (core/portfolio.h), the same class the strategy side uses, at venue time.
#include <algorithm>
#include <climits>
#include <cstdlib>

#include "core/sim_venue.h"

namespace tapedeck {
namespace {
constexpr uint16_t kVenueSource = 0xFFFE;  // the source of every venue response (sim_venue.cc)
// The account stream's seed salt: past the per-message streams (indices 0..7), so that those
// keep their seeds.
constexpr uint64_t kAccountSalt = uint64_t{0xD1B54A32D192ED03} * 64;

int64_t Abs(int64_t v) { return v < 0 ? -v : v; }
}  // namespace

void SimVenue::InitAccount() {
  // Account news take their own latency model, else the ack's, on a stream of their own.
  SplitMix64 derive(config_.seed ^ kAccountSalt);
  account_latency_ = LatencyModel(
      config_.account_latency.value_or(config_.latency[static_cast<int>(VenueMessage::kAck)]),
      config_.response_latency, derive.Next(), /*entry=*/false);
  for (const Instrument& in : instruments_->all()) {
    if (in.initial_margin.raw > 0) initial_margin_on_ = true;
    if (in.maintenance_margin.raw > 0) maintenance_on_ = true;
  }
  account_watch_ = false;  // no position yet
  UpdateWatch();
  RecomputeAccountDue();
}

void SimVenue::RecomputeAccountDue() {
  int64_t due = INT64_MAX;
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentState& s = state_[i];
    if (s.funding_ts != 0) due = std::min(due, s.funding_ts);
    const Instrument& in = instruments_->at(InstrumentId(static_cast<uint16_t>(i)));
    if (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns != 0 && !s.expired) {
      due = std::min(due, in.expiry.ns);
    }
  }
  account_due_ns_ = due;
}

void SimVenue::UpdatePosition(InstrumentState& s, int64_t delta) {
  const bool was_open = s.position != 0;
  s.position += delta;
  const bool open = s.position != 0;
  if (open && !was_open) ++open_positions_;
  if (!open && was_open) --open_positions_;
  account_watch_ = maintenance_on_ && open_positions_ != 0;
  UpdateWatch();
}

Price SimVenue::MarkOf(const InstrumentState& s) {
  // The venue's mark price, else the last traded price (an open position always has one: its
  // own fill).
  return s.has_mark_price ? s.mark_price : s.last_price;
}

Money SimVenue::MarkedEquity() {
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentState& s = state_[i];
    if (s.position != 0 && (s.has_mark_price || s.has_last_price)) {
      account_.Mark(InstrumentId(static_cast<uint16_t>(i)), MarkOf(s));
    }
  }
  return account_.Equity();
}

void SimVenue::RespondAccount(AccountAction a, InstrumentId id, Timestamp at, Money amount,
                              Price price, Qty qty, Money fee) {
  const Duration lat = account_latency_.Sample(at, feed_latency_, vol_mbp_);
  // The one response channel: never overtake the previous response (fills, cancels, ...).
  const int64_t local = std::max((at + lat).ns, last_response_local_);
  last_response_local_ = local;
  Event e = MakeEvent(EventKind::kAccount, id, at, Timestamp(local));
  e.source = kVenueSource;
  e.account.amount = amount;
  e.account.price = price;
  e.account.qty = qty;
  e.account.fee = fee;
  e.account.action = a;
  out_->push_back(e);
}

void SimVenue::OnAccountData(InstrumentState& s, const Event& e) {
  if (e.exchange_ts >= account_due_ns_) AccountDue(e.exchange_time());
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
        PayFunding(e.instrument, s, e.exchange_time());  // a realised rate, paid at its time
      } else {
        account_due_ns_ = std::min(account_due_ns_, ft);
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
    case EventKind::kTrade:
      s.last_price = e.trade.price;
      s.has_last_price = true;
      mark_moved = !s.has_mark_price;
      break;
    case EventKind::kBar:
      s.last_price = e.bar.close;
      s.has_last_price = true;
      mark_moved = !s.has_mark_price;
      break;
    default:
      break;
  }
  if (mark_moved && maintenance_on_ && open_positions_ != 0) CheckMaintenance(e.exchange_time());
}

void SimVenue::AccountDue(Timestamp at) {
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    InstrumentState& s = state_[i];
    if (s.funding_ts != 0 && s.funding_ts <= at.ns) PayFunding(id, s, at);
    const Instrument& in = instruments_->at(id);
    if (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns != 0 && !s.expired &&
        in.expiry <= at) {
      Expire(id, s, at);
    }
  }
  RecomputeAccountDue();
}

void SimVenue::PayFunding(InstrumentId id, InstrumentState& s, Timestamp at) {
  s.funding_paid_ts = s.funding_ts;
  s.funding_ts = 0;
  if (s.position == 0 || s.funding_rate.raw == 0) return;
  const Instrument& in = instruments_->at(id);
  const Price mark = MarkOf(s);
  // rate x notional at mark; a long pays a positive rate, a short receives it.
  const Money pay = Instrument::Fee(in.Notional(mark, Qty(Abs(s.position))), s.funding_rate);
  const Money amount = s.position > 0 ? -pay : pay;
  if (amount.raw == 0) return;
  account_.ApplyFunding(id, amount);
  RespondAccount(AccountAction::kFunding, id, at, amount, mark, Qty(s.position), Money());
}

void SimVenue::CancelAllResting(InstrumentState& s, Timestamp at) {
  for (const Resting& r : s.resting) {
    Respond(EventKind::kOrderCancel, r.request, at, r.request.price, r.remaining, Money(),
            Liquidity::kNone, RejectReason::kNone);
  }
  s.resting.clear();
}

void SimVenue::CloseAccountPosition(InstrumentId id, InstrumentState& s, Timestamp at,
                                    AccountAction a, Price price, Money fee) {
  const Qty qty(s.position);
  const Money realized = account_.ClosePosition(id, qty, price, fee);
  UpdatePosition(s, -s.position);
  RespondAccount(a, id, at, realized, price, qty, fee);
}

void SimVenue::Expire(InstrumentId id, InstrumentState& s, Timestamp at) {
  s.expired = true;
  CancelAllResting(s, at);
  if (s.position == 0) return;
  // Settlement price: the last index price (what delivery contracts settle against), else the
  // mark, else the last traded price.
  const Price price = s.has_index_price ? s.index_price : MarkOf(s);
  CloseAccountPosition(id, s, at, AccountAction::kSettlement, price, Money());
}

bool SimVenue::MarginAllows(const OrderRequest& r) {
  // Initial requirement = sum over instruments of initial_margin x notional at mark of the
  // larger of |position + open buys| and |position - open sells| (the worst case if every open
  // order filled). An order is refused when the requirement with it exceeds the equity and is
  // larger than without it (orders that reduce the requirement always pass).
  Money before, after;
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    const Instrument& in = instruments_->at(id);
    if (in.initial_margin.raw <= 0) continue;
    const InstrumentState& s = state_[i];
    int64_t buys = 0, sells = 0;
    for (const Resting& o : s.resting) {
      (o.request.side == Side::kBuy ? buys : sells) += o.remaining.raw;
    }
    const bool mine = id == r.instrument;
    if (!mine && s.position == 0 && buys == 0 && sells == 0) continue;
    Price price;
    if (s.has_mark_price || s.has_last_price) {
      price = MarkOf(s);
    } else if (mine && r.type == OrderType::kLimit) {
      price = r.price;
    } else if (mine && (r.side == Side::kBuy ? s.has_ask : s.has_bid)) {
      price = r.side == Side::kBuy ? s.ask : s.bid;
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
  return after <= MarkedEquity();
}

void SimVenue::CheckMaintenance(Timestamp at) {
  Money required;
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentState& s = state_[i];
    const Instrument& in = instruments_->at(InstrumentId(static_cast<uint16_t>(i)));
    if (s.position == 0 || in.maintenance_margin.raw <= 0) continue;
    required += Instrument::Fee(in.Notional(MarkOf(s), Qty(Abs(s.position))),
                                in.maintenance_margin);
  }
  if (required.raw <= 0 || MarkedEquity() >= required) return;
  // Cross margin: the whole account is liquidated. Open orders are cancelled first (they could
  // only reopen positions), then every position closes at its mark, the fee charged on the
  // notional closed.
  for (InstrumentState& s : state_) CancelAllResting(s, at);
  for (size_t i = 0; i < state_.size(); ++i) {
    const InstrumentId id(static_cast<uint16_t>(i));
    InstrumentState& s = state_[i];
    if (s.position == 0) continue;
    const Instrument& in = instruments_->at(id);
    const Price mark = MarkOf(s);
    const Money fee =
        Instrument::Fee(in.Notional(mark, Qty(Abs(s.position))), in.liquidation_fee);
    CloseAccountPosition(id, s, at, AccountAction::kLiquidation, mark, fee);
  }
}

}  // namespace tapedeck
