// The definitions of BasicEngine (core/engine.h). engine.cc instantiates them for SimVenue;
// include this header to instantiate the engine for another venue model
// (`template class BasicEngine<MyVenue>;` in one source file).
#ifndef TAPEDECK_CORE_ENGINE_IMPL_H_
#define TAPEDECK_CORE_ENGINE_IMPL_H_

#include <algorithm>
#include <limits>

#include "core/engine.h"

namespace tapedeck {
namespace engine_internal {
inline constexpr uint16_t kTimerSource = 0xFFFF;
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
// A venue whose config has `initial_cash` starts its account with the run's cash (SimVenue
// checks margin against it).
template <typename EngineConfigT>
auto VenueConfigWithCash(const EngineConfigT& c) {
  auto v = c.venue;
  if constexpr (requires { v.initial_cash = c.initial_cash; }) v.initial_cash = c.initial_cash;
  return v;
}
}  // namespace engine_internal

template <VenueModel V>
BasicEngine<V>::BasicEngine(const InstrumentTable& instruments, Config config, RunSink* sink)
    : config_(config),
      venue_(instruments, engine_internal::VenueConfigWithCash(config), &responses_),
      host_(instruments, this, config.initial_cash, sink) {}

template <VenueModel V>
void BasicEngine<V>::PushStrategy(const Event& e) {
  const EventKey key = StrategyKey(e, push_sequence_++);
  due_ = std::min(due_, key.ts);
  // Keys are unique (the sequence), so "back < key" is exactly "key goes last".
  if (strategy_queue_.empty() || strategy_queue_.back().key < key) {
    Pending& slot = strategy_queue_.push_back_slot();
    slot.key = key;
    slot.event = e;
    return;
  }
  InsertStrategy(key, e);
}

template <VenueModel V>
void BasicEngine<V>::InsertStrategy(const EventKey& key, const Event& e) {
  strategy_queue_.InsertSortedFromBack(
      Pending{key, e}, [](const Pending& a, const Pending& b) { return a.key < b.key; });
}

template <VenueModel V>
void BasicEngine<V>::FlushResponses() {
  for (const Event& e : responses_) PushStrategy(e);
  responses_.clear();
}

template <VenueModel V>
void BasicEngine<V>::SendOrder(const OrderRequest& request, Timestamp now) {
  SendRequest(VenueMessage::kSubmit, request, now);
}

template <VenueModel V>
void BasicEngine<V>::SendCancel(OrderId id, InstrumentId instrument, Timestamp now) {
  OrderRequest r;
  r.id = id;
  r.instrument = instrument;
  SendRequest(VenueMessage::kCancel, r, now);
}

template <VenueModel V>
void BasicEngine<V>::SendModify(OrderId id, InstrumentId instrument, Price new_price,
                                Qty new_qty, Timestamp now) {
  OrderRequest r;
  r.id = id;
  r.instrument = instrument;
  r.price = new_price;
  r.qty = new_qty;
  SendRequest(VenueMessage::kModify, r, now);
}

template <VenueModel V>
void BasicEngine<V>::ScheduleTimer(uint64_t timer_id, Timestamp at, uint64_t tag) {
  Event e = MakeEvent(EventKind::kTimer, InstrumentId(), at, at);
  e.source = engine_internal::kTimerSource;
  e.timer.timer_id = timer_id;
  e.timer.tag = tag;
  PushStrategy(e);
}

template <VenueModel V>
void BasicEngine<V>::SampleEquitySlow(Timestamp upto) {
  const int64_t step = config_.equity_interval.ns;
  if (step <= 0) {
    next_sample_ = Timestamp::Max();  // no sampling: the inline check never passes again
    return;
  }
  if (next_sample_ == Timestamp::Min()) {
    next_sample_ = Timestamp((upto.ns / step) * step + step);
    return;
  }
  if (upto < next_sample_) return;
  // The state before the event at `upto`, stamped at the boundary that was crossed.
  AppendEquity(next_sample_);
  next_sample_ = Timestamp((upto.ns / step) * step + step);
}

template <VenueModel V>
size_t BasicEngine<V>::DeliverTradeRun(std::span<const Event> events, uint16_t source,
                                       Strategy& strategy) {
  // events.front() is a trade that the venue has just seen and that is due to the strategy now
  // (Run's fast path). One by one, each trade after it would also go to the venue's trade fast
  // path and then straight to the strategy, with nothing in between, while: nothing queued is
  // due before it (due_), the venue has no own order, tracker or account work on the
  // instrument (QuietTradesBefore), no equity sample falls due (next_sample_), and it needs no
  // stamping (TradeRun checks its source index and local_ts = exchange_ts). A request or timer
  // from the strategy ends the run, and so does the next progress report.
  const Event& first = events.front();
  if (events.size() < 2 || events[1].kind != EventKind::kTrade) return 0;  // lone: one by one
  const int64_t before =
      std::min({due_, venue_.QuietTradesBefore(first.instrument), next_sample_.ns});
  if (before <= first.exchange_ts) return 0;  // an own order rests, an equity sample is due...
  // The first is counted already: the run ends at the next multiple of 2^16 market events.
  const size_t to_report = (size_t{0x10000} - (stats_.market_events & 0xFFFF)) & 0xFFFF;
  const std::span<const Event> run = events.first(std::min(events.size(), to_report + 1));
  const size_t taken = host_.DeliverTrades(strategy, run, source, before);
  if (taken == 0) return 0;
  venue_.OnQuietTrades(run.subspan(1, taken - 1));
  stats_.market_events += taken - 1;
  stats_.delivered += taken;
  stats_.run_trades += taken;
  ++stats_.trade_runs;
  return taken;
}

template <VenueModel V>
template <bool kBelowKey>
void BasicEngine<V>::ProcessPending(int64_t t, const EventKey& below, Strategy& strategy) {
  // Order arrivals first at equal time, then strategy-side deliveries.
  while (true) {
    const int64_t t_req = venue_.next_arrival_ns();  // INT64_MAX (kNever) when none
    const int64_t t_strat =
        strategy_queue_.empty() ? engine_internal::kNever : strategy_queue_.front().key.ts;
    bool request_first;
    if constexpr (kBelowKey) {
      const bool strat_due = t_strat <= t && strategy_queue_.front().key < below;
      const bool req_due = t_req <= t;
      if (!req_due && !strat_due) {
        due_ = std::min(t_req, t_strat);
        return;
      }
      request_first = req_due && (!strat_due || t_req <= t_strat);
    } else {
      if (std::min(t_req, t_strat) > t) {
        due_ = std::min(t_req, t_strat);
        return;
      }
      request_first = t_req <= t_strat;
    }
    if (request_first) {
      venue_.ArriveNext();
      FlushResponses();
    } else {
      // Copy the event (not the whole 128-byte entry) out before popping: delivering may push a
      // timer, which may grow the ring or reuse the popped slot.
      const Pending& front = strategy_queue_.front();
      const int64_t ts = front.key.ts;
      const Event e = front.event;
      strategy_queue_.pop_front();
      SampleEquity(Timestamp(ts));
      host_.Deliver(strategy, e);
      ++stats_.delivered;
    }
  }
}

template <VenueModel V>
void BasicEngine<V>::ProcessPendingUntil(int64_t t, Strategy& strategy) {
  ProcessPending<false>(t, EventKey(), strategy);
}

template <VenueModel V>
void BasicEngine<V>::DeliverAtDueInstant(const Event& e, Strategy& strategy) {
  const int64_t t = e.exchange_ts;
  ProcessPending<true>(t, StrategyKey(e, push_sequence_), strategy);
  SampleEquity(Timestamp(t));
  host_.Deliver(strategy, e);
  ++stats_.delivered;
}

template <VenueModel V>
std::vector<int64_t> BasicEngine<V>::SourceShifts(size_t sources) const {
  // The venue-wide shift plus the source's own.
  std::vector<int64_t> shifts(sources, config_.local_shift.ns);
  for (size_t i = 0; i < shifts.size() && i < config_.source_shift.size(); ++i) {
    shifts[i] += config_.source_shift[i].ns;
  }
  return shifts;
}

template <VenueModel V>
void BasicEngine<V>::EndRun(int64_t end_ts, int64_t start, Strategy& strategy) {
  ProcessPendingUntil(end_ts, strategy);
  stats_.last_ts = Timestamp(std::max(end_ts, start));
  host_.DeliverStatus(strategy, VenueStatus::kDataEnded, stats_.last_ts);
  host_.Stop(strategy, stats_.last_ts);
  // The closing point of the equity curve.
  if (last_equity_ < stats_.last_ts) AppendEquity(stats_.last_ts);
}

template <VenueModel V>
inline int64_t BasicEngine<V>::ReplayRun(std::span<const Event> run, uint16_t source,
                                         int64_t shift, int64_t end_ts, Strategy& strategy,
                                         const std::function<void(uint64_t)>& progress,
                                         bool report, Event& stamped) {
  // A positive shift delays every event of the run: no trade of it is due at once.
  const bool trade_runs = config_.trade_runs && shift <= 0;
  const Event* const run_end = run.data() + run.size();
  for (const Event* next = run.data(); next != run_end; ++next) {
    const Event& in = *next;
    const int64_t t = in.exchange_ts;
    // Requests and strategy-side events due strictly before this event come first; at equal
    // time the venue side of market data goes first.
    if (due_ < t) ProcessPendingUntil(t - 1, strategy);
    // A strategy never sees an event before the venue produced it.
    const int64_t local = std::max(in.local_ts + shift, t);
    // The event is used in place (zero copy, straight from the source's batch) when it already
    // carries this source index and time; otherwise a stamped copy. Either way the venue and
    // the strategy see the same bytes.
    const Event* ep = &in;
    if (in.source != source || in.local_ts != local) {
      stamped = in;
      stamped.source = source;
      stamped.local_ts = local;
      ep = &stamped;
    }
    const Event& e = *ep;
    venue_.OnMarketData(e);
    if (!responses_.empty()) FlushResponses();
    end_ts = std::max(end_ts, local);
    ++stats_.market_events;
    // Fast path: nothing can come between the venue seeing this event and the strategy seeing
    // it (no feed delay, and nothing queued is due at or before t: no order arriving at this
    // instant, and every queued strategy-side event is later, so after this one in the total
    // order), so deliver it now instead of through the queue. The order is the same either way.
    if (local == t && due_ > t) {
      // A trade here may start a run: it and the trades after it that nothing can come
      // between go to the strategy in one call.
      if (trade_runs && e.kind == EventKind::kTrade) {
        const std::span<const Event> rest(next, run_end);
        if (const size_t taken = DeliverTradeRun(rest, source, strategy); taken > 0) {
          next += taken - 1;
          end_ts = std::max(end_ts, next->exchange_ts);
          if (report && (stats_.market_events & 0xFFFF) == 0) progress(stats_.market_events);
          continue;
        }
      }
      SampleEquity(Timestamp(t));
      host_.Deliver(strategy, e);
      ++stats_.delivered;
    } else if (local == t && due_ == t && next + 1 != run_end && next[1].exchange_ts > t) {
      // Something is due at this very instant (an order arriving, a response). Once no more
      // market data can come at t (the next event of this run is later, and the merger's run
      // is ahead of every other source), the event need not go through the queue: the
      // arrivals at t and the strategy-side events that precede it go now, then the event,
      // in the order the queue would give.
      DeliverAtDueInstant(e, strategy);
    } else {
      PushStrategy(e);
    }
    if (report && (stats_.market_events & 0xFFFF) == 0) progress(stats_.market_events);
  }
  return end_ts;
}

template <VenueModel V>
absl::Status BasicEngine<V>::Run(Merger& merger, Strategy& strategy,
                                 const std::function<void(uint64_t)>& progress) {
  uint16_t source = 0;
  std::span<const Event> run = merger.NextRun(&source);
  if (!merger.status().ok()) return merger.status();
  int64_t end_ts = std::numeric_limits<int64_t>::min();
  const int64_t start = run.empty() ? 0 : run.front().exchange_ts;
  host_.Start(strategy, Timestamp(start));
  stats_.first_ts = Timestamp(start);
  venue_.SetRunStart(Timestamp(start));
  // Local shift per source index. Read once per run (a run holds one source's events), so the
  // per-event line below still adds one register: a per-source shift costs nothing per event
  // (perf: keep `shift` a per-run constant).
  const std::vector<int64_t> shifts = SourceShifts(merger.source_count());
  const bool report = static_cast<bool>(progress);  // tested once, not per event
  Event stamped;

  while (!run.empty()) {
    const int64_t shift = source < shifts.size() ? shifts[source] : config_.local_shift.ns;
    end_ts = ReplayRun(run, source, shift, end_ts, strategy, progress, report, stamped);
    run = merger.NextRun(&source);
  }
  if (!merger.status().ok()) return merger.status();
  EndRun(end_ts, start, strategy);
  return absl::OkStatus();
}

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_ENGINE_IMPL_H_
