// L2 book level updates on a synthetic stream: `range(0)` updates near a wandering touch (a
// 20-level-a-side snapshot, then sets and removals up to 20 ticks deep), no data files needed.
// It is the book workload the instruction-count gate measures; BM_OrderBook_ApplyLevel in
// order_book_benchmark.cc measures the same code on the real USD-M BTC capture.
#include <cstdint>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/order_book.h"

namespace tapedeck {
namespace {

std::vector<LevelPayload> SyntheticLevels(size_t n) {
  std::vector<LevelPayload> out;
  out.reserve(n + 40);
  bench::XorShift64 rng(0x6A09E667F3BCC909ULL);
  auto next = [&rng] { return rng.Next(); };
  int64_t mid = 6'000'000;
  auto level = [&](Side side, int64_t price, int64_t qty, uint8_t flags) {
    LevelPayload l{};
    l.price = Price(price);
    l.qty = Qty(qty);
    l.side = side;
    l.flags = flags;
    l.update_id = out.size() + 1;
    out.push_back(l);
  };
  for (int i = 0; i < 20; ++i) level(Side::kBuy, mid - 1 - i, 1000, i == 0 ? kBookSnapshotBegin : 0);
  for (int i = 0; i < 20; ++i) level(Side::kSell, mid + 1 + i, 1000, i == 19 ? kBookEndOfMessage : 0);
  while (out.size() < n + 40) {
    const uint64_t r = next();
    if ((r & 15) == 0) {
      // The mid moves a tick; the level it lands on is emptied first (bids < mid < asks).
      const bool up = (r & 16) != 0;
      mid += up ? 1 : -1;
      level(up ? Side::kSell : Side::kBuy, mid, 0, 0);
    }
    const Side side = (r & 32) != 0 ? Side::kBuy : Side::kSell;
    const int64_t depth = static_cast<int64_t>((r >> 6) % 20);
    const int64_t qty = ((r >> 11) & 7) == 0 ? 0 : 1 + static_cast<int64_t>((r >> 14) % 5000);
    level(side, side == Side::kBuy ? mid - 1 - depth : mid + 1 + depth, qty, kBookEndOfMessage);
  }
  return out;
}

void BM_OrderBook_ApplySynthetic(benchmark::State& state) {
  const std::vector<LevelPayload> levels = SyntheticLevels(static_cast<size_t>(state.range(0)));
  OrderBook book(Price(1));
  int64_t bad = 0;
  for (auto _ : state) {
    // The first level carries kBookSnapshotBegin: each pass starts from a cleared book.
    for (const LevelPayload& l : levels) bad += book.Apply(l) != BookResult::kOk ? 1 : 0;
    benchmark::DoNotOptimize(book.best_bid());
  }
  if (bad != 0) state.SkipWithError("the synthetic stream crossed the book");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(levels.size()));
}
BENCHMARK(BM_OrderBook_ApplySynthetic)->Arg(1 << 14)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tapedeck
