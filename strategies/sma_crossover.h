// The SMA-crossover example: long when the fast simple moving average of closes is above the
// slow one, flat otherwise. Prices come from bars when the data has bars, else from trades.
// It is the reference workload for the framework-tax benchmark (bench/), so keep its arithmetic
// plain: two running sums over ring buffers, integers only.
#ifndef TAPEDECK_STRATEGIES_SMA_CROSSOVER_H_
#define TAPEDECK_STRATEGIES_SMA_CROSSOVER_H_

#include <cstdint>
#include <vector>

#include "core/decimal.h"
#include "core/strategy.h"

namespace tapedeck::strategies {

// Declared, with units and defaults, in sma_crossover.cc (kParams).
struct SmaCrossoverParams {
  InstrumentId instrument;
  int fast = 10;
  int slow = 30;
  Qty qty;
};

// Running simple moving average over the last `window` values, in integers. Shared by the
// strategy and by the benchmark's hand-written floor loop so that both do the same arithmetic.
class RollingSum {
 public:
  explicit RollingSum(int window) : values_(static_cast<size_t>(window), 0) {}
  void Add(int64_t v) {
    sum_ += v - values_[next_];
    values_[next_] = v;
    next_ = next_ + 1 == values_.size() ? 0 : next_ + 1;
    if (count_ < values_.size()) ++count_;
  }
  bool full() const { return count_ == values_.size(); }
  int64_t sum() const { return sum_; }
  size_t window() const { return values_.size(); }

 private:
  std::vector<int64_t> values_;
  size_t next_ = 0;
  size_t count_ = 0;
  int64_t sum_ = 0;
};

// The crossover signal: +1 when fast average > slow average, -1 when below, 0 while warming up.
// Compares fast_sum * slow_window with slow_sum * fast_window, so no division and no rounding.
class SmaSignal {
 public:
  SmaSignal(int fast, int slow) : fast_(fast), slow_(slow) {}
  int Update(int64_t price) {
    fast_.Add(price);
    slow_.Add(price);
    if (!slow_.full()) return 0;
    const Int128 lhs = static_cast<Int128>(fast_.sum()) * static_cast<Int128>(slow_.window());
    const Int128 rhs = static_cast<Int128>(slow_.sum()) * static_cast<Int128>(fast_.window());
    return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
  }

 private:
  RollingSum fast_;
  RollingSum slow_;
};

class SmaCrossover final : public Strategy {
 public:
  explicit SmaCrossover(SmaCrossoverParams p) : p_(p), signal_(p.fast, p.slow) {}

  void OnTrade(Context& ctx, const Event& e) override { OnPrice(ctx, e.trade.price); }
  // The same as OnTrade on each, with the signal inlined in the loop.
  void OnTrades(Context& ctx, TradeRun& run) override {
    while (const Event* e = run.Next()) OnPrice(ctx, e->trade.price);
  }
  void OnBar(Context& ctx, const Event& e) override { OnPrice(ctx, e.bar.close); }
  nlohmann::json Report() const override;

 private:
  void OnPrice(Context& ctx, Price price) {
    const int signal = signal_.Update(price.raw);
    if (signal == 0) return;
    const int want = signal > 0 ? 1 : 0;
    if (want != state_) Cross(ctx, want);
  }
  // The signal crossed to `want` (+1 long, 0 flat): trade to it, unless an order is in flight.
  void Cross(Context& ctx, int want);

  SmaCrossoverParams p_;
  SmaSignal signal_;
  int state_ = 0;        // +1 long, 0 flat
  OrderId pending_;      // the order in flight, if any
  uint64_t crossings_ = 0;
};

}  // namespace tapedeck::strategies

#endif  // TAPEDECK_STRATEGIES_SMA_CROSSOVER_H_
