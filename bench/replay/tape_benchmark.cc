// Tape throughput: replay from a memory-mapped tape (zero copy), the checksum pass, and the
// conversion of a real Binance capture into a tape. Baseline: a scan of the same events held in
// an in-memory vector (the bound that replay approaches).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "core/merger.h"
#include "replay/source_factory.h"
#include "replay/tape.h"

namespace tapedeck::replay {
namespace {

constexpr uint64_t kReplayEvents = 1u << 21;  // 2 Mi events, 128 MiB of records

Instrument BtcUsdtPerp() {
  Instrument in;
  in.symbol = "BTCUSDT";
  in.kind = InstrumentKind::kPerpetual;
  in.base = "BTC";
  in.quote = "USDT";
  in.price_scale = 1;  // as `tapedeck convert` derives from the USD-M capture
  in.qty_scale = 3;
  return in;
}

std::vector<Event> MakeTrades(uint64_t n) {
  std::vector<Event> out(n);
  bench::XorShift64 rng(88172645463325252ull);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t x = rng.Next();
    const int64_t t = 1'700'000'000'000'000'000 + static_cast<int64_t>(i) * 1'000;
    Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(t), Timestamp(t + 500'000));
    e.trade.price = Price(600'000 + static_cast<int64_t>(x % 2000));
    e.trade.qty = Qty(1 + static_cast<int64_t>(x % 997));
    e.trade.trade_id = i;
    out[i] = e;
  }
  return out;
}

// Tapes of n generated trades, each written once per process (outside every timed loop) and
// removed at exit.
class TradesTapes {
 public:
  static const std::string& Path(uint64_t n = kReplayEvents) {
    static TradesTapes tapes;
    auto it = tapes.paths_.find(n);
    if (it != tapes.paths_.end()) return it->second;
    const std::string path = "/tmp/tapedeck_bench_" + std::to_string(::getpid()) + "_" +
                             std::to_string(n) + ".tape";
    auto w = TapeWriter::Create(path, {BtcUsdtPerp()});
    if (!w.ok() || !(*w)->Append(MakeTrades(n)).ok() || !(*w)->Finish().ok()) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      std::abort();
    }
    return tapes.paths_.emplace(n, path).first->second;
  }

 private:
  ~TradesTapes() {
    for (const auto& [n, path] : paths_) ::unlink(path.c_str());
  }
  std::map<uint64_t, std::string> paths_;
};

// Baseline: the same events in a vector, summed the same way.
void BM_Tape_ScanInMemoryBaseline(benchmark::State& state) {
  const std::vector<Event> events = MakeTrades(kReplayEvents);
  for (auto _ : state) {
    int64_t sum = 0;
    for (const Event& e : events) sum += e.trade.price.raw;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kReplayEvents));
}
BENCHMARK(BM_Tape_ScanInMemoryBaseline)->Unit(benchmark::kMillisecond);

// Open (header checks, no checksum pass) and replay every batch of the mapping, on tapes of
// 64 Ki events (the instruction-count gate's fixed workload) and 2 Mi events.
void BM_Tape_Replay(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  const std::string& path = TradesTapes::Path(n);
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
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(n * sizeof(Event)));
}
BENCHMARK(BM_Tape_Replay)
    ->Arg(1 << 16)
    ->Arg(static_cast<int64_t>(kReplayEvents))
    ->Unit(benchmark::kMillisecond);

// The same through the Merger, event by event, as a run consumes it.
void BM_Tape_ReplayMerged(benchmark::State& state) {
  const std::string& path = TradesTapes::Path();
  for (auto _ : state) {
    SourceSpec spec;
    spec.path = path;
    spec.options = nlohmann::json{{"verify", false}};
    auto source = OpenSource(spec, InstrumentTable());
    if (!source.ok()) {
      state.SkipWithError("open failed");
      return;
    }
    std::vector<std::unique_ptr<EventSource>> sources;
    sources.push_back(std::move(*source));
    Merger merger(std::move(sources));
    if (!merger.Init().ok()) state.SkipWithError("init failed");
    Event e;
    int64_t sum = 0;
    while (merger.Next(&e)) sum += e.trade.price.raw;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kReplayEvents));
}
BENCHMARK(BM_Tape_ReplayMerged)->Unit(benchmark::kMillisecond);

// Open with the checksum pass (the default for runs, `inspect` and `convert` of a tape).
void BM_Tape_OpenVerified(benchmark::State& state) {
  const std::string& path = TradesTapes::Path();
  for (auto _ : state) {
    auto tape = Tape::Open(path);
    if (!tape.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(tape);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kReplayEvents));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kReplayEvents * sizeof(Event)));
}
BENCHMARK(BM_Tape_OpenVerified)->Unit(benchmark::kMillisecond);

// The USD-M BTCUSDT capture (gzip, 3.6 MB; 532,664 events) read, merged and written as a tape.
// Bytes are the gzip file's bytes on disk (MB/s of input as stored).
void BM_Tape_ConvertBinanceCapture(benchmark::State& state) {
  const std::string input =
      std::string(TAPEDECK_SHARED_DIR) + "/data/binance_capture_20240808/usdm/btcusdt_20240808.gz";
  struct stat st;
  if (::stat(input.c_str(), &st) != 0) {
    state.SkipWithError("../shared/data is absent");
    return;
  }
  InstrumentTable table;
  (void)table.Add(BtcUsdtPerp());
  const std::string out = "/tmp/tapedeck_bench_convert_" + std::to_string(::getpid()) + ".tape";
  uint64_t events = 0;
  for (auto _ : state) {
    SourceSpec spec;
    spec.path = input;
    spec.instrument = "BTCUSDT";
    auto source = OpenSource(spec, table);
    if (!source.ok()) {
      state.SkipWithError(std::string(source.status().message()).c_str());
      return;
    }
    std::vector<std::unique_ptr<EventSource>> sources;
    sources.push_back(std::move(*source));
    Merger merger(std::move(sources));
    auto writer = TapeWriter::Create(out, table.all());
    if (!merger.Init().ok() || !writer.ok()) {
      state.SkipWithError("setup failed");
      return;
    }
    std::vector<Event> batch;
    batch.reserve(4096);
    Event e;
    while (merger.Next(&e)) {
      batch.push_back(e);
      if (batch.size() == batch.capacity()) {
        (void)(*writer)->Append(batch);
        batch.clear();
      }
    }
    (void)(*writer)->Append(batch);
    events = (*writer)->record_count();
    if (!merger.status().ok() || !(*writer)->Finish().ok()) state.SkipWithError("convert failed");
  }
  ::unlink(out.c_str());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * st.st_size);
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_Tape_ConvertBinanceCapture)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tapedeck::replay
