// Paper trading: one strategy, one FixVenue, one strategy thread (the caller's). The loop pops
// events from the venue (and its own due timers), journals each one, then delivers it through its
// StrategyHost; the strategy's requests go back out through FixVenue on this same thread. Venue
// status (connected, disconnected, halted, data ended) comes as kVenueStatus events in the same
// stream, so the strategy hears of it in order with the data (Strategy::OnVenueStatus).
//
// Latency (histograms of ns, reported as p50/p99/p99.9/max):
//   decision  market-data event popped -> order request built by the Context
//   send      market-data event popped -> the order handed to QuickFIX (encoded and written)
//   round trip order handed to QuickFIX -> its first ExecutionReport decoded (wall clock)
//
// Clock ("clock" in the config). "wall" (the default, for a venue trading now): the strategy's
// time is the wall clock; every event is stamped when QuickFIX decoded it and timers fire by
// the wall clock. "venue" (for a simulator replaying recorded or generated data faster or
// slower than real time, such as fixsim): the strategy's time is the data's time, the largest
// exchange timestamp of the market data processed so far; every event is stamped with it,
// timers fire when the data passes them (a timer at t before the first event later than t, as
// in a backtest), and the strategy starts at the time of the first market-data event (events
// before it wait for it). Without it a strategy whose rules are in data time (bars, windows,
// "wait 2h") sees a three-day scenario replayed in seconds as a few seconds of market and never
// trades. Latency figures always use the wall clock.
#ifndef TAPEDECK_ADAPTERS_PAPER_RUNNER_H_
#define TAPEDECK_ADAPTERS_PAPER_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/fix_venue.h"
#include "adapters/journal.h"
#include "core/config.h"
#include "core/strategy.h"
#include "core/strategy_host.h"
#include "nlohmann/json.hpp"

namespace tapedeck::adapters {

// What a paper session needs besides its strategy, which the caller builds and hands over (the
// runner builds both from a paper config: runner/paper_config.h).
struct PaperConfig {
  InstrumentTable instruments;
  // The strategy's name and parameters, recorded in the journal so that it replays.
  std::string strategy_name;
  nlohmann::json strategy_params = nlohmann::json::object();
  Money initial_cash = Money(100'000 * Money::kOne);
  // The "fix" section of a paper config (ParsePaperSection):
  FixVenueConfig venue;  // the session keys of fix_venue.h
  Duration journal_flush = Duration::Millis(100);
  // After the venue's end of data, how long to wait for requests still open.
  Duration drain = Duration::Millis(500);
  bool venue_clock = false;  // "clock": "wall" | "venue" (see above)
};

// Reads the "fix" section of a paper config: "clock", "journal_flush", "drain" and the session
// keys of ParseFixVenueConfig; finishes the section (unknown keys are errors naming their path).
absl::Status ParsePaperSection(ConfigObject& fix, PaperConfig* c);

struct LatencySummary {
  uint64_t count = 0;
  int64_t p50 = 0, p99 = 0, p999 = 0, max = 0;  // ns
  nlohmann::json ToJson() const;
};
LatencySummary Summarize(std::vector<int64_t> samples);

struct PaperOptions {
  std::string journal_path;            // empty: no journal
  Duration duration = Duration();      // 0: until the venue's end of data
  std::function<void(const std::string&)> progress;  // called about every 250 ms
  const std::atomic<bool>* interrupt = nullptr;      // set from a signal handler to stop early
};

class PaperRunner final : private FixVenue::SendObserver {
 public:
  // Trades `strategy` (built for config.instruments) through the configured FIX session.
  static absl::StatusOr<std::unique_ptr<PaperRunner>> Create(const PaperConfig& config,
                                                             std::unique_ptr<Strategy> strategy);

  // Connects, runs until end of data (plus the drain) or the duration, stops the strategy and
  // the venue. Errors: the venue could not start, or the journal could not be written.
  absl::Status Run(const PaperOptions& options);

  const Context& context() const { return host_.context(); }
  const StrategyHost& host() const { return host_; }
  const CollectingSink& records() const { return host_.records(); }
  const Strategy& strategy() const { return *strategy_; }
  const FixVenue& venue() const { return *venue_; }
  FixVenue& mutable_venue() { return *venue_; }
  LatencySummary decision_latency() const { return Summarize(decision_ns_); }
  // Market-data event popped -> the NewOrderSingle serialised and stored by QuickFIX, about to
  // be written to the socket (the in-process path including FIX encoding).
  LatencySummary encoded_latency() const { return Summarize(encoded_ns_); }
  LatencySummary send_latency() const { return Summarize(send_ns_); }
  LatencySummary round_trip_latency() const { return Summarize(round_trip_ns_); }
  uint64_t events_processed() const { return processed_; }
  bool reached_end_of_data() const { return reached_end_; }
  // The latency and venue report, as written into summary.json.
  nlohmann::json Report() const;

  // Delivers one event as Run does (journal, latency bookkeeping, StrategyHost::Deliver); for the
  // in-process benchmark.
  void Process(const Event& e, int64_t pop_steady_ns);

 private:
  PaperRunner(std::unique_ptr<PaperConfig> config, std::unique_ptr<Strategy> strategy,
              std::unique_ptr<FixVenue> venue);
  void OnOrderBuilt(OrderId id) override;
  void OnOrderEncoded(OrderId id) override;
  void OnOrderHanded(OrderId id) override;
  // Creates the journal (when asked for) and starts the strategy at `at`.
  absl::Status Begin(const PaperOptions& options, Timestamp at);
  // "venue" clock: restamps a polled event with the data's time, starts the strategy at the
  // first market-data event, fires the timers the data has passed, then processes the event.
  absl::Status ProcessOnVenueClock(const PaperOptions& options, Event e, int64_t pop_steady_ns);

  std::unique_ptr<PaperConfig> config_;  // owns the instrument table everything points at
  std::unique_ptr<Strategy> strategy_;
  std::unique_ptr<FixVenue> venue_;
  StrategyHost host_;
  std::unique_ptr<JournalWriter> journal_;
  int64_t pop_steady_ns_ = 0;  // when the market-data event being delivered left the queue
  std::vector<int64_t> decision_ns_, encoded_ns_, send_ns_, round_trip_ns_;
  std::vector<bool> responded_;
  uint64_t processed_ = 0;
  bool reached_end_ = false;
  bool started_ = false;
  int64_t wall_received_ns_ = 0;  // wall time the event being processed was decoded (0: local_ts)
  int64_t venue_now_ = 0;         // "venue" clock: largest market-data exchange_ts so far
  std::vector<Event> early_;      // "venue" clock: events polled before the first market data
};

int64_t SteadyNanos();

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_PAPER_RUNNER_H_
