#include "strategies/dip_buyer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/params.h"
#include "core/status.h"
#include "core/strategy_registry.h"

namespace tapedeck::strategies {
namespace {

constexpr int64_t kYearNs = 365LL * 86'400LL * 1'000'000'000LL;


}  // namespace

DipBuyer::DipBuyer(const DipBuyerParams& p) : p_(p) {}

Qty DipBuyer::MaxPosition() const {
  if (p_.max_position.raw > 0) return p_.max_position;
  return Qty(p_.tranche_qty.raw * p_.tranches);
}

int64_t DipBuyer::BasisBps(const Context& ctx) const {
  const MarketView& s = ctx.market(p_.instrument);
  const MarketView& f = ctx.market(*p_.basis_future);
  if (!s.two_sided() || !f.two_sided()) return INT64_MIN;
  const int64_t sm = s.mid()->raw, fm = f.mid()->raw;
  if (sm <= 0) return INT64_MIN;
  const Instrument& fi = ctx.instruments().at(*p_.basis_future);
  const Instrument& si = ctx.instruments().at(p_.instrument);
  if (fi.price_scale != si.price_scale) return INT64_MIN;
  // Dated futures: annualised over the time to expiry; otherwise the premium over one 8-hour
  // funding interval, annualised.
  int64_t horizon = Duration::Hours(8).ns;
  if (fi.kind == InstrumentKind::kDatedFuture) horizon = fi.expiry.ns - ctx.now().ns;
  if (horizon <= 0) return INT64_MIN;
  const Int128 num = static_cast<Int128>(fm - sm) * 10'000 * kYearNs;
  const Int128 den = static_cast<Int128>(sm) * horizon;
  return static_cast<int64_t>(num / den);
}

void DipBuyer::OnQuote(Context&, const Event&) {}

void DipBuyer::OnReference(Context& ctx, const Event& e) {
  if (e.kind != EventKind::kLiquidation) return;
  seen_liquidation_ = true;
  const Instrument& in = ctx.instruments().at(e.instrument);
  liquidations_.emplace_back(ctx.now(), in.Notional(e.trade.price, e.trade.qty));
}

void DipBuyer::OnTrade(Context& ctx, const Event& e) {
  if (e.instrument != p_.instrument) return;
  AddTrade(ctx, e);
  OnPrice(ctx, e.trade.price, ctx.now());
}

void DipBuyer::AddTrade(Context& ctx, const Event& e) {
  const int64_t index = ctx.now().ns / p_.bucket.ns;
  if (has_open_ && index != open_.index) {
    const Bucket closed = open_;
    has_open_ = false;
    CloseBucket(ctx, closed, Timestamp((closed.index + 1) * p_.bucket.ns));
  }
  const int64_t px = e.trade.price.raw;
  if (!has_open_) {
    open_ = Bucket{index, px, px, px, 0, 0, true};
    has_open_ = true;
  }
  open_.high = std::max(open_.high, px);
  open_.low = std::min(open_.low, px);
  open_.close = px;
  open_.volume += e.trade.qty.raw;
  if (e.trade.aggressor == Side::kSell) open_.sell_volume += e.trade.qty.raw;
}

void DipBuyer::OnBar(Context& ctx, const Event& e) {
  if (e.instrument != p_.instrument) return;
  Bucket b{ctx.now().ns / p_.bucket.ns, e.bar.high.raw, e.bar.low.raw, e.bar.close.raw,
           e.bar.volume.raw, 0, false};
  // The bar's low may set the cascade low and trip the stops before its close is judged.
  if (state_ == State::kCascade || state_ == State::kBuying) OnPrice(ctx, e.bar.low, ctx.now());
  CloseBucket(ctx, b, ctx.now());
  OnPrice(ctx, e.bar.close, ctx.now());
}

void DipBuyer::CloseBucket(Context& ctx, const Bucket& b, Timestamp at) {
  SlideWindows(ctx, b, at);
  switch (state_) {
    case State::kCooldown:
      if (at - state_since_ < p_.cooldown) break;
      state_ = State::kWatching;
      [[fallthrough]];
    case State::kWatching:
      DetectCascade(b, at);
      break;
    case State::kCascade:
      if (at - state_since_ >= p_.cascade_timeout) {
        trades_.pop_back();  // never entered: not a trade
        state_ = State::kWatching;
        break;
      }
      if (Exhausted(at)) {
        state_ = State::kBuying;
        state_since_ = at;
        trades_.back().cascade_low = low_;
        trades_.back().cascade_low_time = low_time_;
        tranches_sent_ = 0;
        next_tranche_ = at;
        MaybeBuy(ctx, Price(b.close));
      }
      break;
    case State::kBuying:
      MaybeBuy(ctx, Price(b.close));
      break;
    case State::kExiting:
      break;
  }
}

void DipBuyer::SlideWindows(Context& ctx, const Bucket& b, Timestamp at) {
  // Rolling high over high_window: a deque of decreasing highs.
  while (!highs_.empty() && highs_.back().second <= b.high) highs_.pop_back();
  highs_.emplace_back(at.ns, b.high);
  while (!highs_.empty() && highs_.front().first <= at.ns - p_.high_window.ns) highs_.pop_front();
  // Volume history over volume_baseline.
  Bucket stamped = b;
  stamped.index = at.ns;  // from here on: the bucket's close time
  history_.push_back(stamped);
  baseline_volume_ += b.volume;
  while (!history_.empty() && history_.front().index <= at.ns - p_.volume_baseline.ns) {
    baseline_volume_ -= history_.front().volume;
    history_.pop_front();
  }
  while (!liquidations_.empty() && liquidations_.front().first <= at - p_.confirm_window) {
    liquidations_.pop_front();
  }
  if (p_.basis_future.has_value()) {
    const int64_t basis = BasisBps(ctx);
    if (basis != INT64_MIN) basis_.emplace_back(at, basis);
    while (!basis_.empty() && basis_.front().first <= at - p_.confirm_window) basis_.pop_front();
  }
}

// Watching: a drawdown from the rolling high on a volume surge, confirmed, starts a cascade.
void DipBuyer::DetectCascade(const Bucket& b, Timestamp at) {
  if (history_.size() < 2 || highs_.empty()) return;
  // Warm-up: half a baseline of history before judging volume.
  const int64_t span = at.ns - history_.front().index + p_.bucket.ns;
  if (span < p_.volume_baseline.ns / 2) return;
  const int64_t high = highs_.front().second;
  if (high <= 0) return;
  const int64_t dd_bps = (high - b.close) * 10'000 / high;
  if (dd_bps < p_.drawdown_bps) return;
  int64_t recent = 0;
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->index <= at.ns - p_.volume_window.ns) break;
    recent += it->volume;
  }
  // recent / volume_window >= ratio x baseline / span, in integers.
  const Int128 lhs = static_cast<Int128>(recent) * span * 100;
  const Int128 rhs = static_cast<Int128>(baseline_volume_) * p_.volume_window.ns *
                     p_.volume_ratio_pct;
  if (lhs < rhs) return;
  std::string how;
  if (!Confirmed(at, &how)) return;
  ++cascades_;
  state_ = State::kCascade;
  state_since_ = at;
  low_ = Price(b.low);
  low_time_ = at;
  Trade t;
  t.detected = at;
  t.detect_drawdown_bps = dd_bps;
  t.detect_volume_pct =
      baseline_volume_ > 0
          ? static_cast<int64_t>(static_cast<Int128>(recent) * span * 100 /
                                 (static_cast<Int128>(baseline_volume_) * p_.volume_window.ns))
          : 0;
  t.confirmation = how;
  trades_.push_back(t);
}

bool DipBuyer::Confirmed(Timestamp at, std::string* how) {
  if (p_.confirm == DipConfirm::kOff) {
    *how = "none (off)";
    return true;
  }
  Money liq;
  for (const auto& [ts, m] : liquidations_) {
    if (ts > at - p_.confirm_window) liq += m;
  }
  if (liq >= p_.min_liquidation_notional && liq.raw > 0) {
    *how = absl::StrCat("liquidations ", FormatDecimal(liq.raw, Money::kScale));
    return true;
  }
  if (p_.basis_future.has_value() && !basis_.empty()) {
    int64_t lo = basis_.front().second;
    for (const auto& [ts, bps] : basis_) lo = std::min(lo, bps);
    const int64_t rise = basis_.back().second - lo;
    if (rise >= p_.basis_spike_bps) {
      *how = absl::StrCat("basis +", rise, " bps");
      return true;
    }
  }
  if (p_.confirm == DipConfirm::kAuto && !seen_liquidation_ && !p_.basis_future.has_value()) {
    *how = "none (the data has no liquidations)";
    return true;
  }
  return false;
}

bool DipBuyer::Exhausted(Timestamp at) const {
  if (at - low_time_ >= p_.exhaustion_time) return true;
  if (at - low_time_ < p_.fade_min_quiet) return false;
  int64_t vol = 0, sell = 0;
  bool aggressor = false;
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->index <= at.ns - p_.fade_window.ns) break;
    vol += it->volume;
    sell += it->sell_volume;
    aggressor = aggressor || it->has_aggressor;
  }
  if (!aggressor || vol <= 0) return false;
  return sell * 100 <= vol * p_.fade_sell_share_pct;
}

void DipBuyer::MaybeBuy(Context& ctx, Price price) {
  if (state_ != State::kBuying) return;
  if (tranches_sent_ >= p_.tranches || ctx.now() < next_tranche_) return;
  if (pending_.valid()) {
    const OrderState* o = ctx.order(pending_);
    if (o != nullptr && !IsTerminal(o->status)) return;
  }
  const Trade& t = trades_.back();
  // Not chasing a rebound that has already left.
  if (static_cast<Int128>(price.raw) * 10'000 >
      static_cast<Int128>(t.cascade_low.raw) * (10'000 + p_.max_chase_bps)) {
    return;
  }
  // No new tranche under the hard stop, nor once the rebound target is reached.
  if (static_cast<Int128>(price.raw) * 10'000 <=
      static_cast<Int128>(t.cascade_low.raw) * (10'000 - p_.hard_stop_bps)) {
    return;
  }
  if (entry_qty_.raw > 0 && static_cast<Int128>(price.raw) * entry_qty_.raw * 10'000 >=
                                entry_pq_ * (10'000 + p_.take_profit_bps)) {
    return;
  }
  const Qty room = MaxPosition() - ctx.position(p_.instrument);
  const Qty qty = std::min(room, p_.tranche_qty);
  if (qty.raw <= 0) return;
  pending_ = ctx.BuyMarket(p_.instrument, qty);
  ++tranches_sent_;
  next_tranche_ = ctx.now() + p_.tranche_interval;
}

void DipBuyer::OnPrice(Context& ctx, Price price, Timestamp at) {
  if (state_ == State::kCascade) {
    if (price < low_) {
      low_ = price;
      low_time_ = at;
    }
    return;
  }
  if (state_ == State::kBuying && entry_qty_.raw <= 0 && price < low_ &&
      !(pending_.valid() && ctx.order(pending_) != nullptr &&
        !IsTerminal(ctx.order(pending_)->status))) {
    // The low broke before anything was bought: the cascade is not exhausted after all.
    state_ = State::kCascade;
    low_ = price;
    low_time_ = at;
    return;
  }
  if (state_ != State::kBuying || entry_qty_.raw <= 0) return;
  if (price > peak_since_entry_) peak_since_entry_ = price;
  const Int128 pq = static_cast<Int128>(price.raw) * entry_qty_.raw * 10'000;
  if (pq >= entry_pq_ * (10'000 + p_.trailing_activation_bps)) trailing_armed_ = true;
  const Trade& t = trades_.back();
  if (pq >= entry_pq_ * (10'000 + p_.take_profit_bps)) {
    Exit(ctx, price, "take_profit");
  } else if (trailing_armed_ && static_cast<Int128>(price.raw) * 10'000 <=
                                    static_cast<Int128>(peak_since_entry_.raw) *
                                        (10'000 - p_.trailing_stop_bps)) {
    Exit(ctx, price, "trailing_stop");
  } else if (static_cast<Int128>(price.raw) * 10'000 <=
             static_cast<Int128>(t.cascade_low.raw) * (10'000 - p_.hard_stop_bps)) {
    Exit(ctx, price, "hard_stop");
  } else if (at - first_entry_ >= p_.max_hold) {
    Exit(ctx, price, "time_stop");
  }
}

void DipBuyer::Exit(Context& ctx, Price price, const char* reason) {
  if (pending_.valid()) ctx.Cancel(pending_);
  const Qty pos = ctx.position(p_.instrument);
  state_ = State::kExiting;
  state_since_ = ctx.now();
  trades_.back().exit_reason = reason;
  trades_.back().exit_price = price;  // refined by the fills
  if (pos.raw > 0) {
    pending_ = ctx.SellMarket(p_.instrument, pos);
  } else {
    state_ = State::kCooldown;
  }
}

void DipBuyer::OnOrderUpdate(Context& ctx, const Event& e) {
  if (e.kind != EventKind::kOrderFill || e.instrument != p_.instrument) return;
  if (e.order.side == Side::kBuy && (state_ == State::kExiting || state_ == State::kCooldown)) {
    // A tranche that filled after the exit was decided: sell it straight back.
    ctx.SellMarket(p_.instrument, e.order.qty);
    return;
  }
  if (e.order.side == Side::kBuy) {
    if (entry_qty_.raw == 0) {
      first_entry_ = ctx.now();
      peak_since_entry_ = e.order.price;
      trailing_armed_ = false;
      if (!trades_.empty()) trades_.back().first_entry = ctx.now();
    }
    entry_pq_ += static_cast<Int128>(e.order.price.raw) * e.order.qty.raw;
    entry_qty_ = entry_qty_ + e.order.qty;
    if (!trades_.empty()) {
      trades_.back().qty = entry_qty_;
      trades_.back().avg_entry = Price(static_cast<int64_t>(entry_pq_ / entry_qty_.raw));
    }
  } else if (state_ == State::kExiting) {
    if (!trades_.empty()) {
      trades_.back().exit_time = ctx.now();
      trades_.back().exit_price = e.order.price;
    }
    if (ctx.position(p_.instrument).raw <= 0) {
      entry_pq_ = 0;
      entry_qty_ = Qty(0);
      state_ = State::kCooldown;
      state_since_ = ctx.now();
    }
  }
}

void DipBuyer::OnStop(Context& ctx) {
  final_equity_ = ctx.portfolio().Equity();
  final_realized_ = ctx.portfolio().TotalRealized();
  final_fees_ = ctx.portfolio().TotalFees();
  instrument_ = &ctx.instruments().at(p_.instrument);
}

nlohmann::json DipBuyer::Report() const {
  nlohmann::json trades = nlohmann::json::array();
  const int ps = instrument_ != nullptr ? instrument_->price_scale : 0;
  const int qs = instrument_ != nullptr ? instrument_->qty_scale : 0;
  for (const Trade& t : trades_) {
    nlohmann::json j{{"detected", FormatTimestamp(t.detected)},
                     {"drawdown_bps", t.detect_drawdown_bps},
                     {"volume_ratio_pct", t.detect_volume_pct},
                     {"confirmation", t.confirmation}};
    if (t.cascade_low_time.ns != 0) {
      j["cascade_low"] = FormatDecimal(t.cascade_low.raw, ps);
      j["cascade_low_time"] = FormatTimestamp(t.cascade_low_time);
    }
    if (t.first_entry.ns != 0) {
      j["first_entry"] = FormatTimestamp(t.first_entry);
      j["avg_entry"] = FormatDecimal(t.avg_entry.raw, ps);
      j["qty"] = FormatDecimal(t.qty.raw, qs);
    }
    if (!t.exit_reason.empty()) {
      j["exit_reason"] = t.exit_reason;
      j["exit_price"] = FormatDecimal(t.exit_price.raw, ps);
      if (t.exit_time.ns != 0) j["exit_time"] = FormatTimestamp(t.exit_time);
      if (t.avg_entry.raw > 0) {
        j["return_bps"] = (t.exit_price.raw - t.avg_entry.raw) * 10'000 / t.avg_entry.raw;
      }
    }
    trades.push_back(j);
  }
  return nlohmann::json{{"cascades", cascades_},
                        {"trades", trades},
                        {"realized_pnl", FormatDecimal(final_realized_.raw, Money::kScale)},
                        {"fees", FormatDecimal(final_fees_.raw, Money::kScale)},
                        {"final_equity", FormatDecimal(final_equity_.raw, Money::kScale)}};
}

namespace {

using P = DipBuyerParams;

absl::Status CheckDurations(const P& p, const ConfigObject& params) {
  const std::pair<const char*, Duration> positive[] = {
      {"bucket", p.bucket},           {"high_window", p.high_window},
      {"volume_window", p.volume_window}, {"volume_baseline", p.volume_baseline},
      {"confirm_window", p.confirm_window}, {"fade_window", p.fade_window},
      {"cascade_timeout", p.cascade_timeout}, {"max_hold", p.max_hold}};
  for (const auto& [name, d] : positive) {
    if (d.ns <= 0) return params.Error(name, "must be positive");
  }
  const std::pair<const char*, Duration> nonneg[] = {
      {"tranche_interval", p.tranche_interval}, {"exhaustion_time", p.exhaustion_time},
      {"fade_min_quiet", p.fade_min_quiet},     {"cooldown", p.cooldown}};
  for (const auto& [name, d] : nonneg) {
    if (d.ns < 0) return params.Error(name, "must not be negative");
  }
  if (p.volume_baseline <= p.volume_window) {
    return params.Error("volume_baseline", "must be longer than volume_window");
  }
  return absl::OkStatus();
}

absl::Status Check(const P& p, const ConfigObject& params, const InstrumentTable& instruments) {
  const Instrument& in = instruments.at(p.instrument);
  if (p.tranche_qty.raw <= 0 || p.tranche_qty.raw % in.lot_size.raw != 0) {
    return params.Error("tranche_qty", "must be a positive multiple of the instrument's lot size");
  }
  if (p.tranches < 1 || p.tranches > 100) return params.Error("tranches", "must be in [1, 100]");
  if (p.max_position.raw < 0) return params.Error("max_position", "must not be negative");
  TAPEDECK_RETURN_IF_ERROR(CheckDurations(p, params));
  const std::pair<const char*, int64_t> bps[] = {
      {"drawdown_bps", p.drawdown_bps},       {"take_profit_bps", p.take_profit_bps},
      {"trailing_stop_bps", p.trailing_stop_bps},
      {"trailing_activation_bps", p.trailing_activation_bps},
      {"hard_stop_bps", p.hard_stop_bps},     {"max_chase_bps", p.max_chase_bps}};
  for (const auto& [name, v] : bps) {
    if (v < 0 || v >= 10'000) return params.Error(name, "must be in [0, 10000) bps");
  }
  if (p.volume_ratio_pct < 0 || p.volume_ratio_pct > 100'000) {
    return params.Error("volume_ratio_pct", "must be in [0, 100000]");
  }
  if (p.fade_sell_share_pct < 0 || p.fade_sell_share_pct > 100) {
    return params.Error("fade_sell_share_pct", "must be a percentage in [0, 100]");
  }
  if (p.basis_spike_bps < 0) return params.Error("basis_spike_bps", "must not be negative");
  if (p.min_liquidation_notional.raw < 0) {
    return params.Error("min_liquidation_notional", "must not be negative");
  }
  return absl::OkStatus();
}

const ParamTable<P> kParams(
    {Param<P>::Symbol("instrument", &P::instrument, "traded and watched").Default("BTC-SPOT"),
     Param<P>::Quantity("tranche_qty", &P::tranche_qty, &P::instrument,
                        "size of one tranche, in the instrument's quantity units")
         .Default("1"),
     Param<P>::Int("tranches", &P::tranches, "tranches bought per cascade"),
     Param<P>::Quantity("max_position", &P::max_position, &P::instrument,
                        "largest position (0: tranches x tranche_qty)"),
     Param<P>::DurationOf("tranche_interval", &P::tranche_interval, "between two tranches"),
     Param<P>::DurationOf("bucket", &P::bucket, "trade aggregation (ignored for bars)"),
     Param<P>::DurationOf("high_window", &P::high_window, "window of the high the drop is from"),
     Param<P>::Int("drawdown_bps", &P::drawdown_bps, "drop under the high that signals, bps"),
     Param<P>::DurationOf("volume_window", &P::volume_window, "recent volume window"),
     Param<P>::DurationOf("volume_baseline", &P::volume_baseline,
                          "window of the average volume per bucket"),
     Param<P>::Int("volume_ratio_pct", &P::volume_ratio_pct,
                   "recent volume against its average, percent"),
     Param<P>::Choice("confirm", &P::confirm,
                      {{"auto", DipConfirm::kAuto},
                       {"required", DipConfirm::kRequired},
                       {"off", DipConfirm::kOff}},
                      "\"auto\" requires a confirmation once the data has shown a liquidation "
                      "or when basis_future is set"),
     Param<P>::DurationOf("confirm_window", &P::confirm_window,
                          "window of the liquidations or basis rise that confirm"),
     Param<P>::MoneyOf("min_liquidation_notional", &P::min_liquidation_notional,
                       "liquidation prints that confirm, quote money"),
     Param<P>::OptionalSymbol("basis_future", &P::basis_future,
                              "future whose basis over the instrument confirms (none: unset)"),
     Param<P>::Int("basis_spike_bps", &P::basis_spike_bps,
                   "basis rise that confirms, annualised bps"),
     Param<P>::DurationOf("exhaustion_time", &P::exhaustion_time,
                          "the cascade low unbroken this long: exhausted"),
     Param<P>::DurationOf("fade_window", &P::fade_window, "window of the sell share"),
     Param<P>::Int("fade_sell_share_pct", &P::fade_sell_share_pct,
                   "seller-initiated share at most this: fading, percent"),
     Param<P>::DurationOf("fade_min_quiet", &P::fade_min_quiet,
                          "the low unbroken at least this long for a fade to count"),
     Param<P>::DurationOf("cascade_timeout", &P::cascade_timeout,
                          "a cascade not exhausted by then is dropped"),
     Param<P>::Int("take_profit_bps", &P::take_profit_bps,
                   "rebound target over the average entry, bps"),
     Param<P>::Int("trailing_stop_bps", &P::trailing_stop_bps,
                   "trailing stop under the highest price since entry, bps"),
     Param<P>::Int("trailing_activation_bps", &P::trailing_activation_bps,
                   "the trailing stop arms this far over the average entry, bps"),
     Param<P>::Int("hard_stop_bps", &P::hard_stop_bps, "hard stop under the cascade low, bps"),
     Param<P>::Int("max_chase_bps", &P::max_chase_bps,
                   "no tranche this far over the cascade low, bps"),
     Param<P>::DurationOf("max_hold", &P::max_hold, "time stop after the first entry"),
     Param<P>::DurationOf("cooldown", &P::cooldown, "after an exit, before watching again")},
    &Check);

[[maybe_unused]] const bool kRegistered = RegisterStrategy<DipBuyer>(
    "dip_buyer", "buys the exhaustion of a deleveraging cascade in tranches, sells the rebound",
    kParams, {{"instrument", "BTC-SPOT"}, {"tranche_qty", "1"}});

}  // namespace

}  // namespace tapedeck::strategies
