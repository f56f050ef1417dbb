// Opening a config's sources: every reader through replay::OpenSource, each cut to the config's
// "window" when it has one. `run` (each strategy opens its own) and `fixsim` open them here.
#ifndef TAPEDECK_RUNNER_SOURCES_H_
#define TAPEDECK_RUNNER_SOURCES_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/source.h"
#include "runner/run_config.h"

namespace tapedeck::runner {

// The events of `inner` whose exchange time is in [start, end). Sources deliver in
// non-decreasing exchange time, so the window is one contiguous slice of each batch (zero copy)
// and the source is not read past `end`.
class WindowSource final : public EventSource {
 public:
  WindowSource(std::unique_ptr<EventSource> inner, RunWindow window)
      : inner_(std::move(inner)), window_(window) {}

  absl::StatusOr<std::span<const Event>> NextBatch() override;
  std::string Describe() const override { return inner_->Describe(); }
  int64_t InputBytesRead() const override { return inner_->InputBytesRead(); }

 private:
  std::unique_ptr<EventSource> inner_;
  RunWindow window_;
  bool done_ = false;
};

// `status`, a failure to open source `spec` or to read its instruments, naming the source's key:
// "sources[1].path: PATH: no such file" when the file is missing or unreadable, else prefixed
// "sources[1]: " (the reader's message names the file and line) unless it names the key already.
absl::Status SourceError(const replay::SourceSpec& spec, const absl::Status& status);

// Opens every source of `specs` with `instruments`, each wrapped in a WindowSource when
// `window` is set. A generated source (the scenario) is generated anew from (params, seed); a
// tape is mmap'd again, so that several openings of one path share the page cache. Errors go
// through SourceError.
absl::StatusOr<std::vector<std::unique_ptr<EventSource>>> OpenSources(
    const std::vector<replay::SourceSpec>& specs, const InstrumentTable& instruments,
    const std::optional<RunWindow>& window);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_SOURCES_H_
