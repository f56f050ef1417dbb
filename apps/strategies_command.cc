// `tapedeck strategies [--json] [--plugin PATH]`: the strategies a config can name, with their parameters
// (runner/strategy_list.h formats them from the registration).
#include <cstdio>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "core/strategy_registry.h"
#include "runner/strategy_list.h"

namespace tapedeck::apps {
namespace {

constexpr const char* kStrategiesHelp =
    "usage: tapedeck strategies [--json] [--plugin PATH]\n"
    "\n"
    "Lists every strategy a run config can name in \"strategies\": the built-in ones and those\n"
    "of loaded plugins. For each: its description, its parameters (name, type, default or\n"
    "\"required\", description) and example parameters that trade on the built-in scenario.\n"
    "Types: integer, bool, duration (\"250ms\", \"5m\"), money (a decimal in the quote\n"
    "currency), symbol (an instrument), quantity (a decimal in the instrument's units),\n"
    "\"one of a | b\". Made from the strategies' own registration, so it cannot drift.\n"
    "\n"
    "  --json          print the list as JSON (schema tapedeck.strategies/1,\n"
    "                  docs/strategies.schema.json)\n"
    "  --plugin PATH   load a strategy plugin first, to list its strategies too (repeatable;\n"
    "                  also TAPEDECK_PLUGIN_PATH; docs/plugins.md)\n";

}  // namespace

int StrategiesMain(int argc, char** argv) {
  bool json = false;
  std::vector<std::string> plugins;
  CommandLine cli("strategies", kStrategiesHelp);
  cli.Flag("--json", &json).Values("--plugin", &plugins);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (int rc = LoadCommandPlugins("strategies", plugins); rc >= 0) return rc;
  const std::string out = json ? runner::StrategiesJson(Strategies()).dump(2) + "\n"
                               : runner::StrategiesText(Strategies());
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace tapedeck::apps
