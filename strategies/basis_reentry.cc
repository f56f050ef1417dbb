#include "strategies/basis_reentry.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/params.h"
#include "core/status.h"
#include "core/strategy_registry.h"

namespace tapedeck::strategies {
namespace {

constexpr int64_t kYearNs = 365LL * 86'400LL * 1'000'000'000LL;

// A price at 10^-scale as 10^-8 quote units, so that legs with different scales compare.
Int128 Norm(int64_t raw, int scale) {
  return scale <= 8 ? static_cast<Int128>(raw) * Pow10(8 - scale)
                    : static_cast<Int128>(raw) / Pow10(scale - 8);
}

bool HasTouch(const MarketView& m) { return m.two_sided(); }
// (bid + ask) / 2, an empty side counting as 0 (the price every reader writes for it).
int64_t Mid(const MarketView& m) {
  return (m.bid.value_or(Price()).raw + m.ask.value_or(Price()).raw) / 2;
}

int64_t AvgPrice(const BasisReentry::Leg& l) {
  return l.filled_qty > 0 ? static_cast<int64_t>(l.filled_pq / l.filled_qty) : 0;
}

// Cost of a leg against its decision mid, in bps (positive = paid away).
nlohmann::json Slippage(const BasisReentry::Leg& l, Side side) {
  if (l.filled_qty <= 0 || l.decision_mid <= 0) return nullptr;
  const int64_t avg = AvgPrice(l);
  const int64_t diff = side == Side::kBuy ? avg - l.decision_mid : l.decision_mid - avg;
  return static_cast<int64_t>(static_cast<Int128>(diff) * 10'000 / l.decision_mid);
}

}  // namespace

Int128 BasisReentry::BaseDelta(const Context& ctx, InstrumentId id) const {
  const Instrument& in = ctx.instruments().at(id);
  return static_cast<Int128>(ctx.position(id).raw) * in.contract_multiplier_e8 / Pow10(in.qty_scale);
}

bool BasisReentry::UpdateBasis(const Context& ctx) {
  int64_t raw = 0;
  if (!RawBasis(ctx, &raw)) return false;
  const Timestamp now = ctx.now();
  recent_.emplace_back(now, raw);
  recent_sum_ += raw;
  while (recent_.size() > 1 && recent_.front().first <= now - p_.smooth_window) {
    recent_sum_ -= recent_.front().second;
    recent_.pop_front();
  }
  basis_ = static_cast<int64_t>(recent_sum_ / static_cast<Int128>(recent_.size()));
  basis_min_ = std::min(basis_min_, basis_);
  basis_max_ = std::max(basis_max_, basis_);
  ++observations_;
  return true;
}

bool BasisReentry::RawBasis(const Context& ctx, int64_t* out) const {
  const MarketView& s = ctx.market(p_.spot);
  const MarketView& f = ctx.market(p_.future);
  const Instrument& fi = ctx.instruments().at(p_.future);
  const Instrument& si = ctx.instruments().at(p_.spot);
  if (fi.kind == InstrumentKind::kPerpetual && !p_.perp_premium && f.funding.has_value() &&
      f.funding->funding_ts.ns != 0) {
    // Funding per interval, annualised: rate (10^-8) x year / interval, in bps.
    *out = static_cast<int64_t>(static_cast<Int128>(f.funding->rate.raw) * kYearNs /
                                  (static_cast<Int128>(p_.funding_interval.ns) * 10'000));
    return true;
  }
  if (!HasTouch(s) || !HasTouch(f)) return false;
  const Int128 sm = Norm(Mid(s), si.price_scale);
  const Int128 fm = Norm(Mid(f), fi.price_scale);
  if (sm <= 0) return false;
  int64_t horizon = p_.funding_interval.ns;
  if (fi.kind == InstrumentKind::kDatedFuture) horizon = fi.expiry.ns - ctx.now().ns;
  if (horizon <= 0) return false;
  *out = static_cast<int64_t>((fm - sm) * 10'000 * kYearNs / (sm * horizon));
  return true;
}

void BasisReentry::OnQuote(Context& ctx, const Event& e) {
  if (e.instrument == p_.spot || e.instrument == p_.future) Evaluate(ctx);
}

void BasisReentry::OnReference(Context& ctx, const Event& e) {
  if (e.kind == EventKind::kFundingRate && e.instrument == p_.future) Evaluate(ctx);
}

void BasisReentry::Evaluate(Context& ctx) {
  if (!UpdateBasis(ctx)) return;
  const Timestamp now = ctx.now();
  if (now >= next_sample_) {
    while (!samples_.empty() && samples_.back().second >= basis_) samples_.pop_back();
    samples_.emplace_back(now, basis_);
    while (samples_.front().first <= now - p_.jump_window) samples_.pop_front();
    next_sample_ = now + p_.sample_interval;
    if (basis_ - samples_.front().second >= p_.jump_bps) {
      signature_ = now;
      has_signature_ = true;
      ++signatures_;
    }
  }
  const Instrument& fi = ctx.instruments().at(p_.future);
  const bool dated = fi.kind == InstrumentKind::kDatedFuture;
  if (state_ == State::kFlat) {
    if (basis_ < p_.entry_basis_bps) return;
    if (p_.require_unwind && (!has_signature_ || now - signature_ > p_.signature_ttl)) return;
    if (dated && fi.expiry - now <= p_.exit_before_expiry) return;
    if (last_exit_ != Timestamp::Min() && now - last_exit_ < p_.cooldown) return;
    Enter(ctx);
  } else if (state_ == State::kOpen) {
    if (basis_ <= p_.exit_basis_bps) {
      Exit(ctx, "convergence");
    } else if (dated && fi.expiry - now <= p_.exit_before_expiry) {
      Exit(ctx, "expiry");
    } else if (MarginUsePct(ctx) >= p_.margin_limit_pct) {
      Exit(ctx, "margin");
    }
  }
}

int64_t BasisReentry::MarginUsePct(const Context& ctx) const {
  const MarketView& f = ctx.market(p_.future);
  if (!HasTouch(f) || short_entry_notional_ <= 0) return 0;
  const int64_t q = -ctx.position(p_.future).raw;
  if (q <= 0) return 0;
  const Int128 now_notional = static_cast<Int128>(q) * Mid(f);
  const Int128 loss = std::max<Int128>(0, now_notional - short_entry_notional_);
  const Int128 num = (now_notional * p_.initial_margin_bps + loss * 10'000) * 100;
  const Int128 den = static_cast<Int128>(short_entry_notional_) * p_.collateral_bps;
  return den > 0 ? static_cast<int64_t>(num / den) : 0;
}

OrderId BasisReentry::SendLeg(Context& ctx, InstrumentId id, Side side, Qty qty,
                              int64_t offset_bps) {
  if (!p_.limit_legs) return SendMarket(ctx, id, side, qty);
  const MarketView& m = ctx.market(id);
  const Instrument& in = ctx.instruments().at(id);
  const int64_t touch = side == Side::kBuy ? (m.ask ? m.ask->raw : Mid(m))
                                           : (m.bid ? m.bid->raw : Mid(m));
  const int64_t sign = side == Side::kBuy ? 1 : -1;
  int64_t px = static_cast<int64_t>(static_cast<Int128>(touch) * (10'000 + sign * offset_bps) /
                                    10'000);
  const int64_t tick = std::max<int64_t>(1, in.tick_size.raw);
  px = px / tick * tick;
  if (px <= 0) px = tick;
  return ctx.Submit(OrderRequest::Limit(id, side, Price(px), qty).InGroup(Group()));
}

OrderId BasisReentry::SendMarket(Context& ctx, InstrumentId id, Side side, Qty qty) {
  return ctx.Submit(OrderRequest::Market(id, side, qty).InGroup(Group()));
}

void BasisReentry::Enter(Context& ctx) {
  const Instrument& si = ctx.instruments().at(p_.spot);
  const Instrument& fi = ctx.instruments().at(p_.future);
  const MarketView& s = ctx.market(p_.spot);
  const MarketView& f = ctx.market(p_.future);
  if (!HasTouch(s) || !HasTouch(f)) return;
  // Equal notional: the future's quantity in whole lots nearest the spot leg's notional.
  const Money spot_notional = si.Notional(Price(Mid(s)), p_.qty);
  const Money lot_notional = fi.Notional(Price(Mid(f)), fi.lot_size);
  if (lot_notional.raw <= 0) return;
  const int64_t lots = (spot_notional.raw + lot_notional.raw / 2) / lot_notional.raw;
  if (lots <= 0) return;
  const Qty fqty(lots * fi.lot_size.raw);
  Round r;
  if (has_signature_) r.signature = signature_;
  r.entry_time = ctx.now();
  r.entry_basis_bps = basis_;
  r.spot_in.decision_mid = Mid(s);
  r.future_in.decision_mid = Mid(f);
  rounds_.push_back(r);  // first, so that its legs carry its trade group
  Round& round = rounds_.back();
  round.spot_in.order = SendLeg(ctx, p_.spot, Side::kBuy, p_.qty, p_.spot_offset_bps);
  round.future_in.order = SendLeg(ctx, p_.future, Side::kSell, fqty, p_.future_offset_bps);
  state_ = State::kEntering;
  leg_timer_ = ctx.SetTimerAfter(p_.leg_timeout, kLegTimeout);
}

void BasisReentry::Exit(Context& ctx, const char* reason) {
  Round& r = rounds_.back();
  r.exit_time = ctx.now();
  r.exit_basis_bps = basis_;
  r.exit_reason = reason;
  r.spot_out.decision_mid = Mid(ctx.market(p_.spot));
  r.future_out.decision_mid = Mid(ctx.market(p_.future));
  const Qty spot_pos = ctx.position(p_.spot);
  const Qty fut_pos = ctx.position(p_.future);
  if (spot_pos.raw > 0) {
    r.spot_out.order = SendLeg(ctx, p_.spot, Side::kSell, spot_pos, p_.spot_offset_bps);
  }
  if (fut_pos.raw < 0) {
    r.future_out.order = SendLeg(ctx, p_.future, Side::kBuy, -fut_pos, p_.future_offset_bps);
  }
  state_ = State::kExiting;
  leg_timer_ = ctx.SetTimerAfter(p_.leg_timeout, kLegTimeout);
}

void BasisReentry::OnOrderUpdate(Context& ctx, const Event& e) {
  if (rounds_.empty()) return;
  Round& r = rounds_.back();
  if (e.kind == EventKind::kOrderFill) {
    for (Leg* l : {&r.spot_in, &r.future_in, &r.spot_out, &r.future_out}) {
      if (l->order.valid() && l->order == e.order.order_id) {
        l->filled_pq += static_cast<Int128>(e.order.price.raw) * e.order.qty.raw;
        l->filled_qty += e.order.qty.raw;
      }
    }
  }
  auto done = [&](OrderId id) {
    if (!id.valid()) return true;
    const OrderState* o = ctx.order(id);
    return o != nullptr && o->status == OrderStatus::kFilled;
  };
  if (state_ == State::kEntering && done(r.spot_in.order) && done(r.future_in.order)) {
    state_ = State::kOpen;
    short_entry_notional_ = static_cast<int64_t>(std::min<Int128>(r.future_in.filled_pq, INT64_MAX));
  } else if (state_ == State::kExiting && done(r.spot_out.order) && done(r.future_out.order)) {
    state_ = State::kFlat;
    last_exit_ = ctx.now();
  }
}

void BasisReentry::OnTimer(Context& ctx, uint64_t timer_id, uint64_t tag) {
  if (tag == kLegTimeout && timer_id == leg_timer_ &&
      (state_ == State::kEntering || state_ == State::kExiting)) {
    // A leg is still incomplete: stop working it, then hedge once late fills are in.
    Round& r = rounds_.back();
    exiting_phase_ = state_ == State::kExiting;
    const OrderId legs[2] = {exiting_phase_ ? r.spot_out.order : r.spot_in.order,
                             exiting_phase_ ? r.future_out.order : r.future_in.order};
    for (OrderId id : legs) {
      if (id.valid()) ctx.Cancel(id);
    }
    state_ = State::kHedging;
    hedge_timer_ = ctx.SetTimerAfter(p_.hedge_delay, kHedge);
  } else if (tag == kHedge && timer_id == hedge_timer_ && state_ == State::kHedging) {
    Hedge(ctx);
  }
}

void BasisReentry::Hedge(Context& ctx) {
  Round& r = rounds_.back();
  const Qty spot_pos = ctx.position(p_.spot);
  const Qty fut_pos = ctx.position(p_.future);
  if (exiting_phase_) {
    // Whatever did not close goes at market.
    if (spot_pos.raw > 0) {
      SendMarket(ctx, p_.spot, Side::kSell, spot_pos);
      ++r.hedges;
    }
    if (fut_pos.raw < 0) {
      SendMarket(ctx, p_.future, Side::kBuy, -fut_pos);
      ++r.hedges;
    }
    state_ = State::kFlat;
    last_exit_ = ctx.now();
    return;
  }
  // Entering: hedge the residual delta on the leg that has the excess.
  const Int128 delta = BaseDelta(ctx, p_.spot) + BaseDelta(ctx, p_.future);  // 10^-8 base
  const Instrument& si = ctx.instruments().at(p_.spot);
  const Instrument& fi = ctx.instruments().at(p_.future);
  Qty spot_after = spot_pos;
  Qty fut_after = fut_pos;
  if (delta > 0) {
    int64_t q = static_cast<int64_t>(delta * Pow10(si.qty_scale) / si.contract_multiplier_e8);
    q = std::min(q / si.lot_size.raw * si.lot_size.raw, spot_pos.raw);
    if (q > 0) {
      SendMarket(ctx, p_.spot, Side::kSell, Qty(q));
      ++r.hedges;
      spot_after = Qty(spot_pos.raw - q);
    }
  } else if (delta < 0) {
    int64_t q = static_cast<int64_t>(-delta * Pow10(fi.qty_scale) / fi.contract_multiplier_e8);
    q = std::min(q / fi.lot_size.raw * fi.lot_size.raw, -fut_pos.raw);
    if (q > 0) {
      SendMarket(ctx, p_.future, Side::kBuy, Qty(q));
      ++r.hedges;
      fut_after = Qty(fut_pos.raw + q);
    }
  }
  if (spot_after.raw > 0 && fut_after.raw < 0) {
    // A smaller but hedged position: keep it.
    state_ = State::kOpen;
    short_entry_notional_ = static_cast<int64_t>(std::min<Int128>(
        static_cast<Int128>(-fut_after.raw) * std::max<int64_t>(AvgPrice(r.future_in), 1),
        INT64_MAX));
    return;
  }
  // One leg never filled: the other has been unwound; the round is over.
  r.broken = true;
  r.exit_time = ctx.now();
  r.exit_basis_bps = basis_;
  r.exit_reason = "leg_failed";
  state_ = State::kFlat;
  last_exit_ = ctx.now();
}

void BasisReentry::OnStop(Context& ctx) {
  final_realized_ = ctx.portfolio().TotalRealized();
  final_fees_ = ctx.portfolio().TotalFees();
  final_funding_ = ctx.portfolio().TotalFunding();
  final_equity_ = ctx.portfolio().Equity();
  spot_price_scale_ = ctx.instruments().at(p_.spot).price_scale;
  future_price_scale_ = ctx.instruments().at(p_.future).price_scale;
}

nlohmann::json BasisReentry::Report() const {
  nlohmann::json rounds = nlohmann::json::array();
  int64_t captured_total = 0;
  for (const Round& r : rounds_) {
    nlohmann::json j{{"entry_time", FormatTimestamp(r.entry_time)},
                     {"entry_basis_bps", r.entry_basis_bps},
                     {"hedges", r.hedges},
                     {"slippage_bps",
                      {{"spot_entry", Slippage(r.spot_in, Side::kBuy)},
                       {"future_entry", Slippage(r.future_in, Side::kSell)},
                       {"spot_exit", Slippage(r.spot_out, Side::kSell)},
                       {"future_exit", Slippage(r.future_out, Side::kBuy)}}}};
    if (r.signature.ns != 0) j["unwind_signature"] = FormatTimestamp(r.signature);
    if (r.spot_in.filled_qty > 0) j["spot_entry_price"] = FormatDecimal(AvgPrice(r.spot_in), spot_price_scale_);
    if (r.future_in.filled_qty > 0) {
      j["future_entry_price"] = FormatDecimal(AvgPrice(r.future_in), future_price_scale_);
    }
    if (!r.exit_reason.empty()) {
      j["exit_time"] = FormatTimestamp(r.exit_time);
      j["exit_basis_bps"] = r.exit_basis_bps;
      j["exit_reason"] = r.exit_reason;
      if (!r.broken) {
        j["captured_basis_bps"] = r.entry_basis_bps - r.exit_basis_bps;
        captured_total += r.entry_basis_bps - r.exit_basis_bps;
      }
      // Captured from fills: the raw (not annualised) premium at entry minus at exit, in bps
      // of the spot price.
      if (r.spot_in.filled_qty > 0 && r.future_in.filled_qty > 0 && r.spot_out.filled_qty > 0 &&
          r.future_out.filled_qty > 0) {
        const Int128 si = Norm(AvgPrice(r.spot_in), spot_price_scale_);
        const Int128 fi = Norm(AvgPrice(r.future_in), future_price_scale_);
        const Int128 so = Norm(AvgPrice(r.spot_out), spot_price_scale_);
        const Int128 fo = Norm(AvgPrice(r.future_out), future_price_scale_);
        if (si > 0 && so > 0) {
          j["captured_premium_bps_from_fills"] =
              static_cast<int64_t>((fi - si) * 10'000 / si - (fo - so) * 10'000 / so);
        }
      }
    }
    rounds.push_back(j);
  }
  nlohmann::json observed{{"observations", observations_}, {"signature_samples", signatures_}};
  if (observations_ > 0) {
    observed["min_bps"] = basis_min_;
    observed["max_bps"] = basis_max_;
    observed["last_bps"] = basis_;
  }
  return nlohmann::json{{"rounds", rounds},
                        {"basis_observed", observed},
                        {"captured_basis_bps_total", captured_total},
                        {"realized_pnl", FormatDecimal(final_realized_.raw, Money::kScale)},
                        {"fees", FormatDecimal(final_fees_.raw, Money::kScale)},
                        {"funding", FormatDecimal(final_funding_.raw, Money::kScale)},
                        {"final_equity", FormatDecimal(final_equity_.raw, Money::kScale)}};
}

StrategySections BasisReentry::Sections() const {
  ReportSection rounds;
  rounds.title = "Basis rounds: basis at entry and exit";
  rounds.columns = {"entry",          "entry basis (bps)", "exit", "exit basis (bps)",
                    "captured (bps)", "exit reason"};
  int64_t captured = 0;
  size_t closed = 0;
  for (const Round& r : rounds_) {
    std::vector<ReportCell> row = {r.entry_time, r.entry_basis_bps, {}, {}, {}, {}};
    if (!r.exit_reason.empty()) {
      ++closed;
      row[2] = r.exit_time;
      row[3] = r.exit_basis_bps;
      if (!r.broken) {
        row[4] = r.entry_basis_bps - r.exit_basis_bps;
        captured += r.entry_basis_bps - r.exit_basis_bps;
      }
      row[5] = r.exit_reason;
    }
    rounds.rows.push_back(std::move(row));
  }
  rounds.note = absl::StrCat("annualised basis in bps, as the strategy measures it; captured ",
                             captured, " bps over ", closed, " closed of ", rounds_.size(),
                             " rounds (a round whose leg failed captures nothing)");
  ReportChart spread;
  spread.kind = ChartKind::kSpreadBps;
  // The report heads it "Basis FUTURE - SPOT" and gives it the id "basis"; the spread is of
  // quote mids, in bps of the spot, not annualised.
  spread.title = "basis";
  spread.instruments = {p_.spot, p_.future};
  StrategySections out;
  out.sections.push_back(std::move(rounds));
  out.charts.push_back(std::move(spread));
  return out;
}

namespace {

using P = BasisReentryParams;

absl::Status CheckRanges(const P& p, const ConfigObject& params) {
  if (p.jump_bps <= 0) return params.Error("jump_bps", "must be positive");
  const std::pair<const char*, Duration> positive[] = {
      {"jump_window", p.jump_window},         {"signature_ttl", p.signature_ttl},
      {"sample_interval", p.sample_interval}, {"leg_timeout", p.leg_timeout},
      {"funding_interval", p.funding_interval}};
  for (const auto& [name, d] : positive) {
    if (d.ns <= 0) return params.Error(name, "must be positive");
  }
  const std::pair<const char*, Duration> nonneg[] = {{"smooth_window", p.smooth_window},
                                                     {"exit_before_expiry", p.exit_before_expiry},
                                                     {"hedge_delay", p.hedge_delay},
                                                     {"cooldown", p.cooldown}};
  for (const auto& [name, d] : nonneg) {
    if (d.ns < 0) return params.Error(name, "must not be negative");
  }
  if (p.initial_margin_bps < 0 || p.initial_margin_bps > 10'000) {
    return params.Error("initial_margin_bps", "must be in [0, 10000]");
  }
  if (p.collateral_bps <= 0 || p.collateral_bps > 100'000) {
    return params.Error("collateral_bps", "must be in (0, 100000]");
  }
  if (p.margin_limit_pct <= 0) return params.Error("margin_limit_pct", "must be positive");
  const std::pair<const char*, int64_t> offsets[] = {{"spot_offset_bps", p.spot_offset_bps},
                                                     {"future_offset_bps", p.future_offset_bps}};
  for (const auto& [name, v] : offsets) {
    if (v <= -10'000 || v >= 10'000) return params.Error(name, "must be in (-10000, 10000)");
  }
  return absl::OkStatus();
}

absl::Status Check(const P& p, const ConfigObject& params, const InstrumentTable& instruments) {
  const Instrument& si = instruments.at(p.spot);
  const Instrument& fi = instruments.at(p.future);
  if (p.spot == p.future) return params.Error("future", "must differ from spot");
  if (si.kind != InstrumentKind::kSpot) return params.Error("spot", "must be a spot instrument");
  if (fi.kind == InstrumentKind::kSpot) {
    return params.Error("future", "must be a dated future or a perpetual");
  }
  if (p.qty.raw <= 0 || p.qty.raw % si.lot_size.raw != 0) {
    return params.Error("qty", "must be a positive multiple of the spot instrument's lot size");
  }
  if (p.exit_basis_bps >= p.entry_basis_bps) {
    return params.Error("exit_basis_bps", "must be below entry_basis_bps");
  }
  return CheckRanges(p, params);
}

const ParamTable<P> kParams(
    {Param<P>::Symbol("spot", &P::spot, "the long leg (a spot instrument)").Default("BTC-SPOT"),
     Param<P>::Symbol("future", &P::future, "the short leg (a dated future or a perpetual)")
         .Default("BTC-FUT-NEAR"),
     Param<P>::Quantity("qty", &P::qty, &P::spot, "spot quantity per entry").Default("10"),
     Param<P>::Int("entry_basis_bps", &P::entry_basis_bps, "enter at this basis, annualised bps"),
     Param<P>::Int("exit_basis_bps", &P::exit_basis_bps,
                   "exit on convergence to this basis, annualised bps"),
     Param<P>::Bool("require_unwind", &P::require_unwind,
                    "enter only within signature_ttl of a forced-unwind signature"),
     Param<P>::Int("jump_bps", &P::jump_bps,
                   "a signature: the basis this far above the lowest sample of jump_window, "
                   "annualised bps"),
     Param<P>::DurationOf("jump_window", &P::jump_window, "window of the signature's minimum"),
     Param<P>::DurationOf("signature_ttl", &P::signature_ttl, "how long a signature counts"),
     Param<P>::DurationOf("sample_interval", &P::sample_interval,
                          "between two samples of the basis"),
     Param<P>::DurationOf("exit_before_expiry", &P::exit_before_expiry,
                          "dated futures: exit (and no entry) this close to expiry"),
     Param<P>::Int("initial_margin_bps", &P::initial_margin_bps,
                   "margin on the short leg, bps of its notional"),
     Param<P>::Int("collateral_bps", &P::collateral_bps,
                   "collateral posted for the short leg, bps of its entry notional"),
     Param<P>::Int("margin_limit_pct", &P::margin_limit_pct,
                   "exit when the short leg's margin use reaches this, percent"),
     Param<P>::Choice("leg_order", &P::limit_legs, {{"market", false}, {"limit", true}},
                      "market orders, or limits at the touch shifted by the offsets"),
     Param<P>::Int("spot_offset_bps", &P::spot_offset_bps,
                   "limit legs: buy at touch x (1 + offset); positive crosses further, bps"),
     Param<P>::Int("future_offset_bps", &P::future_offset_bps,
                   "limit legs: sell at touch x (1 - offset); positive crosses further, bps"),
     Param<P>::DurationOf("leg_timeout", &P::leg_timeout,
                          "an incomplete leg is cancelled after this"),
     Param<P>::DurationOf("hedge_delay", &P::hedge_delay,
                          "after the cancel, before hedging the residual delta"),
     Param<P>::DurationOf("cooldown", &P::cooldown, "after an exit, before the next entry"),
     Param<P>::DurationOf("funding_interval", &P::funding_interval, "perpetuals"),
     Param<P>::Choice("perp_basis", &P::perp_premium, {{"funding", false}, {"premium", true}},
                      "a perpetual's basis from its funding rate, or from its mid premium "
                      "annualised over funding_interval"),
     Param<P>::DurationOf("smooth_window", &P::smooth_window,
                          "the basis is averaged over this (0: no averaging)")},
    &Check);

[[maybe_unused]] const bool kRegistered = RegisterStrategy<BasisReentry>(
    "basis_reentry",
    "long spot / short future while the annualised basis is rich, re-entered after a forced "
    "unwind; legs hedged on a timeout",
    kParams, {{"spot", "BTC-SPOT"}, {"future", "BTC-FUT-NEAR"}, {"qty", "10"}});

}  // namespace

}  // namespace tapedeck::strategies
