// The replay of a paper session's journal (`tapedeck run --journal FILE`): the journal carries
// its instruments, strategy and parameters and initial cash, and the replay delivers its events
// exactly as the session did (adapters/journal.h), so orders.csv and fills.csv come out byte
// for byte the same as the session's.
#ifndef TAPEDECK_RUNNER_JOURNAL_H_
#define TAPEDECK_RUNNER_JOURNAL_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "runner/run_recorder.h"

namespace tapedeck::runner {

struct JournalReplayResult {
  RunResult run;
  size_t events = 0;  // journal records replayed
  bool torn = false;  // a torn tail was found and ignored
};

// Replays `journal_path` through the strategy it recorded and writes the run's files into
// `out_dir`. Errors name the journal.
absl::StatusOr<JournalReplayResult> ReplayJournal(const std::string& journal_path,
                                                  const std::string& out_dir);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_JOURNAL_H_
