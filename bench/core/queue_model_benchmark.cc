// The queue-position models alone (core/queue_model.h): the estimate of the size ahead of an own
// order updated for a stream of depth changes at its level, per model. BM_SimVenue_Match in
// sim_venue_benchmark.cc measures them inside the venue.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/queue_model.h"

namespace tapedeck {
namespace {

QueueModel ModelOf(int64_t i) {
  if (i == 0) return RiskAverseQueue{};
  if (i == 1) return PowerQueue{2};
  return LogQueue{};
}

// (previous size, new size) pairs of one level: mostly shrinking, sometimes refilled.
std::vector<std::pair<int64_t, int64_t>> DepthChanges(size_t n) {
  std::vector<std::pair<int64_t, int64_t>> out;
  out.reserve(n);
  bench::XorShift64 rng(0xBB67AE8584CAA73BULL);
  int64_t qty = 50'000;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = rng.Next();
    const int64_t next = (x & 3) == 0 ? qty + static_cast<int64_t>(x % 5000)
                                      : qty - static_cast<int64_t>(x % 700) - 1;
    const int64_t clamped = next < 1000 ? 50'000 : next;
    out.emplace_back(qty, clamped);
    qty = clamped;
  }
  return out;
}

void BM_QueueModel_AheadAfterDepthChange(benchmark::State& state) {
  const QueueModel m = ModelOf(state.range(0));
  const auto changes = DepthChanges(4096);
  for (auto _ : state) {
    int64_t ahead = 25'000;
    for (const auto& [prev, next] : changes) {
      ahead = QueueAheadAfterDepthChange(m, ahead, prev, next, 10);
      if (ahead <= 0) ahead = next / 2;  // the order reached the front: queue a new one
    }
    benchmark::DoNotOptimize(ahead);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(changes.size()));
  state.SetLabel(std::string(QueueModelName(m)));
}
BENCHMARK(BM_QueueModel_AheadAfterDepthChange)->Arg(0)->Arg(1)->Arg(2);

}  // namespace
}  // namespace tapedeck
