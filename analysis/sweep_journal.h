// The resume journal of a sweep (`tapedeck sweep --resume`): DIR/sweep.journal, one JSON object
// per line. The first line names the sweep:
//   {"schema": "tapedeck.sweep-journal/1", "grid_digest": "...", "points": 64, "shard": ""}
// and every later line is one finished point's row, in the shape of a results.json row
// (analysis/sweep_table.h), appended as soon as the point finishes with a single write(2): a
// killed sweep loses at most the points that were running. A last line cut short (a crash in
// the middle of a write, a full disk) is ignored and overwritten when the sweep resumes.
//
// The journal stays after the sweep completes: resuming a finished sweep runs nothing and
// writes the same table again.
#ifndef TAPEDECK_ANALYSIS_SWEEP_JOURNAL_H_
#define TAPEDECK_ANALYSIS_SWEEP_JOURNAL_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/sweep_table.h"

namespace tapedeck::analysis {

class SweepJournal {
 public:
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  // Starts a new journal at `path` for the sweep `table` describes (its header; rows ignored),
  // replacing any journal there.
  static absl::StatusOr<std::unique_ptr<SweepJournal>> Create(const std::string& path,
                                                              const SweepTable& table);
  // Opens the journal at `path` to go on with the same sweep: the grid digest, the point count
  // and the shard must be `table`'s. Appends the finished rows to *done (in journal order).
  // Errors name the file and line.
  static absl::StatusOr<std::unique_ptr<SweepJournal>> Resume(const std::string& path,
                                                              const SweepTable& table,
                                                              std::vector<SweepRow>* done);

  // Appends one finished point; safe to call from several threads.
  absl::Status Append(const SweepRow& row);

  const std::string& path() const { return path_; }

 private:
  SweepJournal(std::string path, int fd, std::vector<std::string> params)
      : path_(std::move(path)), fd_(fd), params_(std::move(params)) {}
  absl::Status WriteLine(const std::string& line);

  std::string path_;
  int fd_;
  std::vector<std::string> params_;  // the grid's parameter paths, for the rows' "params"
  std::mutex mu_;
};

// The journal's path in a sweep's output directory.
std::string SweepJournalPath(const std::string& out_dir);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_SWEEP_JOURNAL_H_
