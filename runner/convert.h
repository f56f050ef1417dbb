// `tapedeck convert` as a library call: any supported inputs, merged in the total order of
// core/event_order.h (exchange time, kind rank, input position, record position), written as
// one tape (replay/tape.h) through a temporary name.
#ifndef TAPEDECK_RUNNER_CONVERT_H_
#define TAPEDECK_RUNNER_CONVERT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tapedeck::runner {

// Where a conversion is, for a progress line.
struct ConvertProgress {
  uint64_t events = 0;       // written so far
  int64_t bytes_read = -1;   // of the inputs as stored; -1 when an input cannot tell (generated)
  uint64_t bytes_total = 0;  // the inputs' sizes as stored
};

struct ConvertOptions {
  std::vector<std::string> inputs;
  std::string out;               // the tape
  std::string format;            // of every input; empty: detected from each one's content
  std::string instrument;        // for inputs whose rows name none; default: the only one
  // A JSON array of instruments, or a run config with "instruments". Without it, the inputs'
  // own (tapes, the scenario), or for a Binance websocket capture the instruments inferred from
  // it (replay/binance_capture_instruments.h); merged as a run merges them (runner/instruments.h).
  std::string instruments_file;
  // Called after every batch of events written (the caller throttles what it draws).
  std::function<void(const ConvertProgress&)> progress;
};


struct ConvertStats {
  uint64_t events = 0;
  uint64_t tape_bytes = 0;
  uint64_t input_bytes = 0;  // as stored (compressed inputs count compressed)
  double seconds = 0;        // wall time, for display only
};

absl::StatusOr<ConvertStats> ConvertToTape(const ConvertOptions& options);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_CONVERT_H_
