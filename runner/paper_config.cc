#include "runner/paper_config.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "runner/output_set.h"

namespace tapedeck::runner {
namespace {

constexpr char kMode[] = "paper";

// Keys of the FIX session (adapters/fix_session_config.h, fix_venue.h): under "venue", they are
// a paper config of the older shape.
constexpr const char* kSessionKeys[] = {
    "host",     "port",     "sender_comp_id",       "target_comp_id", "heartbeat_s",
    "store",    "reset_on_logon", "dictionary",     "username",       "password",
    "reconnect_interval_s", "log", "tls", "symbols", "market_depth", "queue_capacity",
    "clordid_prefix"};

// Keys of the older paper shape, and the keys of the run schema that a paper session cannot
// honour.
absl::Status CheckShape(ConfigObject& root) {
  TAPEDECK_RETURN_IF_ERROR(MovedKey(root, "initial_cash", "account.initial_cash"));
  TAPEDECK_RETURN_IF_ERROR(MovedKey(
      root, "strategy", "\"strategies\": [{\"name\": ..., \"params\": ...}], as in a run config"));
  for (const char* key : {"clock", "journal_flush", "drain"}) {
    TAPEDECK_RETURN_IF_ERROR(MovedKey(root, key, absl::StrCat("fix.", key)));
  }
  if (root.Has("venue")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject venue, root.Object("venue"));
    for (const char* key : kSessionKeys) {
      TAPEDECK_RETURN_IF_ERROR(MovedKey(venue, key, absl::StrCat("fix.", key)));
    }
  }
  TAPEDECK_RETURN_IF_ERROR(RefuseKey(
      root, "venue", kMode,
      "the FIX counterparty is the venue (its session keys go in \"fix\"); nothing is simulated"));
  TAPEDECK_RETURN_IF_ERROR(RefuseKey(root, "sources", kMode, "market data comes from the FIX venue"));
  TAPEDECK_RETURN_IF_ERROR(RefuseKey(root, "window", kMode,
                                     "the session trades the market data as the venue sends it"));
  TAPEDECK_RETURN_IF_ERROR(RefuseKey(
      root, "seed", kMode, "nothing in a paper session is drawn at random (no generated data, "
                           "no simulated latency)"));
  if (root.Has("output")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject output, root.Object("output"));
    TAPEDECK_RETURN_IF_ERROR(
        RefuseKey(output, "equity_interval", kMode, "a paper session samples no equity curve"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PaperRunConfig> ParsePaperConfig(const nlohmann::json& doc,
                                                const std::string& origin) {
  PaperRunConfig c;
  RunConfig& rc = c.run;
  rc.document = doc;
  rc.origin = origin;
  rc.inputs.base_dir = InputBaseDir(origin);
  rc.out_dir = "out/paper";
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject root, ConfigObject::Of(&doc, ""));
  root.set_inputs(&rc.inputs);
  TAPEDECK_RETURN_IF_ERROR(CheckShape(root));
  TAPEDECK_RETURN_IF_ERROR(section::Plugins(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Instruments(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Account(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Strategies(root, &rc));
  if (rc.strategies.size() != 1) {
    return root.Error("strategies",
                      absl::StrCat("a paper session trades one strategy; this config has ",
                                   rc.strategies.size(), " (run one session for each)"));
  }
  TAPEDECK_RETURN_IF_ERROR(section::Output(root, &rc));
  {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject fix, root.Object("fix", /*required=*/true));
    TAPEDECK_RETURN_IF_ERROR(adapters::ParsePaperSection(fix, &c.paper));
  }
  TAPEDECK_RETURN_IF_ERROR(root.Finish());
  c.paper.instruments = rc.instruments;
  c.paper.initial_cash = rc.engine.initial_cash;
  c.paper.strategy_name = rc.strategies[0].name;
  c.paper.strategy_params = rc.strategies[0].params;
  return c;
}

absl::StatusOr<PaperRunConfig> LoadPaperConfig(const std::string& path) {
  return LoadConfigFile<PaperRunConfig>(
      path, [&](const nlohmann::json& doc) { return ParsePaperConfig(doc, path); });
}

absl::StatusOr<std::unique_ptr<adapters::PaperRunner>> BuildPaperRunner(
    const PaperRunConfig& config) {
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<Strategy> strategy,
                            BuildStrategy(config.run.strategies[0], config.paper.instruments));
  return adapters::PaperRunner::Create(config.paper, std::move(strategy));
}

absl::StatusOr<PaperRunResult> RunPaper(const PaperRunConfig& config,
                                        const PaperRunOptions& options) {
  PaperRunResult r;
  TAPEDECK_ASSIGN_OR_RETURN(r.session, BuildPaperRunner(config));
  // The journal is written into the output folder as the session goes; the other outputs join
  // it, with the completion marker, when the session ends (runner/output_set.h).
  TAPEDECK_RETURN_IF_ERROR(PrepareLiveOutputDir(options.out_dir, "journal.tdj"));
  adapters::PaperOptions paper;
  paper.journal_path = absl::StrCat(options.out_dir, "/journal.tdj");
  paper.duration = options.duration;
  paper.interrupt = options.interrupt;
  paper.progress = options.progress;
  TAPEDECK_RETURN_IF_ERROR(r.session->Run(paper));

  const adapters::PaperRunner& s = *r.session;
  const StrategySpec& spec = config.run.strategies[0];
  const RunFacts facts{spec.name, spec.label, 0, s.venue().stats().market_events, Timestamp(),
                       s.context().now()};
  TAPEDECK_ASSIGN_OR_RETURN(r.run, WriteFinishedRun(s.host(), facts, s.strategy(),
                                                    config.run.document, options.out_dir,
                                                    {{"paper", s.Report()}}, {"journal.tdj"}));
  r.run.spec = spec;
  return r;
}

}  // namespace tapedeck::runner
