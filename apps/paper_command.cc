// `tapedeck paper --config FILE [--out DIR] [--duration D] [--quiet]`: paper trading through a
// FIX 4.4 venue (fixsim or another) with the same strategy objects as `run`, from a paper
// config (runner/paper_config.h).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "runner/progress.h"
#include "core/config.h"
#include "runner/paper_config.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck paper --config FILE [--out DIR] [--duration D] [--quiet]\n"
    "\n"
    "Runs the config's strategy against a FIX 4.4 venue (see configs/paper_dip_buyer.json and\n"
    "`tapedeck fixsim`) until the venue signals the end of its data (TradingSessionStatus\n"
    "closed), or for --duration (\"30s\", \"5m\"), or until Ctrl-C. The config is a run\n"
    "config's instruments, account, one strategy and output with a \"fix\" section (the\n"
    "session, \"clock\", \"journal_flush\", \"drain\"). Writes into DIR (default: the config's\n"
    "output.dir, else out/paper) the files of `run` but prices.csv and the report: summary.json\n"
    "(with a \"paper\" section holding the latency histograms), orders.csv, fills.csv,\n"
    "equity.csv, round_trips.csv, account.csv, digest.txt, and journal.tdj, the journal of every\n"
    "event the strategy processed; `tapedeck run --journal DIR/journal.tdj` replays it to the\n"
    "same orders. docs/fix.md describes sessions, clocks and the journal.\n"
    "\n"
    "  --config FILE   the paper config (required; its input paths are read from its folder)\n"
    "  --out DIR       output directory (default: the config's output.dir, else out/paper)\n"
    "  --duration D    stop after D of wall time (a duration with a unit: 30s, 5m, 2h)\n"
    "  --quiet         no progress line and no latency summary\n"
    "  --plugin PATH   load a strategy plugin first (repeatable; also TAPEDECK_PLUGIN_PATH and\n"
    "                  the config's \"plugins\"; docs/plugins.md)\n"
    "\n"
    "Exit status: 0 on success, 1 on a bad config or a failed session, 2 on a bad command line.\n";

std::atomic<bool> g_interrupt{false};
void OnSignal(int) { g_interrupt.store(true); }

void PrintLatency(const char* name, const adapters::LatencySummary& s) {
  std::fprintf(stderr,
               "  %-10s n=%-7llu p50 %9.3f us  p99 %9.3f us  p99.9 %9.3f us  max %9.3f us\n", name,
               static_cast<unsigned long long>(s.count), static_cast<double>(s.p50) / 1e3,
               static_cast<double>(s.p99) / 1e3, static_cast<double>(s.p999) / 1e3,
               static_cast<double>(s.max) / 1e3);
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck paper: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

}  // namespace

int PaperMain(int argc, char** argv) {
  std::string config_path;
  std::optional<std::string> out_dir, duration_text;
  std::vector<std::string> plugins;
  bool quiet = false;
  CommandLine cli("paper", kUsage);
  cli.Value("--config", &config_path)
      .Value("--out", &out_dir)
      .Value("--duration", &duration_text)
      .Flag("--quiet", &quiet)
      .Values("--plugin", &plugins);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (config_path.empty()) return cli.Fail("--config is required");
  if (int rc = LoadCommandPlugins("paper", plugins); rc >= 0) return rc;
  runner::PaperRunOptions options;
  if (duration_text.has_value()) {
    absl::StatusOr<Duration> d = ParseDuration(*duration_text);
    if (!d.ok()) return cli.Fail("--duration: " + std::string(d.status().message()));
    if (d->ns <= 0) return cli.Fail("--duration: must be more than 0");
    options.duration = *d;
  }
  absl::StatusOr<runner::PaperRunConfig> config = runner::LoadPaperConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  options.out_dir = out_dir.value_or(config->run.out_dir);
  options.interrupt = &g_interrupt;
  if (!quiet && runner::ProgressWanted()) {
    options.progress = [](const std::string& line) {
      std::fprintf(stderr, "\r%s   ", line.c_str());
    };
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  absl::StatusOr<runner::PaperRunResult> r = runner::RunPaper(*config, options);
  if (!quiet && runner::ProgressWanted()) std::fputc('\n', stderr);
  if (!r.ok()) return Fail(r.status());
  if (!quiet) {
    const adapters::PaperRunner& s = *r->session;
    std::fprintf(stderr,
                 "paper: %llu events, %llu orders, %zu fills, end of data: %s; outputs in %s\n",
                 static_cast<unsigned long long>(s.events_processed()),
                 static_cast<unsigned long long>(s.context().orders_sent()),
                 s.records().fill_log().size(), s.reached_end_of_data() ? "yes" : "no",
                 options.out_dir.c_str());
    PrintLatency("decision", s.decision_latency());
    PrintLatency("encoded", s.encoded_latency());
    PrintLatency("send", s.send_latency());
    PrintLatency("round trip", s.round_trip_latency());
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
