// Order-level (L3) book: a synthetic stream of adds, partial cancels, executions and deletes
// around a wandering mid, applied through L3Book::Apply. The size swept is the number of live
// orders the stream keeps resting (the hash index and the level queues grow with it).
#include <cstdint>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/l3_book.h"

namespace tapedeck {
namespace {

struct Live {
  uint64_t id;
  int64_t price;
  int64_t qty;
  Side side;
};

// `warm` adds to reach `live` resting orders, then `steady` events keeping about `live` resting:
// half adds, a quarter partial cancels, an eighth executions of the whole rest, an eighth
// deletes. Deterministic (xorshift, fixed seed).
std::vector<L3OrderPayload> L3Stream(size_t live, size_t steady) {
  std::vector<L3OrderPayload> out;
  out.reserve(live + steady);
  std::vector<Live> book;
  book.reserve(live * 2);
  bench::XorShift64 rng(0x2545F4914F6CDD1DULL);
  auto next = [&rng] { return rng.Next(); };
  uint64_t id = 1;
  int64_t mid = 1'000'000;  // raw price units, one tick = 1
  auto add = [&] {
    const uint64_t r = next();
    const Side side = (r & 1) != 0 ? Side::kBuy : Side::kSell;
    const int64_t offset = 1 + static_cast<int64_t>((r >> 8) % 50);  // 1..50 ticks off mid
    const int64_t price = side == Side::kBuy ? mid - offset : mid + offset;
    const int64_t qty = 1 + static_cast<int64_t>((r >> 20) % 1000);
    L3OrderPayload p{};
    p.price = Price(price);
    p.qty = Qty(qty);
    p.order_id = id;
    p.side = side;
    p.action = L3Action::kAdd;
    out.push_back(p);
    book.push_back(Live{id, price, qty, side});
    ++id;
  };
  for (size_t i = 0; i < live; ++i) add();
  for (size_t i = 0; i < steady; ++i) {
    const uint64_t r = next();
    if ((r & 7) == 0) mid += (r & 8) != 0 ? 1 : -1;  // the mid wanders a tick at a time
    const uint64_t op = (r >> 4) & 7;
    if (op < 4 || book.size() < live / 2 + 1) {
      add();
      continue;
    }
    const size_t k = static_cast<size_t>((r >> 16) % book.size());
    Live& o = book[k];
    L3OrderPayload p{};
    p.price = Price(o.price);
    p.order_id = o.id;
    p.side = o.side;
    if (op < 6 && o.qty > 1) {
      p.action = L3Action::kCancel;
      p.qty = Qty(o.qty / 2);
      o.qty -= o.qty / 2;
      out.push_back(p);
      continue;
    }
    p.action = op == 7 ? L3Action::kDelete : L3Action::kExecute;
    p.qty = Qty(o.qty);
    out.push_back(p);
    book[k] = book.back();
    book.pop_back();
  }
  return out;
}

void BM_L3Book_Apply(benchmark::State& state) {
  const size_t live = static_cast<size_t>(state.range(0));
  const std::vector<L3OrderPayload> stream = L3Stream(live, 1u << 16);
  L3Book book;
  int64_t bad = 0;
  for (auto _ : state) {
    book.Clear();
    for (const L3OrderPayload& p : stream) {
      bad += book.Apply(p) != L3Result::kOk ? 1 : 0;
    }
    benchmark::DoNotOptimize(book.Top());
  }
  if (bad != 0) state.SkipWithError("the synthetic L3 stream was rejected by the book");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(stream.size()));
  state.counters["events"] = static_cast<double>(stream.size());
}
BENCHMARK(BM_L3Book_Apply)->Arg(1 << 10)->Arg(1 << 14)->Arg(1 << 17)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tapedeck
