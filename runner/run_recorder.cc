#include "runner/run_recorder.h"

#include <utility>

#include "core/status.h"
#include "runner/csv_tables.h"
#include "runner/output_set.h"

namespace tapedeck::runner {

absl::StatusOr<std::unique_ptr<RunRecorder>> RunRecorder::Create(
    const InstrumentTable& instruments, const Options& options) {
  std::unique_ptr<RunRecorder> r(new RunRecorder());
  TAPEDECK_ASSIGN_OR_RETURN(r->writer_,
                            OutputWriter::Open(options.out_dir, instruments, options.prices));
  r->fan_out_.Add(r->writer_.get());
  r->fan_out_.Add(&r->metrics_);
  if (options.keep_records) {
    r->keeper_ = std::make_shared<CollectingSink>();
    r->fan_out_.Add(r->keeper_.get());
  }
  r->fan_out_.Add(options.extra);
  return r;
}

SeriesRecorder::SampleSink RunRecorder::sample_sink() {
  OutputWriter* w = writer_.get();
  return [w](const SeriesSample& s) { w->OnSample(s); };
}

absl::StatusOr<RunResult> RunRecorder::Finish(const Context& ctx, const RunFacts& facts,
                                              const Strategy& strategy,
                                              const nlohmann::json& config,
                                              const nlohmann::json& summary_extra) {
  RunResult r;
  r.facts = facts;
  r.strategy_report = strategy.Report();
  r.sections = strategy.Sections();
  TAPEDECK_ASSIGN_OR_RETURN(r.digests, writer_->FinishTables());
  r.totals = metrics_.Totals(ctx, facts);
  r.metrics = metrics_.Compute(ctx, facts);
  r.summary = metrics_.Summary(ctx, facts, r.metrics, r.digests, r.strategy_report, r.sections,
                               config);
  for (const auto& [key, value] : summary_extra.items()) r.summary[key] = value;
  TAPEDECK_RETURN_IF_ERROR(writer_->FinishFiles(
      RenderRoundTripsCsv(ctx.instruments(), r.metrics.trips), r.summary));
  r.records = std::move(keeper_);
  return r;
}

absl::StatusOr<RunResult> WriteFinishedRun(const StrategyHost& host, const RunFacts& facts,
                                           const Strategy& strategy,
                                           const nlohmann::json& config,
                                           const std::string& out_dir,
                                           const nlohmann::json& summary_extra,
                                           std::vector<std::string> adopt) {
  const Context& ctx = host.context();
  std::unique_ptr<OutputSet> set;
  RunRecorder::Options options;
  if (!out_dir.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(set, OutputSet::Begin(out_dir, std::move(adopt)));
    options.out_dir = set->staging();
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<RunRecorder> recorder,
                            RunRecorder::Create(ctx.instruments(), options));
  SendRecords(host.records(), recorder->sink());
  TAPEDECK_ASSIGN_OR_RETURN(RunResult r,
                            recorder->Finish(ctx, facts, strategy, config, summary_extra));
  if (set != nullptr) TAPEDECK_RETURN_IF_ERROR(set->Commit());
  return r;
}

}  // namespace tapedeck::runner
