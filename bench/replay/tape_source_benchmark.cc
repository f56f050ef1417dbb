// Replay of a small tape through TapeSource (open without the checksum pass, every batch of the
// mapping read), sized for the instruction-count gate; tape_benchmark.cc measures 2 Mi events
// and the merged path. The tape is written once per size, outside the timed loop, and removed at
// exit.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "replay/tape.h"

namespace tapedeck::replay {
namespace {

class SmallTapes {
 public:
  ~SmallTapes() {
    for (const auto& [n, path] : paths_) std::remove(path.c_str());
  }
  // The path of a tape of n trades, or "" when it cannot be written.
  const std::string& Get(int64_t n) {
    auto it = paths_.find(n);
    if (it != paths_.end()) return it->second;
    std::string path = "/tmp/tapedeck_bench_small_" + std::to_string(::getpid()) + "_" +
                       std::to_string(n) + ".tape";
    Instrument in;
    in.symbol = "BTCUSDT";
    auto w = TapeWriter::Create(path, {in});
    bool ok = w.ok();
    for (int64_t i = 0; ok && i < n; ++i) {
      const Timestamp ts(1'700'000'000'000'000'000 + i * 1000);
      Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), ts, ts);
      e.trade.price = Price(600'000 + (i * 7919) % 2000);
      e.trade.qty = Qty(1 + i % 97);
      ok = (*w)->Append(e).ok();
    }
    ok = ok && (*w)->Finish().ok();
    if (!ok) path.clear();
    return paths_.emplace(n, path).first->second;
  }

 private:
  std::map<int64_t, std::string> paths_;
};
SmallTapes tapes;

void BM_TapeSource_ReplaySmall(benchmark::State& state) {
  const std::string& path = tapes.Get(state.range(0));
  if (path.empty()) {
    state.SkipWithError("cannot write the tape");
    return;
  }
  for (auto _ : state) {
    auto tape = Tape::Open(path, TapeOpenOptions{.verify = false});
    if (!tape.ok()) {
      state.SkipWithError("open failed");
      return;
    }
    TapeSource source(std::move(*tape), {});
    int64_t sum = 0;
    while (true) {
      auto batch = source.NextBatch();
      if (!batch.ok() || batch->empty()) break;
      for (const Event& e : *batch) sum += e.trade.price.raw;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TapeSource_ReplaySmall)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tapedeck::replay
