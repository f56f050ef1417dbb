// `tapedeck gen deleveraging --seed N --out DIR [--params FILE] [--family N]`: writes the
// seeded 2026-02-05 deleveraging scenario (replay/scenario.h) as a tape, with the parameters it
// was drawn from beside it. With --family N, writes N jittered members (the stress family).
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "core/decimal.h"
#include "core/status.h"
#include "replay/scenario.h"
#include "replay/tape.h"

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
    "  --quiet         no progress on stderr\n";

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck gen: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

absl::Status MakeDirs(const std::string& dir) {
  std::string path;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
        return absl::InternalError(absl::StrCat(path, ": cannot create directory: ",
                                                std::strerror(errno)));
      }
    }
    if (i < dir.size()) path.push_back(dir[i]);
  }
  return absl::OkStatus();
}

// Writes `text` to a temporary name and renames it into place.
absl::Status WriteText(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) return absl::InternalError(absl::StrCat(tmp, ": write failed"));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat(path, ": rename failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> WriteScenario(const replay::ScenarioParams& p, uint64_t seed,
                                       const std::string& stem, bool quiet) {
  const std::vector<Instrument> defs = replay::ScenarioInstruments(p);
  InstrumentTable table;
  for (const Instrument& in : defs) TAPEDECK_RETURN_IF_ERROR(table.Add(in));
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<replay::ScenarioSource> src,
                            replay::ScenarioSource::Create(p, seed, table));
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<replay::TapeWriter> w,
                            replay::TapeWriter::Create(stem + ".tape", table.all()));
  uint64_t n = 0;
  for (;;) {
    TAPEDECK_ASSIGN_OR_RETURN(std::span<const Event> batch, src->NextBatch());
    if (batch.empty()) break;
    TAPEDECK_RETURN_IF_ERROR(w->Append(batch));
    n += batch.size();
    if (!quiet && (n & 0xFFFFF) < batch.size()) {
      std::fprintf(stderr, "\r%s.tape: %llu events", stem.c_str(), static_cast<unsigned long long>(n));
    }
  }
  TAPEDECK_RETURN_IF_ERROR(w->Finish());
  nlohmann::json params = replay::ScenarioParamsToJson(p);
  TAPEDECK_RETURN_IF_ERROR(WriteText(stem + ".params.json",
                                     nlohmann::json{{"seed", seed}, {"params", params}}.dump(2) + "\n"));
  if (!quiet) {
    std::fprintf(stderr, "\r%s.tape: %llu events\n", stem.c_str(), static_cast<unsigned long long>(n));
  }
  return n;
}

}  // namespace

int GenMain(int argc, char** argv) {
  std::string out, params_file;
  std::optional<uint64_t> seed, family;
  std::vector<std::string> names;
  bool quiet = false;
  CommandLine cli("gen", kGenHelp);
  cli.Value("--out", &out)
      .Value("--params", &params_file)
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
  if (out.empty()) return cli.Fail("--out DIR is required");
  if (!seed.has_value()) return cli.Fail("--seed N is required (generated data is always seeded)");

  absl::StatusOr<replay::ScenarioParams> base =
      replay::LoadScenarioParams(params_file, nlohmann::json::object(), "--params");
  if (!base.ok()) return Fail(base.status());
  if (absl::Status s = MakeDirs(out); !s.ok()) return Fail(s);
  const uint64_t useed = *seed;
  if (!family.has_value()) {
    absl::StatusOr<uint64_t> n = WriteScenario(*base, useed, out + "/deleveraging", quiet);
    if (!n.ok()) return Fail(n.status());
    return kExitOk;
  }
  for (int i = 0; i < static_cast<int>(*family); ++i) {
    const replay::ScenarioParams member = replay::FamilyMember(*base, useed, i);
    absl::StatusOr<uint64_t> n = WriteScenario(member, replay::FamilySeed(useed, i),
                                               absl::StrFormat("%s/deleveraging-%03d", out, i), quiet);
    if (!n.ok()) return Fail(n.status());
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
