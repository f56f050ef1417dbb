// A paper config (`tapedeck paper --config FILE`): the run config's schema (runner/run_config.h),
// the sections that apply to a paper session read by the same readers, plus "fix":
//
//   {
//     "instruments": [ {instrument}, ... ],
//     "account": {"initial_cash": "1000000"},
//     "strategies": [ {"name": "dip_buyer", "params": {...}} ],   // exactly one
//     "output": {"dir": "out/paper"},
//     "fix": {"host": "127.0.0.1", "port": 9878, "sender_comp_id": "PAPER1",
//             "target_comp_id": "FIXSIM", "password": "...", ... (adapters/fix_venue.h),
//             "clock": "wall" | "venue", "journal_flush": "100ms", "drain": "500ms"}
//   }
//
// "seed", "sources", "venue", "window" and "output.equity_interval" are refused, saying why (the
// market data and the matching come from the FIX venue). Keys of the older paper shape
// ("initial_cash", "strategy", "clock", "journal_flush", "drain" at the root, the FIX session
// under "venue") are errors saying where they moved.
#ifndef TAPEDECK_RUNNER_PAPER_CONFIG_H_
#define TAPEDECK_RUNNER_PAPER_CONFIG_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/paper_runner.h"
#include "nlohmann/json.hpp"
#include "runner/run_config.h"
#include "runner/run_recorder.h"

namespace tapedeck::runner {

struct PaperRunConfig {
  RunConfig run;                 // instruments, account, the one strategy, output.dir, document
  adapters::PaperConfig paper;   // the session; instruments, cash and strategy copied from `run`
};

absl::StatusOr<PaperRunConfig> ParsePaperConfig(const nlohmann::json& doc,
                                                const std::string& origin);
// Errors start with the file's path.
absl::StatusOr<PaperRunConfig> LoadPaperConfig(const std::string& path);

// The session with its strategy built, not yet connected.
absl::StatusOr<std::unique_ptr<adapters::PaperRunner>> BuildPaperRunner(
    const PaperRunConfig& config);

struct PaperRunOptions {
  std::string out_dir;            // the run's files and journal.tdj
  Duration duration;              // 0: until the venue's end of data
  const std::atomic<bool>* interrupt = nullptr;
  std::function<void(const std::string&)> progress;  // a status line about every 250 ms
};

struct PaperRunResult {
  RunResult run;
  std::unique_ptr<adapters::PaperRunner> session;  // for its latency figures and counters
};

// Connects, trades until the end of data (or the duration, or the interrupt), then writes the
// run's files into options.out_dir: those of a backtest (runner/output_writer.h) with the
// session's latency and venue report as summary.json's "paper", and journal.tdj.
absl::StatusOr<PaperRunResult> RunPaper(const PaperRunConfig& config,
                                        const PaperRunOptions& options);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_PAPER_CONFIG_H_
