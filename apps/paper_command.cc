// `tapedeck paper --config FILE [--out DIR] [--duration D] [--quiet]`: paper trading through a
// FIX 4.4 venue (fixsim or another) with the same strategy objects as `run`.
//
// Also the replay of a paper journal (RunJournalMain), which `tapedeck run --journal FILE`
// calls: the journal carries its instruments, strategy and parameters, and the replay delivers
// its events exactly as the paper session did, so orders.csv comes out byte for byte the same.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/journal.h"
#include "adapters/paper_runner.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "runner/run_recorder.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/instrument_config.h"
#include "core/status.h"

namespace tapedeck::apps {

namespace {

constexpr char kUsage[] =
    "usage: tapedeck paper --config FILE [--out DIR] [--duration D] [--quiet]\n"
    "\n"
    "Runs the config's strategy against a FIX 4.4 venue (see configs/paper_dip_buyer.json and\n"
    "`tapedeck fixsim`) until the venue signals the end of its data (TradingSessionStatus\n"
    "closed), or for --duration (\"30s\", \"5m\"), or until Ctrl-C. Writes into DIR (default\n"
    "out/paper) the same files as `run` (summary.json with a \"paper\" section holding the\n"
    "latency histograms, orders.csv, fills.csv, equity.csv, digest.txt) and journal.tdj, the\n"
    "journal of every event the strategy processed; `tapedeck run --journal DIR/journal.tdj`\n"
    "replays it to the same orders.\n"
    "\n"
    "Exit status: 0 on success, 1 on a bad config or a failed session, 2 on a bad command line.\n";

std::atomic<bool> g_interrupt{false};
void OnSignal(int) { g_interrupt.store(true); }

void PrintLatency(const char* name, const adapters::LatencySummary& s) {
  std::fprintf(stderr, "  %-10s n=%-7llu p50 %9.3f us  p99 %9.3f us  p99.9 %9.3f us  max %9.3f us\n",
               name, static_cast<unsigned long long>(s.count), static_cast<double>(s.p50) / 1e3,
               static_cast<double>(s.p99) / 1e3, static_cast<double>(s.p999) / 1e3,
               static_cast<double>(s.max) / 1e3);
}

}  // namespace

int PaperMain(int argc, char** argv) {
  std::string config_path, out_dir = "out/paper";
  std::optional<std::string> duration_text;
  bool quiet = false;
  CommandLine cli("paper", kUsage);
  cli.Value("--config", &config_path)
      .Value("--out", &out_dir)
      .Value("--duration", &duration_text)
      .Flag("--quiet", &quiet);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (config_path.empty()) return cli.Fail("--config is required");
  Duration duration;
  if (duration_text.has_value()) {
    absl::StatusOr<Duration> d = ParseDuration(*duration_text);
    if (!d.ok() || d->ns <= 0) {
      return cli.Fail("--duration: '" + *duration_text + "' is not a positive duration");
    }
    duration = *d;
  }
  nlohmann::json doc;
  // LoadJsonFile's errors name the file (and line); the parser's name the key only.
  if (absl::Status st = LoadJsonFile(config_path, &doc); !st.ok()) {
    std::fprintf(stderr, "tapedeck paper: %s\n", std::string(st.message()).c_str());
    return kExitFailure;
  }
  absl::StatusOr<adapters::PaperConfig> config = adapters::ParsePaperConfig(doc);
  if (!config.ok()) {
    std::fprintf(stderr, "tapedeck paper: %s: %s\n", config_path.c_str(),
                 std::string(config.status().message()).c_str());
    return kExitFailure;
  }
  absl::StatusOr<std::unique_ptr<adapters::PaperRunner>> runner = adapters::PaperRunner::Create(*config);
  if (!runner.ok()) {
    std::fprintf(stderr, "tapedeck paper: %s\n", std::string(runner.status().message()).c_str());
    return kExitFailure;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  adapters::PaperOptions options;
  options.journal_path = absl::StrCat(out_dir, "/journal.tdj");
  options.duration = duration;
  options.interrupt = &g_interrupt;
  if (!quiet) {
    options.progress = [](const std::string& line) { std::fprintf(stderr, "\r%s   ", line.c_str()); };
  }
  absl::Status st = (*runner)->Run(options);
  if (!quiet) std::fputc('\n', stderr);
  if (!st.ok()) {
    std::fprintf(stderr, "tapedeck paper: %s\n", std::string(st.message()).c_str());
    return kExitFailure;
  }
  const adapters::PaperRunner& r = **runner;
  const runner::RunFacts facts{config->strategy_name, config->strategy_name, 0,
                               r.venue().stats().market_events, Timestamp(), r.context().now()};
  absl::StatusOr<runner::RunResult> written = runner::WriteFinishedRun(
      r.context(), facts, r.strategy().Report(), doc, out_dir, {{"paper", r.Report()}});
  if (!written.ok()) {
    std::fprintf(stderr, "tapedeck paper: %s\n", std::string(written.status().message()).c_str());
    return kExitFailure;
  }
  if (!quiet) {
    std::fprintf(stderr, "paper: %llu events, %llu orders, %zu fills, end of data: %s; outputs in %s\n",
                 static_cast<unsigned long long>(r.events_processed()),
                 static_cast<unsigned long long>(r.context().orders_sent()),
                 r.context().fill_log().size(), r.reached_end_of_data() ? "yes" : "no",
                 out_dir.c_str());
    PrintLatency("decision", r.decision_latency());
    PrintLatency("encoded", r.encoded_latency());
    PrintLatency("send", r.send_latency());
    PrintLatency("round trip", r.round_trip_latency());
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
