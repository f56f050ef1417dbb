#include "runner/sources.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
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

absl::Status SourceError(const replay::SourceSpec& spec, const absl::Status& status) {
  if (status.ok()) return status;
  std::string what;
  if (!spec.path.empty()) {
    std::error_code ec;
    const std::filesystem::file_status st = std::filesystem::status(spec.path, ec);
    if (!std::filesystem::exists(st)) {
      what = "no such file";
    } else if (std::filesystem::is_directory(st)) {
      what = "is a directory, not a file";
    } else if (::access(spec.path.c_str(), R_OK) != 0) {
      what = absl::StrCat("cannot read: ", std::strerror(errno));
    }
  }
  if (!what.empty()) {
    return absl::Status(status.code(), absl::StrCat(spec.where, ".path: ", spec.path, ": ", what));
  }
  const std::string message(status.message());
  if (message.substr(0, spec.where.size()) == spec.where) return status;
  return absl::Status(status.code(), absl::StrCat(spec.where, ": ", message));
}

absl::StatusOr<std::vector<std::unique_ptr<EventSource>>> OpenSources(
    const std::vector<replay::SourceSpec>& specs, const InstrumentTable& instruments,
    const std::optional<RunWindow>& window) {
  std::vector<std::unique_ptr<EventSource>> sources;
  for (const replay::SourceSpec& s : specs) {
    absl::StatusOr<std::unique_ptr<EventSource>> opened = replay::OpenSource(s, instruments);
    if (!opened.ok()) return SourceError(s, opened.status());
    std::unique_ptr<EventSource> src = *std::move(opened);
    if (window.has_value()) src = std::make_unique<WindowSource>(std::move(src), *window);
    sources.push_back(std::move(src));
  }
  return sources;
}

}  // namespace tapedeck::runner
