// The SPSC bridge (boost::lockfree ring of 64-byte events) that carries market data from the
// QuickFIX thread to the strategy thread, against the obvious alternative: a std::deque guarded
// by a std::mutex. Two threads, one producer and one consumer, `range(0)` events per iteration.
// On a 2-core VM shared with other work the figures are noisy; the ratio is what counts.
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "adapters/spsc_bridge.h"
#include "benchmark/benchmark.h"

namespace tapedeck {
namespace {

Event Tick(int64_t i) {
  Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(i), Timestamp(i));
  e.trade.price = Price(i);
  return e;
}

class MutexQueue {
 public:
  void Push(const Event& e) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(e);
  }
  bool Pop(Event* e) {
    std::lock_guard<std::mutex> lock(mu_);
    if (q_.empty()) return false;
    *e = q_.front();
    q_.pop_front();
    return true;
  }

 private:
  std::mutex mu_;
  std::deque<Event> q_;
};

// Runs a producer thread pushing n events while this thread pops them; returns a checksum.
template <typename PushFn, typename PopFn>
int64_t Transfer(int64_t n, PushFn push, PopFn pop) {
  std::thread producer([&] {
    for (int64_t i = 0; i < n; ++i) push(Tick(i));
  });
  int64_t sum = 0;
  Event e;
  for (int64_t got = 0; got < n;) {
    if (pop(&e)) {
      sum += e.trade.price.raw;
      ++got;
    }
  }
  producer.join();
  return sum;
}

void BM_SpscBridge_Transfer(benchmark::State& state) {
  const int64_t n = state.range(0);
  adapters::SpscBridge bridge(4096);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        Transfer(n, [&](const Event& e) { bridge.Push(e); }, [&](Event* e) { return bridge.Pop(e); }));
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["full_waits"] = static_cast<double>(bridge.full_waits());
}
BENCHMARK(BM_SpscBridge_Transfer)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MutexQueue_Transfer(benchmark::State& state) {
  const int64_t n = state.range(0);
  MutexQueue queue;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        Transfer(n, [&](const Event& e) { queue.Push(e); }, [&](Event* e) { return queue.Pop(e); }));
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MutexQueue_Transfer)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

// One thread, push a burst then pop it: the cost of the queue operations without contention
// (and the deterministic workload the instruction-count gate measures).
void BM_SpscBridge_PushPopBurst(benchmark::State& state) {
  const int64_t n = state.range(0);
  adapters::SpscBridge bridge(static_cast<size_t>(n));
  Event e;
  for (auto _ : state) {
    for (int64_t i = 0; i < n; ++i) bridge.Push(Tick(i));
    int64_t sum = 0;
    while (bridge.Pop(&e)) sum += e.trade.price.raw;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * n * 2);
}
BENCHMARK(BM_SpscBridge_PushPopBurst)->Arg(1 << 10)->Arg(1 << 14);

void BM_MutexQueue_PushPopBurst(benchmark::State& state) {
  const int64_t n = state.range(0);
  MutexQueue queue;
  Event e;
  for (auto _ : state) {
    for (int64_t i = 0; i < n; ++i) queue.Push(Tick(i));
    int64_t sum = 0;
    while (queue.Pop(&e)) sum += e.trade.price.raw;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * n * 2);
}
BENCHMARK(BM_MutexQueue_PushPopBurst)->Arg(1 << 10)->Arg(1 << 14);

}  // namespace
}  // namespace tapedeck
