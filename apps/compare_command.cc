// `tapedeck compare DIR... [--out FILE]`: several runs side by side (analysis/compare.h).
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/compare.h"
#include "apps/commands.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck compare DIR... [--out FILE] [--quiet]\n"
    "\n"
    "Puts several runs side by side: prints the metrics table (one column per strategy run) and\n"
    "writes an HTML page with the same table and the equity, return and drawdown curves overlaid.\n"
    "Each DIR is a run directory (every strategy in it is compared) or one strategy's directory.\n"
    "Only the output files are read; nothing is rerun.\n"
    "\n"
    "  --out FILE    the HTML page to write (default: compare.html)\n"
    "  --quiet       do not print the table\n"
    "  -h, --help    this help\n"
    "\n"
    "Exit status: 0 on success, 1 when a directory or file is missing or malformed, 2 on a bad\n"
    "command line.\n";

}  // namespace

int CompareMain(int argc, char** argv) {
  std::vector<std::string> dirs;
  std::string out = "compare.html";
  bool quiet = false;
  CommandLine cli("compare", kUsage);
  cli.Value("--out", &out).Flag("--quiet", &quiet).Positionals(&dirs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (dirs.empty()) return cli.Fail("at least one run directory is required");
  absl::StatusOr<std::string> table = analysis::CompareRuns(dirs, out);
  if (!table.ok()) {
    std::fprintf(stderr, "tapedeck compare: %s\n", std::string(table.status().message()).c_str());
    return kExitFailure;
  }
  if (!quiet) std::printf("%swritten %s\n", table->c_str(), out.c_str());
  return kExitOk;
}

}  // namespace tapedeck::apps
