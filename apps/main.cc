// tapedeck: deterministic backtesting and FIX paper trading.
#include <cstdio>
#include <string_view>

#include <string>

#include "apps/commands.h"
#include "core/version.h"

namespace {

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "tapedeck: deterministic tick-data backtesting; the same strategies paper-trade "
               "over FIX.\n\n"
               "usage: tapedeck <command> [options]\n\ncommands:\n");
  for (const tapedeck::apps::Command& c : tapedeck::apps::Commands()) {
    std::fprintf(out, "  %-12.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::fprintf(out,
               "\n`tapedeck <command> --help` describes a command's options.\n"
               "With no command, `tapedeck run` runs the built-in default.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    char* run_argv[] = {const_cast<char*>("run"), nullptr};
    return tapedeck::apps::RunMain(1, run_argv);
  }
  const std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    PrintHelp(stdout);
    return tapedeck::apps::kExitOk;
  }
  if (cmd == "--version") {
    std::printf("tapedeck %s (git %s, plugin ABI %d)\n", std::string(tapedeck::kVersion).c_str(),
                std::string(tapedeck::GitCommit()).c_str(), tapedeck::kPluginAbiVersion);
    return tapedeck::apps::kExitOk;
  }
  for (const tapedeck::apps::Command& c : tapedeck::apps::Commands()) {
    if (c.name == cmd) return c.main(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "tapedeck: unknown command '%s'\n\n", argv[1]);
  PrintHelp(stderr);
  return tapedeck::apps::kExitUsage;
}
