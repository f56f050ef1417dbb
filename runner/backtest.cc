#include "runner/backtest.h"

#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/status.h"
#include "core/version.h"
#include "runner/series.h"
#include "runner/sources.h"

namespace tapedeck::runner {
namespace {

// A strategy's run whose files are written but not yet renamed into place.
struct PendingRun {
  RunResult result;
  std::unique_ptr<RunRecorder> recorder;
};

absl::StatusOr<PendingRun> Run(const RunConfig& config, const StrategySpec& spec,
                               const RunOptions& options, const std::string& out_dir) {
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<Strategy> strategy,
                            BuildStrategy(spec, config.instruments));
  absl::StatusOr<std::vector<std::unique_ptr<EventSource>>> sources =
      OpenSources(config.sources, config.instruments, config.window);
  if (!sources.ok()) return WithOrigin(config, sources.status());
  Merger merger(*std::move(sources));
  TAPEDECK_RETURN_IF_ERROR(merger.Init());
  RunRecorder::Options ro;
  ro.out_dir = out_dir;
  ro.prices = true;
  ro.keep_records = options.keep_records;
  ro.extra = options.sink ? options.sink(spec) : nullptr;
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<RunRecorder> recorder,
                            RunRecorder::Create(config.instruments, ro));

  // The records go to the recorder's sinks as the run makes them.
  Engine engine(config.instruments, config.engine, &recorder->sink());
  // Records prices and positions at the equity curve's timestamps (prices.csv, the report).
  SeriesRecorder series(*strategy, config.instruments, config.engine.equity_interval,
                        recorder->sample_sink());
  std::function<void(uint64_t)> progress;
  if (options.progress) {
    const int64_t total = merger.SizeHint();
    progress = [&options, &spec, total](uint64_t n) { options.progress(spec, n, total); };
  }
  const auto start = std::chrono::steady_clock::now();
  TAPEDECK_RETURN_IF_ERROR(engine.Run(merger, series, progress));
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const EngineStats& stats = engine.stats();
  const RunFacts facts{spec.name,           spec.label,     config.seed.value_or(0),
                       stats.market_events, stats.first_ts, stats.last_ts};
  TAPEDECK_ASSIGN_OR_RETURN(RunResult r, recorder->Finish(engine.context(), facts,
                                                          *strategy, config.document));
  r.spec = spec;
  r.wall_seconds = wall;
  return PendingRun{std::move(r), std::move(recorder)};
}

}  // namespace

absl::StatusOr<RunResult> RunBacktest(const RunConfig& config, const StrategySpec& spec,
                                      const RunOptions& options) {
  TAPEDECK_ASSIGN_OR_RETURN(PendingRun run, Run(config, spec, options, options.out_dir));
  TAPEDECK_RETURN_IF_ERROR(run.recorder->Commit());
  return std::move(run.result);
}

absl::StatusOr<std::vector<RunResult>> RunBacktests(const RunConfig& config,
                                                    const RunOptions& options) {
  std::vector<PendingRun> runs;
  // A failure removes what the runs before it wrote, the last first (the folders they created
  // are removed once empty).
  auto abort = [&runs] {
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) it->recorder->Abort();
  };
  for (const StrategySpec& spec : config.strategies) {
    const std::string dir =
        options.out_dir.empty() ? std::string() : absl::StrCat(options.out_dir, "/", spec.label);
    absl::StatusOr<PendingRun> run = Run(config, spec, options, dir);
    if (!run.ok()) {
      abort();
      return run.status();
    }
    runs.push_back(std::move(*run));
  }
  std::vector<RunResult> results;
  for (PendingRun& run : runs) {
    if (absl::Status s = run.recorder->Commit(); !s.ok()) {
      abort();
      return s;
    }
    results.push_back(std::move(run.result));
  }
  if (!options.out_dir.empty()) {
    TAPEDECK_RETURN_IF_ERROR(WriteFileAtomically(
        options.out_dir + "/summary.json", CombinedSummary(config, results).dump(2) + "\n"));
  }
  return results;
}

nlohmann::json CombinedSummary(const RunConfig& config, const std::vector<RunResult>& results) {
  nlohmann::json combined = {{"schema", "tapedeck.run/1"},
                             {"version", std::string(kVersion)},
                             {"seed", config.seed.value_or(0)},
                             {"strategies", nlohmann::json::array()}};
  for (const RunResult& r : results) {
    nlohmann::json one = r.summary;
    one.erase("config");
    combined["strategies"].push_back(std::move(one));
  }
  combined["config"] = config.document;
  return combined;
}

}  // namespace tapedeck::runner
