// What `tapedeck run` prints: the table of the runs' figures and key metrics (one column per
// strategy, from the metric table), and the line after a journal replay. Text only: the command
// prints it.
#ifndef TAPEDECK_ANALYSIS_RUN_TEXT_H_
#define TAPEDECK_ANALYSIS_RUN_TEXT_H_

#include <string>
#include <vector>

#include "runner/backtest.h"
#include "runner/journal.h"

namespace tapedeck::analysis {

// The key metrics (annualised ones flagged on a short span, with the note below the table), then
// events, orders, fills, PnL, fees, final equity, wall time, events/s and the digest; ends with
// where the outputs of `out_dir` are.
std::string RunTableText(const std::vector<runner::RunResult>& results, const std::string& out_dir);

// "replayed 12 journal events: 3 orders, 2 fills; outputs in DIR" (and when a torn tail was
// ignored).
std::string JournalReplayText(const runner::JournalReplayResult& r, const std::string& out_dir);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_RUN_TEXT_H_
