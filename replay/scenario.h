// The 2026-02-05 deleveraging scenario: a seeded, synthetic multi-instrument BTC market (spot, a
// perpetual, a near and a far dated future) in three phases: calm, the deleveraging day and the
// rebound. It is an EventSource, so a run uses it directly ("format": "scenario") and `convert` /
// `tapedeck gen` can write it to a tape.
//
// What it emits, per instrument (ids follow ScenarioInstruments: 0 spot, 1 perp, 2 near, 3 far):
//   kBookLevel  an L2 book of `book_depth` levels per side on a price grid of `book_grid`; the
//               first event of the stream for an instrument is a full snapshot
//               (kBookSnapshotBegin on its first level), later updates are diffs; the last level
//               of every update carries kBookEndOfMessage;
//   kQuote      after every book update whose top of book changed;
//   kTrade      at the touch, with the aggressor side; sellers dominate while the price falls;
//   kLiquidation  perp and futures only: bursts of forced orders while the market moves fast;
//   kOpenInterest perp and futures, every `oi_interval`;
//   kMarkPrice / kIndexPrice  perp, every `mark_interval`;
//   kFundingRate  perp, at the start and at every 8-hour funding time: the rate for the interval
//               that ends at funding_ts.
// local_ts - exchange_ts (feed latency) is `latency_base` plus jitter, plus a spike that follows
// the market's stress.
//
// The price path is a piecewise-linear target through anchors (see ScenarioParams) plus an
// Ornstein-Uhlenbeck deviation; the near-month annualised basis follows its own piecewise target
// plus noise; futures mids are spot x (1 + basis x time-to-expiry). Floating point is used only
// inside this model, with + - * / and sqrt (correctly rounded in IEEE 754), never libm's
// transcendental functions, and every emitted price and size is rounded to integers: the output
// is a pure function of (params, seed).
#ifndef TAPEDECK_REPLAY_SCENARIO_H_
#define TAPEDECK_REPLAY_SCENARIO_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "core/types.h"
#include "nlohmann/json.hpp"
#include "replay/source_factory.h"

namespace tapedeck::replay {

// Every figure of the scenario. The defaults ARE the built-in scenario (`make run` needs no
// file); configs/scenarios/deleveraging.json holds the same values (a test checks they agree).
// Units: "bps" = 1/10000; prices are USD decimals at 2 places (raw cents); rates are per second.
struct ScenarioParams {
  // --- time line ---
  Timestamp start{1'770'163'200'000'000'000};      // 2026-02-04T00:00:00Z; first event
  Timestamp end{1'770'422'400'000'000'000};        // 2026-02-07T00:00:00Z; no event at or after
  Timestamp day_open{1'770'249'600'000'000'000};   // 2026-02-05T00:00:00Z; deleveraging day opens
  Timestamp first_leg_start{1'770'296'400'000'000'000};  // 2026-02-05T13:00:00Z
  Timestamp first_leg_end{1'770'301'800'000'000'000};    // 2026-02-05T14:30:00Z; first-leg low
  Timestamp second_leg_start{1'770'303'600'000'000'000}; // 2026-02-05T15:00:00Z; bounce ends
  Timestamp low_time{1'770'314'400'000'000'000};         // 2026-02-05T18:00:00Z; cascade low
  Timestamp day_close{1'770'336'000'000'000'000};  // 2026-02-06T00:00:00Z; rebound starts
  Timestamp rebound_peak{1'770'408'000'000'000'000};     // 2026-02-06T20:00:00Z
  Timestamp near_expiry{1'772'179'200'000'000'000};      // 2026-02-27T08:00:00Z
  Timestamp far_expiry{1'774'598'400'000'000'000};       // 2026-03-27T08:00:00Z
  Duration step = Duration::Seconds(1);  // model step: rates are drawn per step

  // --- price path (spot mid, USD) ---
  int64_t initial_price_cents = 6'900'000;  // "69000": spot mid at `start`
  int calm_drift_bps = 0;          // change from `start` to `day_open`
  int pre_leg_drift_bps = -150;    // change from `day_open` to `first_leg_start`
  int first_leg_bps = 700;         // first-leg low = day open x (1 - this)
  int bounce_bps = 150;            // bounce from the first-leg low, up to `second_leg_start`
  int fall_bps = 1300;             // cascade low = day open x (1 - this): about 60,000
  int base_recovery_bps = 200;     // from the low to `day_close`
  int rebound_bps = 1000;          // rebound peak = low x (1 + this), at `rebound_peak`
  int tail_drift_bps = -100;       // from the rebound peak to `end`
  int noise_bps = 15;              // stationary std of the price deviation from the path, calm
  int crash_noise_mult_pct = 200;  // noise scale at full stress, percent of calm
  Duration noise_reversion = Duration::Minutes(30);  // OU mean-reversion time of that deviation
  bool calm_only = false;          // no deleveraging: calm drift, calm basis, no stress throughout

  // --- basis and funding (annualised, bps) ---
  int calm_basis_bps = 330;        // near-month annualised basis before the first leg
  int blowout_basis_bps = 900;     // reached at `low_time`, held to `day_close`
  int rebound_basis_bps = 400;     // reached at `end`
  int far_calm_basis_bps = 380;    // far-month annualised basis, calm
  int far_blowout_share_pct = 60;  // far basis moves this percent of the near basis' move
  int basis_noise_bps = 10;        // stationary std of the annualised near basis noise
  Duration basis_reversion = Duration::Minutes(10);
  int perp_basis_share_pct = 100;  // perp annualised funding = this percent of the near basis
  Duration funding_interval = Duration::Hours(8);

  // --- activity ---
  // Per-second event rates at calm, per instrument [spot, perp, near, far].
  std::array<double, 4> book_rate{0.15, 0.20, 0.08, 0.05};   // book updates / s
  std::array<double, 4> trade_rate{0.30, 0.50, 0.12, 0.06};  // trades / s
  int volume_surge_pct = 600;      // trade rate and size at full stress, percent of calm
  int book_rate_surge_pct = 250;   // book update rate at full stress, percent of calm
  double liquidation_rate = 0.12;  // liquidation bursts / s per derivative at full stress
  double calm_liquidation_rate = 0.0005;  // liquidation bursts / s per derivative, calm
  int sell_share_falling_pct = 70; // share of sell aggressors while the path falls fast
  int64_t trade_size_mean = 20'000;       // mean trade size, 10^-5 BTC ("0.2")
  int64_t liquidation_size_mean = 150'000;  // mean liquidation print, 10^-5 BTC ("1.5")

  // --- books ---
  int book_depth = 5;              // levels per side
  int64_t book_grid_cents = 500;   // "5": level spacing, USD
  int half_spread_bps = 1;         // half spread, calm (the touch is rounded out to the grid)
  int crash_spread_mult_pct = 300; // half spread at full stress, percent of calm
  int64_t level_size_mean = 150'000;  // mean level size, 10^-5 BTC ("1.5")
  int book_thinning_pct = 65;      // level sizes shrink by this percent at full stress

  // --- open interest (BTC, for perp / near / far) ---
  std::array<int64_t, 3> initial_oi{8'000'000'000, 2'500'000'000, 1'200'000'000};  // 10^-5 BTC
  int oi_fall_bps = 2500;          // OI lost from the first leg to `day_close`
  int oi_rebuild_bps = 800;        // OI regained over the rebound, of the initial
  Duration oi_interval = Duration::Minutes(1);
  Duration mark_interval = Duration::Seconds(5);

  // --- feed latency ---
  Duration latency_base = Duration::Millis(5);
  Duration latency_jitter = Duration::Millis(2);
  Duration latency_spike = Duration::Millis(400);  // extra latency at full stress

  // --- stress profile (0..100 percent) ---
  int leg_stress_pct = 100;        // during both legs of the fall
  int bounce_stress_pct = 60;      // during the bounce between the legs
  int post_low_stress_pct = 50;    // right after the low, decaying to `rebound_stress_pct`
  int rebound_stress_pct = 25;     // over the rebound day

  // --- family mode ---
  int family_jitter_pct = 20;      // fall, rebound, basis and leg sizes drawn in +-this percent
  Duration family_time_jitter = Duration::Hours(2);  // leg and low times shifted by up to this

  friend bool operator==(const ScenarioParams&, const ScenarioParams&) = default;
};

// Reads parameters from `json` over `*params` (keys as in ToJson; unknown keys are errors naming
// the key path under `where`) and validates the whole set.
absl::Status ParseScenarioParams(const nlohmann::json& json, const std::string& where,
                                 ScenarioParams* params);
// The parameters as JSON, in the shape of configs/scenarios/deleveraging.json.
nlohmann::json ScenarioParamsToJson(const ScenarioParams& params);
// Loads `path` (empty: the built-in defaults) and applies `overrides` (single keys) on top.
absl::StatusOr<ScenarioParams> LoadScenarioParams(const std::string& path,
                                                  const nlohmann::json& overrides,
                                                  const std::string& where);

// Member `index` of a family derived from `base` and `family_seed`: fall, rebound, basis and
// timing jittered within family_jitter_pct / family_time_jitter. Deterministic.
ScenarioParams FamilyMember(const ScenarioParams& base, uint64_t family_seed, int index);
// The generator seed of family member `index`.
uint64_t FamilySeed(uint64_t family_seed, int index);

// BTC-SPOT, BTC-PERP, BTC-FUT-NEAR, BTC-FUT-FAR (ids 0..3) with their scales, ticks, lots, fees.
std::vector<Instrument> ScenarioInstruments(const ScenarioParams& params);

// The generator. Ids of emitted events are those of `instruments` found by symbol; every scenario
// symbol must be present.
class ScenarioSource final : public EventSource {
 public:
  static absl::StatusOr<std::unique_ptr<ScenarioSource>> Create(const ScenarioParams& params,
                                                                uint64_t seed,
                                                                const InstrumentTable& instruments);
  ~ScenarioSource() override;

  absl::StatusOr<std::span<const Event>> NextBatch() override;
  std::string Describe() const override;

 private:
  struct Model;
  explicit ScenarioSource(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

// Registered in formats.cc as "scenario".
absl::StatusOr<std::unique_ptr<EventSource>> OpenScenario(const SourceSpec& spec,
                                                          const InstrumentTable& instruments);
absl::StatusOr<std::vector<Instrument>> ScenarioSourceInstruments(const SourceSpec& spec);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_SCENARIO_H_
