// Resident memory while replaying a huge tape: generates a tape of N events (default 200 M,
// 12.8 GB), opens it (verifying every checksum: one pass), replays it through TapeSource and the
// Merger, and prints the process's resident set (VmRSS) and its peak (VmHWM) from
// /proc/self/status at several points. Replay must keep both flat: they may not grow with the
// tape.
//
//   bench_tape_memory [--events N] [--dir DIR] [--keep] (--help)
//
// The tape is written to DIR (default /tmp) and deleted at the end unless --keep.
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runner/command_line.h"
#include "bench/bench_util.h"
#include "core/merger.h"
#include "replay/tape.h"

namespace {

using tapedeck::Event;

struct Mem {
  int64_t rss_kb = 0;
  int64_t hwm_kb = 0;
};

Mem ReadMem() {
  Mem m;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) m.rss_kb = std::atoll(line.c_str() + 6);
    if (line.rfind("VmHWM:", 0) == 0) m.hwm_kb = std::atoll(line.c_str() + 6);
  }
  return m;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Report(const char* what, uint64_t events) {
  const Mem m = ReadMem();
  std::printf("%-34s events %12" PRIu64 "  VmRSS %8.1f MiB  VmHWM %8.1f MiB\n", what, events,
              static_cast<double>(m.rss_kb) / 1024.0, static_cast<double>(m.hwm_kb) / 1024.0);
  std::fflush(stdout);
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "bench_tape_memory: %s\n", std::string(s.message()).c_str());
  return 1;
}

constexpr const char* kUsage =
    "usage: bench_tape_memory [--events N] [--dir DIR] [--keep]\n"
    "\n"
    "Writes a trades tape of N events, opens it (verifying every checksum), replays it, and\n"
    "prints the resident set (VmRSS) and its peak (VmHWM) along the way: neither may grow with\n"
    "the tape.\n"
    "\n"
    "  --events N   events (default 200000000: a 12.8 GB tape; at least 1); refused up front when\n"
    "               DIR has too little free space\n"
    "  --dir DIR    where the tape is written (default /tmp)\n"
    "  --keep       keep the tape afterwards\n";

}  // namespace

int main(int argc, char** argv) {
  std::optional<uint64_t> events;
  std::string dir = "/tmp";
  bool keep = false;
  auto cli = tapedeck::runner::CommandLine::Program("bench_tape_memory", kUsage);
  cli.Count("--events", &events, 1).Value("--dir", &dir).Flag("--keep", &keep);
  if (const int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  const uint64_t n = events.value_or(200'000'000);
  const std::string path = dir + "/tape_memory_" + std::to_string(::getpid()) + ".tape";
  // Refuse up front rather than fail after minutes of writing: the tape needs 64 bytes per event
  // plus the header, and a full disk would also hurt whatever else runs on the machine.
  if (struct statvfs fs; ::statvfs(dir.c_str(), &fs) == 0) {
    const double need = static_cast<double>(n) * 64.0 + 1e6;
    const double free_bytes = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
    if (free_bytes < need * 1.05) {
      std::fprintf(stderr,
                   "bench_tape_memory: %s has %.1f GB free, the %" PRIu64
                   "-event tape needs %.1f GB: pass --dir, or fewer --events\n",
                   dir.c_str(), free_bytes / 1e9, n, need / 1e9);
      return 1;
    }
  } else {
    std::fprintf(stderr, "bench_tape_memory: cannot stat %s: %s\n", dir.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::printf("tape %s: %" PRIu64 " events, %.2f GB\n", path.c_str(), n,
              static_cast<double>(n) * 64.0 / 1e9);
  Report("start", 0);

  // 1. Generate: trades, one per microsecond, prices walking deterministically.
  auto t0 = std::chrono::steady_clock::now();
  {
    tapedeck::Instrument in;
    in.symbol = "BTCUSDT";
    in.kind = tapedeck::InstrumentKind::kPerpetual;
    in.base = "BTC";
    in.quote = "USDT";
    in.price_scale = 1;
    in.qty_scale = 3;
    auto writer = tapedeck::replay::TapeWriter::Create(path, {in});
    if (!writer.ok()) return Fail(writer.status());
    std::vector<Event> batch(65536);
    uint64_t next_report = n / 4;
    tapedeck::bench::XorShift64 rng(88172645463325252ull);  // fixed: the tape is reproducible
    for (uint64_t done = 0; done < n;) {
      const uint64_t k = std::min<uint64_t>(batch.size(), n - done);
      for (uint64_t j = 0; j < k; ++j) {
        const uint64_t x = rng.Next();
        const int64_t t = 1'700'000'000'000'000'000 + static_cast<int64_t>(done + j) * 1'000;
        Event e = tapedeck::MakeEvent(tapedeck::EventKind::kTrade, tapedeck::InstrumentId(0),
                                      tapedeck::Timestamp(t), tapedeck::Timestamp(t + 500'000));
        e.trade.price = tapedeck::Price(600'000 + static_cast<int64_t>(x % 2000));
        e.trade.qty = tapedeck::Qty(1 + static_cast<int64_t>(x % 997));
        e.trade.trade_id = done + j;
        e.trade.aggressor = (x & 1) != 0 ? tapedeck::Side::kBuy : tapedeck::Side::kSell;
        batch[j] = e;
      }
      if (auto s = (*writer)->Append(std::span<const Event>(batch.data(), k)); !s.ok()) {
        return Fail(s);
      }
      done += k;
      if (done >= next_report) {
        Report("write", done);
        next_report += n / 4 > 0 ? n / 4 : 1;
      }
    }
    if (auto s = (*writer)->Finish(); !s.ok()) return Fail(s);
  }
  std::printf("generated in %.1f s\n", Seconds(t0));
  Report("after write", n);

  // 2. Open with verification: one sequential pass over all records.
  t0 = std::chrono::steady_clock::now();
  auto tape = tapedeck::replay::Tape::Open(path);
  if (!tape.ok()) return Fail(tape.status());
  const double verify_s = Seconds(t0);
  std::printf("verified in %.1f s (%.0f M records/s)\n", verify_s,
              static_cast<double>(n) / verify_s / 1e6);
  Report("after open + verify", n);

  // 3. Replay through the Merger, as a run does.
  std::vector<std::unique_ptr<tapedeck::EventSource>> sources;
  sources.push_back(std::make_unique<tapedeck::replay::TapeSource>(std::move(*tape),
                                                                   std::vector<uint16_t>()));
  tapedeck::Merger merger(std::move(sources));
  if (auto s = merger.Init(); !s.ok()) return Fail(s);
  t0 = std::chrono::steady_clock::now();
  Event e;
  uint64_t count = 0;
  int64_t checksum = 0;
  const uint64_t step = n >= 10 ? n / 10 : 1;
  while (merger.Next(&e)) {
    checksum += e.trade.price.raw;
    if (++count % step == 0) Report("replay", count);
  }
  if (!merger.status().ok()) return Fail(merger.status());
  const double replay_s = Seconds(t0);
  std::printf("replayed %" PRIu64 " events in %.1f s (%.0f M events/s), price sum %" PRId64 "\n",
              count, replay_s, static_cast<double>(count) / replay_s / 1e6, checksum);
  Report("after replay", count);
  struct rusage ru;
  ::getrusage(RUSAGE_SELF, &ru);
  std::printf("getrusage ru_maxrss %.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  if (!keep) ::unlink(path.c_str());
  return count == n ? 0 : 1;
}
