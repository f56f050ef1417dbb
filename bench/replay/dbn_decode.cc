// DBN decoding against zstd's decompression alone, on one generated file in one run: the
// reader must take at most 1.5x the time zstd takes to decompress the same file (issue 27).
//
//   bench_dbn_decode [--mb N] [--dir DIR] [--keep] [--benchmark_* flags]
//
// Writes (our own encoder, replay/dbn_encoder.h) an MBO file of ESH1, zstd level 3, of at least
// N MB compressed (default 100): a book of about 10,000 live orders that adds, cancels,
// modifies (keeping and losing priority) and trades CME-style (T, then F per resting order,
// then the C or M that changes the book). Then Google Benchmark times, over the whole file:
//   BM_Dbn_ZstdDecompressOnly  the file streamed through ZSTD_decompressStream into a 1 MiB
//                              window (the reader's), nothing else;
//   BM_Dbn_DecodeMbo           DbnReader over the file: every record to its events.
// items/s are records (decompression) and events (decoding); bytes/s the compressed file's.
// The decoding's peak resident memory (VmHWM, reset before it) shows the window, not the file.
#include <unistd.h>
#include <zstd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "benchmark/benchmark.h"
#include "replay/dbn_encoder.h"
#include "replay/dbn_reader.h"
#include "runner/command_line.h"

namespace {

using tapedeck::replay::DbnMbo;
namespace dbn = tapedeck::replay::dbn;

constexpr uint64_t kT0 = 1'609'113'600'000'000'000;  // 2020-12-28T00:00Z
constexpr int64_t kMid = 372'000;                    // 3720.00 at ESH1's scale 2
constexpr int64_t kTickE9 = 250'000'000;             // a quarter point at 1e-9

struct Order {
  uint64_t id;
  char side;
  int64_t ticks;  // price in quarter points
  uint32_t size;
};

// A deterministic MBO stream. Live orders sit in a vector: a random one is cancelled, modified
// or filled (the decoder's work does not depend on which).
class MboGenerator {
 public:
  explicit MboGenerator(tapedeck::replay::DbnWriter* w) : w_(w) {}

  // Appends one venue event (one to five records); false on a write error.
  bool Step() {
    ts_ += 1 + rng_.Next() % 40'000;
    const uint64_t roll = rng_.Next() % 100;
    const size_t live = live_.size();
    if (live < 8'000 || (live < 12'000 && roll < 45)) return Add();
    if (roll < 75) return Cancel();
    if (roll < 90) return Modify();
    return Trade();
  }
  uint64_t records() const { return records_; }

 private:
  bool Emit(char action, char side, uint64_t id, int64_t ticks, uint32_t size, bool last) {
    DbnMbo m;
    m.instrument_id = 5482;
    m.ts_event = ts_;
    m.ts_recv = ts_ + 5'000 + rng_.Next() % 25'000;
    m.order_id = id;
    m.price = (kMid / 25 + ticks) * kTickE9;
    m.size = size;
    m.flags = last ? dbn::kFlagLast : 0;
    m.action = action;
    m.side = side;
    m.ts_in_delta = static_cast<int32_t>(rng_.Next() % 30'000);
    m.sequence = ++sequence_;
    ++records_;
    return w_->Append(tapedeck::replay::EncodeMbo(m)).ok();
  }
  size_t Pick() { return static_cast<size_t>(rng_.Next() % live_.size()); }
  void Remove(size_t i) {
    live_[i] = live_.back();
    live_.pop_back();
  }
  bool Add() {
    const char side = (rng_.Next() & 1) != 0 ? 'B' : 'A';
    const int64_t away = 1 + static_cast<int64_t>(rng_.Next() % 40);
    const Order o{next_id_++, side, side == 'B' ? -away : away,
                  1 + static_cast<uint32_t>(rng_.Next() % 25)};
    live_.push_back(o);
    return Emit('A', o.side, o.id, o.ticks, o.size, true);
  }
  bool Cancel() {
    const size_t i = Pick();
    const Order o = live_[i];
    Remove(i);
    return Emit('C', o.side, o.id, o.ticks, o.size, true);
  }
  bool Modify() {
    Order& o = live_[Pick()];
    if ((rng_.Next() & 1) != 0 && o.size > 1) {
      o.size -= 1 + static_cast<uint32_t>(rng_.Next() % (o.size - 1));  // keeps its place
    } else {
      o.ticks += (o.side == 'B' ? -1 : 1) * (1 + static_cast<int64_t>(rng_.Next() % 3));
    }
    return Emit('M', o.side, o.id, o.ticks, o.size, true);
  }
  bool Trade() {
    const size_t i = Pick();
    Order& o = live_[i];
    const uint32_t qty = 1 + static_cast<uint32_t>(rng_.Next() % o.size);
    const char aggressor = o.side == 'B' ? 'A' : 'B';
    bool ok = Emit('T', aggressor, 0, o.ticks, qty, false) &&
              Emit('F', o.side, o.id, o.ticks, qty, false);
    if (qty == o.size) {
      ok = ok && Emit('C', o.side, o.id, o.ticks, qty, true);
      Remove(i);
    } else {
      o.size -= qty;
      ok = ok && Emit('M', o.side, o.id, o.ticks, o.size, true);
    }
    return ok;
  }

  tapedeck::replay::DbnWriter* w_;
  tapedeck::bench::XorShift64 rng_{0x9E3779B97F4A7C15ull};
  std::vector<Order> live_;
  uint64_t next_id_ = 1;
  uint64_t ts_ = kT0;
  uint32_t sequence_ = 0;
  uint64_t records_ = 0;
};

struct File {
  std::string path;
  uint64_t file_bytes = 0;
  uint64_t records = 0;
};

absl::StatusOr<File> Generate(const std::string& path, uint64_t min_bytes) {
  tapedeck::replay::DbnMetadataSpec meta;
  meta.start = kT0;
  meta.symbols.push_back({"ESH1", 5482, 20201228, 20201229});
  auto w = tapedeck::replay::DbnWriter::Create(path, meta, 3);
  if (!w.ok()) return w.status();
  MboGenerator gen(w->get());
  while ((*w)->file_bytes() < min_bytes) {
    for (int i = 0; i < 65'536; ++i) {
      if (!gen.Step()) return absl::DataLossError(path + ": write failed");
    }
  }
  if (absl::Status s = (*w)->Finish(); !s.ok()) return s;
  File f;
  f.path = path;
  f.records = gen.records();
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  f.file_bytes = static_cast<uint64_t>(in.tellg());
  return f;
}

tapedeck::InstrumentTable Esh1() {
  tapedeck::InstrumentTable t;
  tapedeck::Instrument es;
  es.symbol = "ESH1";
  es.kind = tapedeck::InstrumentKind::kDatedFuture;
  es.expiry = tapedeck::Timestamp(1'616'160'600'000'000'000);
  es.price_scale = 2;
  es.qty_scale = 0;
  es.tick_size = tapedeck::Price(25);
  (void)t.Add(es);
  return t;
}

// VmHWM in MiB; ResetPeak() makes the kernel start it again from the current VmRSS.
double PeakRssMib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}
void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

void BM_Dbn_ZstdDecompressOnly(benchmark::State& state, const File* f) {
  uint64_t out_bytes = 0;
  for (auto _ : state) {
    // As the reader does for each file: a new context and buffers, the file opened.
    std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    std::vector<uint8_t> in(ZSTD_DStreamInSize());
    std::vector<uint8_t> window(tapedeck::replay::DbnInput::kWindow);
    std::FILE* file = std::fopen(f->path.c_str(), "rb");
    out_bytes = 0;
    size_t got;
    while ((got = std::fread(in.data(), 1, in.size(), file)) > 0) {
      ZSTD_inBuffer src{in.data(), got, 0};
      while (src.pos < src.size) {
        ZSTD_outBuffer dst{window.data(), window.size(), 0};
        const size_t ret = ZSTD_decompressStream(dctx.get(), &dst, &src);
        if (ZSTD_isError(ret)) state.SkipWithError(ZSTD_getErrorName(ret));
        out_bytes += dst.pos;
        benchmark::DoNotOptimize(window.data());
      }
    }
    std::fclose(file);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(f->records));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f->file_bytes));
  state.counters["dbn_mb"] = static_cast<double>(out_bytes) / 1e6;
  state.counters["file_mb"] = static_cast<double>(f->file_bytes) / 1e6;
  state.counters["records"] = static_cast<double>(f->records);
}

void BM_Dbn_DecodeMbo(benchmark::State& state, const File* f) {
  const tapedeck::InstrumentTable table = Esh1();
  ResetPeak();
  int64_t events = 0;
  for (auto _ : state) {
    auto reader = tapedeck::replay::DbnReader::Open(f->path, "", table, {});
    if (!reader.ok()) {
      state.SkipWithError(std::string(reader.status().message()).c_str());
      break;
    }
    events = 0;
    while (true) {
      auto batch = (*reader)->NextBatch();
      if (!batch.ok()) {
        state.SkipWithError(std::string(batch.status().message()).c_str());
        break;
      }
      if (batch->empty()) break;
      events += static_cast<int64_t>(batch->size());
      benchmark::DoNotOptimize(batch->data());
    }
  }
  state.SetItemsProcessed(state.iterations() * events);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f->file_bytes));
  state.counters["events"] = static_cast<double>(events);
  state.counters["peak_rss_mib"] = PeakRssMib();
}

constexpr const char* kUsage =
    "usage: bench_dbn_decode [--mb N] [--dir DIR] [--keep] [--benchmark_* flags]\n"
    "\n"
    "Writes a zstd MBO DBN file of at least N MB (default 100) with tapedeck's own encoder,\n"
    "then times zstd's decompression of it alone and the DBN reader's decoding of it (Google\n"
    "Benchmark; pass --benchmark_repetitions, --benchmark_out and the like).\n"
    "\n"
    "  --mb N      compressed size to reach, in MB (at least 1)\n"
    "  --dir DIR   where the file is written (default /tmp)\n"
    "  --keep      keep the file afterwards\n";

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);  // takes the --benchmark_* flags out of argv
  std::optional<uint64_t> mb;
  std::string dir = "/tmp";
  bool keep = false;
  auto cli = tapedeck::runner::CommandLine::Program("bench_dbn_decode", kUsage);
  cli.Count("--mb", &mb, 1, 100'000).Value("--dir", &dir).Flag("--keep", &keep);
  if (const int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  const std::string path = dir + "/dbn_decode_" + std::to_string(::getpid()) + ".dbn.zst";
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<File> file = Generate(path, mb.value_or(100) * 1'000'000);
  if (!file.ok()) {
    std::fprintf(stderr, "bench_dbn_decode: %s\n", std::string(file.status().message()).c_str());
    return 1;
  }
  std::printf("generated %s: %" PRIu64 " MBO records, %.1f MB zstd, in %.1f s\n",
              file->path.c_str(), file->records, static_cast<double>(file->file_bytes) / 1e6,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::fflush(stdout);
  const File* f = &*file;
  benchmark::RegisterBenchmark("BM_Dbn_ZstdDecompressOnly", BM_Dbn_ZstdDecompressOnly, f)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_Dbn_DecodeMbo", BM_Dbn_DecodeMbo, f)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (!keep) ::unlink(path.c_str());
  return 0;
}
