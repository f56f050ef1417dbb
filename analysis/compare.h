// Several runs side by side (`tapedeck compare`, and the index page of a run directory): the
// metrics table, one column per strategy run, with each metric's best value in bold (by its
// better direction in the metric table), and the equity, return and drawdown curves overlaid.
// Only the runs' output files are read; nothing is rerun.
#ifndef TAPEDECK_ANALYSIS_COMPARE_H_
#define TAPEDECK_ANALYSIS_COMPARE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/report_data.h"

namespace tapedeck::analysis {

// The page. `links` (same size as `runs`, "" for none) are relative addresses of each run's own
// report.
std::string RenderCompare(const std::vector<RunData>& runs, const std::string& title,
                          const std::vector<std::string>& links);

// The metrics table as aligned text, one column per run.
std::string MetricsText(const std::vector<RunData>& runs);

// Reads every strategy run under `dirs` (run directories or strategy directories), names the
// columns by label (a label seen twice gets its directory's name too), links each run's
// report.html when it has one, and writes the page to `out_file`. Returns MetricsText.
absl::StatusOr<std::string> CompareRuns(const std::vector<std::string>& dirs,
                                        const std::string& out_file);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_COMPARE_H_
