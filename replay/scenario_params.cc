// The scenario's parameters: read from JSON and written back, validated, the family of
// scenarios drawn around a base, and the instruments the scenario trades (replay/scenario.h).
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
using scenario_internal::kSlotNames;
using scenario_internal::Rng;
using scenario_internal::SplitMix64;

namespace {

std::string FormatDurationText(Duration d) {
  struct Unit { int64_t ns; const char* name; };
  static constexpr Unit kUnits[] = {{86'400'000'000'000LL, "d"}, {3'600'000'000'000LL, "h"},
                                    {60'000'000'000LL, "m"},     {1'000'000'000LL, "s"},
                                    {1'000'000LL, "ms"},         {1'000LL, "us"}};
  for (const Unit& u : kUnits) {
    if (d.ns != 0 && d.ns % u.ns == 0) return absl::StrCat(d.ns / u.ns, u.name);
  }
  return absl::StrCat(d.ns, "ns");
}


}  // namespace

// ---------------------------------------------------------------------------------------------
// Parameters

nlohmann::json ScenarioParamsToJson(const ScenarioParams& p) {
  using nlohmann::json;
  auto slots4 = [](const std::array<double, 4>& a) {
    return json{{"spot", a[0]}, {"perp", a[1]}, {"near", a[2]}, {"far", a[3]}};
  };
  return json{
      {"start", FormatTimestamp(p.start)},
      {"end", FormatTimestamp(p.end)},
      {"day_open", FormatTimestamp(p.day_open)},
      {"first_leg_start", FormatTimestamp(p.first_leg_start)},
      {"first_leg_end", FormatTimestamp(p.first_leg_end)},
      {"second_leg_start", FormatTimestamp(p.second_leg_start)},
      {"low_time", FormatTimestamp(p.low_time)},
      {"day_close", FormatTimestamp(p.day_close)},
      {"rebound_peak", FormatTimestamp(p.rebound_peak)},
      {"near_expiry", FormatTimestamp(p.near_expiry)},
      {"far_expiry", FormatTimestamp(p.far_expiry)},
      {"step", FormatDurationText(p.step)},
      {"initial_price", FormatDecimal(p.initial_price_cents, kPriceScale)},
      {"calm_drift_bps", p.calm_drift_bps},
      {"pre_leg_drift_bps", p.pre_leg_drift_bps},
      {"first_leg_bps", p.first_leg_bps},
      {"bounce_bps", p.bounce_bps},
      {"fall_bps", p.fall_bps},
      {"base_recovery_bps", p.base_recovery_bps},
      {"rebound_bps", p.rebound_bps},
      {"tail_drift_bps", p.tail_drift_bps},
      {"noise_bps", p.noise_bps},
      {"crash_noise_mult_pct", p.crash_noise_mult_pct},
      {"noise_reversion", FormatDurationText(p.noise_reversion)},
      {"calm_only", p.calm_only},
      {"calm_basis_bps", p.calm_basis_bps},
      {"blowout_basis_bps", p.blowout_basis_bps},
      {"rebound_basis_bps", p.rebound_basis_bps},
      {"far_calm_basis_bps", p.far_calm_basis_bps},
      {"far_blowout_share_pct", p.far_blowout_share_pct},
      {"basis_noise_bps", p.basis_noise_bps},
      {"basis_reversion", FormatDurationText(p.basis_reversion)},
      {"perp_basis_share_pct", p.perp_basis_share_pct},
      {"funding_interval", FormatDurationText(p.funding_interval)},
      {"book_rate", slots4(p.book_rate)},
      {"trade_rate", slots4(p.trade_rate)},
      {"volume_surge_pct", p.volume_surge_pct},
      {"book_rate_surge_pct", p.book_rate_surge_pct},
      {"liquidation_rate", p.liquidation_rate},
      {"calm_liquidation_rate", p.calm_liquidation_rate},
      {"sell_share_falling_pct", p.sell_share_falling_pct},
      {"trade_size_mean", FormatDecimal(p.trade_size_mean, kSizeScale)},
      {"liquidation_size_mean", FormatDecimal(p.liquidation_size_mean, kSizeScale)},
      {"book_depth", p.book_depth},
      {"book_grid", FormatDecimal(p.book_grid_cents, kPriceScale)},
      {"half_spread_bps", p.half_spread_bps},
      {"crash_spread_mult_pct", p.crash_spread_mult_pct},
      {"level_size_mean", FormatDecimal(p.level_size_mean, kSizeScale)},
      {"book_thinning_pct", p.book_thinning_pct},
      {"initial_oi", json{{"perp", FormatDecimal(p.initial_oi[0], kSizeScale)},
                          {"near", FormatDecimal(p.initial_oi[1], kSizeScale)},
                          {"far", FormatDecimal(p.initial_oi[2], kSizeScale)}}},
      {"oi_fall_bps", p.oi_fall_bps},
      {"oi_rebuild_bps", p.oi_rebuild_bps},
      {"oi_interval", FormatDurationText(p.oi_interval)},
      {"mark_interval", FormatDurationText(p.mark_interval)},
      {"latency_base", FormatDurationText(p.latency_base)},
      {"latency_jitter", FormatDurationText(p.latency_jitter)},
      {"latency_spike", FormatDurationText(p.latency_spike)},
      {"leg_stress_pct", p.leg_stress_pct},
      {"bounce_stress_pct", p.bounce_stress_pct},
      {"post_low_stress_pct", p.post_low_stress_pct},
      {"rebound_stress_pct", p.rebound_stress_pct},
      {"family_jitter_pct", p.family_jitter_pct},
      {"family_time_jitter", FormatDurationText(p.family_time_jitter)},
  };
}

namespace {

absl::Status ReadSlots4(ConfigObject& c, std::string_view key, std::array<double, 4>* out) {
  if (!c.Has(key)) {
    c.Raw(key);
    return absl::OkStatus();
  }
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o, c.Object(key));
  for (size_t i = 0; i < 4; ++i) {
    TAPEDECK_RETURN_IF_ERROR(o.Double(kSlotNames[i], &(*out)[i]));
    if ((*out)[i] < 0 || (*out)[i] > 1000) return o.Error(kSlotNames[i], "must be in [0, 1000]");
  }
  return o.Finish();
}

absl::Status Validate(ConfigObject& c, const ScenarioParams& p) {
  const std::pair<const char*, Timestamp> order[] = {
      {"start", p.start},         {"day_open", p.day_open},
      {"first_leg_start", p.first_leg_start}, {"first_leg_end", p.first_leg_end},
      {"second_leg_start", p.second_leg_start}, {"low_time", p.low_time},
      {"day_close", p.day_close}, {"rebound_peak", p.rebound_peak},
      {"end", p.end},             {"near_expiry", p.near_expiry},
      {"far_expiry", p.far_expiry}};
  for (size_t i = 1; i < std::size(order); ++i) {
    if (order[i].second < order[i - 1].second) {
      return c.Error(order[i].first, absl::StrCat("must not be before ", order[i - 1].first));
    }
  }
  if (p.end <= p.start) return c.Error("end", "must be after start");
  if (p.near_expiry <= p.end) return c.Error("near_expiry", "must be after end");
  if (p.step.ns <= 0) return c.Error("step", "must be positive");
  const std::pair<const char*, Duration> multiples[] = {{"oi_interval", p.oi_interval},
                                                        {"mark_interval", p.mark_interval},
                                                        {"funding_interval", p.funding_interval}};
  for (const auto& [name, d] : multiples) {
    if (d.ns <= 0 || d.ns % p.step.ns != 0) return c.Error(name, "must be a positive multiple of step");
  }
  if (p.initial_price_cents <= 0) return c.Error("initial_price", "must be positive");
  const std::pair<const char*, int> bps[] = {
      {"calm_drift_bps", p.calm_drift_bps},   {"pre_leg_drift_bps", p.pre_leg_drift_bps},
      {"first_leg_bps", p.first_leg_bps},     {"bounce_bps", p.bounce_bps},
      {"fall_bps", p.fall_bps},               {"base_recovery_bps", p.base_recovery_bps},
      {"rebound_bps", p.rebound_bps},         {"tail_drift_bps", p.tail_drift_bps},
      {"oi_fall_bps", p.oi_fall_bps},         {"oi_rebuild_bps", p.oi_rebuild_bps}};
  for (const auto& [name, v] : bps) {
    if (v <= -9000 || v >= 9000) return c.Error(name, "must be in (-9000, 9000)");
  }
  const std::pair<const char*, int> nonneg[] = {
      {"noise_bps", p.noise_bps},
      {"crash_noise_mult_pct", p.crash_noise_mult_pct},
      {"basis_noise_bps", p.basis_noise_bps},
      {"volume_surge_pct", p.volume_surge_pct},
      {"book_rate_surge_pct", p.book_rate_surge_pct},
      {"half_spread_bps", p.half_spread_bps},
      {"crash_spread_mult_pct", p.crash_spread_mult_pct},
      {"far_blowout_share_pct", p.far_blowout_share_pct},
      {"perp_basis_share_pct", p.perp_basis_share_pct},
      {"family_jitter_pct", p.family_jitter_pct}};
  for (const auto& [name, v] : nonneg) {
    if (v < 0 || v > 100'000) return c.Error(name, "must be in [0, 100000]");
  }
  const std::pair<const char*, int> pct[] = {
      {"sell_share_falling_pct", p.sell_share_falling_pct},
      {"book_thinning_pct", p.book_thinning_pct},
      {"leg_stress_pct", p.leg_stress_pct},
      {"bounce_stress_pct", p.bounce_stress_pct},
      {"post_low_stress_pct", p.post_low_stress_pct},
      {"rebound_stress_pct", p.rebound_stress_pct}};
  for (const auto& [name, v] : pct) {
    if (v < 0 || v > 100) return c.Error(name, "must be a percentage in [0, 100]");
  }
  if (p.book_thinning_pct > 95) return c.Error("book_thinning_pct", "must be at most 95");
  if (p.book_depth < 1 || p.book_depth > 50) return c.Error("book_depth", "must be in [1, 50]");
  if (p.book_grid_cents <= 0) return c.Error("book_grid", "must be positive");
  if (p.trade_size_mean <= 0) return c.Error("trade_size_mean", "must be positive");
  if (p.liquidation_size_mean <= 0) return c.Error("liquidation_size_mean", "must be positive");
  if (p.level_size_mean <= 0) return c.Error("level_size_mean", "must be positive");
  if (p.liquidation_rate < 0 || p.liquidation_rate > 100) {
    return c.Error("liquidation_rate", "must be in [0, 100]");
  }
  if (p.calm_liquidation_rate < 0 || p.calm_liquidation_rate > 100) {
    return c.Error("calm_liquidation_rate", "must be in [0, 100]");
  }
  for (int64_t oi : p.initial_oi) {
    if (oi < 0) return c.Error("initial_oi", "must not be negative");
  }
  const std::pair<const char*, Duration> nonneg_d[] = {
      {"noise_reversion", p.noise_reversion}, {"basis_reversion", p.basis_reversion},
      {"latency_base", p.latency_base},       {"latency_jitter", p.latency_jitter},
      {"latency_spike", p.latency_spike},     {"family_time_jitter", p.family_time_jitter}};
  for (const auto& [name, d] : nonneg_d) {
    if (d.ns < 0) return c.Error(name, "must not be negative");
  }
  if (p.noise_reversion.ns == 0) return c.Error("noise_reversion", "must be positive");
  if (p.basis_reversion.ns == 0) return c.Error("basis_reversion", "must be positive");
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseScenarioParams(const nlohmann::json& json, const std::string& where,
                                 ScenarioParams* p) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject c, ConfigObject::Of(&json, where));
  const std::pair<const char*, Timestamp*> times[] = {
      {"start", &p->start},         {"end", &p->end},
      {"day_open", &p->day_open},   {"first_leg_start", &p->first_leg_start},
      {"first_leg_end", &p->first_leg_end}, {"second_leg_start", &p->second_leg_start},
      {"low_time", &p->low_time},   {"day_close", &p->day_close},
      {"rebound_peak", &p->rebound_peak}, {"near_expiry", &p->near_expiry},
      {"far_expiry", &p->far_expiry}};
  for (const auto& [name, t] : times) TAPEDECK_RETURN_IF_ERROR(c.TimestampValue(name, t));
  const std::pair<const char*, Duration*> durations[] = {
      {"step", &p->step},
      {"noise_reversion", &p->noise_reversion},
      {"basis_reversion", &p->basis_reversion},
      {"funding_interval", &p->funding_interval},
      {"oi_interval", &p->oi_interval},
      {"mark_interval", &p->mark_interval},
      {"latency_base", &p->latency_base},
      {"latency_jitter", &p->latency_jitter},
      {"latency_spike", &p->latency_spike},
      {"family_time_jitter", &p->family_time_jitter}};
  for (const auto& [name, d] : durations) TAPEDECK_RETURN_IF_ERROR(c.DurationValue(name, d));
  const std::pair<const char*, int*> ints[] = {
      {"calm_drift_bps", &p->calm_drift_bps},
      {"pre_leg_drift_bps", &p->pre_leg_drift_bps},
      {"first_leg_bps", &p->first_leg_bps},
      {"bounce_bps", &p->bounce_bps},
      {"fall_bps", &p->fall_bps},
      {"base_recovery_bps", &p->base_recovery_bps},
      {"rebound_bps", &p->rebound_bps},
      {"tail_drift_bps", &p->tail_drift_bps},
      {"noise_bps", &p->noise_bps},
      {"crash_noise_mult_pct", &p->crash_noise_mult_pct},
      {"calm_basis_bps", &p->calm_basis_bps},
      {"blowout_basis_bps", &p->blowout_basis_bps},
      {"rebound_basis_bps", &p->rebound_basis_bps},
      {"far_calm_basis_bps", &p->far_calm_basis_bps},
      {"far_blowout_share_pct", &p->far_blowout_share_pct},
      {"basis_noise_bps", &p->basis_noise_bps},
      {"perp_basis_share_pct", &p->perp_basis_share_pct},
      {"volume_surge_pct", &p->volume_surge_pct},
      {"book_rate_surge_pct", &p->book_rate_surge_pct},
      {"sell_share_falling_pct", &p->sell_share_falling_pct},
      {"book_depth", &p->book_depth},
      {"half_spread_bps", &p->half_spread_bps},
      {"crash_spread_mult_pct", &p->crash_spread_mult_pct},
      {"book_thinning_pct", &p->book_thinning_pct},
      {"oi_fall_bps", &p->oi_fall_bps},
      {"oi_rebuild_bps", &p->oi_rebuild_bps},
      {"leg_stress_pct", &p->leg_stress_pct},
      {"bounce_stress_pct", &p->bounce_stress_pct},
      {"post_low_stress_pct", &p->post_low_stress_pct},
      {"rebound_stress_pct", &p->rebound_stress_pct},
      {"family_jitter_pct", &p->family_jitter_pct}};
  for (const auto& [name, v] : ints) TAPEDECK_RETURN_IF_ERROR(c.Int(name, v));
  TAPEDECK_RETURN_IF_ERROR(c.Bool("calm_only", &p->calm_only));
  TAPEDECK_RETURN_IF_ERROR(c.Decimal("initial_price", kPriceScale, &p->initial_price_cents));
  TAPEDECK_RETURN_IF_ERROR(c.Decimal("book_grid", kPriceScale, &p->book_grid_cents));
  TAPEDECK_RETURN_IF_ERROR(c.Decimal("trade_size_mean", kSizeScale, &p->trade_size_mean));
  TAPEDECK_RETURN_IF_ERROR(
      c.Decimal("liquidation_size_mean", kSizeScale, &p->liquidation_size_mean));
  TAPEDECK_RETURN_IF_ERROR(c.Decimal("level_size_mean", kSizeScale, &p->level_size_mean));
  TAPEDECK_RETURN_IF_ERROR(c.Double("liquidation_rate", &p->liquidation_rate));
  TAPEDECK_RETURN_IF_ERROR(c.Double("calm_liquidation_rate", &p->calm_liquidation_rate));
  TAPEDECK_RETURN_IF_ERROR(ReadSlots4(c, "book_rate", &p->book_rate));
  TAPEDECK_RETURN_IF_ERROR(ReadSlots4(c, "trade_rate", &p->trade_rate));
  if (c.Has("initial_oi")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o, c.Object("initial_oi"));
    for (size_t i = 0; i < 3; ++i) {
      TAPEDECK_RETURN_IF_ERROR(o.Decimal(kSlotNames[i + 1], kSizeScale, &p->initial_oi[i]));
    }
    TAPEDECK_RETURN_IF_ERROR(o.Finish());
  }
  TAPEDECK_RETURN_IF_ERROR(c.Finish());
  return Validate(c, *p);
}

absl::StatusOr<ScenarioParams> LoadScenarioParams(const std::string& path,
                                                  const nlohmann::json& overrides,
                                                  const std::string& where) {
  nlohmann::json doc = nlohmann::json::object();
  std::string doc_where = where;
  if (!path.empty()) {
    TAPEDECK_RETURN_IF_ERROR(LoadConfigJson(path, &doc));
    if (!doc.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": scenario parameters must be a JSON object"));
    }
    doc_where = path;
  }
  ScenarioParams p;
  TAPEDECK_RETURN_IF_ERROR(ParseScenarioParams(doc, doc_where, &p));
  if (!overrides.is_null() && !overrides.empty()) {
    TAPEDECK_RETURN_IF_ERROR(ParseScenarioParams(overrides, absl::StrCat(where, ".options"), &p));
  }
  return p;
}

uint64_t FamilySeed(uint64_t family_seed, int index) {
  uint64_t s = family_seed ^ (0xD1B54A32D192ED03ULL * (static_cast<uint64_t>(index) + 1));
  return SplitMix64(&s);
}

ScenarioParams FamilyMember(const ScenarioParams& base, uint64_t family_seed, int index) {
  // A different stream from the member's generator seed, so that the jitter and the paths are
  // independent draws.
  Rng rng(FamilySeed(family_seed, index) ^ 0x5CE4A210F00DULL);
  const double j = base.family_jitter_pct / 100.0;
  auto scale = [&](int v) {
    return static_cast<int>(std::llround(v * (1.0 + j * (2.0 * rng.Uniform() - 1.0))));
  };
  ScenarioParams p = base;
  p.fall_bps = std::clamp(scale(base.fall_bps), 100, 8900);
  p.first_leg_bps = std::clamp(scale(base.first_leg_bps), 50, p.fall_bps);
  p.bounce_bps = std::clamp(scale(base.bounce_bps), 0, 8900);
  p.rebound_bps = std::clamp(scale(base.rebound_bps), 0, 8900);
  p.blowout_basis_bps = base.calm_basis_bps + scale(base.blowout_basis_bps - base.calm_basis_bps);
  p.rebound_basis_bps = base.calm_basis_bps + scale(base.rebound_basis_bps - base.calm_basis_bps);
  p.oi_fall_bps = std::clamp(scale(base.oi_fall_bps), 0, 8900);
  // One shift for the whole cascade, whole steps, kept inside the deleveraging day.
  const int64_t jt = base.family_time_jitter.ns / base.step.ns;
  int64_t shift = jt > 0 ? (rng.Below(2 * jt + 1) - jt) * base.step.ns : 0;
  shift = std::max(shift, base.day_open.ns - base.first_leg_start.ns);
  shift = std::min(shift, base.day_close.ns - base.low_time.ns);
  p.first_leg_start = base.first_leg_start + Duration(shift);
  p.first_leg_end = base.first_leg_end + Duration(shift);
  p.second_leg_start = base.second_leg_start + Duration(shift);
  p.low_time = base.low_time + Duration(shift);
  return p;
}

std::vector<Instrument> ScenarioInstruments(const ScenarioParams& p) {
  std::vector<Instrument> out;
  auto make = [&](const char* symbol, InstrumentKind kind, int qty_scale, int64_t tick,
                  int64_t maker_e8, int64_t taker_e8, Timestamp expiry) {
    Instrument in;
    in.id = InstrumentId(static_cast<uint16_t>(out.size()));
    in.symbol = symbol;
    in.kind = kind;
    in.base = "BTC";
    in.quote = "USD";
    in.price_scale = 2;
    in.qty_scale = qty_scale;
    in.tick_size = Price(tick);
    in.lot_size = Qty(1);
    in.contract_multiplier_e8 = 100'000'000;  // linear: 1 BTC per unit of quantity
    in.maker_fee = Rate(maker_e8);
    in.taker_fee = Rate(taker_e8);
    in.expiry = expiry;
    out.push_back(std::move(in));
  };
  // Fees (maker / taker), institutional tiers: spot 0.5 / 1 bp, derivatives 0.5 / 1.5 bps.
  make("BTC-SPOT", InstrumentKind::kSpot, 5, 1, 5'000, 10'000, Timestamp());
  make("BTC-PERP", InstrumentKind::kPerpetual, 3, 10, 5'000, 15'000, Timestamp());
  make("BTC-FUT-NEAR", InstrumentKind::kDatedFuture, 3, 50, 5'000, 15'000, p.near_expiry);
  make("BTC-FUT-FAR", InstrumentKind::kDatedFuture, 3, 50, 5'000, 15'000, p.far_expiry);
  return out;
}
}  // namespace tapedeck::replay
