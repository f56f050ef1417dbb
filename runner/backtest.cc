// RunOne (runner/backtest.h): shared by `run` and `sweep`.
#include "runner/backtest.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "runner/series.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/source.h"
#include "core/status.h"
#include "replay/source_factory.h"
#include "strategies/registry.h"

namespace tapedeck::runner {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Progress on stderr when it is a terminal and the run takes more than a second.
class Progress {
 public:
  Progress(bool enabled, std::string label, int64_t total)
      : enabled_(enabled && ::isatty(2) == 1), label_(std::move(label)), total_(total),
        start_(std::chrono::steady_clock::now()) {}
  void Update(uint64_t events) {
    if (!enabled_) return;
    const double s = Seconds(start_);
    if (s < 1.0) return;
    const double rate = static_cast<double>(events) / s;
    if (total_ > 0) {
      const double frac = static_cast<double>(events) / static_cast<double>(total_);
      std::fprintf(stderr, "\r%s: %.1fM events  %3.0f%%  %.1fM ev/s  ETA %.0fs   ", label_.c_str(),
                   static_cast<double>(events) / 1e6, 100.0 * frac, rate / 1e6,
                   frac > 0 ? s * (1.0 - frac) / frac : 0.0);
    } else {
      std::fprintf(stderr, "\r%s: %.1fM events  %.1fM ev/s   ", label_.c_str(),
                   static_cast<double>(events) / 1e6, rate / 1e6);
    }
    shown_ = true;
  }
  ~Progress() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool enabled_;
  std::string label_;
  int64_t total_;
  std::chrono::steady_clock::time_point start_;
  bool shown_ = false;
};

// The events of `inner` whose exchange time is in [start, end). Sources deliver in
// non-decreasing exchange time, so the window is one contiguous slice of each batch (zero copy)
// and the source is not read past `end`.
class WindowSource final : public EventSource {
 public:
  WindowSource(std::unique_ptr<EventSource> inner, RunWindow window)
      : inner_(std::move(inner)), window_(window) {}

  absl::StatusOr<std::span<const Event>> NextBatch() override {
    while (!done_) {
      TAPEDECK_ASSIGN_OR_RETURN(std::span<const Event> batch, inner_->NextBatch());
      if (batch.empty()) break;
      auto before = [](const Event& e, int64_t t) { return e.exchange_ts < t; };
      const Event* lo = std::lower_bound(batch.data(), batch.data() + batch.size(),
                                         window_.start.ns, before);
      const Event* hi =
          std::lower_bound(lo, batch.data() + batch.size(), window_.end.ns, before);
      if (hi != batch.data() + batch.size()) done_ = true;
      if (lo != hi) return std::span<const Event>(lo, hi);
    }
    done_ = true;
    return std::span<const Event>();
  }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<EventSource> inner_;
  RunWindow window_;
  bool done_ = false;
};

}  // namespace

absl::StatusOr<StrategyResult> RunOne(const RunConfig& rc, const StrategySpec& spec, bool quiet) {
  ConfigObject params(&spec.params, spec.where + ".params");
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<Strategy> strategy,
                            strategies::CreateStrategy(spec.name, params, rc.instruments));
  std::vector<std::unique_ptr<EventSource>> sources;
  for (const replay::SourceSpec& s : rc.sources) {
    TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<EventSource> src, replay::OpenSource(s, rc.instruments));
    if (rc.window.has_value()) src = std::make_unique<WindowSource>(std::move(src), *rc.window);
    sources.push_back(std::move(src));
  }
  Merger merger(std::move(sources));
  TAPEDECK_RETURN_IF_ERROR(merger.Init());
  Engine engine(rc.instruments, rc.engine);
  // Records prices and positions at the equity curve's timestamps (prices.csv, the report).
  SeriesRecorder recorder(*strategy, rc.instruments, rc.engine.equity_interval);
  Progress progress(!quiet, spec.label, merger.SizeHint());
  const auto start = std::chrono::steady_clock::now();
  TAPEDECK_RETURN_IF_ERROR(
      engine.Run(merger, recorder, [&](uint64_t n) { progress.Update(n); }));
  StrategyResult r;
  r.wall_seconds = Seconds(start);
  r.spec = spec;
  r.events = engine.stats().market_events;
  r.equity = engine.equity_curve();
  RunFacts facts{spec.name, spec.label, rc.seed.value_or(0), engine.stats().market_events,
                 engine.stats().first_ts, engine.stats().last_ts};
  r.outputs = RenderOutputs(engine.context(), engine.equity_curve(), facts, *strategy, rc.document,
                            &recorder.samples());
  return r;
}

}  // namespace tapedeck::runner
