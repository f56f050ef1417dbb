// Tick to order: from a market-data event handed to the strategy's host (as the paper runner does
// when it takes one off the SPSC queue) to the order request built and handed to the driver. The
// strategy quotes one tick behind the touch on every quote, so every event makes an order: the
// decision path with no venue, no queue and no FIX encoding in it.
#include <cstdint>
#include <memory>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/strategy.h"
#include "core/strategy_host.h"

namespace tapedeck {
namespace {

// Keeps the last request only: the driver's own cost is not the decision's.
class LastRequestDriver final : public ContextDriver {
 public:
  void SendOrder(const OrderRequest& request, Timestamp) override { last = request; }
  void SendCancel(OrderId, InstrumentId, Timestamp) override {}
  void SendModify(OrderId, InstrumentId, Price, Qty, Timestamp) override {}
  void ScheduleTimer(uint64_t, Timestamp, uint64_t) override {}
  OrderRequest last;
};

class QuoteBehindTouch final : public Strategy {
 public:
  void OnQuote(Context& ctx, const Event& e) override {
    ctx.BuyLimit(e.instrument, Price(e.quote.bid.raw - 1), Qty(1));
  }
};

InstrumentTable Table() { return bench::BtcTable(); }

std::vector<Event> Quotes(size_t n) {
  std::vector<Event> v;
  v.reserve(n);
  int64_t bid = 6'000'000;
  bench::XorShift64 rng(0x9E3779B97F4A7C15ULL);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = rng.Next();
    bid += static_cast<int64_t>(x % 3) - 1;
    const Timestamp ts(1'700'000'000'000'000'000 + static_cast<int64_t>(i) * 1'000);
    Event e = MakeEvent(EventKind::kQuote, InstrumentId(0), ts, ts);
    e.quote.bid = Price(bid);
    e.quote.bid_qty = Qty(1000);
    e.quote.ask = Price(bid + 1);
    e.quote.ask_qty = Qty(1000);
    v.push_back(e);
  }
  return v;
}

// One iteration = a fresh StrategyHost fed `range(0)` quotes (the host collects every order sent,
// so a bounded batch keeps its memory flat); items are quotes, each one decision.
void BM_TickToOrder_Decide(benchmark::State& state) {
  const InstrumentTable t = Table();
  const std::vector<Event> quotes = Quotes(static_cast<size_t>(state.range(0)));
  LastRequestDriver driver;
  QuoteBehindTouch strategy;
  for (auto _ : state) {
    StrategyHost host(t, &driver, Money(100'000 * Money::kOne));
    host.Start(strategy, quotes.front().local_time());
    for (const Event& e : quotes) host.Deliver(strategy, e);
    benchmark::DoNotOptimize(driver.last);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TickToOrder_Decide)->Arg(1 << 8)->Arg(1 << 12)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tapedeck
