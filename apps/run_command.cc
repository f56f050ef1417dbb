// `tapedeck run [CONFIG.json] [--out DIR] [--seed N] [--quiet] [--json]`
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "runner/outputs.h"
#include "apps/report.h"
#include "runner/run_config.h"
#include "runner/backtest.h"
#include "runner/series.h"
#include "core/decimal.h"
#include "core/engine.h"
#include "core/merger.h"
#include "core/status.h"
#include "replay/source_factory.h"
#include "strategies/registry.h"

namespace tapedeck::apps {

using runner::LoadRunConfig;
using runner::ParseRunConfig;
using runner::RunConfig;
using runner::RunOne;
using runner::StrategyResult;
using runner::StrategySpec;
using runner::WriteFileAtomically;
using runner::WriteOutputs;
namespace {

constexpr char kUsage[] =
    "usage: tapedeck run [CONFIG.json] [--out DIR] [--seed N] [--quiet] [--json]\n"
    "       tapedeck run --journal FILE [--out DIR] [--quiet]\n"
    "\n"
    "Backtests every strategy of the run config on its sources and writes, for each strategy,\n"
    "DIR/<label>/{summary.json,orders.csv,fills.csv,equity.csv,prices.csv,round_trips.csv,\n"
    "digest.txt,report.html}, and DIR/summary.json with all of them and DIR/report.html, an index\n"
    "comparing them (docs/outputs.md describes every file and field). Without CONFIG it runs\n"
    "the built-in default: the 2026-02-05 deleveraging scenario with the basis_reentry and\n"
    "dip_buyer strategies. A progress line (events, %, events/s, ETA) goes to stderr when stderr\n"
    "is a terminal and the run takes more than a second.\n"
    "\n"
    "  CONFIG        a run config (see configs/ and the README); default: the built-in one\n"
    "  --out DIR     output directory (default: the config's output.dir, else out/run)\n"
    "  --seed N      the run seed; overrides the config's \"seed\"\n"
    "  --quiet       print nothing but errors\n"
    "  --json        print DIR/summary.json to stdout instead of the table\n"
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

void PrintTable(const std::vector<StrategyResult>& results, const std::string& out_dir) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rows = {
      {"strategy", {}}, {"events", {}},   {"orders", {}},  {"fills", {}},
      {"pnl", {}},      {"fees", {}},     {"final equity", {}}, {"wall time", {}},
      {"events/s", {}}, {"digest", {}},
      // Key metrics (summary.json "metrics"; docs/outputs.md).
      {"return", {}}, {"max drawdown", {}}, {"sharpe", {}}, {"round trips", {}},
      {"win rate", {}}};
  for (const StrategyResult& r : results) {
    const nlohmann::json& s = r.outputs.summary;
    auto money = [](const nlohmann::json& v) {
      // Two decimals for the table; the files keep all eight.
      const std::string t = v.get<std::string>();
      const size_t dot = t.find('.');
      return dot == std::string::npos ? t : t.substr(0, dot + 3);
    };
    rows[0].second.push_back(r.spec.label);
    rows[1].second.push_back(absl::StrCat(r.events));
    rows[2].second.push_back(absl::StrCat(s["orders"].get<uint64_t>()));
    rows[3].second.push_back(absl::StrCat(s["fills"].get<uint64_t>()));
    rows[4].second.push_back(money(s["pnl"]));
    rows[5].second.push_back(money(s["fees"]));
    rows[6].second.push_back(money(s["final_equity"]));
    rows[7].second.push_back(absl::StrFormat("%.3f s", r.wall_seconds));
    rows[8].second.push_back(absl::StrFormat(
        "%.2fM", r.wall_seconds > 0 ? static_cast<double>(r.events) / r.wall_seconds / 1e6 : 0.0));
    rows[9].second.push_back(r.outputs.digest);
    const nlohmann::json& m = s["metrics"];
    rows[10].second.push_back(FormatMetric(m["total_return"], "pct"));
    rows[11].second.push_back(FormatMetric(m["max_drawdown"]["fraction"], "pct"));
    rows[12].second.push_back(FormatMetric(m["sharpe"], "num"));
    rows[13].second.push_back(FormatMetric(m["round_trips"], "int"));
    rows[14].second.push_back(FormatMetric(m["win_rate"], "pct"));
  }
  // Metrics first after the label, then the run's facts.
  std::rotate(rows.begin() + 4, rows.begin() + 10, rows.end());
  size_t w0 = 0;
  for (const auto& row : rows) w0 = std::max(w0, row.first.size());
  std::vector<size_t> widths(results.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.second.size(); ++i) widths[i] = std::max(widths[i], row.second[i].size());
  }
  for (const auto& row : rows) {
    std::string line = absl::StrFormat("%-*s", static_cast<int>(w0), row.first);
    for (size_t i = 0; i < row.second.size(); ++i) {
      absl::StrAppend(&line, "  ", absl::StrFormat("%*s", static_cast<int>(widths[i]), row.second[i]));
    }
    std::printf("%s\n", line.c_str());
  }
  std::printf("outputs in %s/ (report: %s/report.html)\n", out_dir.c_str(), out_dir.c_str());
}

}  // namespace

int RunMain(int argc, char** argv) {
  Options opt;
  std::vector<std::string> configs;
  CommandLine cli("run", kUsage);
  cli.Value("--out", &opt.out_dir)
      .Count("--seed", &opt.seed)
      .Flag("--quiet", &opt.quiet)
      .Flag("--json", &opt.json)
      .Value("--journal", &opt.journal_path)
      .Positionals(&configs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (configs.size() > 1) return cli.Fail("more than one config given ('" + configs[1] + "')");
  if (!configs.empty()) opt.config_path = configs[0];
  if (!opt.journal_path.empty()) {
    if (!opt.config_path.empty()) {
      std::fprintf(stderr, "tapedeck run: --journal replays the journal's own config; drop '%s'\n",
                   opt.config_path.c_str());
      return kExitUsage;
    }
    return RunJournalMain(opt.journal_path, opt.out_dir.value_or("out/journal"), opt.quiet);
  }

  absl::StatusOr<RunConfig> config;
  if (opt.config_path.empty()) {
    nlohmann::json doc = nlohmann::json::parse(DefaultConfigJson());
    config = ParseRunConfig(doc, "<built-in default>", opt.seed);
    if (!config.ok()) {
      config = absl::Status(config.status().code(),
                            absl::StrCat("<built-in default>: ", config.status().message()));
    }
  } else {
    config = LoadRunConfig(opt.config_path, opt.seed);
  }
  if (!config.ok()) {
    std::fprintf(stderr, "tapedeck run: %s\n", std::string(config.status().message()).c_str());
    return kExitFailure;
  }
  if (!config->seed.has_value()) {
    std::fprintf(stderr, "tapedeck run: %s: seed: required (in the config, or --seed N)\n",
                 config->origin.c_str());
    return kExitFailure;
  }
  const std::string out_dir = opt.out_dir.value_or(config->out_dir);

  // Every strategy runs first; outputs are written only when all succeeded.
  std::vector<StrategyResult> results;
  for (const StrategySpec& spec : config->strategies) {
    absl::StatusOr<StrategyResult> r = RunOne(*config, spec, opt.quiet);
    if (!r.ok()) {
      std::fprintf(stderr, "tapedeck run: %s\n", std::string(r.status().message()).c_str());
      return kExitFailure;
    }
    results.push_back(std::move(*r));
  }

  nlohmann::json combined = {{"schema", "tapedeck.run/1"},
                             {"seed", *config->seed},
                             {"strategies", nlohmann::json::array()}};
  for (const StrategyResult& r : results) {
    absl::Status s = WriteOutputs(absl::StrCat(out_dir, "/", r.spec.label), r.outputs);
    if (!s.ok()) {
      std::fprintf(stderr, "tapedeck run: %s\n", std::string(s.message()).c_str());
      return kExitFailure;
    }
    nlohmann::json one = r.outputs.summary;
    one.erase("config");
    combined["strategies"].push_back(one);
  }
  combined["config"] = config->document;
  if (absl::Status s = WriteFileAtomically(out_dir + "/summary.json", combined.dump(2) + "\n");
      !s.ok()) {
    std::fprintf(stderr, "tapedeck run: %s\n", std::string(s.message()).c_str());
    return kExitFailure;
  }
  // The HTML reports, from the files just written (as `tapedeck report DIR` rebuilds them).
  std::vector<std::string> reports;
  if (absl::Status s = WriteReports(out_dir, &reports); !s.ok()) {
    std::fprintf(stderr, "tapedeck run: %s\n", std::string(s.message()).c_str());
    return kExitFailure;
  }
  if (opt.json) {
    std::printf("%s\n", combined.dump(2).c_str());
  } else if (!opt.quiet) {
    PrintTable(results, out_dir);
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
