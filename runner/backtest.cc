#include "runner/backtest.h"

#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/status.h"
#include "core/version.h"
#include "runner/output_set.h"
#include "runner/series.h"
#include "runner/sources.h"

namespace tapedeck::runner {
namespace {

absl::StatusOr<RunResult> Run(const RunConfig& config, const StrategySpec& spec,
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
  return r;
}

// The output set of options.out_dir (nullptr without one).
absl::StatusOr<std::unique_ptr<OutputSet>> BeginOutputs(const RunOptions& options) {
  if (options.out_dir.empty()) return std::unique_ptr<OutputSet>();
  return OutputSet::Begin(options.out_dir);
}

absl::Status CommitOutputs(const RunOptions& options, OutputSet* set) {
  if (set == nullptr) return absl::OkStatus();
  if (options.before_commit) TAPEDECK_RETURN_IF_ERROR(options.before_commit(set->staging()));
  return set->Commit();
}

}  // namespace

absl::StatusOr<RunResult> RunBacktest(const RunConfig& config, const StrategySpec& spec,
                                      const RunOptions& options) {
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<OutputSet> set, BeginOutputs(options));
  TAPEDECK_ASSIGN_OR_RETURN(RunResult r,
                            Run(config, spec, options, set ? set->staging() : std::string()));
  TAPEDECK_RETURN_IF_ERROR(CommitOutputs(options, set.get()));
  return r;
}

absl::StatusOr<std::vector<RunResult>> RunBacktests(const RunConfig& config,
                                                    const RunOptions& options) {
  // A failure anywhere leaves the output folder as it was: the staging folder is dropped.
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<OutputSet> set, BeginOutputs(options));
  std::vector<RunResult> results;
  for (const StrategySpec& spec : config.strategies) {
    const std::string dir =
        set ? absl::StrCat(set->staging(), "/", spec.label) : std::string();
    TAPEDECK_ASSIGN_OR_RETURN(RunResult r, Run(config, spec, options, dir));
    results.push_back(std::move(r));
  }
  if (set != nullptr) {
    TAPEDECK_RETURN_IF_ERROR(WriteFileAtomically(
        set->staging() + "/summary.json",
        // Strings from data files (symbols) may hold bytes that are not UTF-8: replaced.
        CombinedSummary(config, results).dump(2, ' ', false,
                                              nlohmann::json::error_handler_t::replace) +
            "\n"));
  }
  TAPEDECK_RETURN_IF_ERROR(CommitOutputs(options, set.get()));
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
