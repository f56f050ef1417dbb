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
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "runner/command_line.h"
#include "bench/bench_util.h"
#include "bench/replay/throughput_stages.h"
#include "bench/replay/throughput_plugin.h"
#include "bench/replay/throughput_tapes.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/order_book.h"
#include "core/status.h"
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
using bench::MeasureInterleaved;
using bench::OpenTape;
using bench::Stage;
using bench::StagePlan;
using bench::WriteMixedTape;
using bench::WriteTradesTape;

constexpr int kSmaFast = 20;
constexpr int kSmaSlow = 60;

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
    "  --keep       keep the tapes, and reuse tapes of N events already in DIR\n"
    "  --plugin SO  add engine_sma_plugin: engine_sma with the strategy --plugin-strategy (default\n"
    "               sma_crossover_plugin) of the plugin SO; it must trade as engine_sma does\n";

// A tape left in `path` by an earlier --keep run, if it holds exactly `n` records.
bool KeptTapeFits(const std::string& path, uint64_t n) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  auto tape = replay::Tape::Open(path, replay::TapeOpenOptions{.verify = false});
  return tape.ok() && (*tape)->header().record_count == n;
}

// The command line, parsed.
struct Options {
  uint64_t events = 10'000'000;  // per tape
  int repeat = 3;
  std::string json_path;
  std::string dir_flag;  // empty: a new directory under /tmp
  bool keep = false;
  std::string plugin, plugin_strategy = "sma_crossover_plugin";  // --plugin: engine_sma_plugin
};

// Parses argv into *opts; returns the exit code when the program should stop (--help, a bad
// flag), otherwise -1.
int ParseOptions(int argc, char** argv, Options* opts) {
  std::optional<uint64_t> events_flag, repeat_flag;
  auto cli = runner::CommandLine::Program("bench_throughput", kUsage);
  cli.Count("--events", &events_flag, 1000)
      .Count("--repeat", &repeat_flag, 1, 1000)
      .Value("--json", &opts->json_path)
      .Value("--dir", &opts->dir_flag)
      .Flag("--keep", &opts->keep)
      .Value("--plugin", &opts->plugin)
      .Value("--plugin-strategy", &opts->plugin_strategy);
  if (const int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  opts->events = events_flag.value_or(10'000'000);
  opts->repeat = static_cast<int>(repeat_flag.value_or(3));
  return -1;
}

// The directory holding the two tapes. Unless --keep, the tapes (and the directory, when the
// harness made it) are removed when this goes out of scope, on every way out of Main.
class TapeDir {
 public:
  TapeDir(std::string dir, bool made, bool keep)
      : dir_(std::move(dir)), trades_(dir_ + "/trades.tape"), mixed_(dir_ + "/mixed.tape"),
        made_(made), keep_(keep) {}
  TapeDir(const TapeDir&) = delete;
  TapeDir& operator=(const TapeDir&) = delete;
  ~TapeDir() {
    if (keep_) return;
    std::error_code ec;
    std::filesystem::remove(trades_, ec);
    std::filesystem::remove(mixed_, ec);
    if (made_) std::filesystem::remove(dir_, ec);
  }
  const std::string& dir() const { return dir_; }
  const std::string& trades() const { return trades_; }
  const std::string& mixed() const { return mixed_; }

 private:
  std::string dir_, trades_, mixed_;
  bool made_, keep_;
};

// The directory the tapes go into: --dir, or a new one under /tmp. Returns the exit code on
// failure.
std::variant<std::unique_ptr<TapeDir>, int> MakeTapeDir(const Options& opts) {
  if (opts.dir_flag.empty()) {
    char tmpl[] = "/tmp/tapedeck_throughput_XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::perror("bench_throughput: mkdtemp");
      return 1;
    }
    return std::make_unique<TapeDir>(tmpl, /*made=*/true, opts.keep);
  }
  if (std::error_code ec; !std::filesystem::is_directory(opts.dir_flag, ec)) {
    std::fprintf(stderr, "bench_throughput: --dir %s: not a directory\n", opts.dir_flag.c_str());
    return 2;
  }
  return std::make_unique<TapeDir>(opts.dir_flag, /*made=*/false, opts.keep);
}

// Writes the trades-only and the mixed tape of `n` events, or reuses them under --keep.
absl::Status PrepareTapes(const TapeDir& dir, uint64_t n, bool keep) {
  if (keep && KeptTapeFits(dir.trades(), n) && KeptTapeFits(dir.mixed(), n)) {
    std::fprintf(stderr, "bench_throughput: reusing the two tapes of %llu events in %s\n",
                 static_cast<unsigned long long>(n), dir.dir().c_str());
    return absl::OkStatus();
  }
  std::fprintf(stderr, "bench_throughput: writing two tapes of %llu events into %s\n",
               static_cast<unsigned long long>(n), dir.dir().c_str());
  TAPEDECK_RETURN_IF_ERROR(WriteTradesTape(dir.trades(), n));
  return WriteMixedTape(dir.mixed(), n);
}

// What the stages read and what the SMA trading stages leave behind; it outlives the plans,
// whose bodies refer to it.
struct StageData {
  std::string trades, mixed;  // tape paths
  InstrumentTable table;
  std::vector<int64_t> prices;           // the floor's input: the trades-only tape's prices
  std::vector<TimedPrice> timed_prices;  // floor_trading's
  EngineConfig sma_config;
  TradingOutcome hand_traded, engine_traded, plugin_traded;
  std::string plugin, plugin_strategy;  // engine_sma_plugin's, when plugin is set
};

// Reads the trade prices into plain arrays, once and outside the timing.
absl::Status ReadFloorInput(uint64_t n, StageData* d) {
  auto src = OpenTape(d->trades);
  if (!src.ok()) return src.status();
  d->prices.reserve(n);
  d->timed_prices.reserve(n);
  while (true) {
    auto batch = (*src)->NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (const Event& e : *batch) {
      d->prices.push_back(e.trade.price.raw);
      d->timed_prices.push_back({e.exchange_ts, e.trade.price.raw});
    }
  }
  return absl::OkStatus();
}

// The SMA crossing count: the same number from every SMA stage proves the same arithmetic.
// `for_each_price(f)` calls f(price) for each trade price in order.
template <typename ForEachPrice>
uint64_t CountSmaCrossings(ForEachPrice&& for_each_price) {
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
}

// The SMA stages on the trades-only tape, floor first (the ratios are to it).
void AddSmaStages(StageData& d, std::vector<StagePlan>* plans) {
  plans->push_back({"floor", "hand-written SMA loop over an in-memory array of trade prices",
                    [&d](uint64_t* events, uint64_t* check) {
                      *check = CountSmaCrossings([&](auto&& f) {
                        for (int64_t p : d.prices) f(p);
                      });
                      *events = d.prices.size();
                      return absl::OkStatus();
                    }});
  plans->push_back({"floor_trading",
                    "the floor plus the example's trading by hand: market orders, fills, fees, "
                    "position",
                    [&d](uint64_t* events, uint64_t* check) {
                      d.hand_traded = HandTradedSma(d.timed_prices, d.table.at(InstrumentId(0)),
                                                    d.sma_config.initial_cash);
                      *check = d.hand_traded.fills;
                      *events = d.timed_prices.size();
                      return absl::OkStatus();
                    }});
  plans->push_back({"tape_sma", "trades-only tape iterated by hand with the same SMA arithmetic",
                    [&d](uint64_t* events, uint64_t* check) -> absl::Status {
                      auto src = OpenTape(d.trades);
                      if (!src.ok()) return src.status();
                      absl::Status err;
                      uint64_t count = 0;
                      *check = CountSmaCrossings([&](auto&& f) {
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
  plans->push_back({"engine_sma", "SMA example through core::Engine on the trades-only tape",
                    [&d](uint64_t* events, uint64_t* check) {
                      strategies::SmaCrossoverParams p;
                      p.fast = kSmaFast;
                      p.slow = kSmaSlow;
                      p.qty = Qty(kSmaQty);
                      strategies::SmaCrossover sma(p);
                      return RunEngine(d.trades, sma, d.table, events, check, &d.engine_traded,
                                       d.sma_config);
                    }});
  if (!d.plugin.empty()) {  // right after engine_sma: each round runs the pair back to back
    plans->push_back({"engine_sma_plugin", "engine_sma with the strategy loaded from --plugin",
                      [&d](uint64_t* events, uint64_t* check) -> absl::Status {
                        auto s = bench::PluginSma(d.plugin, d.plugin_strategy, d.table, kSmaFast,
                                                  kSmaSlow, kSmaQty);
                        if (!s.ok()) return s.status();
                        return RunEngine(d.trades, **s, d.table, events, check, &d.plugin_traded,
                                         d.sma_config);
                      }});
  }
  plans->push_back({"engine_signal",
                    "the SMA example's signal through core::Engine, without its orders",
                    [&d](uint64_t* events, uint64_t* check) -> absl::Status {
                      SmaSignalOnly s;
                      uint64_t unused = 0;
                      if (auto st = RunEngine(d.trades, s, d.table, events, &unused); !st.ok()) {
                        return st;
                      }
                      *check = s.crossings();
                      return absl::OkStatus();
                    }});
}

// The stages on the mixed tape: replay alone, with a book, and through the engine.
void AddMixedStages(const StageData& d, std::vector<StagePlan>* plans) {
  plans->push_back({"replay", "mixed tape: iterate the mapping (no book, no strategy)",
                    [&d](uint64_t* events, uint64_t* check) {
                      return ReplayOnly(d.mixed, events, check);
                    }});
  plans->push_back({"book", "mixed tape: replay + L2 OrderBook",
                    [&d](uint64_t* events, uint64_t* check) {
                      return ReplayBook(d.mixed, events, check);
                    }});
  plans->push_back({"full",
                    "mixed tape through core::Engine: SimVenue (latency model) + dip_buyer "
                    "+ L2 book",
                    [&d](uint64_t* events, uint64_t* check) -> absl::Status {
                      strategies::DipBuyerParams p;
                      p.instrument = InstrumentId(0);
                      p.tranche_qty = Qty(1000);
                      BookedDipBuyer s(p);
                      if (auto st = RunEngine(d.mixed, s, d.table, events, check); !st.ok()) {
                        return st;
                      }
                      if (s.bad() != 0) return absl::InternalError("book rejected a level");
                      return absl::OkStatus();
                    }});
  plans->push_back({"full_quoting",
                    "mixed tape through core::Engine: touch_quoter resting a bid and an ask at "
                    "the touch (power-2 queue model, seeded lognormal latency) + its L2 book",
                    [&d](uint64_t* events, uint64_t* check) -> absl::Status {
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
                      if (auto st =
                              RunEngine(d.mixed, s, d.table, events, &unused, nullptr, config);
                          !st.ok()) {
                        return st;
                      }
                      *check = s.Report().value("quotes_sent", uint64_t{0});
                      return absl::OkStatus();
                    }});
}

// The stage called `name` (the floor when there is none).
const Stage& FindStage(const std::vector<Stage>& stages, const std::string& name) {
  for (const Stage& s : stages) {
    if (s.name == name) return s;
  }
  return stages[0];
}

// The two taxes the report gives: floor / engine_sma and floor_trading / engine_sma.
struct Taxes {
  double framework = 0;
  double trading = 0;
};

// Prints the stage table and the agreement lines to stdout.
Taxes PrintReport(const std::vector<Stage>& stages, const StageData& d) {
  const Stage& floor = stages[0];
  const Taxes tax{floor.rate() / FindStage(stages, "engine_sma").rate(),
                  FindStage(stages, "floor_trading").rate() /
                      FindStage(stages, "engine_sma").rate()};
  std::printf("%-11s %14s %10s  %s\n", "stage", "events/s", "floor/x", "what");
  for (const Stage& s : stages) {
    std::printf("%-11s %14.0f %9.2fx  %s\n", s.name.c_str(), s.rate(), floor.rate() / s.rate(),
                s.what.c_str());
  }
  std::printf("framework tax (floor / engine_sma, trades-only SMA): %.2fx (target <= 3x)\n",
              tax.framework);
  std::printf("against a hand-written loop that also trades (floor_trading / engine_sma): %.2fx\n",
              tax.trading);
  std::printf("SMA crossings: floor %llu, tape_sma %llu, engine_signal %llu (must agree)\n",
              static_cast<unsigned long long>(floor.check),
              static_cast<unsigned long long>(FindStage(stages, "tape_sma").check),
              static_cast<unsigned long long>(FindStage(stages, "engine_signal").check));
  std::printf("SMA trading: floor_trading %llu fills, position %lld, cash %lld; engine_sma %llu "
              "fills, position %lld, cash %lld (must agree)\n",
              static_cast<unsigned long long>(d.hand_traded.fills),
              static_cast<long long>(d.hand_traded.position),
              static_cast<long long>(d.hand_traded.cash),
              static_cast<unsigned long long>(d.engine_traded.fills),
              static_cast<long long>(d.engine_traded.position),
              static_cast<long long>(d.engine_traded.cash));
  return tax;
}

// Whether the SMA stages agree on their crossings and the two trading stages on their outcome;
// says which do not on stderr.
bool StagesAgree(const std::vector<Stage>& stages, const StageData& d) {
  const uint64_t floor_check = stages[0].check;
  if (floor_check != FindStage(stages, "tape_sma").check ||
      floor_check != FindStage(stages, "engine_signal").check) {
    std::fprintf(stderr, "bench_throughput: the SMA stages disagree\n");
    return false;
  }
  if (!(d.hand_traded == d.engine_traded) ||
      (!d.plugin.empty() && !(d.plugin_traded == d.engine_traded))) {
    std::fprintf(stderr, "bench_throughput: floor_trading, engine_sma and engine_sma_plugin "
                         "traded differently\n");
    return false;
  }
  return true;
}

// Writes every stage's runs to `path` as JSON, whole to a temporary file then renamed; says why
// on stderr and returns false when it cannot.
bool WriteJson(const std::string& path, const Options& opts, const std::vector<Stage>& stages,
               const Taxes& tax) {
  const Stage& floor = stages[0];
  nlohmann::json j;
  j["events_per_tape"] = opts.events;
  j["repeat"] = opts.repeat;
  j["framework_tax"] = tax.framework;
  j["framework_tax_target"] = 3.0;
  j["trading_floor_tax"] = tax.trading;
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
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "bench_throughput: cannot write %s\n", tmp.c_str());
      return false;
    }
  }
  if (std::error_code ec; std::filesystem::rename(tmp, path, ec), ec) {
    std::fprintf(stderr, "bench_throughput: cannot rename %s to %s: %s\n", tmp.c_str(),
                 path.c_str(), ec.message().c_str());
    return false;
  }
  return true;
}

int Die(const absl::Status& s) {
  std::fprintf(stderr, "bench_throughput: %s\n", s.ToString().c_str());
  return 1;
}

int Main(int argc, char** argv) {
  Options opts;
  if (const int rc = ParseOptions(argc, argv, &opts); rc >= 0) return rc;
  auto made = MakeTapeDir(opts);
  if (const int* rc = std::get_if<int>(&made)) return *rc;
  const TapeDir& dir = *std::get<std::unique_ptr<TapeDir>>(made);
  if (auto s = PrepareTapes(dir, opts.events, opts.keep); !s.ok()) return Die(s);

  StageData d;
  d.trades = dir.trades();
  d.mixed = dir.mixed();
  if (auto s = d.table.Add(BenchInstrument()); !s.ok()) return Die(s);
  if (auto s = ReadFloorInput(opts.events, &d); !s.ok()) return Die(s);
  d.sma_config.venue.entry_latency = kOrderLatency;
  d.sma_config.venue.response_latency = kOrderLatency;
  d.plugin = opts.plugin;
  d.plugin_strategy = opts.plugin_strategy;

  std::vector<StagePlan> plans;
  AddSmaStages(d, &plans);
  AddMixedStages(d, &plans);
  std::fprintf(stderr, "bench_throughput: measuring %zu stages in %d rounds (best of %d)\n",
               plans.size(), opts.repeat, opts.repeat);
  absl::StatusOr<std::vector<Stage>> measured = MeasureInterleaved(plans, opts.repeat);
  if (!measured.ok()) return Die(measured.status());
  const Taxes tax = PrintReport(*measured, d);
  if (!StagesAgree(*measured, d)) return 1;
  if (!opts.json_path.empty() && !WriteJson(opts.json_path, opts, *measured, tax)) return 1;
  return 0;
}

}  // namespace
}  // namespace tapedeck

int main(int argc, char** argv) { return tapedeck::Main(argc, argv); }
