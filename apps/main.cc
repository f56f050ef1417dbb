// tapedeck: deterministic backtesting and FIX paper trading.
#include <cstdio>
#include <string>
#include <string_view>

#include "apps/cli_docs.h"
#include "apps/commands.h"
#include "core/interrupt_cleanup.h"
#include "core/version.h"

int main(int argc, char** argv) {
  using tapedeck::apps::kExitOk;
  // An interrupted command removes its temporaries and exits 130 (SIGINT) or 143 (SIGTERM);
  // paper and fixsim install their own handlers, which stop their sessions cleanly.
  tapedeck::InstallInterruptCleanup();
  if (argc < 2) {
    char* run_argv[] = {const_cast<char*>("run"), nullptr};
    return tapedeck::apps::RunMain(1, run_argv);
  }
  const std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(tapedeck::apps::TopLevelHelp().c_str(), stdout);
    return kExitOk;
  }
  if (cmd == "--version") {
    std::printf("tapedeck %s (git %s, plugin ABI %d)\n", std::string(tapedeck::kVersion).c_str(),
                std::string(tapedeck::GitCommit()).c_str(), tapedeck::kPluginAbiVersion);
    return kExitOk;
  }
  if (cmd == "--bash-completion") {
    std::fputs(tapedeck::apps::BashCompletion().c_str(), stdout);
    return kExitOk;
  }
  if (cmd == "--man") {
    std::fputs(tapedeck::apps::ManPage().c_str(), stdout);
    return kExitOk;
  }
  for (const tapedeck::apps::Command& c : tapedeck::apps::Commands()) {
    if (c.name == cmd) return c.main(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "tapedeck: unknown command '%s'\n\n%s", argv[1],
               tapedeck::apps::TopLevelHelp().c_str());
  return tapedeck::apps::kExitUsage;
}
