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

namespace tapedeck::replay {
namespace {

constexpr int64_t kYearNs = 365LL * 86'400LL * 1'000'000'000LL;
constexpr int kSizeScale = 5;   // model sizes count 10^-5 BTC
constexpr int kPriceScale = 2;  // model prices count cents
constexpr const char* kSlotNames[4] = {"spot", "perp", "near", "far"};

// splitmix64: seeds the generator and derives family seeds.
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

__extension__ typedef unsigned __int128 UInt128;

// xoshiro256** (Blackman and Vigna), written from its published definition.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& w : s_) w = SplitMix64(&sm);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (multiply-shift; the bias is below 2^-40 for our n).
  int64_t Below(int64_t n) {
    const UInt128 m = static_cast<UInt128>(Next()) * static_cast<uint64_t>(n);
    return static_cast<int64_t>(m >> 64);
  }
  // Approximately standard normal: Irwin-Hall sum of 12 uniforms (no libm, same bits everywhere).
  double Normal() {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += Uniform();
    return sum - 6.0;
  }
  // Number of events of a process with mean `lambda` in one step: a binomial with enough trials
  // that it is close to Poisson for the rates we use.
  int Count(double lambda) {
    if (lambda <= 0) return 0;
    const int n = std::max(4, static_cast<int>(lambda * 3.0) + 1);
    const double p = lambda / n;
    int k = 0;
    for (int i = 0; i < n; ++i) k += Uniform() < p ? 1 : 0;
    return k;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Linear interpolation of a on [t0, t1] to b, at t.
double Lerp(double a, double b, Timestamp t0, Timestamp t1, Timestamp t) {
  if (t1 <= t0) return b;
  const double f = static_cast<double>(t.ns - t0.ns) / static_cast<double>(t1.ns - t0.ns);
  return a + (b - a) * std::clamp(f, 0.0, 1.0);
}

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

// Rounds `value` to the nearest multiple of `step` (> 0), half away from zero.
int64_t RoundTo(int64_t value, int64_t step) {
  const int64_t half = step / 2;
  const int64_t q = (value >= 0 ? value + half : value - half) / step;
  return q * step;
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
