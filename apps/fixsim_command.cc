// `tapedeck fixsim --config FILE [--quiet]`: the FIX 4.4 venue simulator (adapters/fix_sim.h),
// built from a fixsim config (runner/fixsim_config.h).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "runner/progress.h"
#include "runner/fixsim_config.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck fixsim --config FILE [--quiet]\n"
    "\n"
    "A FIX 4.4 acceptor that replays the config's sources (files, tapes, the scenario) to the\n"
    "sessions that subscribe with MarketDataRequest, matches their orders with the backtester's\n"
    "SimVenue (the config's \"venue\" queue model) and answers with ExecutionReports. It listens\n"
    "on fix.host (default 127.0.0.1; \"0.0.0.0\" for every interface), admits only the\n"
    "configured fix.sessions (comp ids, and Logon password where configured), replays at\n"
    "fix.pace (\"fast\", \"realtime\" or \"<k>x\"), signals the end of data with\n"
    "TradingSessionStatus (closed), lingers for fix.linger, then exits. The config is a run\n"
    "config's seed, instruments, sources, venue, account and window with a \"fix\" section:\n"
    "see configs/fixsim_feb5.json and docs/fix.md.\n"
    "\n"
    "  --config FILE   the fixsim config (required; its input paths are read from its folder)\n"
    "  --quiet         no progress line on stderr\n"
    "  --plugin PATH   load a latency/queue model plugin first (repeatable; also\n"
    "                  TAPEDECK_PLUGIN_PATH and the config's \"plugins\"; docs/plugins.md)\n"
    "\n"
    "Exit status: 0 on success, 1 on a bad config or a failure, 2 on a bad command line.\n";

std::atomic<bool> g_interrupt{false};
void OnSignal(int) { g_interrupt.store(true); }

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck fixsim: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

}  // namespace

int FixsimMain(int argc, char** argv) {
  std::string config_path;
  bool quiet = false;
  CommandLine cli("fixsim", kUsage);
  std::vector<std::string> plugins;
  cli.Value("--config", &config_path).Flag("--quiet", &quiet).Values("--plugin", &plugins);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (config_path.empty()) return cli.Fail("--config is required");
  if (int rc = LoadCommandPlugins("fixsim", plugins); rc >= 0) return rc;
  absl::StatusOr<runner::FixsimRunConfig> config = runner::LoadFixsimConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  absl::StatusOr<std::unique_ptr<adapters::FixSim>> sim = runner::BuildFixSim(*config);
  if (!sim.ok()) return Fail(sim.status());
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::function<void(const std::string&)> progress;
  if (!quiet && runner::ProgressWanted()) {
    progress = [](const std::string& line) { std::fprintf(stderr, "\r%s   ", line.c_str()); };
  }
  const absl::Status st = (*sim)->Run(&g_interrupt, progress);
  if (!quiet && runner::ProgressWanted()) std::fputc('\n', stderr);
  if (!st.ok()) return Fail(st);
  const adapters::FixSimStats s = (*sim)->stats();
  std::fprintf(stderr,
               "fixsim: %llu events, %llu market messages, %llu orders, %llu fills, %llu rejects, "
               "%llu refused logons\n",
               static_cast<unsigned long long>(s.events),
               static_cast<unsigned long long>(s.market_messages),
               static_cast<unsigned long long>(s.orders), static_cast<unsigned long long>(s.fills),
               static_cast<unsigned long long>(s.rejects),
               static_cast<unsigned long long>(s.refused_logons));
  return kExitOk;
}

}  // namespace tapedeck::apps
