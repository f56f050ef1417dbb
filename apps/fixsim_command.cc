// `tapedeck fixsim --config FILE [--quiet]`: the FIX 4.4 venue simulator (adapters/fix_sim.h).
#include <csignal>
#include <cstdio>
#include <string>

#include "adapters/fix_sim.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "core/config.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck fixsim --config FILE [--quiet]\n"
    "\n"
    "A FIX 4.4 acceptor that replays the config's sources (files, tapes, the scenario) to the\n"
    "sessions that subscribe with MarketDataRequest, matches their orders with the backtester's\n"
    "SimVenue and answers with ExecutionReports. It listens on fix.host (default 127.0.0.1;\n"
    "\"0.0.0.0\" for every interface), admits only the configured sessions (comp ids, and\n"
    "Logon password where configured), replays \"fast\", in \"realtime\" or at \"<k>x\",\n"
    "signals the end of data with TradingSessionStatus (closed), lingers, then exits.\n"
    "See configs/fixsim_feb5.json. Exit status: 0 on success, 1 on a bad config or a failure,\n"
    "2 on a bad command line.\n";

std::atomic<bool> g_interrupt{false};
void OnSignal(int) { g_interrupt.store(true); }

}  // namespace

int FixsimMain(int argc, char** argv) {
  std::string config_path;
  bool quiet = false;
  CommandLine cli("fixsim", kUsage);
  cli.Value("--config", &config_path).Flag("--quiet", &quiet);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (config_path.empty()) return cli.Fail("--config is required");
  nlohmann::json doc;
  // LoadJsonFile's errors name the file (and line); the parser's name the key only.
  if (absl::Status st = LoadJsonFile(config_path, &doc); !st.ok()) {
    std::fprintf(stderr, "tapedeck fixsim: %s\n", std::string(st.message()).c_str());
    return kExitFailure;
  }
  absl::StatusOr<adapters::FixSimConfig> config = adapters::ParseFixSimConfig(doc);
  if (!config.ok()) {
    std::fprintf(stderr, "tapedeck fixsim: %s: %s\n", config_path.c_str(),
                 std::string(config.status().message()).c_str());
    return kExitFailure;
  }
  absl::StatusOr<std::unique_ptr<adapters::FixSim>> sim = adapters::FixSim::Create(*config);
  if (!sim.ok()) {
    std::fprintf(stderr, "tapedeck fixsim: %s\n", std::string(sim.status().message()).c_str());
    return kExitFailure;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::function<void(const std::string&)> progress;
  if (!quiet) progress = [](const std::string& line) { std::fprintf(stderr, "\r%s   ", line.c_str()); };
  const absl::Status st = (*sim)->Run(&g_interrupt, progress);
  if (!quiet) std::fputc('\n', stderr);
  if (!st.ok()) {
    std::fprintf(stderr, "tapedeck fixsim: %s\n", std::string(st.message()).c_str());
    return kExitFailure;
  }
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
