// `tapedeck report DIR...`: rebuilds report.html from a run's output files, without rerunning
// (analysis/report.h).
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/report.h"
#include "apps/commands.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck report DIR... [--quiet]\n"
    "\n"
    "Rebuilds the HTML report of a run from its output files (summary.json, equity.csv,\n"
    "prices.csv, fills.csv, round_trips.csv); nothing is rerun. For a run directory (the --out\n"
    "of `tapedeck run`) it writes DIR/<label>/report.html for every strategy and the index\n"
    "DIR/report.html; for one strategy's directory, DIR/report.html. The pages are self-contained\n"
    "(inline SVG, CSS and a small inline script for zoom and pan; nothing is fetched).\n"
    "\n"
    "  --quiet       print nothing but errors (default: the paths written)\n"
    "  -h, --help    this help\n"
    "\n"
    "Exit status: 0 on success, 1 when a directory or file is missing or malformed, 2 on a bad\n"
    "command line.\n";

}  // namespace

int ReportMain(int argc, char** argv) {
  std::vector<std::string> dirs;
  bool quiet = false;
  CommandLine cli("report", kUsage);
  cli.Flag("--quiet", &quiet).Positionals(&dirs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (dirs.empty()) return cli.Fail("a run directory is required");
  for (const std::string& dir : dirs) {
    std::vector<std::string> written;
    absl::Status s = analysis::WriteReports(dir, &written);
    if (!s.ok()) {
      std::fprintf(stderr, "tapedeck report: %s\n", std::string(s.message()).c_str());
      return kExitFailure;
    }
    if (!quiet) {
      for (const std::string& w : written) std::printf("%s\n", w.c_str());
    }
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
