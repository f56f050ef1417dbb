// What `tapedeck sweep` and `sweep-merge` print: the shard commands of --list-jobs, the best point
// so far on the progress line, and the end-of-sweep summary (WalkForwardText, in
// analysis/walk_forward.h, is the walk-forward's). Text only: the command prints it.
#ifndef TAPEDECK_ANALYSIS_SWEEP_TEXT_H_
#define TAPEDECK_ANALYSIS_SWEEP_TEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/sweep.h"
#include "analysis/sweep_table.h"
#include "core/metrics.h"

namespace tapedeck::analysis {

// A shell word: as is when it holds only characters no shell treats specially, else
// single-quoted (a quote inside written '\'').
std::string ShellQuote(const std::string& s);

// What a sweep is split into: `tapedeck sweep CONFIG --grid GRID` in `shards` parts.
struct ShardSpec {
  std::string program;  // the tapedeck executable's path
  std::string config_path;
  std::string grid_path;
  std::string out_dir;  // shard K writes out_dir/shard-K
  uint64_t shards = 0;
  std::vector<std::string> plugins;  // --plugin paths, given to every shard as they were
};
// One command line per shard, K = 1..shards, each running its shard with one job, quietly, and
// loading the same --plugin files.
std::vector<std::string> ShardCommands(const ShardSpec& spec);

// "pnl 8065.32 (point 17)": a row's objective.
std::string ObjectiveText(MetricId objective, const SweepRow& row);
// The progress line's tail: "best pnl 8065.32 (point 17)" ("best (infeasible) ..." when it
// breaks a constraint); empty without a row.
std::string BestSoFarText(MetricId objective, const SweepRow* best);

// The best feasible point of a finished table with its parameters, one per line, and, when
// `configs_dir` is not empty, its saved config; or that no point is feasible.
std::string SweepSummaryText(const SweepTable& table, const std::string& configs_dir);
// What a finished sweep into `out_dir` prints: points run (and taken from the journal), where
// the results are, and SweepSummaryText.
std::string SweepRunText(const SweepTable& table, const SweepRunInfo& info,
                         const std::string& out_dir);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_SWEEP_TEXT_H_
