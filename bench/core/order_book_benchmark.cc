// L2 book level updates on real data: every kBookLevel event of the USD-M BTCUSDT capture of
// 2024-08-08 (the 2000-level REST snapshot and the diffs after it, as the binance_ws_capture
// reader emits them), applied in order. The tick-indexed OrderBook against a std::map book doing
// the same work (set or erase the level, keep the best price of the side).
//
// Needs tapedeck::replay (the capture reader) linked into the core suite.
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/order_book.h"
#include "replay/binance_ws.h"

namespace tapedeck {
namespace {

// The level updates, loaded once, outside every timed loop. Empty when the data is absent.
const std::vector<LevelPayload>& Levels() {
  static const std::vector<LevelPayload> levels = [] {
    std::vector<LevelPayload> out;
    InstrumentTable t;
    Instrument in;
    in.symbol = "BTCUSDT";
    in.price_scale = 1;  // tick 0.1
    in.qty_scale = 3;
    if (!t.Add(in).ok()) return out;
    const std::string path =
        std::string(TAPEDECK_SHARED_DIR) + "/data/binance_capture_20240808/usdm/btcusdt_20240808.gz";
    auto reader = replay::BinanceWsReader::Open(path, "", t, {});
    if (!reader.ok()) {
      std::fprintf(stderr, "order_book_benchmark: %s\n", reader.status().ToString().c_str());
      return out;
    }
    while (true) {
      auto batch = (*reader)->NextBatch();
      if (!batch.ok()) {
        std::fprintf(stderr, "order_book_benchmark: %s\n", batch.status().ToString().c_str());
        out.clear();
        return out;
      }
      if (batch->empty()) break;
      for (const Event& e : *batch) {
        if (e.kind == EventKind::kBookLevel) out.push_back(e.level);
      }
    }
    return out;
  }();
  return levels;
}

void BM_OrderBook_ApplyLevel(benchmark::State& state) {
  const std::vector<LevelPayload>& levels = Levels();
  if (levels.empty()) {
    state.SkipWithError("../shared/data is absent");
    return;
  }
  OrderBook book(Price(1));
  for (auto _ : state) {
    // The first level carries kBookSnapshotBegin: each pass starts from a cleared book.
    for (const LevelPayload& l : levels) {
      BookResult r = book.Apply(l);
      benchmark::DoNotOptimize(r);
    }
    benchmark::DoNotOptimize(book.best_bid());
    benchmark::DoNotOptimize(book.best_ask());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(levels.size()));
  state.counters["levels"] = static_cast<double>(levels.size());
}
BENCHMARK(BM_OrderBook_ApplyLevel)->Unit(benchmark::kMillisecond);

// Baseline: one std::map per side, best price at begin().
void BM_OrderBook_ApplyLevelStdMap(benchmark::State& state) {
  const std::vector<LevelPayload>& levels = Levels();
  if (levels.empty()) {
    state.SkipWithError("../shared/data is absent");
    return;
  }
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  for (auto _ : state) {
    for (const LevelPayload& l : levels) {
      if (l.flags & kBookSnapshotBegin) {
        bids.clear();
        asks.clear();
      }
      if (l.side == Side::kBuy) {
        if (l.qty.raw == 0) bids.erase(l.price.raw); else bids[l.price.raw] = l.qty.raw;
      } else {
        if (l.qty.raw == 0) asks.erase(l.price.raw); else asks[l.price.raw] = l.qty.raw;
      }
      bool crossed = (l.flags & kBookEndOfMessage) && !bids.empty() && !asks.empty() &&
                     bids.begin()->first >= asks.begin()->first;
      benchmark::DoNotOptimize(crossed);
    }
    benchmark::DoNotOptimize(bids.begin()->first);
    benchmark::DoNotOptimize(asks.begin()->first);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(levels.size()));
  state.counters["levels"] = static_cast<double>(levels.size());
}
BENCHMARK(BM_OrderBook_ApplyLevelStdMap)->Unit(benchmark::kMillisecond);

// The touch and depth queries a venue asks after each update.
void BM_OrderBook_TopAndDepth10(benchmark::State& state) {
  const std::vector<LevelPayload>& levels = Levels();
  if (levels.empty()) {
    state.SkipWithError("../shared/data is absent");
    return;
  }
  OrderBook book(Price(1));
  for (const LevelPayload& l : levels) (void)book.Apply(l);
  BookLevel depth[10];
  for (auto _ : state) {
    BookTop top = book.Top();
    benchmark::DoNotOptimize(top);
    size_t n = book.Levels(Side::kSell, depth);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(depth);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OrderBook_TopAndDepth10);

}  // namespace
}  // namespace tapedeck
