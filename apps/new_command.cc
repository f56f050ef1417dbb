// `tapedeck new strategy NAME [--dir DIR]`: a strategy project of the user's own
// (runner/new_project.h writes it).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "apps/commands.h"
#include "runner/new_project.h"

namespace tapedeck::apps {
namespace {

constexpr const char* kNewHelp =
    "usage: tapedeck new strategy NAME [--dir DIR]\n"
    "\n"
    "Writes DIR/NAME/ (DIR defaults to the current folder), a strategy project built against\n"
    "the installed SDK (cmake --install; find_package(tapedeck)):\n"
    "  CMakeLists.txt       the strategy as a plugin (tapedeck_add_plugin) and its test\n"
    "  src/NAME.cc          one strategy: every callback commented, parameters declared once,\n"
    "                       registered in one statement\n"
    "  configs/NAME.json    a backtest on the built-in scenario that loads the plugin\n"
    "  tests/NAME_test.cc   a GoogleTest test with the test kit (tapedeck::testing)\n"
    "  README.md            how to build, test and run it\n"
    "\n"
    "NAME must be a C++ identifier (letters, digits, '_'; not a keyword) that no built-in\n"
    "strategy has. An existing non-empty DIR/NAME is refused; the files are written into a\n"
    "temporary folder and renamed into place. docs/strategies.md walks through the project.\n"
    "\n"
    "  --dir DIR   where the project folder goes (created if missing)\n";

}  // namespace

int NewMain(int argc, char** argv) {
  std::string dir = ".";
  std::vector<std::string> args;
  CommandLine cli("new", kNewHelp);
  cli.Value("--dir", &dir).Positionals(&args);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (args.empty() || args[0] != "strategy") {
    return cli.Fail("say what to create: `tapedeck new strategy NAME`");
  }
  if (args.size() < 2) return cli.Fail("name the strategy: `tapedeck new strategy NAME`");
  if (args.size() > 2) return cli.Fail(absl::StrCat("unexpected argument '", args[2], "'"));
  absl::StatusOr<std::string> path = runner::NewStrategyProject(args[1], dir);
  if (!path.ok()) {
    std::fprintf(stderr, "tapedeck new: %s\n", std::string(path.status().message()).c_str());
    return kExitFailure;
  }
  std::printf("wrote %s/ (CMakeLists.txt, src/%s.cc, configs/%s.json, tests/%s_test.cc, "
              "README.md)\n",
              path->c_str(), args[1].c_str(), args[1].c_str(), args[1].c_str());
  return kExitOk;
}

}  // namespace tapedeck::apps
