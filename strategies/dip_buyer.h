// dip_buyer: buys the exhaustion of a deleveraging cascade, in tranches, and sells the rebound.
//
// 1. Detect a cascade, at the close of each bucket (`bucket` long; trades are aggregated into
//    buckets, a bar is one bucket): the close is at least `drawdown_bps` under the highest high of
//    the last `high_window`, AND the volume of the last `volume_window` is at least
//    `volume_ratio_pct` percent of its average over `volume_baseline` (per bucket), AND - where the
//    data has them - a confirmation: liquidation prints of at least `min_liquidation_notional`
//    within `confirm_window`, or the annualised basis of `basis_future` over the instrument up by
//    at least `basis_spike_bps` within `confirm_window`.
// 2. Wait for exhaustion: the cascade low (the lowest trade or bar low since detection) unbroken
//    for `exhaustion_time`; or, with trade data, sell pressure fading - the seller-initiated share
//    of the volume of the last `fade_window` at most `fade_sell_share_pct` percent - with the low
//    unbroken for at least `fade_min_quiet`. A cascade that does not exhaust within
//    `cascade_timeout` is dropped.
// 3. Buy `tranches` market orders of `tranche_qty`, `tranche_interval` apart, up to
//    `max_position`; no tranche while the price is more than `max_chase_bps` over the cascade
//    low (the rebound has left without us), below the hard stop or above the target. A new low
//    before the first fill sends the strategy back to waiting for exhaustion.
// 4. Exit everything on the first of: the rebound target (`take_profit_bps` over the average
//    entry), the trailing stop (`trailing_stop_bps` under the highest price since the first entry,
//    armed once the price has been `trailing_activation_bps` over the average entry), the hard
//    stop (`hard_stop_bps` under the cascade low), the time stop (`max_hold` after the first
//    entry). Then wait `cooldown` before watching for the next cascade.
//
// All decisions are integer comparisons of fixed-point prices, quantities and basis points.
// The parameters, with units and defaults, are declared once in dip_buyer.cc (kParams) and
// listed by `tapedeck strategies`.
#ifndef TAPEDECK_STRATEGIES_DIP_BUYER_H_
#define TAPEDECK_STRATEGIES_DIP_BUYER_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/strategy.h"

namespace tapedeck::strategies {

enum class DipConfirm : uint8_t { kAuto, kRequired, kOff };

struct DipBuyerParams {
  InstrumentId instrument;
  Qty tranche_qty;
  int tranches = 3;
  Qty max_position;  // 0: tranches x tranche_qty
  Duration tranche_interval = Duration::Minutes(15);
  Duration bucket = Duration::Minutes(1);
  Duration high_window = Duration::Hours(12);
  int64_t drawdown_bps = 600;
  Duration volume_window = Duration::Hours(1);
  Duration volume_baseline = Duration::Hours(24);
  int64_t volume_ratio_pct = 300;
  DipConfirm confirm = DipConfirm::kAuto;
  Duration confirm_window = Duration::Hours(2);
  Money min_liquidation_notional = Money(1'000'000 * Money::kOne);
  std::optional<InstrumentId> basis_future;
  int64_t basis_spike_bps = 200;
  Duration exhaustion_time = Duration::Hours(2);
  Duration fade_window = Duration::Minutes(30);
  int64_t fade_sell_share_pct = 45;
  Duration fade_min_quiet = Duration::Hours(1);
  Duration cascade_timeout = Duration::Hours(24);
  int64_t take_profit_bps = 600;
  int64_t trailing_stop_bps = 300;
  int64_t trailing_activation_bps = 200;
  int64_t hard_stop_bps = 150;
  int64_t max_chase_bps = 400;
  Duration max_hold = Duration::Hours(48);
  Duration cooldown = Duration::Hours(6);
};

class DipBuyer final : public Strategy {
 public:
  explicit DipBuyer(const DipBuyerParams& p);

  void OnTrade(Context& ctx, const Event& e) override;
  void OnBar(Context& ctx, const Event& e) override;
  void OnQuote(Context& ctx, const Event& e) override;
  void OnReference(Context& ctx, const Event& e) override;
  void OnOrderUpdate(Context& ctx, const Event& e) override;
  void OnStop(Context& ctx) override;
  nlohmann::json Report() const override;

  // For tests: when the cascades were detected and the first fill of each position.
  struct Trade {
    Timestamp detected;
    int64_t detect_drawdown_bps = 0;
    int64_t detect_volume_pct = 0;
    std::string confirmation;
    Price cascade_low;
    Timestamp cascade_low_time;
    Timestamp first_entry;
    Price avg_entry;
    Qty qty;
    Timestamp exit_time;
    Price exit_price;
    std::string exit_reason;
  };
  const std::vector<Trade>& trades() const { return trades_; }

 private:
  enum class State : uint8_t { kWatching, kCascade, kBuying, kExiting, kCooldown };
  struct Bucket {
    int64_t index = 0;  // start time / bucket
    int64_t high = 0, low = 0, close = 0;
    int64_t volume = 0, sell_volume = 0;
    bool has_aggressor = false;
  };

  void OnPrice(Context& ctx, Price price, Timestamp at);
  void AddTrade(Context& ctx, const Event& e);
  void CloseBucket(Context& ctx, const Bucket& b, Timestamp at);
  void SlideWindows(Context& ctx, const Bucket& b, Timestamp at);
  void DetectCascade(const Bucket& b, Timestamp at);
  bool Confirmed(Timestamp at, std::string* how);
  bool Exhausted(Timestamp at) const;
  void MaybeBuy(Context& ctx, Price price);
  void Exit(Context& ctx, Price price, const char* reason);
  int64_t BasisBps(const Context& ctx) const;
  Qty MaxPosition() const;

  DipBuyerParams p_;
  // Rolling state at bucket granularity.
  Bucket open_;
  bool has_open_ = false;
  std::deque<std::pair<int64_t, int64_t>> highs_;  // (bucket index, high), decreasing highs
  std::deque<Bucket> history_;                     // the last volume_baseline of buckets
  int64_t baseline_volume_ = 0;                    // sum over history_
  std::deque<std::pair<Timestamp, Money>> liquidations_;
  bool seen_liquidation_ = false;
  std::deque<std::pair<Timestamp, int64_t>> basis_;  // (time, annualised bps), one per bucket

  State state_ = State::kWatching;
  Timestamp state_since_;
  Price low_;
  Timestamp low_time_;
  int tranches_sent_ = 0;
  Timestamp next_tranche_;
  Timestamp first_entry_;
  Price peak_since_entry_;
  bool trailing_armed_ = false;
  OrderId pending_;
  Int128 entry_pq_ = 0;  // sum of price x qty (raw) of the open position's buys, for the average
  Qty entry_qty_;
  std::vector<Trade> trades_;
  Money final_equity_;
  Money final_realized_;
  Money final_fees_;
  uint64_t cascades_ = 0;
  const Instrument* instrument_ = nullptr;  // set at the stop, for the report's scales
};

}  // namespace tapedeck::strategies

#endif  // TAPEDECK_STRATEGIES_DIP_BUYER_H_
