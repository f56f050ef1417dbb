// What every run mode does with the records of a strategy's run: write the output files
// (runner/output_writer.h), compute the metrics and summary.json (runner/summary.h), keep the
// records for the caller when asked, and pass them to the caller's own sink. A backtest, a
// paper session and a replayed journal all finish through here, so their files agree.
#ifndef TAPEDECK_RUNNER_RUN_RECORDER_H_
#define TAPEDECK_RUNNER_RUN_RECORDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/metrics.h"
#include "core/strategy.h"
#include "core/strategy_host.h"
#include "nlohmann/json.hpp"
#include "runner/output_writer.h"
#include "runner/records.h"
#include "runner/run_config.h"
#include "runner/series.h"
#include "runner/summary.h"

namespace tapedeck::runner {

// The typed result of one strategy's run.
struct RunResult {
  StrategySpec spec;
  RunFacts facts;
  RunTotals totals;  // the figures at summary.json's top level
  Metrics metrics;
  RunDigests digests;
  nlohmann::json strategy_report;
  StrategySections sections;  // the strategy's tables and charts (Strategy::Sections)
  nlohmann::json summary;  // summary.json, as written
  double wall_seconds = 0;  // wall time of the run itself, for display only (never in outputs)
  // With keep_records: every record of the run, in order (core's CollectingSink). Otherwise
  // nullptr: the tables went to the output files and the sinks as they came, and nothing of
  // them is held.
  std::shared_ptr<const CollectingSink> records;
};

// The outputs of a run that has ended and whose host collected its records (a paper session, a
// replayed journal): records sent from `host`, files written and put in place of `out_dir` as a
// whole (runner/output_set.h). No equity curve is sampled there, and no price series.
// `adopt`: files the run already wrote into `out_dir` that join the set (runner/output_set.h).
absl::StatusOr<RunResult> WriteFinishedRun(const StrategyHost& host, const RunFacts& facts,
                                           const Strategy& strategy,
                                           const nlohmann::json& config,
                                           const std::string& out_dir,
                                           const nlohmann::json& summary_extra,
                                           std::vector<std::string> adopt = {});

class RunRecorder {
 public:
  struct Options {
    std::string out_dir;          // empty: no files (the digests are still computed)
    bool prices = false;          // prices.csv, from sample_sink()
    bool keep_records = false;    // keep every record in RunResult::records
    RecordSink* extra = nullptr;  // the caller's sink, if any
  };
  static absl::StatusOr<std::unique_ptr<RunRecorder>> Create(const InstrumentTable& instruments,
                                                             const Options& options);

  // Every record of the run goes here.
  RecordSink& sink() { return fan_out_; }
  // The price series (SeriesRecorder) goes here.
  SeriesRecorder::SampleSink sample_sink();

  // After the run: the metrics, digests and summary of the run whose Context is `ctx`, with the
  // strategy's report and sections; the files are written into out_dir (a staging directory:
  // runner/output_set.h). The keys of `summary_extra` (an object) are added to summary.json (a
  // paper session's "paper" section).
  absl::StatusOr<RunResult> Finish(const Context& ctx, const RunFacts& facts,
                                   const Strategy& strategy,
                                   const nlohmann::json& config,
                                   const nlohmann::json& summary_extra = nlohmann::json::object());

 private:
  RunRecorder() = default;

  std::unique_ptr<OutputWriter> writer_;
  MetricsCollector metrics_;
  std::shared_ptr<CollectingSink> keeper_;  // with keep_records
  RecordFanOut fan_out_;
};

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_RUN_RECORDER_H_
