#include "replay/scenario.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/check.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/event_sort.h"
#include "core/status.h"
#include "replay/scenario_internal.h"

namespace tapedeck::replay {

using scenario_internal::kPriceScale;
using scenario_internal::kSizeScale;
using scenario_internal::Rng;

namespace {

constexpr int64_t kYearNs = 365LL * 86'400LL * 1'000'000'000LL;

// Linear interpolation of a on [t0, t1] to b, at t.
double Lerp(double a, double b, Timestamp t0, Timestamp t1, Timestamp t) {
  if (t1 <= t0) return b;
  const double f = static_cast<double>(t.ns - t0.ns) / static_cast<double>(t1.ns - t0.ns);
  return a + (b - a) * std::clamp(f, 0.0, 1.0);
}

// Rounds `value` to the nearest multiple of `step` (> 0), half away from zero.
int64_t RoundTo(int64_t value, int64_t step) {
  const int64_t half = step / 2;
  const int64_t q = (value >= 0 ? value + half : value - half) / step;
  return q * step;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The generator

struct ScenarioSource::Model {
  struct Level {
    int64_t cents = 0;
    int64_t qty = 0;  // instrument qty units
  };
  struct Book {
    std::vector<Level> bids, asks;  // best first
    bool has = false;
  };
  struct Slot {
    InstrumentId id;
    int price_scale = 2;
    int qty_scale = 3;
    int64_t tick = 1;
    int64_t lot = 1;
    int64_t multiplier_e8 = 100'000'000;
    Book book;
    uint64_t trade_id = 0;
    uint64_t update_id = 0;
  };
  enum class Action : uint8_t { kSnapshot, kBook, kTrade, kLiquidation, kMark, kOi, kFunding };
  struct Pending {
    int64_t offset;
    uint32_t seq;
    Action action;
    uint8_t slot;
  };

  ScenarioParams p;
  uint64_t seed = 0;
  Rng rng{0};
  std::array<Slot, 4> slots;
  std::array<std::pair<Timestamp, double>, 9> anchors{};
  Timestamp t;
  double dev = 0;        // relative deviation of spot from the target path
  double basis_dev = 0;  // bps, annualised
  Timestamp next_mark, next_oi, next_funding;
  bool first_step = true;
  std::vector<Pending> actions;
  std::vector<Event> batch;

  // Step state.
  double stress = 0, spot = 0, near_bps = 0, far_bps = 0, funding = 0;
  int direction = 0;  // -1 the path falls, +1 it rises, 0 calm
  int64_t spike_ns = 0;
  std::array<double, 4> mids{};

  void Init() {
    const double p0 = static_cast<double>(p.initial_price_cents) / 100.0;
    auto f = [](int bps) { return 1.0 + bps / 10000.0; };
    const double open = p0 * f(p.calm_drift_bps);
    if (p.calm_only) {
      anchors.fill({p.end, open});
      anchors[0] = {p.start, p0};
    } else {
      const double leg1 = open * f(-p.first_leg_bps);
      const double low = open * f(-p.fall_bps);
      const double peak = low * f(p.rebound_bps);
      anchors = {{{p.start, p0},
                  {p.day_open, open},
                  {p.first_leg_start, open * f(p.pre_leg_drift_bps)},
                  {p.first_leg_end, leg1},
                  {p.second_leg_start, leg1 * f(p.bounce_bps)},
                  {p.low_time, low},
                  {p.day_close, low * f(p.base_recovery_bps)},
                  {p.rebound_peak, peak},
                  {p.end, peak * f(p.tail_drift_bps)}}};
    }
    t = p.start;
    next_mark = next_oi = p.start;
    // Funding times are aligned to the epoch (00:00, 08:00, 16:00 UTC for 8 h).
    next_funding = p.start;  // announced at the start, then at every funding time
    batch.reserve(8192);
    actions.reserve(256);
  }

  double Target(Timestamp at, int* dir) const {
    for (size_t i = 1; i < anchors.size(); ++i) {
      if (at < anchors[i].first || i + 1 == anchors.size()) {
        const auto& a = anchors[i - 1];
        const auto& b = anchors[i];
        *dir = b.second < a.second ? -1 : (b.second > a.second ? 1 : 0);
        return Lerp(a.second, b.second, a.first, b.first, at);
      }
    }
    *dir = 0;
    return anchors.back().second;
  }

  double Stress(Timestamp at) const {
    if (p.calm_only || at < p.first_leg_start) return 0;
    if (at < p.first_leg_end) return p.leg_stress_pct / 100.0;
    if (at < p.second_leg_start) return p.bounce_stress_pct / 100.0;
    if (at < p.low_time) return p.leg_stress_pct / 100.0;
    if (at < p.day_close) {
      return Lerp(p.post_low_stress_pct / 100.0, p.rebound_stress_pct / 100.0, p.low_time,
                  p.day_close, at);
    }
    if (at < p.rebound_peak) return p.rebound_stress_pct / 100.0;
    return Lerp(p.rebound_stress_pct / 100.0, 0.0, p.rebound_peak, p.end, at);
  }

  double NearBasisTarget(Timestamp at) const {
    if (p.calm_only || at < p.first_leg_start) return p.calm_basis_bps;
    if (at < p.low_time) {
      return Lerp(p.calm_basis_bps, p.blowout_basis_bps, p.first_leg_start, p.low_time, at);
    }
    if (at < p.day_close) return p.blowout_basis_bps;
    return Lerp(p.blowout_basis_bps, p.rebound_basis_bps, p.day_close, p.end, at);
  }

  // OI multiplier: falls from the first leg to the close, partly rebuilds over the rebound.
  double OiFactor(Timestamp at) const {
    if (p.calm_only) return 1.0;
    const double fall = Lerp(0.0, p.oi_fall_bps / 10000.0, p.first_leg_start, p.day_close, at);
    const double rebuild = Lerp(0.0, p.oi_rebuild_bps / 10000.0, p.day_close, p.end, at);
    return 1.0 - fall + rebuild;
  }

  void Ou(double* x, double sigma, Duration reversion) {
    const double k = static_cast<double>(p.step.ns) / static_cast<double>(reversion.ns);
    const double a = k >= 1 ? 0.0 : 1.0 - k;
    // Stationary variance sigma^2 needs innovation variance sigma^2 (1 - a^2).
    *x = *x * a + sigma * std::sqrt(1.0 - a * a) * rng.Normal();
  }

  int64_t PriceRaw(const Slot& s, int64_t cents) const {
    int64_t raw = cents;
    if (s.price_scale >= kPriceScale) {
      raw = cents * Pow10(s.price_scale - kPriceScale);
    } else {
      raw = RoundTo(cents, Pow10(kPriceScale - s.price_scale)) / Pow10(kPriceScale - s.price_scale);
    }
    return RoundTo(raw, s.tick);
  }

  // A size in 10^-5 BTC as the instrument's quantity, rounded to lots, at least one lot.
  int64_t QtyRaw(const Slot& s, int64_t size) const {
    const Int128 num = static_cast<Int128>(size) * Pow10(s.qty_scale) * 100'000'000;
    const Int128 den = static_cast<Int128>(Pow10(kSizeScale)) * s.multiplier_e8;
    const int64_t raw = RoundTo(static_cast<int64_t>(num / den), s.lot);
    return std::max(raw, s.lot);
  }

  Event Make(EventKind kind, const Slot& s, int64_t offset) {
    const int64_t ex = t.ns + offset;
    const int64_t jitter = p.latency_jitter.ns > 0 ? rng.Below(p.latency_jitter.ns + 1) : 0;
    return MakeEvent(kind, s.id, Timestamp(ex), Timestamp(ex + p.latency_base.ns + jitter + spike_ns));
  }

  int64_t DrawSize(int64_t mean, double mult) {
    // mean x 3u^2 has mean `mean` and a long right tail.
    const double u = rng.Uniform();
    return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(mean) * mult * 3.0 * u * u));
  }

  void Step() {
    stress = Stress(t);
    const double target = Target(t, &direction);
    if (stress == 0) direction = 0;
    const double noise = p.noise_bps / 10000.0 * (1.0 + (p.crash_noise_mult_pct / 100.0 - 1.0) * stress);
    Ou(&dev, noise, p.noise_reversion);
    Ou(&basis_dev, p.basis_noise_bps, p.basis_reversion);
    spot = target * (1.0 + dev);
    const double near_target = NearBasisTarget(t);
    near_bps = near_target + basis_dev;
    far_bps = p.far_calm_basis_bps + (near_target - p.calm_basis_bps) * p.far_blowout_share_pct / 100.0 +
              basis_dev * p.far_blowout_share_pct / 100.0;
    const double interval_years = static_cast<double>(p.funding_interval.ns) / static_cast<double>(kYearNs);
    funding = near_bps * p.perp_basis_share_pct / 100.0 / 10000.0 * interval_years;
    auto fut = [&](double bps, Timestamp expiry) {
      const double years = static_cast<double>(expiry.ns - t.ns) / static_cast<double>(kYearNs);
      return spot * (1.0 + bps / 10000.0 * years);
    };
    mids = {spot, spot * (1.0 + funding), fut(near_bps, p.near_expiry), fut(far_bps, p.far_expiry)};
    spike_ns = static_cast<int64_t>(static_cast<double>(p.latency_spike.ns) * stress *
                                    (0.5 + 0.5 * rng.Uniform()));

    actions.clear();
    uint32_t seq = 0;
    auto add = [&](int64_t offset, Action a, size_t slot) {
      actions.push_back(Pending{offset, seq++, a, static_cast<uint8_t>(slot)});
    };
    if (first_step) {
      for (size_t i = 0; i < 4; ++i) add(0, Action::kSnapshot, i);
      first_step = false;
    }
    if (t >= next_funding) {
      add(0, Action::kFunding, 1);
      const int64_t fi = p.funding_interval.ns;
      next_funding = Timestamp((t.ns / fi + 1) * fi);
    }
    if (t >= next_mark) {
      add(0, Action::kMark, 1);
      next_mark = t + p.mark_interval;
    }
    if (t >= next_oi) {
      for (size_t i = 1; i < 4; ++i) add(0, Action::kOi, i);
      next_oi = t + p.oi_interval;
    }
    const double secs = static_cast<double>(p.step.ns) / 1e9;
    const double trade_mult = 1.0 + (p.volume_surge_pct / 100.0 - 1.0) * stress;
    const double book_mult = 1.0 + (p.book_rate_surge_pct / 100.0 - 1.0) * stress;
    const double liq_rate = p.calm_liquidation_rate + p.liquidation_rate * stress;
    for (size_t i = 0; i < 4; ++i) {
      const int nb = rng.Count(p.book_rate[i] * book_mult * secs);
      for (int k = 0; k < nb; ++k) add(rng.Below(p.step.ns), Action::kBook, i);
      const int nt = rng.Count(p.trade_rate[i] * trade_mult * secs);
      for (int k = 0; k < nt; ++k) add(rng.Below(p.step.ns), Action::kTrade, i);
      if (i > 0) {
        const int nl = rng.Count(liq_rate * secs);
        for (int k = 0; k < nl; ++k) add(rng.Below(p.step.ns), Action::kLiquidation, i);
      }
    }
    std::sort(actions.begin(), actions.end(), [](const Pending& a, const Pending& b) {
      return a.offset != b.offset ? a.offset < b.offset : a.seq < b.seq;
    });
    const size_t step_first = batch.size();
    for (const Pending& a : actions) Execute(a);
    // Liquidation bursts spread a few milliseconds past their action's offset: restore the
    // exchange-time order inside the step (stable, so one book message keeps its level order).
    StableSortEvents(batch.data() + step_first, batch.data() + batch.size(),
                     [](const Event& x, const Event& y) { return x.exchange_ts < y.exchange_ts; });
    t = t + p.step;
  }

  void Execute(const Pending& a) {
    Slot& s = slots[a.slot];
    switch (a.action) {
      case Action::kSnapshot:
      case Action::kBook:
        UpdateBook(s, mids[a.slot], a.offset, a.action == Action::kSnapshot);
        break;
      case Action::kTrade:
      case Action::kLiquidation: {
        if (!s.book.has) UpdateBook(s, mids[a.slot], a.offset, true);
        const bool liq = a.action == Action::kLiquidation;
        Side aggressor;
        if (liq) {
          aggressor = direction > 0 ? Side::kBuy : Side::kSell;
        } else {
          const int sell_pct = direction < 0 ? p.sell_share_falling_pct
                               : direction > 0 ? std::max(0, 100 - p.sell_share_falling_pct + 10)
                                               : 50;
          aggressor = rng.Below(100) < sell_pct ? Side::kSell : Side::kBuy;
        }
        const int prints = liq ? 1 + static_cast<int>(rng.Below(5)) : 1;
        for (int k = 0; k < prints; ++k) {
          // A burst's prints follow each other within a few milliseconds, inside the step.
          const int64_t off = std::min<int64_t>(a.offset + k * 3'000'000LL, p.step.ns - 1);
          Event e = Make(liq ? EventKind::kLiquidation : EventKind::kTrade, s, off);
          const int64_t cents = aggressor == Side::kBuy ? s.book.asks[0].cents : s.book.bids[0].cents;
          e.trade.price = Price(PriceRaw(s, cents));
          const double mult = liq ? 1.0 : 1.0 + 0.3 * (p.volume_surge_pct / 100.0 - 1.0) * stress;
          e.trade.qty = Qty(QtyRaw(s, DrawSize(liq ? p.liquidation_size_mean : p.trade_size_mean, mult)));
          e.trade.trade_id = ++s.trade_id;
          e.trade.aggressor = aggressor;
          batch.push_back(e);
        }
        break;
      }
      case Action::kMark: {
        Event idx = Make(EventKind::kIndexPrice, s, a.offset);
        idx.price.price = Price(PriceRaw(s, static_cast<int64_t>(std::llround(spot * 100.0))));
        batch.push_back(idx);
        Event mark = Make(EventKind::kMarkPrice, s, a.offset);
        mark.price.price = Price(PriceRaw(s, static_cast<int64_t>(std::llround(mids[1] * 100.0))));
        batch.push_back(mark);
        break;
      }
      case Action::kOi: {
        Event e = Make(EventKind::kOpenInterest, s, a.offset);
        const double noise = 1.0 + 0.001 * (2.0 * rng.Uniform() - 1.0);
        const int64_t size = static_cast<int64_t>(
            static_cast<double>(p.initial_oi[a.slot - 1]) * OiFactor(t) * noise);
        e.open_interest.qty = Qty(QtyRaw(s, std::max<int64_t>(size, 1)));
        batch.push_back(e);
        break;
      }
      case Action::kFunding: {
        Event e = Make(EventKind::kFundingRate, s, a.offset);
        e.funding.rate = Rate(static_cast<int64_t>(std::llround(funding * 1e8)));
        e.funding.funding_ts = next_funding;  // already advanced: the end of this interval
        batch.push_back(e);
        break;
      }
    }
  }

  void UpdateBook(Slot& s, double mid, int64_t offset, bool snapshot) {
    const double hs = mid * p.half_spread_bps / 10000.0 *
                      (1.0 + (p.crash_spread_mult_pct / 100.0 - 1.0) * stress);
    const int64_t g = p.book_grid_cents;
    int64_t bid = static_cast<int64_t>(std::floor((mid - hs) * 100.0 / static_cast<double>(g))) * g;
    int64_t ask = static_cast<int64_t>(std::ceil((mid + hs) * 100.0 / static_cast<double>(g))) * g;
    if (ask <= bid) ask = bid + g;
    if (bid <= 0) bid = g;
    const double thin = 1.0 - p.book_thinning_pct / 100.0 * stress;
    Book next;
    next.has = true;
    const size_t depth = static_cast<size_t>(p.book_depth);
    auto build = [&](const std::vector<Level>& old, int64_t best, int64_t dir, std::vector<Level>* out) {
      out->resize(depth);
      for (size_t k = 0; k < depth; ++k) {
        const int64_t cents = best + dir * static_cast<int64_t>(k) * g;
        int64_t qty = 0;
        // Deeper levels keep their size when their price survives, so that an update is a
        // diff of a few levels rather than a new book.
        if (k >= 2 && !snapshot) {
          for (const Level& l : old) {
            if (l.cents == cents) qty = l.qty;
          }
        }
        if (qty == 0) {
          qty = QtyRaw(s, DrawSize(p.level_size_mean, thin * (0.4 + 0.2 * static_cast<double>(k))));
        }
        (*out)[k] = Level{cents, qty};
      }
    };
    build(s.book.bids, bid, -1, &next.bids);
    build(s.book.asks, ask, 1, &next.asks);

    const size_t first = batch.size();
    const uint64_t update_id = ++s.update_id;
    auto emit = [&](Side side, const Level& l) {
      Event e = Make(EventKind::kBookLevel, s, offset);
      e.level.price = Price(PriceRaw(s, l.cents));
      e.level.qty = Qty(l.qty);
      e.level.update_id = update_id;
      e.level.side = side;
      e.level.flags = 0;
      batch.push_back(e);
    };
    auto diff = [&](Side side, const std::vector<Level>& old, const std::vector<Level>& now) {
      if (!snapshot) {
        for (const Level& o : old) {
          bool kept = false;
          for (const Level& n : now) kept = kept || n.cents == o.cents;
          if (!kept) emit(side, Level{o.cents, 0});
        }
      }
      for (const Level& n : now) {
        bool same = false;
        if (!snapshot) {
          for (const Level& o : old) same = same || (o.cents == n.cents && o.qty == n.qty);
        }
        if (!same) emit(side, n);
      }
    };
    diff(Side::kBuy, s.book.bids, next.bids);
    diff(Side::kSell, s.book.asks, next.asks);
    // All of one update shares one exchange time and one local time (one venue message).
    for (size_t i = first + 1; i < batch.size(); ++i) batch[i].local_ts = batch[first].local_ts;
    if (batch.size() > first) {
      if (snapshot) batch[first].level.flags |= kBookSnapshotBegin;
      batch.back().level.flags |= kBookEndOfMessage;
    }
    const bool top_changed = !s.book.has || s.book.bids[0].cents != next.bids[0].cents ||
                             s.book.bids[0].qty != next.bids[0].qty ||
                             s.book.asks[0].cents != next.asks[0].cents ||
                             s.book.asks[0].qty != next.asks[0].qty;
    s.book = std::move(next);
    if (top_changed) {
      Event q = Make(EventKind::kQuote, s, offset);
      if (batch.size() > first) q.local_ts = batch[first].local_ts;
      q.quote.bid = Price(PriceRaw(s, s.book.bids[0].cents));
      q.quote.bid_qty = Qty(s.book.bids[0].qty);
      q.quote.ask = Price(PriceRaw(s, s.book.asks[0].cents));
      q.quote.ask_qty = Qty(s.book.asks[0].qty);
      q.quote.update_id = update_id;
      batch.push_back(q);
    }
  }
};

ScenarioSource::ScenarioSource(std::unique_ptr<Model> model) : model_(std::move(model)) {}
ScenarioSource::~ScenarioSource() = default;

absl::StatusOr<std::unique_ptr<ScenarioSource>> ScenarioSource::Create(
    const ScenarioParams& params, uint64_t seed, const InstrumentTable& instruments) {
  auto m = std::make_unique<Model>();
  m->p = params;
  m->seed = seed;
  m->rng = Rng(seed);
  const std::vector<Instrument> defs = ScenarioInstruments(params);
  for (size_t i = 0; i < 4; ++i) {
    absl::StatusOr<InstrumentId> id = instruments.Find(defs[i].symbol);
    if (!id.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scenario: the run has no instrument ", defs[i].symbol,
          " (omit \"instruments\" from the run config to take the scenario's own)"));
    }
    const Instrument& in = instruments.at(*id);
    Model::Slot& s = m->slots[i];
    s.id = *id;
    s.price_scale = in.price_scale;
    s.qty_scale = in.qty_scale;
    s.tick = std::max<int64_t>(1, in.tick_size.raw);
    s.lot = std::max<int64_t>(1, in.lot_size.raw);
    s.multiplier_e8 = in.contract_multiplier_e8 > 0 ? in.contract_multiplier_e8 : 100'000'000;
  }
  m->Init();
  return std::unique_ptr<ScenarioSource>(new ScenarioSource(std::move(m)));
}

absl::StatusOr<std::span<const Event>> ScenarioSource::NextBatch() {
  Model& m = *model_;
  m.batch.clear();
  while (m.batch.size() < 4096 && m.t < m.p.end) m.Step();
  return std::span<const Event>(m.batch.data(), m.batch.size());
}

std::string ScenarioSource::Describe() const {
  return absl::StrCat("scenario deleveraging (seed ", model_->seed, ")");
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenScenario(const SourceSpec& spec,
                                                          const InstrumentTable& instruments) {
  TAPEDECK_ASSIGN_OR_RETURN(ScenarioParams p, LoadScenarioParams(spec.path, spec.options, spec.where));
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<ScenarioSource> s,
                            ScenarioSource::Create(p, spec.seed, instruments));
  return std::unique_ptr<EventSource>(std::move(s));
}

absl::StatusOr<std::vector<Instrument>> ScenarioSourceInstruments(const SourceSpec& spec) {
  TAPEDECK_ASSIGN_OR_RETURN(ScenarioParams p, LoadScenarioParams(spec.path, spec.options, spec.where));
  return ScenarioInstruments(p);
}

}  // namespace tapedeck::replay
