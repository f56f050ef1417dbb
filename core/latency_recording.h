// A recorded latency file (the "recorded" latency model, core/latency_model.h): measured
// (request, exchange, response) times of real orders, read once at config time and
// interpolated by the model.
#ifndef TAPEDECK_CORE_LATENCY_RECORDING_H_
#define TAPEDECK_CORE_LATENCY_RECORDING_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tapedeck {

// How a recorded file's times meet the run's times: kStart counts the file's times from its
// first row and the run's from the run's start (the first market event's exchange_ts), so a
// recording made on any day replays from the start of any run; kAbsolute looks the message's own
// timestamp up (a recording taken next to the data).
enum class LatencyAlign : uint8_t { kStart = 0, kAbsolute = 1 };

// "start" or "absolute"; the error lists both.
absl::StatusOr<LatencyAlign> ParseLatencyAlign(std::string_view name);

// A recorded latency file. CSV, one row per order:
//   request_ns,exchange_ns,response_ns
//   1723161255000000000,1723161255002100000,1723161255003600000
// Integer nanoseconds; the header is required; blank lines and lines starting with '#' are
// ignored (comments say where the file came from). Each row needs
// request_ns <= exchange_ns <= response_ns, and request_ns may not decrease from one row to
// the next (equal times are allowed: the later row wins at that instant).
struct LatencyRecording {
  std::string path;
  std::vector<int64_t> time;      // request_ns of each row, non-decreasing
  std::vector<int64_t> entry;     // exchange_ns - request_ns
  std::vector<int64_t> response;  // response_ns - exchange_ns
};

// Reads and checks a recording; errors are "path:line: what".
absl::StatusOr<std::shared_ptr<const LatencyRecording>> LoadLatencyRecording(
    const std::string& path);
// The same from text already in memory (`path` only names it in messages).
absl::StatusOr<std::shared_ptr<const LatencyRecording>> ParseLatencyRecording(
    std::string_view text, const std::string& path);

// The value at `t` of the series (time[i], value[i]): linear between the two rows around t,
// the fraction truncated toward the earlier row's value (integer arithmetic, 128-bit products),
// clamped outside [time.front(), time.back()]. *cursor is a hint (the last row used): times
// that move forward find their row in O(1) amortised.
int64_t InterpolateLatency(const std::vector<int64_t>& time, const std::vector<int64_t>& value,
                           int64_t t, size_t* cursor);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LATENCY_RECORDING_H_
