// A run's output directory, replaced as a whole. Everything a run writes (every strategy's
// tables, the summaries, the reports) goes into a staging directory beside the output
// directory; when all of it is written, the completion marker is written last, and one rename
// puts the staging directory in the output directory's place (an atomic exchange with the
// earlier run's directory, which is then removed). So the output directory holds either the
// earlier run whole or the new run whole, at every instant: nothing of one is ever mixed with
// the other, and a directory without the marker is not a finished run.
//
// Only a directory that is absent, empty, or carries the marker is replaced: `--out .` or
// `--out ~/data` with a user's files in it is refused, naming it. The staging directory is
// `.tapedeck-staging-<pid>-<n>/<name>` beside the output directory `<name>`, so that it has the
// output directory's own name while it is written (a report titled by its folder's name says
// the same before and after the rename); the earlier run ends up in the same hidden folder and
// is removed with it. SIGINT and SIGTERM remove that folder (core/interrupt_cleanup.h), and the
// next run into the same parent removes those that a kill -9 left.
//
//   TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<OutputSet> set, OutputSet::Begin("out/run"));
//   ... write files under set->staging() ...
//   TAPEDECK_RETURN_IF_ERROR(set->Commit());  // or drop it: the staging directory is removed
#ifndef TAPEDECK_RUNNER_OUTPUT_SET_H_
#define TAPEDECK_RUNNER_OUTPUT_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/interrupt_cleanup.h"

namespace tapedeck::runner {

// The completion marker: written last into a finished output directory.
inline constexpr char kCompleteMarker[] = ".tapedeck-complete";

class OutputSet {
 public:
  // Checks that `dir` may be replaced, removes what killed runs left beside it, and creates the
  // staging directory (and `dir`'s missing parents). `adopt`: names of files that this run
  // already wrote into `dir` itself (a paper session's journal, written as it goes): `dir` may
  // hold them, and Commit links them into the set before it replaces `dir`.
  static absl::StatusOr<std::unique_ptr<OutputSet>> Begin(const std::string& dir,
                                                          std::vector<std::string> adopt = {});
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Where to write: the staging directory, which becomes `dir` at Commit.
  const std::string& staging() const { return staging_; }
  const std::string& dir() const { return dir_; }

  // Writes the marker, syncs, and puts the staging directory in place of `dir`.
  absl::Status Commit();
  // Removes the staging directory and the parents Begin created (the destructor does this
  // unless Commit succeeded).
  void Abort();

 private:
  OutputSet() = default;

  std::string dir_;           // as given, for messages
  std::string target_;        // its absolute, normalised path
  std::string staging_root_;  // the hidden folder beside target_
  std::string staging_;       // staging_root_/<target's name>
  std::vector<std::string> created_parents_;  // deepest first
  std::vector<std::string> adopt_;
  InterruptCleanup staging_cleanup_;
  bool done_ = false;
};

// Replaces every occurrence of `from` in the file at `path` by `to` (through a temporary file
// and a rename). For files written in a staging folder that name it: they must name the folder
// it becomes.
absl::Status ReplaceInFile(const std::string& path, std::string_view from, std::string_view to);

// Readies `dir` for a run that writes one file into it as it goes (`live`: a paper session's
// journal) before the rest of its outputs join it through an OutputSet that adopts that file.
// `dir` is created when absent; an earlier finished run in it (with the marker) is removed; a
// `live` file without the marker is the trace of a session that did not finish and is refused,
// as is any other content.
absl::Status PrepareLiveOutputDir(const std::string& dir, const std::string& live);

// True when `dir` holds the completion marker.
bool IsCompleteOutputDir(const std::string& dir);

// Test hook: with TAPEDECK_TEST_KILL_AT=<name> in the environment, the process kills itself
// with SIGKILL at the step of that name of Commit ("before-marker", "before-swap",
// "after-swap", "during-remove"), so that a test can show what each kill leaves.
void KillPointForTest(const char* name);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_OUTPUT_SET_H_
