// The backtest engine: one thread, one simulated clock, two sides of it.
//
// Market data reaches the venue at exchange_ts and the strategy at local_ts (plus a configurable
// shift, venue-wide and per source, that emulates another location; a strategy never sees an
// event before the venue produced it). Orders, cancels and modifies reach the venue after their
// entry latency and responses come back after the response latency; requests never overtake
// each other. At equal times the venue side goes first:
// market data, then order arrivals, then strategy-side deliveries in the total order of
// core/event_order.h. The run ends with the data: responses and timers due after the last
// market-data event's strategy-side time are not delivered; the strategy hears
// VenueStatus::kDataEnded, then OnStop.
//
// Runs of trades that nothing can come between go to Strategy::OnTrades in one call
// (DeliverTradeRun); the order and the outputs are those of one-at-a-time delivery.
//
// The engine is written against a venue seam (core/venue_model.h): BasicEngine<V> drives any
// venue model V, compiled for it (no virtual call per event). `Engine` is the engine of the
// simulated venue, SimVenue, instantiated once in engine.cc; another venue model includes
// core/engine_impl.h to instantiate BasicEngine for itself.
#ifndef TAPEDECK_CORE_ENGINE_H_
#define TAPEDECK_CORE_ENGINE_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "core/event.h"
#include "core/event_order.h"
#include "core/merger.h"
#include "core/ring_queue.h"
#include "core/records.h"
#include "core/sim_venue.h"
#include "core/strategy.h"
#include "core/strategy_host.h"
#include "core/venue_model.h"

namespace tapedeck {

template <typename VenueConfig>
struct BasicEngineConfig {
  VenueConfig venue;
  Duration local_shift;                          // added to every local_ts
  // Per source index (the merger's, = the run config's "sources" order), added on top of
  // local_shift: a feed received at another location. Missing entries are 0.
  std::vector<Duration> source_shift;
  Money initial_cash = Money(100'000 * Money::kOne);
  Duration equity_interval = Duration::Minutes(1);  // equity curve sampling, strategy time
  // Hand runs of trades that nothing can come between to Strategy::OnTrades in one call (see
  // BasicEngine::DeliverTradeRun). Outputs are the same either way; off, every event goes one by
  // one (the tests compare the two).
  bool trade_runs = true;
};

struct EngineStats {
  uint64_t market_events = 0;    // market-data events replayed
  uint64_t delivered = 0;        // events delivered to the strategy (data, responses, timers)
  uint64_t trade_runs = 0;       // runs of trades handed to Strategy::OnTrades
  uint64_t run_trades = 0;       // trades delivered in those runs
  Timestamp first_ts;            // first and last strategy-side time
  Timestamp last_ts;
};

template <VenueModel V>
class BasicEngine final : public ContextDriver {
 public:
  using Config = BasicEngineConfig<typename V::Config>;

  // The run's records go to `sink`, or, when it is nullptr, into records().
  BasicEngine(const InstrumentTable& instruments, Config config, RunSink* sink = nullptr);

  // Replays every source through the venue and the strategy. Errors from sources stop the run.
  // `progress`, when set, is called every 2^16 market events with the count so far.
  absl::Status Run(Merger& merger, Strategy& strategy,
                   const std::function<void(uint64_t)>& progress = {});

  const Context& context() const { return host_.context(); }
  const StrategyHost& host() const { return host_; }
  // What the run recorded, when the engine was built without a sink.
  const CollectingSink& records() const { return host_.records(); }
  const EngineStats& stats() const { return stats_; }
  const std::vector<EquityPoint>& equity_curve() const { return host_.records().equity(); }
  const V& venue() const { return venue_; }

  // ContextDriver
  void SendOrder(const OrderRequest& request, Timestamp now) override;
  void SendCancel(OrderId id, InstrumentId instrument, Timestamp now) override;
  void SendModify(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                  Timestamp now) override;
  void ScheduleTimer(uint64_t timer_id, Timestamp at, uint64_t tag) override;

 private:
  struct Pending {
    EventKey key;
    Event event;
  };

  // Sends a request on the venue's FIFO channel, to arrive after its entry latency.
  void SendRequest(VenueMessage m, const OrderRequest& r, Timestamp now) {
    due_ = std::min(due_, venue_.Send(m, r, now).ns);
  }
  // The new event nearly always belongs at the back (a constant feed latency keeps local_ts in
  // exchange order) and is written in place; anything else goes through InsertStrategy, out of
  // line so that the common path needs no 64-byte-aligned temporary (no stack realignment).
  void PushStrategy(const Event& e);
  [[gnu::noinline]] void InsertStrategy(const EventKey& key, const Event& e);
  // From events.front(), a trade the venue has just seen and that is due to the strategy now:
  // the longest run of trades that can go to the strategy in one call, delivered; returns how
  // many it took (0: deliver the first one by one).
  size_t DeliverTradeRun(std::span<const Event> events, uint16_t source, Strategy& strategy);
  // Run's hot loop for one merger run: the events of source `source`, their local times
  // shifted by `shift` ns, to the venue and then the strategy; returns the latest local time
  // seen, at least end_ts. Always inlined into Run (its own function for reading only: the
  // instruction-count gate shows the same counts as the loop written inside Run).
  [[gnu::always_inline]] int64_t ReplayRun(std::span<const Event> run, uint16_t source,
                                           int64_t shift, int64_t end_ts, Strategy& strategy,
                                           const std::function<void(uint64_t)>& progress,
                                           bool report, Event& stamped);
  // Processes order arrivals and strategy-side events due at or before t.
  void ProcessPendingUntil(int64_t t, Strategy& strategy);
  // The same, with kBelowKey only the strategy-side events whose key is below `below` (those
  // that precede an event with that key, which the caller then delivers itself).
  template <bool kBelowKey>
  void ProcessPending(int64_t t, const EventKey& below, Strategy& strategy);
  // Market data `e`, seen by the venue at t = e.exchange_ts = e.local_ts, when something queued
  // is due at t and no more market data can come at t: processes the arrivals at t and the
  // strategy-side events that precede e, then delivers e (out of line: Run's loop stays small).
  [[gnu::noinline]] void DeliverAtDueInstant(const Event& e, Strategy& strategy);
  void FlushResponses();
  std::vector<int64_t> SourceShifts(size_t sources) const;
  // After the last market event: what is due by its strategy-side time, Stop, the closing
  // equity point.
  void EndRun(int64_t end_ts, int64_t start, Strategy& strategy);
  // One compare on the hot path; the rest (first call, crossing a boundary) out of line.
  void SampleEquity(Timestamp upto) {
    if (upto.ns >= next_sample_.ns) SampleEquitySlow(upto);
  }
  void SampleEquitySlow(Timestamp upto);
  void AppendEquity(Timestamp ts) {
    host_.RecordEquity(ts);
    last_equity_ = ts;
  }

  Config config_;
  std::vector<Event> responses_;
  V venue_;
  StrategyHost host_;
  // Strategy-side events, sorted by key. Pushes arrive nearly sorted (constant feed latency),
  // so inserting from the back is O(1) in the common case; the ring allocates nothing once warm.
  RingQueue<Pending> strategy_queue_;
  uint64_t push_sequence_ = 0;
  // The earliest time anything queued is due: the first order arrival or the first
  // strategy-side event (INT64_MAX when both queues are empty). Every push keeps it (a push
  // can only bring it earlier); ProcessPendingUntil, which pops, sets it on return.
  int64_t due_ = INT64_MAX;
  EngineStats stats_;
  Timestamp last_equity_ = Timestamp::Min();  // of the last equity point recorded
  Timestamp next_sample_ = Timestamp::Min();
};

// The engine of the simulated venue, compiled once in engine.cc.
extern template class BasicEngine<SimVenue>;
using Engine = BasicEngine<SimVenue>;
using EngineConfig = BasicEngineConfig<SimVenueConfig>;

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_ENGINE_H_
