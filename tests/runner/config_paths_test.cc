// Input paths in a config are read from the config file's folder, whatever the working
// directory; output.dir and --out stay relative to the working directory; a saved copy of a
// config elsewhere (a sweep point) reads the same files; errors name the file and the key.
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "runner/run_config.h"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// A project in `root`: data/trades.csv and configs/run.json naming it as ../data/trades.csv.
std::string WriteProject(const std::string& root) {
  std::string csv = "ts,price,qty,side\n";
  for (int i = 0; i < 200; ++i) {
    const int step = i % 40 < 20 ? i % 40 : 40 - i % 40;
    absl::StrAppend(&csv, 1'770'249'600'000'000'000 + int64_t{i} * 1'000'000'000, ",",
                    69000 + step * 10, ".00,0.010,", i % 2 ? "sell" : "buy", "\n");
  }
  WriteFile(root + "/data/trades.csv", csv);
  const std::string config = root + "/configs/run.json";
  WriteFile(config, R"({
  "seed": 1,
  "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
  "sources": [{"path": "../data/trades.csv", "format": "trades_csv", "instrument": "BTCUSDT"}],
  "strategies": [{"name": "sma_crossover", "params": {"instrument": "BTCUSDT", "fast": 2, "slow": 3, "qty": "1"}}],
  "output": {"dir": "out/here"}
})");
  return config;
}

TEST(ConfigPathsTest, InputsAreReadFromTheConfigFolderOutputsFromTheWorkingDirectory) {
  const std::string root = MakeTempDir("project");
  const std::string config = WriteProject(root);
  const std::string elsewhere = MakeTempDir("elsewhere");
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat("cd ", elsewhere, " && ", CliPath(), " run ", config, " --quiet 2>&1"), &out), 0)
      << out;
  // output.dir is relative to where the command ran, not to the config.
  EXPECT_TRUE(std::filesystem::exists(elsewhere + "/out/here/sma_crossover/digest.txt"));
  EXPECT_FALSE(std::filesystem::exists(root + "/configs/out"));
  // The same from the config's own folder, with a relative config path and --out.
  ASSERT_EQ(Shell(absl::StrCat("cd ", root, "/configs && ", CliPath(), " run run.json --quiet --out ../o 2>&1"), &out),
            0)
      << out;
  EXPECT_EQ(ReadFile(root + "/o/sma_crossover/digest.txt"),
            ReadFile(elsewhere + "/out/here/sma_crossover/digest.txt"));
}

TEST(ConfigPathsTest, AMissingInputNamesTheConfigTheKeyAndWhereItLooked) {
  const std::string root = MakeTempDir("missing");
  const std::string config = WriteProject(root);
  std::filesystem::remove(root + "/data/trades.csv");
  std::string out;
  EXPECT_EQ(Shell(absl::StrCat("cd ", root, " && ", CliPath(), " run configs/run.json --quiet 2>&1"), &out), 1);
  EXPECT_THAT(out, HasSubstr("tapedeck run: configs/run.json: sources[0].path: data/trades.csv: no such file"));
  // A directory given as the config.
  EXPECT_EQ(Shell(absl::StrCat(CliPath(), " run ", root, "/configs 2>&1"), &out), 1);
  EXPECT_THAT(out, HasSubstr(root + "/configs: is a directory, not a JSON file"));
}

TEST(ConfigPathsTest, EveryShippedConfigReadsFromAnyWorkingDirectory) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string elsewhere = MakeTempDir("shipped");
  const std::string cwd = std::filesystem::current_path().string();
  std::filesystem::current_path(elsewhere);
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/configs")) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".json" || path.find("grid") != std::string::npos) continue;
    nlohmann::json doc = nlohmann::json::parse(ReadFile(path));
    if (doc.contains("fix")) continue;  // paper and fixsim configs: tests/runner/session_config_test
    absl::StatusOr<RunConfig> rc = LoadRunConfig(path, std::nullopt);
    EXPECT_THAT(rc, IsOk()) << path;
    if (!rc.ok()) continue;
    for (const replay::SourceSpec& s : rc->sources) {
      if (s.path.empty()) continue;
      EXPECT_TRUE(std::filesystem::exists(s.path)) << path << ": " << s.path;
    }
  }
  std::filesystem::current_path(cwd);
}

TEST(ConfigPathsTest, ASavedCopyReadsTheSameFiles) {
  const std::string root = MakeTempDir("saved");
  const std::string config = WriteProject(root);
  absl::StatusOr<RunConfig> rc = LoadRunConfig(config, std::nullopt);
  ASSERT_THAT(rc, IsOk());
  const nlohmann::json saved = DocumentSavedIn(*rc, root + "/out/sweep/configs");
  EXPECT_EQ(saved["sources"][0]["path"], "../../../data/trades.csv");
  EXPECT_EQ(saved["output"]["dir"], "out/here");  // outputs are not rewritten
  // Read back from there, it names the same file.
  WriteFile(root + "/out/sweep/configs/point.json", saved.dump(2));
  absl::StatusOr<RunConfig> again = LoadRunConfig(root + "/out/sweep/configs/point.json", std::nullopt);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(std::filesystem::weakly_canonical(again->sources[0].path),
            std::filesystem::weakly_canonical(rc->sources[0].path));
}

}  // namespace
}  // namespace tapedeck::runner
