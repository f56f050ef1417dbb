// basis_reentry: the cash-and-carry trade, re-entered after a forced unwind.
//
// Long `spot`, short `future` (a dated future or a perpetual) in equal notional while the
// annualised basis is rich:
//   dated future  basis = (future mid - spot mid) / spot mid x year / time to expiry
//   perpetual     basis = the last funding rate x year / `funding_interval` (before the first
//                 funding event: the mid premium annualised over one funding interval)
// all in integer basis points, averaged over the last `smooth_window` (legs quote at different
// moments, so a single pair of mids is noisy). The basis is sampled every `sample_interval`; a forced-unwind
// signature is a rise of at least `jump_bps` above the lowest sample of the last `jump_window`.
//
// Entry: basis >= `entry_basis_bps` and (unless `require_unwind` is false) a signature within the
// last `signature_ttl`; for dated futures, more than `exit_before_expiry` left to expiry; not
// within `cooldown` of the last exit.
// Exit, the first of: convergence (basis <= `exit_basis_bps`), `exit_before_expiry` before
// expiry, or margin use on the short leg >= `margin_limit_pct`, where margin use =
//   (current short notional x `initial_margin_bps` + the short leg's unrealised loss)
//   / (entry short notional x `collateral_bps`).
// Legs: both orders go out together (market orders, or limits at the touch shifted by the legs'
// offsets). If after `leg_timeout` a leg is still incomplete, its remainder is cancelled and, one
// `hedge_delay` later (so that late fills are counted), the residual delta is hedged with a market
// order on the leg that has the excess; on exit, any leg not yet flat is closed at market.
//
// The parameters, with units and defaults, are declared once in basis_reentry.cc (kParams) and
// listed by `tapedeck strategies`. The rounds are reported as a "Basis rounds" section of the
// run report (Sections), with a chart of the spread between the legs.
#ifndef TAPEDECK_STRATEGIES_BASIS_REENTRY_H_
#define TAPEDECK_STRATEGIES_BASIS_REENTRY_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/strategy.h"

namespace tapedeck::strategies {

struct BasisReentryParams {
  InstrumentId spot;
  InstrumentId future;
  Qty qty;
  int64_t entry_basis_bps = 750;
  int64_t exit_basis_bps = 450;
  bool require_unwind = true;
  int64_t jump_bps = 300;
  Duration jump_window = Duration::Hours(6);
  Duration signature_ttl = Duration::Hours(24);
  Duration sample_interval = Duration::Minutes(1);
  Duration exit_before_expiry = Duration::Days(2);
  int64_t initial_margin_bps = 1000;
  int64_t collateral_bps = 3500;
  int64_t margin_limit_pct = 80;
  bool limit_legs = false;
  int64_t spot_offset_bps = 0;
  int64_t future_offset_bps = 0;
  Duration leg_timeout = Duration::Seconds(30);
  Duration hedge_delay = Duration::Seconds(1);
  Duration cooldown = Duration::Hours(1);
  Duration funding_interval = Duration::Hours(8);
  bool perp_premium = false;
  Duration smooth_window = Duration::Minutes(10);
};

class BasisReentry final : public Strategy {
 public:
  explicit BasisReentry(const BasisReentryParams& p) : p_(p) {}

  void OnQuote(Context& ctx, const Event& e) override;
  void OnReference(Context& ctx, const Event& e) override;
  void OnOrderUpdate(Context& ctx, const Event& e) override;
  void OnTimer(Context& ctx, uint64_t timer_id, uint64_t tag) override;
  void OnStop(Context& ctx) override;
  nlohmann::json Report() const override;
  // The rounds (entry and exit basis, what each captured) and a chart of the legs' spread.
  StrategySections Sections() const override;

  struct Leg {
    OrderId order;
    int64_t decision_mid = 0;  // instrument raw price
    Int128 filled_pq = 0;      // sum of price x qty of fills (raw)
    int64_t filled_qty = 0;
  };
  struct Round {
    Timestamp signature;  // 0 when entered without one
    Timestamp entry_time;
    int64_t entry_basis_bps = 0;
    Timestamp exit_time;
    int64_t exit_basis_bps = 0;
    std::string exit_reason;
    Leg spot_in, future_in, spot_out, future_out;
    int hedges = 0;
    bool broken = false;  // a leg failed and the position was unwound at once
  };
  const std::vector<Round>& rounds() const { return rounds_; }
  int64_t last_basis_bps() const { return basis_; }

 private:
  enum class State : uint8_t { kFlat, kEntering, kOpen, kExiting, kHedging };
  enum TimerTag : uint64_t { kLegTimeout = 1, kHedge = 2 };

  // Adds an observation and updates the smoothed basis_; false when the legs have no prices.
  bool UpdateBasis(const Context& ctx);
  bool RawBasis(const Context& ctx, int64_t* out) const;
  void Evaluate(Context& ctx);
  void Enter(Context& ctx);
  void Exit(Context& ctx, const char* reason);
  // Sends one leg of the current round; every order of a round shares its trade group, so the
  // spot and future round trips of a round count as one trade.
  OrderId SendLeg(Context& ctx, InstrumentId id, Side side, Qty qty, int64_t offset_bps);
  OrderId SendMarket(Context& ctx, InstrumentId id, Side side, Qty qty);
  // The trade group of the round being entered or worked: its 1-based index in rounds_.
  TradeGroup Group() const { return TradeGroup(static_cast<uint32_t>(rounds_.size())); }
  void Hedge(Context& ctx);
  int64_t MarginUsePct(const Context& ctx) const;
  // Signed position in base units x 10^8.
  Int128 BaseDelta(const Context& ctx, InstrumentId id) const;

  BasisReentryParams p_;
  State state_ = State::kFlat;
  bool exiting_phase_ = false;  // the hedging state belongs to an exit
  int64_t basis_ = INT64_MIN;  // smoothed
  std::deque<std::pair<Timestamp, int64_t>> recent_;  // raw basis observations in smooth_window
  Int128 recent_sum_ = 0;
  int64_t basis_min_ = INT64_MAX, basis_max_ = INT64_MIN;  // of the smoothed basis, for the report
  uint64_t observations_ = 0;
  uint64_t signatures_ = 0;  // samples at which a forced-unwind signature was seen
  std::deque<std::pair<Timestamp, int64_t>> samples_;  // increasing basis: rolling minimum
  Timestamp next_sample_;
  Timestamp signature_;
  bool has_signature_ = false;
  Timestamp last_exit_ = Timestamp::Min();
  uint64_t leg_timer_ = 0;
  uint64_t hedge_timer_ = 0;
  int64_t short_entry_notional_ = 0;  // |qty| x price, raw units of the future, at entry
  std::vector<Round> rounds_;
  Money final_realized_, final_fees_, final_funding_, final_equity_;
  int spot_price_scale_ = 0, future_price_scale_ = 0;
};

}  // namespace tapedeck::strategies

#endif  // TAPEDECK_STRATEGIES_BASIS_REENTRY_H_
