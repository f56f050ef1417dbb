// Replay + dispatch through the Engine, against a hand-written loop doing the same arithmetic
// over plain arrays (the floor). The ratio floor / engine is the framework tax.
#include <memory>
#include <span>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/engine.h"
#include "core/merger.h"
#include "strategies/sma_crossover.h"

namespace tapedeck {
namespace {

// Hands out a prepared vector of events in batches, as a tape does from its mapping.
class MemorySource final : public EventSource {
 public:
  explicit MemorySource(const std::vector<Event>* events) : events_(events) {}
  absl::StatusOr<std::span<const Event>> NextBatch() override {
    const size_t n = std::min<size_t>(4096, events_->size() - pos_);
    std::span<const Event> out(events_->data() + pos_, n);
    pos_ += n;
    return out;
  }
  std::string Describe() const override { return "memory"; }

 private:
  const std::vector<Event>* events_;
  size_t pos_ = 0;
};

InstrumentTable Table() { return bench::BtcTable(); }

// A deterministic random walk of trades, 1 ms apart.
std::vector<Event> Trades(size_t n) {
  std::vector<Event> v;
  v.reserve(n);
  bench::XorShift64 rng(0x9E3779B97F4A7C15ULL);
  int64_t price = 6'000'000;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = rng.Next();
    price += static_cast<int64_t>(x % 21) - 10;
    const Timestamp ts(1'700'000'000'000'000'000 + static_cast<int64_t>(i) * 1'000'000);
    Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), ts, ts);
    e.trade.price = Price(price);
    e.trade.qty = Qty(10);
    v.push_back(e);
  }
  return v;
}

class Noop final : public Strategy {};

template <typename MakeStrategy>
void RunEngine(benchmark::State& state, MakeStrategy make) {
  const InstrumentTable t = Table();
  const std::vector<Event> events = Trades(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::vector<std::unique_ptr<EventSource>> sources;
    sources.push_back(std::make_unique<MemorySource>(&events));
    Merger merger(std::move(sources));
    (void)merger.Init();
    // A named config, not `EngineConfig{}` inside this template: g++ 12 hits an internal
    // compiler error (check_noexcept_r) on the braced temporary now that it holds a vector.
    const EngineConfig config;
    Engine engine(t, config);
    auto strategy = make();
    benchmark::DoNotOptimize(engine.Run(merger, *strategy));
    benchmark::DoNotOptimize(engine.stats().delivered);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_Engine_ReplayDispatchNoop(benchmark::State& state) {
  RunEngine(state, [] { return std::make_unique<Noop>(); });
}
BENCHMARK(BM_Engine_ReplayDispatchNoop)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

#ifdef TAPEDECK_BENCH_GATE_CANARY
// The gate's canary (scripts/bench_gate_selftest.sh builds with -DTAPEDECK_BENCH_GATE_CANARY=ON):
// the SMA example plus a few dozen extra instructions per trade, well over the gate's 5%.
class CanarySma final : public Strategy {
 public:
  explicit CanarySma(const strategies::SmaCrossoverParams& p) : inner_(p) {}
  void OnTrade(Context& ctx, const Event& e) override {
    for (int i = 0; i < 16; ++i) sink_ = sink_ * 31 + static_cast<uint64_t>(e.trade.price.raw);
    inner_.OnTrade(ctx, e);
  }

 private:
  strategies::SmaCrossover inner_;
  volatile uint64_t sink_ = 0;
};
#endif

void BM_Engine_ReplayDispatchSma(benchmark::State& state) {
  RunEngine(state, [] {
    strategies::SmaCrossoverParams p;
    p.fast = 20;
    p.slow = 60;
    p.qty = Qty(10);
#ifdef TAPEDECK_BENCH_GATE_CANARY
    return std::make_unique<CanarySma>(p);
#else
    return std::make_unique<strategies::SmaCrossover>(p);
#endif
  });
}
BENCHMARK(BM_Engine_ReplayDispatchSma)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

// The floor: the SMA arithmetic over a plain array of prices, no framework at all.
void BM_Floor_SmaOverArray(benchmark::State& state) {
  const std::vector<Event> events = Trades(static_cast<size_t>(state.range(0)));
  std::vector<int64_t> prices;
  for (const Event& e : events) prices.push_back(e.trade.price.raw);
  for (auto _ : state) {
    strategies::SmaSignal signal(20, 60);
    int64_t crossings = 0;
    int last = 0;
    for (int64_t p : prices) {
      const int s = signal.Update(p);
      if (s != 0 && s != last) {
        ++crossings;
        last = s;
      }
    }
    benchmark::DoNotOptimize(crossings);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Floor_SmaOverArray)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tapedeck
