#include "runner/sources.h"

#include <algorithm>
#include <utility>

#include "core/status.h"

namespace tapedeck::runner {

absl::StatusOr<std::span<const Event>> WindowSource::NextBatch() {
  while (!done_) {
    TAPEDECK_ASSIGN_OR_RETURN(std::span<const Event> batch, inner_->NextBatch());
    if (batch.empty()) break;
    auto before = [](const Event& e, int64_t t) { return e.exchange_ts < t; };
    const Event* lo =
        std::lower_bound(batch.data(), batch.data() + batch.size(), window_.start.ns, before);
    const Event* hi = std::lower_bound(lo, batch.data() + batch.size(), window_.end.ns, before);
    if (hi != batch.data() + batch.size()) done_ = true;
    if (lo != hi) return std::span<const Event>(lo, hi);
  }
  done_ = true;
  return std::span<const Event>();
}

absl::StatusOr<std::vector<std::unique_ptr<EventSource>>> OpenSources(
    const std::vector<replay::SourceSpec>& specs, const InstrumentTable& instruments,
    const std::optional<RunWindow>& window) {
  std::vector<std::unique_ptr<EventSource>> sources;
  for (const replay::SourceSpec& s : specs) {
    TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<EventSource> src, replay::OpenSource(s, instruments));
    if (window.has_value()) src = std::make_unique<WindowSource>(std::move(src), *window);
    sources.push_back(std::move(src));
  }
  return sources;
}

}  // namespace tapedeck::runner
