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
#include "runner/outputs.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/instrument_config.h"
#include "core/status.h"

namespace tapedeck::apps {

using runner::RenderOutputs;
using runner::RunFacts;
using runner::RunOutputs;
using runner::WriteOutputs;
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
  RunFacts facts{config->strategy_name, config->strategy_name, 0, r.venue().stats().market_events,
                 Timestamp(), r.context().now()};
  RunOutputs out = RenderOutputs(r.context(), {}, facts, r.strategy(), doc);
  out.summary["paper"] = r.Report();
  st = WriteOutputs(out_dir, out);
  if (!st.ok()) {
    std::fprintf(stderr, "tapedeck paper: %s\n", std::string(st.message()).c_str());
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

int RunJournalMain(const std::string& journal_path, const std::string& out_dir, bool quiet) {
  absl::StatusOr<adapters::JournalContents> j = adapters::ReadJournal(journal_path);
  if (!j.ok()) {
    std::fprintf(stderr, "tapedeck run: %s\n", std::string(j.status().message()).c_str());
    return kExitFailure;
  }
  const nlohmann::json& meta = j->meta;
  if (!meta.contains("instruments") || !meta.contains("strategy") || !meta.contains("initial_cash")) {
    std::fprintf(stderr, "tapedeck run: %s: journal header lacks instruments or strategy\n",
                 journal_path.c_str());
    return kExitFailure;
  }
  nlohmann::json holder = {{"instruments", meta["instruments"]}};
  ConfigObject obj(&holder, "journal");
  absl::StatusOr<InstrumentTable> instruments = ParseInstruments(obj, "instruments");
  absl::StatusOr<int64_t> cash = ParseDecimal(meta["initial_cash"].get<std::string>(), Money::kScale);
  if (!instruments.ok() || !cash.ok()) {
    std::fprintf(stderr, "tapedeck run: %s: bad journal header: %s\n", journal_path.c_str(),
                 std::string((!instruments.ok() ? instruments.status() : cash.status()).message()).c_str());
    return kExitFailure;
  }
  const std::string name = meta["strategy"].value("name", "");
  absl::StatusOr<std::unique_ptr<Strategy>> strategy =
      adapters::MakeStrategy(name, meta["strategy"].value("params", nlohmann::json::object()), *instruments);
  if (!strategy.ok()) {
    std::fprintf(stderr, "tapedeck run: %s: %s\n", journal_path.c_str(),
                 std::string(strategy.status().message()).c_str());
    return kExitFailure;
  }
  adapters::JournalReplay replay(*instruments, Money(*cash));
  replay.Run(*j, **strategy);
  uint64_t market = 0;
  for (const Event& e : j->events) market += IsMarketData(e.kind) ? 1u : 0u;
  RunFacts facts{name, name, 0, market, Timestamp(), replay.context().now()};
  nlohmann::json config = {{"journal", journal_path}, {"strategy", meta["strategy"]}};
  RunOutputs out = RenderOutputs(replay.context(), {}, facts, **strategy, config);
  absl::Status st = WriteOutputs(out_dir, out);
  if (!st.ok()) {
    std::fprintf(stderr, "tapedeck run: %s\n", std::string(st.message()).c_str());
    return kExitFailure;
  }
  if (!quiet) {
    std::fprintf(stderr, "replayed %zu journal events%s: %llu orders, %zu fills; outputs in %s\n",
                 j->events.size(), j->torn_bytes > 0 ? " (torn tail ignored)" : "",
                 static_cast<unsigned long long>(replay.context().orders_sent()),
                 replay.context().fill_log().size(), out_dir.c_str());
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
