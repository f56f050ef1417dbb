// `tapedeck gen deleveraging --seed N --out DIR [--params FILE] [--family N]`: writes the
// seeded 2026-02-05 deleveraging scenario (replay/scenario.h) as a tape, with the parameters it
// was drawn from beside it (runner/generate.h). With --family N, writes N jittered members (the
// stress family).
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "apps/commands.h"
#include "runner/generate.h"
#include "runner/progress.h"

namespace tapedeck::apps {
namespace {

constexpr const char* kGenHelp =
    "usage: tapedeck gen deleveraging --seed N --out DIR [--params FILE] [--family N] [--quiet]\n"
    "\n"
    "Writes the seeded 2026-02-05 deleveraging scenario (BTC spot, perpetual, near and far dated\n"
    "futures: L2 books, quotes, trades, liquidations, open interest, funding, mark and index) as a\n"
    "tape, DIR/deleveraging.tape, with the parameters used in DIR/deleveraging.params.json.\n"
    "\n"
    "  --seed N        the generator's seed (required); the same seed gives the same tape\n"
    "  --out DIR       output directory (created if missing)\n"
    "  --params FILE   scenario parameters (default: the built-in ones, which are\n"
    "                  configs/scenarios/deleveraging.json; see configs/scenarios/README.md)\n"
    "  --family N      write N jittered members instead, DIR/deleveraging-000.tape ..., each with\n"
    "                  its params.json; member i is derived from --seed and i only\n"
    "  --quiet         print nothing but errors (default: a progress line on a terminal, and\n"
    "                  one line per tape written, on stderr)\n";

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck gen: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

}  // namespace

int GenMain(int argc, char** argv) {
  runner::GenerateOptions options;
  std::optional<uint64_t> seed, family;
  std::vector<std::string> names;
  bool quiet = false;
  CommandLine cli("gen", kGenHelp);
  cli.Value("--out", &options.out_dir)
      .Value("--params", &options.params_file)
      .Count("--seed", &seed)
      .Count("--family", &family, 1, 100'000)
      .Flag("--quiet", &quiet)
      .Positionals(&names);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (names.empty()) return cli.Fail("name the scenario: deleveraging");
  if (names.size() > 1) return cli.Fail(absl::StrCat("unexpected argument '", names[1], "'"));
  if (names[0] != "deleveraging") {
    return cli.Fail(absl::StrCat("unknown scenario '", names[0], "' (known: deleveraging)"));
  }
  if (options.out_dir.empty()) return cli.Fail("--out DIR is required");
  if (!seed.has_value()) return cli.Fail("--seed N is required (generated data is always seeded)");
  options.seed = *seed;
  if (family.has_value()) options.family = static_cast<int>(*family);
  // A progress line per tape on a terminal (runner/progress.h); one line per tape written.
  runner::ProgressLine line("", runner::ProgressUnit::Count("events"), !quiet);
  std::string current;
  options.progress = [&](const std::string& tape, uint64_t events, bool done) {
    if (tape != current) {
      current = tape;
      line.Restart(tape);
    }
    line.Update(events, 0);
    if (done && !quiet) {
      line.Clear();
      std::fprintf(stderr, "%s: %llu events\n", tape.c_str(),
                   static_cast<unsigned long long>(events));
    }
  };
  absl::StatusOr<uint64_t> n = runner::GenerateDeleveraging(options);
  line.Clear();
  if (!n.ok()) return Fail(n.status());
  return kExitOk;
}

}  // namespace tapedeck::apps
