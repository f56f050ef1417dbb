// `tapedeck run [CONFIG.json] [--out DIR] [--seed N] [--quiet] [--json]`
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "analysis/html.h"
#include "analysis/report.h"
#include "analysis/run_text.h"
#include "apps/commands.h"
#include "core/status.h"
#include "runner/backtest.h"
#include "runner/journal.h"
#include "runner/output_set.h"
#include "runner/progress.h"
#include "runner/run_config.h"

namespace tapedeck::apps {
namespace {

using runner::RunResult;

constexpr char kUsage[] =
    "usage: tapedeck run [CONFIG.json] [--out DIR] [--seed N] [--quiet] [--json] [--plugin P]\n"
    "       tapedeck run --journal FILE [--out DIR] [--quiet]\n"
    "\n"
    "Backtests every strategy of the run config on its sources and writes, for each strategy,\n"
    "DIR/<label>/{summary.json,orders.csv,fills.csv,equity.csv,prices.csv,round_trips.csv,\n"
    "account.csv,digest.txt,report.html}, and DIR/summary.json with all of them and\n"
    "DIR/report.html, an index comparing them (docs/outputs.md describes every file and field).\n"
    "Without CONFIG it runs the built-in default (configs/default.json): the 2026-02-05\n"
    "deleveraging scenario with the basis_reentry and dip_buyer strategies. A progress line\n"
    "(events done of total, %, events/s, elapsed, ETA) goes to stderr when it is a terminal\n"
    "(never into pipes, files or CI logs).\n"
    "\n"
    "  CONFIG        a run config (docs/config.md; examples in configs/); default: the built-in\n"
    "                one. Its input paths are read from its own folder.\n"
    "  --out DIR     output directory (default: the config's output.dir, else out/run); both\n"
    "                are relative to the working directory\n"
    "  --seed N      the run seed; overrides the config's \"seed\"\n"
    "  --quiet       print nothing but errors\n"
    "  --json        print DIR/summary.json to stdout instead of the table\n"
    "  --plugin PATH load a strategy/model plugin first (repeatable; also TAPEDECK_PLUGIN_PATH\n"
    "                and the config's \"plugins\"; docs/plugins.md)\n"
    "  --journal F   replay a paper-trading journal (written by `tapedeck paper`) through the\n"
    "                strategy it recorded; its orders.csv equals the paper session's byte for byte\n"
    "  -h, --help    this help\n"
    "\n"
    "Same config, data and seed give byte-identical outputs. Exit status: 0 on success,\n"
    "1 on bad input or config (the message names the file and line, or the key), 2 on a bad\n"
    "command line.\n";

struct Options {
  std::string config_path;
  std::optional<std::string> out_dir;
  std::optional<uint64_t> seed;
  std::string journal_path;
  bool quiet = false;
  bool json = false;
};

// The progress line of each strategy's run (runner/progress.h), on a terminal only.
class Progress {
 public:
  explicit Progress(bool enabled) : line_("", runner::ProgressUnit::Count("events"), enabled) {}
  void Update(const runner::StrategySpec& spec, uint64_t events, int64_t total) {
    if (!line_.active()) return;
    if (spec.label != label_) {
      label_ = spec.label;
      line_.Restart(label_);
    }
    line_.Update(events, total > 0 ? static_cast<uint64_t>(total) : 0);
  }
  void Clear() { line_.Clear(); }

 private:
  runner::ProgressLine line_;
  std::string label_;
};

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck run: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

absl::StatusOr<runner::RunConfig> LoadConfig(const Options& opt) {
  if (!opt.config_path.empty()) return runner::LoadRunConfig(opt.config_path, opt.seed);
  return runner::ParseRunConfigText(DefaultConfigJson(), "<built-in default>", opt.seed);
}

int ReplayJournal(const Options& opt) {
  absl::StatusOr<runner::JournalReplayResult> r =
      runner::ReplayJournal(opt.journal_path, opt.out_dir.value_or("out/journal"));
  if (!r.ok()) return Fail(r.status());
  if (!opt.quiet) {
    std::fprintf(stderr, "%s",
                 analysis::JournalReplayText(*r, opt.out_dir.value_or("out/journal")).c_str());
  }
  return kExitOk;
}

}  // namespace

int RunMain(int argc, char** argv) {
  Options opt;
  std::vector<std::string> configs, plugins;
  CommandLine cli("run", kUsage);
  cli.Value("--out", &opt.out_dir)
      .Count("--seed", &opt.seed)
      .Flag("--quiet", &opt.quiet)
      .Flag("--json", &opt.json)
      .Value("--journal", &opt.journal_path)
      .Values("--plugin", &plugins)
      .Positionals(&configs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (int rc = LoadCommandPlugins("run", plugins); rc >= 0) return rc;
  if (configs.size() > 1) return cli.Fail("more than one config given ('" + configs[1] + "')");
  if (!configs.empty()) opt.config_path = configs[0];
  if (!opt.journal_path.empty()) {
    if (!opt.config_path.empty()) {
      std::fprintf(stderr, "tapedeck run: --journal replays the journal's own config; drop '%s'\n",
                   opt.config_path.c_str());
      return kExitUsage;
    }
    return ReplayJournal(opt);
  }

  absl::StatusOr<runner::RunConfig> config = LoadConfig(opt);
  if (!config.ok()) return Fail(config.status());
  if (!config->seed.has_value()) {
    std::fprintf(stderr, "tapedeck run: %s: seed: required (in the config, or --seed N)\n",
                 config->origin.c_str());
    return kExitFailure;
  }
  runner::RunOptions options;
  options.out_dir = opt.out_dir.value_or(config->out_dir);
  Progress progress(!opt.quiet);
  options.progress = [&progress](const runner::StrategySpec& spec, uint64_t n, int64_t total) {
    progress.Update(spec, n, total);
  };
  // The HTML reports, from the files just written (as `tapedeck report DIR` rebuilds them), are
  // part of the output set: the folder is replaced with everything in it, or not at all.
  std::vector<std::string> reports;
  options.before_commit = [&reports, &options](const std::string& staging) -> absl::Status {
    TAPEDECK_RETURN_IF_ERROR(analysis::WriteReports(staging, &reports));
    // The reports list their folders: they name the output folder, not the staging folder that
    // becomes it (as text and HTML-escaped).
    for (const std::string& report : reports) {
      TAPEDECK_RETURN_IF_ERROR(runner::ReplaceInFile(report, staging, options.out_dir));
      TAPEDECK_RETURN_IF_ERROR(runner::ReplaceInFile(report, analysis::HtmlEscape(staging),
                                                     analysis::HtmlEscape(options.out_dir)));
    }
    return absl::OkStatus();
  };
  // Every strategy runs first; outputs are in place only when all succeeded.
  absl::StatusOr<std::vector<RunResult>> results = runner::RunBacktests(*config, options);
  progress.Clear();
  if (!results.ok()) return Fail(results.status());
  if (opt.json) {
    std::printf("%s\n", runner::CombinedSummary(*config, *results).dump(2).c_str());
  } else if (!opt.quiet) {
    std::printf("%s", analysis::RunTableText(*results, options.out_dir).c_str());
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
