// `tapedeck gen` as a library call: the seeded 2026-02-05 deleveraging scenario
// (replay/scenario.h) written as a tape, with the parameters it was drawn from beside it, or a
// family of jittered members.
#ifndef TAPEDECK_RUNNER_GENERATE_H_
#define TAPEDECK_RUNNER_GENERATE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace tapedeck::runner {

struct GenerateOptions {
  std::string out_dir;        // created if missing
  std::string params_file;    // empty: the built-in parameters
  uint64_t seed = 0;
  std::optional<int> family;  // N members instead of one scenario
  // Called about every 2^20 events of a tape with its path and the events so far, and once at
  // its end.
  std::function<void(const std::string& tape, uint64_t events, bool done)> progress;
};

// Writes OUT/deleveraging.tape and OUT/deleveraging.params.json, or for a family
// OUT/deleveraging-NNN.{tape,params.json} (member i derived from the seed and i only).
// Returns the number of events written.
absl::StatusOr<uint64_t> GenerateDeleveraging(const GenerateOptions& options);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_GENERATE_H_
