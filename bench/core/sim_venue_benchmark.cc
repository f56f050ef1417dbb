// The venue's inner loop: L2 level updates and trades against resting own orders under each
// queue model, and end to end: replay + venue L2 book + queue model + seeded random latency +
// the touch_quoter strategy on a generated L2 tape of 10 M events (a synthetic loop makes the
// events into a reused buffer, so memory stays flat; its cost is included).
#include <memory>
#include <span>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/sim_venue.h"
#include "strategies/touch_quoter.h"

namespace tapedeck {
namespace {

const InstrumentId kId(0);

InstrumentTable Table() {
  return bench::BtcTable(InstrumentKind::kPerpetual, Rate(20'000), Rate(50'000));
}

// A random-walk L2 market: each step moves the mid by -1, 0 or +1 tick, rewrites the two touch
// levels and one level behind each, and prints a trade at the touch every fourth step.
class L2Generator {
 public:
  explicit L2Generator(uint64_t seed) : x_(seed | 1) {}

  // Writes the next event into *e; 1 us apart.
  void Next(Event* e) {
    const uint64_t r = Rand();
    const int64_t ts = (t_ += 1000);
    if (pending_) {
      // The level at the new mid on the side the mid moved into is gone (keeps the book uncrossed).
      pending_ = false;
      *e = MakeEvent(EventKind::kBookLevel, kId, Timestamp(ts), Timestamp(ts + 500'000));
      e->level.side = pending_side_;
      e->level.price = Price(mid_);
      e->level.flags = kBookEndOfMessage;
      return;
    }
    switch (phase_++ & 7) {
      case 0: {
        const int64_t d = static_cast<int64_t>(r % 3) - 1;
        mid_ += d;
        if (d != 0) {
          pending_ = true;
          pending_side_ = d > 0 ? Side::kSell : Side::kBuy;
        }
      }
        [[fallthrough]];
      case 1: case 2: case 3: case 5: case 6: {
        const bool bid = (phase_ & 1) != 0;
        const int64_t depth = static_cast<int64_t>((r >> 8) % 3);
        *e = MakeEvent(EventKind::kBookLevel, kId, Timestamp(ts), Timestamp(ts + 500'000));
        e->level.side = bid ? Side::kBuy : Side::kSell;
        e->level.price = Price(bid ? mid_ - 1 - depth : mid_ + 1 + depth);
        e->level.qty = Qty(static_cast<int64_t>(500 + (r >> 20) % 5000));
        e->level.flags = first_ ? kBookSnapshotBegin | kBookEndOfMessage : kBookEndOfMessage;
        first_ = false;
        return;
      }
      default: {
        const bool sell = (r & 1) != 0;
        *e = MakeEvent(EventKind::kTrade, kId, Timestamp(ts), Timestamp(ts + 500'000));
        e->trade.price = Price(sell ? mid_ - 1 : mid_ + 1);
        e->trade.qty = Qty(static_cast<int64_t>(1 + (r >> 16) % 800));
        e->trade.aggressor = sell ? Side::kSell : Side::kBuy;
        return;
      }
    }
  }

 private:
  uint64_t Rand() {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }
  uint64_t x_;
  int64_t t_ = 1'700'000'000'000'000'000;
  int64_t mid_ = 6'000'000;
  uint64_t phase_ = 0;
  bool first_ = true;
  bool pending_ = false;
  Side pending_side_ = Side::kBuy;
};

class GeneratedSource final : public EventSource {
 public:
  GeneratedSource(uint64_t seed, size_t total) : gen_(seed), left_(total), buf_(4096) {}
  absl::StatusOr<std::span<const Event>> NextBatch() override {
    const size_t n = std::min(buf_.size(), left_);
    for (size_t i = 0; i < n; ++i) gen_.Next(&buf_[i]);
    left_ -= n;
    return std::span<const Event>(buf_.data(), n);
  }
  std::string Describe() const override { return "generated L2"; }

 private:
  L2Generator gen_;
  size_t left_;
  std::vector<Event> buf_;
};

QueueModel Model(int64_t i) {
  if (i == 0) return RiskAverseQueue{};
  if (i == 1) return PowerQueue{2};
  return LogQueue{};
}

// Venue alone: events straight into SimVenue with 8 own orders resting near the touch, re-placed
// as they fill.
void BM_SimVenue_Match(benchmark::State& state) {
  const InstrumentTable t = Table();
  SimVenueConfig cfg;
  cfg.queue = Model(state.range(0));
  std::vector<Event> out;
  out.reserve(1 << 16);
  SimVenue venue(t, cfg, &out);
  L2Generator gen(1);
  std::vector<Event> events(1 << 16);
  for (Event& e : events) gen.Next(&e);
  uint64_t next_id = 1;
  for (auto _ : state) {
    for (const Event& e : events) {
      venue.OnMarketData(e);
      if (venue.resting_orders() < 8) {
        const BookTop top = venue.book(kId).Top();
        const bool buy = (next_id & 1) != 0;
        const OrderRequest r = OrderRequest::Limit(kId, buy ? Side::kBuy : Side::kSell,
                                                   buy ? top.bid : top.ask, Qty(100))
                                   .WithId(OrderId(next_id++));
        if (r.price.raw > 0) venue.OnOrderArrival(r, e.exchange_time());
      }
      if (out.size() > 60000) out.clear();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(events.size()));
  state.SetLabel(std::string(QueueModelName(cfg.queue)));
}
BENCHMARK(BM_SimVenue_Match)->Arg(0)->Arg(1)->Arg(2);

// End to end: 10 M generated events through the Engine with the venue's L2 book, the queue
// model, lognormal latency with spikes, and touch_quoter re-quoting at most every 1 ms.
void BM_SimVenue_EndToEnd(benchmark::State& state) {
  const InstrumentTable t = Table();
  constexpr size_t kEvents = 10'000'000;
  uint64_t fills = 0;
  for (auto _ : state) {
    std::vector<std::unique_ptr<EventSource>> sources;
    sources.push_back(std::make_unique<GeneratedSource>(7, kEvents));
    Merger merger(std::move(sources));
    (void)merger.Init();
    EngineConfig cfg;
    cfg.venue.queue = Model(state.range(0));
    cfg.venue.seed = 42;
    for (LatencySpec& l : cfg.venue.latency) {
      l = LatencySpec::Lognormal(Duration::Micros(300), 500, 10'000, Duration::Millis(5));
    }
    cfg.equity_interval = Duration::Seconds(1);
    Engine engine(t, cfg);
    strategies::TouchQuoter quoter({kId, Qty(100), Duration::Millis(1)}, Price(1));
    (void)engine.Run(merger, quoter);
    fills = engine.records().fill_log().size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(kEvents));
  state.counters["fills"] = static_cast<double>(fills);
  state.SetLabel(std::string(QueueModelName(Model(state.range(0)))));
}
BENCHMARK(BM_SimVenue_EndToEnd)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace tapedeck
