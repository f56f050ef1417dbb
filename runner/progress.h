// The progress line of long jobs (`run`, `convert`, `sweep`): done of total, percent, rate,
// elapsed time and ETA, redrawn in place on stderr a few times a second:
//
//   dip_buyer: 1.2M of 2.1M events  58%  3.4M events/s  elapsed 0:01  ETA 0:01
//   convert: 312.4 MB of 1.2 GB  26%  45.1 MB/s  elapsed 0:07  ETA 0:20
//   sweep: 7 of 64 points  11%  0.52 points/s  elapsed 0:13  ETA 1:49  best pnl 1234.56 (point 5)
//
// Only on a terminal: nothing when stderr is a pipe or a file, or when the environment variable
// CI is set, so logs and CI output stay clean. The wall clock is read here for display only;
// nothing a job writes depends on it.
#ifndef TAPEDECK_RUNNER_PROGRESS_H_
#define TAPEDECK_RUNNER_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tapedeck::runner {

// What is counted: events, points (a plain count with a noun) or bytes (KB, MB, GB).
struct ProgressUnit {
  std::string_view noun;  // "events", "points"; empty for bytes
  bool bytes = false;

  static ProgressUnit Count(std::string_view noun) { return ProgressUnit{noun, false}; }
  static ProgressUnit Bytes() { return ProgressUnit{"", true}; }
};

// One progress line's text, without the carriage return: "LABEL: DONE of TOTAL UNIT  PCT%
// RATE  elapsed E  ETA T  EXTRA". `total` 0 means unknown (no percent, no ETA); the rate and the
// ETA need at least some elapsed time.
std::string FormatProgress(std::string_view label, uint64_t done, uint64_t total,
                           double elapsed_seconds, ProgressUnit unit, std::string_view extra = {});

// "0:07", "1:49", "2:03:04" (hours only when needed).
std::string FormatClock(double seconds);

// Whether progress lines should be drawn: stderr is a terminal and CI is not set.
bool ProgressWanted();

class ProgressLine {
 public:
  // `enabled` is the caller's wish (false with --quiet); the line also needs ProgressWanted().
  ProgressLine(std::string label, ProgressUnit unit, bool enabled);
  ~ProgressLine();  // erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool active() const { return enabled_; }
  // A new label restarts the clock (several strategies' runs, one after the other).
  void Restart(std::string label);
  // Redraws the line when at least 0.2 s passed since the last redraw, or when `force` (the
  // last update of a job). Cheap to call often.
  void Update(uint64_t done, uint64_t total, std::string_view extra = {}, bool force = false);
  // Erases the line (also done by the destructor).
  void Clear();
  double ElapsedSeconds() const;

 private:
  std::string label_;
  ProgressUnit unit_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_PROGRESS_H_
