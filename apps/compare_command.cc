// `tapedeck compare DIR... [--out FILE]`: several runs side by side.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "runner/output_writer.h"
#include "apps/report.h"

namespace tapedeck::apps {

using runner::WriteFileAtomically;
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
  std::vector<RunData> runs;
  for (const std::string& dir : dirs) {
    absl::StatusOr<std::vector<std::string>> sub = StrategyDirs(dir);
    if (!sub.ok()) {
      std::fprintf(stderr, "tapedeck compare: %s\n", std::string(sub.status().message()).c_str());
      return kExitFailure;
    }
    for (const std::string& d : *sub) {
      absl::StatusOr<RunData> r = LoadRun(d);
      if (!r.ok()) {
        std::fprintf(stderr, "tapedeck compare: %s\n", std::string(r.status().message()).c_str());
        return kExitFailure;
      }
      runs.push_back(std::move(*r));
    }
  }
  // Columns are named by label; a label seen more than once gets its directory's name too.
  std::map<std::string, int> seen;
  for (const RunData& r : runs) ++seen[r.name];
  std::vector<std::string> links;
  const std::filesystem::path out_dir = std::filesystem::absolute(out).parent_path();
  for (RunData& r : runs) {
    if (seen[r.name] > 1) {
      r.name = absl::StrCat(r.name, " (", std::filesystem::path(r.dir).parent_path().filename().string(), ")");
    }
    std::string link;
    if (std::filesystem::exists(r.dir + "/report.html")) {
      link = std::filesystem::relative(std::filesystem::absolute(r.dir + "/report.html"), out_dir).string();
    }
    links.push_back(link);
  }
  absl::Status s = WriteFileAtomically(out, RenderCompare(runs, "tapedeck compare", links));
  if (!s.ok()) {
    std::fprintf(stderr, "tapedeck compare: %s\n", std::string(s.message()).c_str());
    return kExitFailure;
  }
  if (!quiet) std::printf("%swritten %s\n", MetricsText(runs).c_str(), out.c_str());
  return kExitOk;
}

}  // namespace tapedeck::apps
