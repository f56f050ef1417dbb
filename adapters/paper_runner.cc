#include "adapters/paper_runner.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "absl/strings/str_format.h"
#include "core/instrument_config.h"
#include "core/decimal.h"
#include "core/status.h"

namespace tapedeck::adapters {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

absl::Status ParsePaperSection(ConfigObject& fix, PaperConfig* c) {
  TAPEDECK_RETURN_IF_ERROR(fix.DurationValue("journal_flush", &c->journal_flush));
  if (c->journal_flush.ns < 0) return fix.Error("journal_flush", "must be >= 0");
  TAPEDECK_RETURN_IF_ERROR(fix.DurationValue("drain", &c->drain));
  if (c->drain.ns < 0) return fix.Error("drain", "must be >= 0");
  std::string clock = c->venue_clock ? "venue" : "wall";
  TAPEDECK_RETURN_IF_ERROR(fix.String("clock", &clock));
  if (clock != "wall" && clock != "venue") {
    return fix.Error("clock", "must be \"wall\" or \"venue\"");
  }
  c->venue_clock = clock == "venue";
  // The session keys, then Finish.
  TAPEDECK_ASSIGN_OR_RETURN(c->venue, ParseFixVenueConfig(fix));
  return absl::OkStatus();
}

nlohmann::json LatencySummary::ToJson() const {
  return nlohmann::json{{"count", count}, {"p50_ns", p50}, {"p99_ns", p99}, {"p99_9_ns", p999},
                        {"max_ns", max}};
}

LatencySummary Summarize(std::vector<int64_t> v) {
  LatencySummary s;
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](uint64_t per_mille) {
    const size_t i = static_cast<size_t>((per_mille * (v.size() - 1) + 500) / 1000);
    return v[std::min(i, v.size() - 1)];
  };
  s.p50 = at(500);
  s.p99 = at(990);
  s.p999 = v[std::min(v.size() - 1, static_cast<size_t>((999 * (v.size() - 1) + 500) / 1000))];
  s.max = v.back();
  return s;
}

PaperRunner::PaperRunner(std::unique_ptr<PaperConfig> config, std::unique_ptr<Strategy> strategy,
                         std::unique_ptr<FixVenue> venue)
    : config_(std::move(config)),
      strategy_(std::move(strategy)),
      venue_(std::move(venue)),
      host_(config_->instruments, venue_.get(), config_->initial_cash) {
  venue_->set_send_observer(this);
  decision_ns_.reserve(1 << 16);
  encoded_ns_.reserve(1 << 16);
  send_ns_.reserve(1 << 16);
  round_trip_ns_.reserve(1 << 16);
}

absl::StatusOr<std::unique_ptr<PaperRunner>> PaperRunner::Create(const PaperConfig& config,
                                                                 std::unique_ptr<Strategy> strategy) {
  if (strategy == nullptr) return absl::InvalidArgumentError("paper: no strategy");
  auto own = std::make_unique<PaperConfig>(config);
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<FixVenue> venue,
                            FixVenue::Create(own->venue, own->instruments));
  return std::unique_ptr<PaperRunner>(
      new PaperRunner(std::move(own), std::move(strategy), std::move(venue)));
}

void PaperRunner::OnOrderBuilt(OrderId id) {
  if (responded_.size() < id.value) responded_.resize(id.value, false);
  if (pop_steady_ns_ != 0) decision_ns_.push_back(SteadyNanos() - pop_steady_ns_);
}

void PaperRunner::OnOrderEncoded(OrderId) {
  if (pop_steady_ns_ != 0) encoded_ns_.push_back(SteadyNanos() - pop_steady_ns_);
}

void PaperRunner::OnOrderHanded(OrderId) {
  if (pop_steady_ns_ != 0) send_ns_.push_back(SteadyNanos() - pop_steady_ns_);
}

void PaperRunner::Process(const Event& e, int64_t pop_steady_ns) {
  if (IsOrderResponse(e.kind)) {
    // The venue adapter only passes reports for orders this context sent.
    const uint64_t id = e.order.order_id.value;
    if (id == 0 || id > host_.orders_sent()) return;
    if (id <= responded_.size() && !responded_[id - 1]) {
      responded_[id - 1] = true;
      const int64_t sent = venue_->sent_at(e.order.order_id);
      const int64_t received = wall_received_ns_ != 0 ? wall_received_ns_ : e.local_ts;
      if (sent != 0) round_trip_ns_.push_back(received - sent);
    }
  }
  pop_steady_ns_ = IsMarketData(e.kind) ? pop_steady_ns : 0;
  if (journal_ != nullptr) journal_->Append(e, e.local_ts);
  host_.Deliver(*strategy_, e);
  pop_steady_ns_ = 0;
  ++processed_;
}

absl::Status PaperRunner::Begin(const PaperOptions& options, Timestamp at) {
  if (!options.journal_path.empty()) {
    nlohmann::json meta = {{"format", "tapedeck-journal"},
                           {"version", 2},
                           {"instruments", InstrumentsToJson(config_->instruments)},
                           {"strategy", {{"name", config_->strategy_name},
                                         {"params", config_->strategy_params}}},
                           {"initial_cash", FormatDecimal(config_->initial_cash.raw, Money::kScale)},
                           {"clock", config_->venue_clock ? "venue" : "wall"},
                           {"venue_profile", std::string(venue_->profile().name)},
                           {"clordid_prefix", venue_->clordids().prefix()},
                           {"start_ns", at.ns}};
    TAPEDECK_ASSIGN_OR_RETURN(journal_, JournalWriter::Create(options.journal_path, meta,
                                                              config_->journal_flush.ns));
  }
  host_.Start(*strategy_, at);
  started_ = true;
  return absl::OkStatus();
}

absl::Status PaperRunner::ProcessOnVenueClock(const PaperOptions& options, Event e,
                                              int64_t pop_steady_ns) {
  wall_received_ns_ = e.local_ts;
  if (IsMarketData(e.kind) && e.exchange_ts > venue_now_) venue_now_ = e.exchange_ts;
  e.local_ts = venue_now_;
  if (!started_) {
    if (!IsMarketData(e.kind)) {
      // The logon news and anything else before the data: no data time yet.
      early_.push_back(e);
      wall_received_ns_ = 0;
      return absl::OkStatus();
    }
    TAPEDECK_RETURN_IF_ERROR(Begin(options, Timestamp(venue_now_)));
    for (Event& early : early_) {
      early.local_ts = venue_now_;
      Process(early, 0);
    }
    early_.clear();
  }
  // Timers the data has passed: a timer at t runs before the first event later than t (at equal
  // times timers rank last, event_order.h).
  Event t;
  while (venue_->PopDueTimer(venue_now_ - 1, &t)) {
    t.local_ts = t.exchange_ts;  // its due time, not the event's
    const int64_t received = wall_received_ns_;
    wall_received_ns_ = 0;
    Process(t, 0);
    wall_received_ns_ = received;
  }
  Process(e, pop_steady_ns);
  wall_received_ns_ = 0;
  return absl::OkStatus();
}

absl::Status PaperRunner::Run(const PaperOptions& options) {
  const int64_t start = WallNanos();
  const bool venue_clock = config_->venue_clock;
  if (!venue_clock) TAPEDECK_RETURN_IF_ERROR(Begin(options, Timestamp(start)));
  TAPEDECK_RETURN_IF_ERROR(venue_->Start());
  const int64_t deadline = options.duration.ns > 0 ? start + options.duration.ns : 0;
  int64_t drain_deadline = 0;
  int64_t next_progress = start + 250'000'000;
  uint32_t idle = 0;
  Event e;
  while (true) {
    // Read before Poll: the venue queues its end-of-data status before it sets the flag, so a
    // Poll after seeing the flag finds that status (read after Poll, the flag could have been
    // set between the two, and the loop would stop with the status still queued).
    const bool ended = venue_->end_of_data();
    venue_->ReconcileIfNeeded(host_.context());
    if (venue_->Poll(&e)) {
      idle = 0;
      if (venue_clock) {
        TAPEDECK_RETURN_IF_ERROR(ProcessOnVenueClock(options, e, SteadyNanos()));
      } else {
        Process(e, SteadyNanos());
      }
      continue;
    }
    const int64_t now = WallNanos();
    if (!venue_clock && venue_->PopDueTimer(now, &e)) {
      Process(e, 0);
      continue;
    }
    if (options.interrupt != nullptr && options.interrupt->load()) break;
    if (deadline != 0 && now >= deadline) break;
    if (ended) {
      reached_end_ = true;
      if (drain_deadline == 0) drain_deadline = now + config_->drain.ns;
      bool pending = false;
      for (const Instrument& in : config_->instruments.all()) {
        for (OrderId id : host_.context().OpenOrders(in.id)) {
          if (host_.context().order(id)->status == OrderStatus::kPendingNew) pending = true;
        }
      }
      if (!pending || now >= drain_deadline) break;
    }
    if (options.progress && now >= next_progress) {
      next_progress = now + 250'000'000;
      const FixVenueStats s = venue_->stats();
      options.progress(absl::StrFormat(
          "paper: %s, %d events, %d orders, %d fills, %d disconnects",
          venue_->logged_on() ? "logged on" : "connecting", processed_, host_.orders_sent(),
          host_.records().fill_log().size(), s.disconnects));
    }
    // Spin briefly for latency, then back off so an idle session does not burn a core.
    if (++idle < 2000) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
  const int64_t stop = WallNanos();
  if (!started_) {
    // "venue" clock and no market data came: start at the data time we have (none: 0).
    absl::Status st = Begin(options, Timestamp(venue_now_));
    if (!st.ok()) {
      venue_->Stop(false);
      return st;
    }
    for (const Event& early : early_) Process(early, 0);
    early_.clear();
  }
  const Timestamp stop_at =
      venue_clock ? host_.context().now() : Timestamp(stop > host_.context().now().ns ? stop : host_.context().now().ns);
  host_.Stop(*strategy_, stop_at);
  if (journal_ != nullptr) journal_->AppendStop(host_.context().now(), stop);
  venue_->Stop(false);
  if (journal_ != nullptr) {
    absl::Status s = journal_->Close();
    journal_.reset();
    TAPEDECK_RETURN_IF_ERROR(s);
  }
  return absl::OkStatus();
}

nlohmann::json PaperRunner::Report() const {
  const FixVenueStats s = venue_->stats();
  return nlohmann::json{
      {"events_processed", processed_},
      {"orders_sent", host_.orders_sent()},
      {"fills", host_.records().fill_log().size()},
      {"reached_end_of_data", reached_end_},
      {"clock", config_->venue_clock ? "venue" : "wall"},
      {"venue_profile", std::string(venue_->profile().name)},
      {"clordid_prefix", venue_->clordids().prefix()},
      {"latency", {{"decision", decision_latency().ToJson()},
                   {"encoded", encoded_latency().ToJson()},
                   {"send", send_latency().ToJson()},
                   {"round_trip", round_trip_latency().ToJson()}}},
      {"venue", {{"logons", s.logons}, {"disconnects", s.disconnects},
                 {"market_messages", s.market_messages}, {"market_events", s.market_events},
                 {"exec_reports", s.exec_reports}, {"duplicates_dropped", s.duplicates_dropped},
                 {"undecodable", s.undecodable}, {"refused_resends", s.refused_resends},
                 {"status_requests", s.status_requests}, {"local_rejects", s.local_rejects},
                 {"queue_full_waits", s.queue_full_waits}}}};
}

}  // namespace tapedeck::adapters
