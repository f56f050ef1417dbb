// Parameter sweeps (`tapedeck sweep`, `tapedeck sweep-merge`): every point of a grid
// (analysis/sweep_grid.h) run over a base run config, on worker threads or in shards on several
// machines, into a result table (analysis/sweep_table.h).
//
// Each point's config is the base config with the point's values substituted, run through the
// path of `tapedeck run` (analysis/backtest.h), so its digest is the digest of `tapedeck run`
// on that config. Every point is parsed, and its strategy built, before any run starts: a bad
// value fails early and writes nothing. The table does not depend on the number of threads or
// on sharding.
#ifndef TAPEDECK_ANALYSIS_SWEEP_H_
#define TAPEDECK_ANALYSIS_SWEEP_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/backtest.h"
#include "analysis/sweep_grid.h"
#include "analysis/sweep_table.h"
#include "nlohmann/json.hpp"

namespace tapedeck::analysis {

// A sweep's inputs: the base run config and the grid, read and checked.
struct SweepInput {
  std::string config_path;
  std::string grid_path;
  nlohmann::json config;
  nlohmann::json grid_doc;
  SweepGrid grid;
};
absl::StatusOr<SweepInput> LoadSweepInput(const std::string& config_path,
                                          const std::string& grid_path);

// Of the grid file and a base config, hex: the tables of one sweep's shards share it.
std::string GridDigest(const nlohmann::json& grid_doc, const nlohmann::json& base);

// Counts finished runs and reports (done, total, best row so far) to a callback (a progress
// line), one call at a time, from whichever worker finished. `best` is null until a row is
// offered (walk-forward offers none: its train rows belong to different windows).
class SweepProgress {
 public:
  using Callback = std::function<void(uint64_t done, uint64_t total, const SweepRow* best)>;
  SweepProgress(Callback callback, uint64_t total)
      : callback_(std::move(callback)), total_(total) {}
  // Keeps the best of the rows offered, in the table's order (SortSweepRows with `goal`).
  void TrackBest(SweepGoal goal) { goal_ = goal; }
  void Offer(const SweepRow& row);
  void Tick();

 private:
  Callback callback_;
  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  std::mutex mu_;
  std::optional<SweepGoal> goal_;
  std::optional<SweepRow> best_;  // guarded by mu_
};

struct SweepOptions {
  uint64_t jobs = 1;  // worker threads
  std::string out_dir = "out/sweep";
  // Run only the points with index % shard_n == shard_k - 1 (1 <= shard_k <= shard_n).
  uint64_t shard_k = 1;
  uint64_t shard_n = 1;
  // Go on with the sweep whose journal is in out_dir (analysis/sweep_journal.h): its finished
  // points are not run again. Without it a new journal replaces any old one.
  bool resume = false;
  SweepProgress::Callback progress;  // may be empty
};

// What a sweep did besides its table: the points it found in the journal (resumed).
struct SweepRunInfo {
  uint64_t resumed_points = 0;
};

// Runs the sweep's points (this shard's), recording each finished one in DIR/sweep.journal at
// once, and writes DIR/results.csv, DIR/results.json and DIR/configs/point-NNNNNN.json (each
// point's config: `tapedeck run` on it gives its digest). With options.resume, the points the
// journal holds are taken from it; the table is byte for byte the one an uninterrupted sweep
// writes.
absl::StatusOr<SweepTable> RunSweep(const SweepInput& in, const SweepOptions& options,
                                    SweepRunInfo* info = nullptr);

// The best feasible row of a sorted table (its first row when feasible), or null.
const SweepRow* BestFeasibleRow(const SweepTable& table);

// Reads DIR/results.json of each shard of one sweep, checks that they share the grid digest and
// hold every point once, and writes into `out_dir` the table a single-machine sweep gives.
absl::StatusOr<SweepTable> MergeSweepShards(const std::vector<std::string>& dirs,
                                            const std::string& out_dir);

// DIR/results.csv and DIR/results.json.
absl::Status WriteSweepTable(const std::string& dir, const SweepTable& table);

// ---- Shared with walk-forward ----

// Calls fn(k) once for each k in [0, n) on min(jobs, n) threads, ticking `progress` after each;
// which thread runs which k does not matter when fn(k) writes only slot k of its results.
void RunParallel(size_t n, uint64_t jobs, SweepProgress* progress,
                 const std::function<void(size_t)>& fn);

// Runs backtests[k] for every k; rows[k] is its table row as point points[k]. `on_row`, when
// set, is called with each row as soon as its run finishes (from the worker that ran it; the
// journal). Errors name the point.
absl::Status RunPoints(const SweepGrid& grid, const std::vector<Backtest>& backtests,
                       const std::vector<uint64_t>& points, uint64_t jobs, SweepProgress* progress,
                       std::vector<SweepRow>* rows,
                       const std::function<absl::Status(const SweepRow&)>& on_row = {});

// Writes `content` to `path` atomically.
absl::Status WriteSweepFile(const std::string& path, const std::string& content);
// Creates `dir` and its parents.
absl::Status MakeDirs(const std::string& dir);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_SWEEP_H_
