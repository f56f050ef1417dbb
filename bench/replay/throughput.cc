// The end-to-end throughput harness (issue 7): writes generated tapes of `--events` events (10 M by
// default) into a temporary directory and measures, in one process:
//   replay      iterate the mmap'd mixed tape (TapeSource batches, zero copy)
//   book        replay + an L2 OrderBook fed every kBookLevel event
//   full        the mixed tape through core::Engine (Merger, SimVenue with its latency model,
//               the Context) with dip_buyer, which keeps an L2 book on the side (it finds no
//               cascade in this random walk: no order, so the queue model has nothing to do)
//   full_quoting  the same with touch_quoter, which keeps a post-only bid and ask resting at the
//               touch (re-quoted at most once a second per side): every level update at its
//               prices goes through the power-2 queue model, every order and response through a
//               seeded lognormal latency model
//   floor       a hand-written loop over an in-memory array of trade prices doing the SMA
//               example's arithmetic (strategies::SmaSignal)
//   floor_trading  the floor plus the example's trading written by hand (HandTradedSma): its
//               fills, position and cash must equal engine_sma's, or the run fails
//   tape_sma    the trades-only tape iterated by hand with the same arithmetic (replay + SMA, no
//               engine): splits the tax between replay and dispatch
//   engine_sma  the SMA example (strategies::SmaCrossover) through core::Engine on the
//               trades-only tape
//   engine_signal  the same signal through core::Engine without the example's orders: splits
//               engine_sma's cost between dispatch and the simulation of its trading
// and prints events/s, the ratio of each to the floor, the framework tax (floor / engine_sma;
// the DESIGN.md target is at most 3x), and engine_sma against floor_trading. The stages run in
// `--repeat` rounds of one run each (MeasureInterleaved), and each stage's fastest run counts
// (the machine is shared; the fastest run is the one least disturbed).
// Times are the process's CPU time (see CpuSeconds); wall times are in the JSON too.
//
// Usage: bench_throughput [--events N] [--repeat R] [--json PATH] [--dir DIR] [--keep] (--help)
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runner/command_line.h"
#include "bench/bench_util.h"
#include "bench/replay/throughput_tapes.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/order_book.h"
#include "nlohmann/json.hpp"
#include "replay/tape.h"
#include "strategies/dip_buyer.h"
#include "strategies/sma_crossover.h"
#include "strategies/touch_quoter.h"

namespace tapedeck {
namespace {

using bench::BenchInstrument;
using bench::Fail;
using bench::kStart;
using bench::OpenTape;
using bench::WriteMixedTape;
using bench::WriteTradesTape;

constexpr int kSmaFast = 20;
constexpr int kSmaSlow = 60;

// Stage results ---------------------------------------------------------------------------------

struct Stage {
  std::string name;
  std::string what;
  uint64_t events = 0;
  double best_s = 0;              // CPU seconds of the fastest run
  std::vector<double> runs_s;     // CPU seconds (user + system) of each run
  std::vector<double> wall_s;     // wall-clock seconds of each run
  std::vector<double> sys_s;      // of runs_s, the kernel's part (page faults, mapping)
  std::vector<int64_t> faults;    // page faults of each run (minor + major)
  size_t best = 0;                // index of the fastest run
  uint64_t check = 0;  // a value derived from the work, printed so it cannot be optimised away
  double rate() const { return best_s > 0 ? static_cast<double>(events) / best_s : 0; }
};

using Clock = std::chrono::steady_clock;

// CPU time of the process (user + system: page faults on the mapping count), in seconds. Rates
// use it rather than wall time because the machine is shared: a run that waits for a core does
// not charge the wait to tapedeck. The harness is single-threaded, so the two agree on an idle
// machine (both are in the JSON).
double CpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The process's system CPU seconds and page faults so far: what the kernel did for a run (fresh
// pages for the tape's mapping and for growing buffers) is the part of its time most likely to
// swing between runs on a shared VM, so each run's share is recorded next to its time.
struct KernelShare {
  double sys_s = 0;
  int64_t faults = 0;
};
KernelShare KernelSoFar() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return {static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) * 1e-6,
          static_cast<int64_t>(ru.ru_minflt) + static_cast<int64_t>(ru.ru_majflt)};
}

// One stage of the harness: its body runs the work once and returns (events, check) or an error.
struct StagePlan {
  std::string name;
  std::string what;
  std::function<absl::Status(uint64_t*, uint64_t*)> body;
};

// Runs every stage once per round, for `repeat` rounds, and keeps each stage's fastest run.
// Interleaved rather than stage after stage: the machine is shared, and a spell of load from a
// neighbour then slows one run of each stage rather than every run of one, which would skew
// the ratios between stages (the framework tax among them) that the harness exists to measure.
absl::StatusOr<std::vector<Stage>> MeasureInterleaved(const std::vector<StagePlan>& plans,
                                                      int repeat) {
  std::vector<Stage> stages(plans.size());
  for (size_t i = 0; i < plans.size(); ++i) {
    stages[i].name = plans[i].name;
    stages[i].what = plans[i].what;
  }
  for (int round = 0; round < repeat; ++round) {
    for (size_t i = 0; i < plans.size(); ++i) {
      Stage& st = stages[i];
      uint64_t events = 0, check = 0;
      const auto t0 = Clock::now();
      const KernelShare k0 = KernelSoFar();
      const double c0 = CpuSeconds();
      if (auto s = plans[i].body(&events, &check); !s.ok()) return Fail(st.name, s);
      st.runs_s.push_back(CpuSeconds() - c0);
      st.wall_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      const KernelShare k1 = KernelSoFar();
      st.sys_s.push_back(k1.sys_s - k0.sys_s);
      st.faults.push_back(k1.faults - k0.faults);
      st.events = events;
      st.check = check;
    }
    std::fprintf(stderr, "bench_throughput: round %d of %d done\n", round + 1, repeat);
  }
  for (Stage& st : stages) {
    st.best = static_cast<size_t>(std::min_element(st.runs_s.begin(), st.runs_s.end()) -
                                 st.runs_s.begin());
    st.best_s = st.runs_s[st.best];
    std::fprintf(stderr,
                 "  %-13s %8.1f M events/s  (%llu events, best of %d: %.3f s CPU, %.3f s of it "
                 "system, %lld page faults)\n",
                 st.name.c_str(), st.rate() / 1e6, static_cast<unsigned long long>(st.events),
                 repeat, st.best_s, st.sys_s[st.best], static_cast<long long>(st.faults[st.best]));
  }
  return stages;
}

// Replay only: every record of every batch is read (its time stamp and kind summed).
absl::Status ReplayOnly(const std::string& path, uint64_t* events, uint64_t* check) {
  auto src = OpenTape(path);
  if (!src.ok()) return src.status();
  uint64_t sum = 0, n = 0;
  while (true) {
    auto batch = (*src)->NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (const Event& e : *batch) {
      sum += static_cast<uint64_t>(e.exchange_ts) + static_cast<uint64_t>(e.kind);
    }
    n += batch->size();
  }
  *events = n;
  *check = sum;
  return absl::OkStatus();
}

// Replay + an L2 book fed every level.
absl::Status ReplayBook(const std::string& path, uint64_t* events, uint64_t* check) {
  auto src = OpenTape(path);
  if (!src.ok()) return src.status();
  OrderBook book(Price(1));
  uint64_t n = 0, bad = 0, sum = 0;
  while (true) {
    auto batch = (*src)->NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (const Event& e : *batch) {
      if (e.kind == EventKind::kBookLevel) {
        bad += book.Apply(e.level) != BookResult::kOk ? 1u : 0u;
      } else {
        sum += static_cast<uint64_t>(e.trade.price.raw);
      }
    }
    n += batch->size();
  }
  if (bad != 0) return absl::InternalError("the generated book crossed or was rejected");
  *events = n;
  *check = sum + static_cast<uint64_t>(book.best_bid().raw);
  return absl::OkStatus();
}

// dip_buyer with an L2 book kept from the book events it is shown (the Context keeps only the
// touch from quotes).
class BookedDipBuyer final : public Strategy {
 public:
  explicit BookedDipBuyer(const strategies::DipBuyerParams& p) : inner_(p) {}
  void OnStart(Context& ctx) override { inner_.OnStart(ctx); }
  void OnTrade(Context& ctx, const Event& e) override { inner_.OnTrade(ctx, e); }
  void OnQuote(Context& ctx, const Event& e) override { inner_.OnQuote(ctx, e); }
  void OnBookLevel(Context& ctx, const Event& e) override {
    if (e.kind == EventKind::kBookLevel) bad_ += book_.Apply(e.level) != BookResult::kOk ? 1u : 0u;
    inner_.OnBookLevel(ctx, e);
  }
  void OnBar(Context& ctx, const Event& e) override { inner_.OnBar(ctx, e); }
  void OnReference(Context& ctx, const Event& e) override { inner_.OnReference(ctx, e); }
  void OnOrderUpdate(Context& ctx, const Event& e) override { inner_.OnOrderUpdate(ctx, e); }
  void OnTimer(Context& ctx, uint64_t id, uint64_t tag) override { inner_.OnTimer(ctx, id, tag); }
  void OnVenueStatus(Context& ctx, VenueStatus s) override { inner_.OnVenueStatus(ctx, s); }
  void OnStop(Context& ctx) override { inner_.OnStop(ctx); }
  uint64_t bad() const { return bad_; }

 private:
  strategies::DipBuyer inner_;
  OrderBook book_{Price(1)};
  uint64_t bad_ = 0;
};

// The SMA example's signal without its orders: the same arithmetic and crossing count as the
// floor, through the engine. The gap to engine_sma is what the example's trading costs (its
// orders, fills and accounting); the gap to the floor is dispatch alone.
class SmaSignalOnly final : public Strategy {
 public:
  void OnTrade(Context&, const Event& e) override { OnPrice(e.trade.price.raw); }
  // As the example does: runs of trades in one call.
  void OnTrades(Context&, TradeRun& run) override {
    while (const Event* e = run.Next()) OnPrice(e->trade.price.raw);
  }
  uint64_t crossings() const { return crossings_; }

 private:
  void OnPrice(int64_t price) {
    const int s = signal_.Update(price);
    if (s != 0 && s != last_) {
      ++crossings_;
      last_ = s;
    }
  }

  strategies::SmaSignal signal_{kSmaFast, kSmaSlow};
  int last_ = 0;
  uint64_t crossings_ = 0;
};

// The SMA example's order size (raw quantity) and both of its latencies (to the venue and back)
// in engine_sma, which floor_trading reproduces.
constexpr int64_t kSmaQty = 10;
constexpr Duration kOrderLatency = Duration::Millis(1);

// A trade as floor_trading reads it: exchange time and price.
struct TimedPrice {
  int64_t time;
  int64_t price;
};

// What a stage's trading came to: engine_sma's and floor_trading's must be equal.
struct TradingOutcome {
  uint64_t fills = 0;
  int64_t position = 0;  // raw quantity
  int64_t cash = 0;      // raw Money
  bool operator==(const TradingOutcome&) const = default;
};

absl::Status RunEngine(const std::string& path, Strategy& strategy, const InstrumentTable& table,
                       uint64_t* events, uint64_t* check, TradingOutcome* outcome = nullptr,
                       const EngineConfig& config = {}) {
  auto src = OpenTape(path);
  if (!src.ok()) return src.status();
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::move(*src));
  Merger merger(std::move(sources));
  if (auto s = merger.Init(); !s.ok()) return s;
  Engine engine(table, config);
  if (auto s = engine.Run(merger, strategy); !s.ok()) return s;
  *events = engine.stats().market_events;
  *check = engine.stats().delivered + engine.host().orders_sent();
  if (outcome != nullptr) {
    const Context& ctx = engine.context();
    *outcome = {engine.records().fill_log().size(), ctx.position(InstrumentId(0)).raw,
                ctx.portfolio().cash().raw};
  }
  return absl::OkStatus();
}

// The floor's trading twin: the SMA example's signal and its trading, written by hand over
// plain arrays, as a backtest without a framework would do it. At a crossing it sends a market
// order for the difference to its target position (none while one is in flight); the order
// reaches the venue kOrderLatency later and fills whole at the first trade after that, at the
// trade's price, with the taker fee; the strategy learns of the fill kOrderLatency after it. At
// one instant market data comes first: a trade at the order's arrival time does not fill it,
// and the strategy sees a trade at the fill's arrival time before the fill. The position and
// cash change when the strategy learns of the fill, as the Context's do (a fill still on its
// way at the end of the tape is not counted). Its fills, position and cash must come out equal
// to engine_sma's.
TradingOutcome HandTradedSma(std::span<const TimedPrice> trades, const Instrument& in,
                             Money initial_cash) {
  constexpr int64_t kEntryNs = kOrderLatency.ns, kResponseNs = kOrderLatency.ns;
  // The order's life, out of the signal's loop: it happens at ~2% of the trades.
  struct Book {
    const Instrument& in;
    int64_t position = 0, cash = 0;
    uint64_t fills = 0;
    bool filled = false;      // filled at the venue, the strategy not told yet
    int64_t order = 0;        // signed quantity of the order in flight
    int64_t fill_price = 0;
    // A trade after `due`: it fills the order at the venue, or the fill reaches the strategy.
    // Returns the next due time.
    [[gnu::noinline]] int64_t Advance(int64_t t, int64_t p) {
      if (!filled) {
        fill_price = p;
        filled = true;
        return t + kResponseNs;
      }
      const Money notional = in.Notional(Price(fill_price), Qty(order > 0 ? order : -order));
      const Money fee = Instrument::Fee(notional, in.taker_fee);
      cash -= (order > 0 ? notional.raw : -notional.raw) + fee.raw;
      position += order;
      ++fills;
      filled = false;
      return INT64_MAX;
    }
  } book{in, 0, initial_cash.raw};
  strategies::SmaSignal signal(kSmaFast, kSmaSlow);
  int state = 0;             // +1 long, 0 flat: what the last order aimed at
  int64_t due = INT64_MAX;   // in flight: its arrival at the venue, then its fill's at the strategy
  for (const TimedPrice& trade : trades) {
    const int64_t t = trade.time;
    const int64_t p = trade.price;
    if (t > due) [[unlikely]] due = book.Advance(t, p);
    const int s = signal.Update(p);
    if (s == 0) continue;
    const int want = s > 0 ? 1 : 0;
    if (want == state || due != INT64_MAX) continue;  // none while an order is in flight
    const int64_t delta = (want == 1 ? kSmaQty : 0) - book.position;
    if (delta != 0) {
      book.order = delta;
      due = t + kEntryNs;
    }
    state = want;
  }
  return {book.fills, book.position, book.cash};
}

constexpr const char* kUsage =
    "usage: bench_throughput [--events N] [--repeat R] [--json PATH] [--dir DIR] [--keep]\n"
    "\n"
    "The end-to-end throughput harness (bench/README.md): writes a trades-only and a mixed\n"
    "tape of N events each, replays them through nine stages (floor, floor_trading, tape_sma,\n"
    "engine_sma, engine_signal, replay, book, full, full_quoting) in this one process, and\n"
    "prints each stage's events/s, its ratio to the floor and the framework tax (floor /\n"
    "engine_sma; DESIGN.md's target: at most 3x). Progress goes to stderr, the table to\n"
    "stdout. Exits 1 when a stage fails, the SMA stages disagree on the crossings they count,\n"
    "or floor_trading and engine_sma on their fills, position and cash.\n"
    "\n"
    "  --events N   events per tape (default 10000000; at least 1000): 64 bytes each on disk\n"
    "  --repeat R   rounds, each running every stage once; a stage's fastest run counts\n"
    "               (default 3)\n"
    "  --json PATH  also write every stage's runs as JSON (written whole, then renamed)\n"
    "  --dir DIR    write the tapes into DIR (default: a new directory under /tmp, removed after)\n"
    "  --keep       keep the tapes, and reuse tapes of N events already in DIR\n";

// A tape left in `path` by an earlier --keep run, if it holds exactly `n` records.
bool KeptTapeFits(const std::string& path, uint64_t n) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  auto tape = replay::Tape::Open(path, replay::TapeOpenOptions{.verify = false});
  return tape.ok() && (*tape)->header().record_count == n;
}

int Main(int argc, char** argv) {
  std::optional<uint64_t> events_flag, repeat_flag;
  std::string json_path, dir_flag;
  bool keep = false;
  auto cli = runner::CommandLine::Program("bench_throughput", kUsage);
  cli.Count("--events", &events_flag, 1000)
      .Count("--repeat", &repeat_flag, 1, 1000)
      .Value("--json", &json_path)
      .Value("--dir", &dir_flag)
      .Flag("--keep", &keep);
  if (const int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  const uint64_t n = events_flag.value_or(10'000'000);
  const int repeat = static_cast<int>(repeat_flag.value_or(3));
  std::string dir = dir_flag;
  if (dir.empty()) {
    char tmpl[] = "/tmp/tapedeck_throughput_XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::perror("bench_throughput: mkdtemp");
      return 1;
    }
    dir = tmpl;
  } else if (std::error_code ec; !std::filesystem::is_directory(dir, ec)) {
    std::fprintf(stderr, "bench_throughput: --dir %s: not a directory\n", dir.c_str());
    return 2;
  }
  const std::string trades = dir + "/trades.tape";
  const std::string mixed = dir + "/mixed.tape";
  auto cleanup = [&] {
    if (keep) return;
    std::error_code ec;
    std::filesystem::remove(trades, ec);
    std::filesystem::remove(mixed, ec);
    if (dir_flag.empty()) std::filesystem::remove(dir, ec);
  };
  auto die = [&](const absl::Status& s) {
    std::fprintf(stderr, "bench_throughput: %s\n", s.ToString().c_str());
    cleanup();
    return 1;
  };

  if (keep && KeptTapeFits(trades, n) && KeptTapeFits(mixed, n)) {
    std::fprintf(stderr, "bench_throughput: reusing the two tapes of %llu events in %s\n",
                 static_cast<unsigned long long>(n), dir.c_str());
  } else {
    std::fprintf(stderr, "bench_throughput: writing two tapes of %llu events into %s\n",
                 static_cast<unsigned long long>(n), dir.c_str());
    if (auto s = WriteTradesTape(trades, n); !s.ok()) return die(s);
    if (auto s = WriteMixedTape(mixed, n); !s.ok()) return die(s);
  }
  InstrumentTable table;
  if (auto s = table.Add(BenchInstrument()); !s.ok()) return die(s);

  // The floor's input: the trade prices as a plain array, read once outside the timing.
  std::vector<int64_t> prices;
  std::vector<TimedPrice> timed_prices;  // floor_trading's
  {
    auto src = OpenTape(trades);
    if (!src.ok()) return die(src.status());
    prices.reserve(n);
    timed_prices.reserve(n);
    while (true) {
      auto batch = (*src)->NextBatch();
      if (!batch.ok()) return die(batch.status());
      if (batch->empty()) break;
      for (const Event& e : *batch) {
        prices.push_back(e.trade.price.raw);
        timed_prices.push_back({e.exchange_ts, e.trade.price.raw});
      }
    }
  }

  // The SMA crossing count: the same number from every SMA stage proves the same arithmetic.
  auto sma_loop = [](auto&& for_each_price) {
    strategies::SmaSignal signal(kSmaFast, kSmaSlow);
    uint64_t crossings = 0;
    int last = 0;
    for_each_price([&](int64_t p) {
      const int s = signal.Update(p);
      if (s != 0 && s != last) {
        ++crossings;
        last = s;
      }
    });
    return crossings;
  };

  std::vector<StagePlan> plans;
  plans.push_back({"floor", "hand-written SMA loop over an in-memory array of trade prices",
                   [&](uint64_t* events, uint64_t* check) {
                     *check = sma_loop([&](auto&& f) {
                       for (int64_t p : prices) f(p);
                     });
                     *events = prices.size();
                     return absl::OkStatus();
                   }});
  EngineConfig sma_config;
  sma_config.venue.entry_latency = kOrderLatency;
  sma_config.venue.response_latency = kOrderLatency;
  TradingOutcome hand_traded, engine_traded;
  plans.push_back({"floor_trading",
                   "the floor plus the example's trading by hand: market orders, fills, fees, "
                   "position",
                   [&](uint64_t* events, uint64_t* check) {
                     hand_traded = HandTradedSma(timed_prices, table.at(InstrumentId(0)),
                                                 sma_config.initial_cash);
                     *check = hand_traded.fills;
                     *events = timed_prices.size();
                     return absl::OkStatus();
                   }});
  plans.push_back({"tape_sma", "trades-only tape iterated by hand with the same SMA arithmetic",
                   [&](uint64_t* events, uint64_t* check) -> absl::Status {
                     auto src = OpenTape(trades);
                     if (!src.ok()) return src.status();
                     absl::Status err;
                     uint64_t count = 0;
                     *check = sma_loop([&](auto&& f) {
                       while (true) {
                         auto batch = (*src)->NextBatch();
                         if (!batch.ok()) {
                           err = batch.status();
                           return;
                         }
                         if (batch->empty()) return;
                         for (const Event& e : *batch) f(e.trade.price.raw);
                         count += batch->size();
                       }
                     });
                     *events = count;
                     return err;
                   }});
  plans.push_back({"engine_sma", "SMA example through core::Engine on the trades-only tape",
                   [&](uint64_t* events, uint64_t* check) {
                     strategies::SmaCrossoverParams p;
                     p.fast = kSmaFast;
                     p.slow = kSmaSlow;
                     p.qty = Qty(kSmaQty);
                     strategies::SmaCrossover sma(p);
                     return RunEngine(trades, sma, table, events, check, &engine_traded,
                                      sma_config);
                   }});
  plans.push_back({"engine_signal",
                   "the SMA example's signal through core::Engine, without its orders",
                   [&](uint64_t* events, uint64_t* check) -> absl::Status {
                     SmaSignalOnly s;
                     uint64_t unused = 0;
                     if (auto st = RunEngine(trades, s, table, events, &unused); !st.ok()) {
                       return st;
                     }
                     *check = s.crossings();
                     return absl::OkStatus();
                   }});
  plans.push_back({"replay", "mixed tape: iterate the mapping (no book, no strategy)",
                   [&](uint64_t* events, uint64_t* check) {
                     return ReplayOnly(mixed, events, check);
                   }});
  plans.push_back({"book", "mixed tape: replay + L2 OrderBook",
                   [&](uint64_t* events, uint64_t* check) {
                     return ReplayBook(mixed, events, check);
                   }});
  plans.push_back({"full", "mixed tape through core::Engine: SimVenue (latency model) + dip_buyer "
                           "+ L2 book",
                   [&](uint64_t* events, uint64_t* check) -> absl::Status {
                     strategies::DipBuyerParams p;
                     p.instrument = InstrumentId(0);
                     p.tranche_qty = Qty(1000);
                     BookedDipBuyer s(p);
                     if (auto st = RunEngine(mixed, s, table, events, check); !st.ok()) return st;
                     if (s.bad() != 0) return absl::InternalError("book rejected a level");
                     return absl::OkStatus();
                   }});

  plans.push_back({"full_quoting",
                   "mixed tape through core::Engine: touch_quoter resting a bid and an ask at the "
                   "touch (power-2 queue model, seeded lognormal latency) + its L2 book",
                   [&](uint64_t* events, uint64_t* check) -> absl::Status {
                     strategies::TouchQuoterParams p;
                     p.instrument = InstrumentId(0);
                     p.qty = Qty(1);
                     strategies::TouchQuoter s(p, Price(1));
                     EngineConfig config;
                     config.venue.queue = PowerQueue{2};
                     config.venue.seed = 7;
                     const LatencySpec lognormal = LatencySpec::Lognormal(
                         Duration::Millis(1), 500, 10'000, Duration::Millis(20));
                     for (LatencySpec& l : config.venue.latency) l = lognormal;
                     uint64_t unused = 0;
                     if (auto st = RunEngine(mixed, s, table, events, &unused, nullptr, config);
                         !st.ok()) {
                       return st;
                     }
                     *check = s.Report().value("quotes_sent", uint64_t{0});
                     return absl::OkStatus();
                   }});

  std::fprintf(stderr, "bench_throughput: measuring %zu stages in %d rounds (best of %d)\n",
               plans.size(), repeat, repeat);
  absl::StatusOr<std::vector<Stage>> measured = MeasureInterleaved(plans, repeat);
  if (!measured.ok()) return die(measured.status());
  const std::vector<Stage>& stages = *measured;
  const Stage& floor = stages[0];
  auto find = [&](const std::string& name) -> const Stage& {
    for (const Stage& s : stages) {
      if (s.name == name) return s;
    }
    return stages[0];
  };
  const double tax = floor.rate() / find("engine_sma").rate();
  std::printf("%-11s %14s %10s  %s\n", "stage", "events/s", "floor/x", "what");
  for (const Stage& s : stages) {
    std::printf("%-11s %14.0f %9.2fx  %s\n", s.name.c_str(), s.rate(), floor.rate() / s.rate(),
                s.what.c_str());
  }
  const double trading_tax = find("floor_trading").rate() / find("engine_sma").rate();
  std::printf("framework tax (floor / engine_sma, trades-only SMA): %.2fx (target <= 3x)\n", tax);
  std::printf("against a hand-written loop that also trades (floor_trading / engine_sma): %.2fx\n",
              trading_tax);
  std::printf("SMA crossings: floor %llu, tape_sma %llu, engine_signal %llu (must agree)\n",
              static_cast<unsigned long long>(floor.check),
              static_cast<unsigned long long>(find("tape_sma").check),
              static_cast<unsigned long long>(find("engine_signal").check));
  std::printf("SMA trading: floor_trading %llu fills, position %lld, cash %lld; engine_sma %llu "
              "fills, position %lld, cash %lld (must agree)\n",
              static_cast<unsigned long long>(hand_traded.fills),
              static_cast<long long>(hand_traded.position),
              static_cast<long long>(hand_traded.cash),
              static_cast<unsigned long long>(engine_traded.fills),
              static_cast<long long>(engine_traded.position),
              static_cast<long long>(engine_traded.cash));
  if (floor.check != find("tape_sma").check || floor.check != find("engine_signal").check) {
    std::fprintf(stderr, "bench_throughput: the SMA stages disagree\n");
    cleanup();
    return 1;
  }
  if (!(hand_traded == engine_traded)) {
    std::fprintf(stderr, "bench_throughput: floor_trading and engine_sma traded differently\n");
    cleanup();
    return 1;
  }

  if (!json_path.empty()) {
    nlohmann::json j;
    j["events_per_tape"] = n;
    j["repeat"] = repeat;
    j["framework_tax"] = tax;
    j["framework_tax_target"] = 3.0;
    j["trading_floor_tax"] = trading_tax;
    nlohmann::json arr = nlohmann::json::array();
    for (const Stage& s : stages) {
      arr.push_back({{"name", s.name},
                     {"what", s.what},
                     {"events", s.events},
                     {"best_seconds", s.best_s},
                     {"runs_cpu_seconds", s.runs_s},
                     {"runs_wall_seconds", s.wall_s},
                     {"runs_system_seconds", s.sys_s},
                     {"runs_page_faults", s.faults},
                     {"events_per_second", s.rate()},
                     {"floor_ratio", floor.rate() / s.rate()}});
    }
    j["stages"] = arr;
    const std::string tmp = json_path + ".tmp";
    {
      std::ofstream out(tmp);
      out << j.dump(2) << "\n";
      if (!out) {
        std::fprintf(stderr, "bench_throughput: cannot write %s\n", tmp.c_str());
        cleanup();
        return 1;
      }
    }
    if (std::error_code ec; std::filesystem::rename(tmp, json_path, ec), ec) {
      std::fprintf(stderr, "bench_throughput: cannot rename %s to %s: %s\n", tmp.c_str(),
                   json_path.c_str(), ec.message().c_str());
      cleanup();
      return 1;
    }
  }
  cleanup();
  return 0;
}

}  // namespace
}  // namespace tapedeck

int main(int argc, char** argv) { return tapedeck::Main(argc, argv); }
