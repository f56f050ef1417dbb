// The JSON Schemas in docs/ checked by a validator that is not ours: Debian's python3-jsonschema
// (/usr/bin/python3, whatever python3 comes first on PATH). Every shipped config validates
// against docs/config.schema.json (grids against docs/grid.schema.json), the summary.json files
// of a run against docs/summary.schema.json and a sweep's results.json against
// docs/sweep.schema.json, a walk-forward's walkforward.json against docs/walkforward.schema.json,
// `tapedeck strategies --json` against docs/strategies.schema.json; and each schema refuses a
// document that breaks it.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/analysis/sweep_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

constexpr char kPython[] = "/usr/bin/python3";

// validate.py SCHEMA FILE...: checks the schema itself, then each file; prints "ok FILE" or
// "FILE: /json/path: message" per error and exits 1 on any.
constexpr char kScript[] = R"py(
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
bad = 0
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for e in errors:
        print("%s: /%s: %s" % (path, "/".join(str(p) for p in e.path), e.message[:300]))
    bad += len(errors)
    if not errors:
        print("ok", path)
sys.exit(1 if bad else 0)
)py";

class SchemasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string out;
    if (Shell(absl::StrCat(kPython, " -c 'import jsonschema' 2>&1"), &out) != 0) {
      GTEST_SKIP() << "Debian's python3-jsonschema is not installed (scripts/install-deps.sh "
                      "--test installs it): "
                   << out;
    }
    dir_ = MakeTempDir("schemas");
    WriteFile(dir_ + "/validate.py", kScript);
  }

  // Validates `files` against docs/`schema`; returns the exit code, *out the report.
  int Validate(const std::string& schema, const std::vector<std::string>& files,
               std::string* out) {
    return Shell(absl::StrCat(kPython, " ", dir_, "/validate.py ", SourceDir(), "/docs/", schema,
                              " ", absl::StrJoin(files, " "), " 2>&1"),
                 out);
  }

  std::string dir_;
};

TEST_F(SchemasTest, EveryShippedConfigValidates) {
  std::vector<std::string> configs, grids;
  for (const auto& e : std::filesystem::directory_iterator(SourceDir() + "/configs")) {
    const std::string p = e.path().string();
    if (e.path().extension() != ".json") continue;
    (absl::EndsWith(p, "_grid.json") ? grids : configs).push_back(p);
  }
  ASSERT_GE(configs.size(), 10u);
  ASSERT_FALSE(grids.empty());
  std::string out;
  EXPECT_EQ(Validate("config.schema.json", configs, &out), 0) << out;
  EXPECT_EQ(Validate("grid.schema.json", grids, &out), 0) << out;
  // A duration without a unit, an unknown key and a wrong type are each refused.
  WriteFile(dir_ + "/bad.json",
            R"({"seed": 1, "venue": {"entry_latency": "5"}, "sources": [{"fromat": "x"}],
                "output": {"dir": 3}})");
  EXPECT_EQ(Validate("config.schema.json", {dir_ + "/bad.json"}, &out), 1);
  EXPECT_THAT(out, HasSubstr("/venue/entry_latency"));
  EXPECT_THAT(out, HasSubstr("'fromat' was unexpected"));
  EXPECT_THAT(out, HasSubstr("/output/dir: 3 is not of type 'string'"));
}

TEST_F(SchemasTest, RunSummariesAndSweepResultsValidate) {
  const std::string run = dir_ + "/run";
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " run --quiet --out ", run, " 2>&1"), &out), 0) << out;
  EXPECT_EQ(Validate("summary.schema.json",
                     {run + "/summary.json", run + "/basis_reentry/summary.json",
                      run + "/dip_buyer/summary.json"},
                     &out),
            0)
      << out;
  // A two-point sweep of the shipped dip_buyer config.
  WriteFile(dir_ + "/grid.json",
            R"({"params": [{"path": "strategies[0].params.take_profit_bps", "values": [300, 600]}],
                "constraints": [{"metric": "max_drawdown", "op": "<=", "value": 0.15}]})");
  const std::string sweep = dir_ + "/sweep";
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " sweep ", SourceDir(), "/configs/dip_buyer_feb5.json --grid ",
                               dir_, "/grid.json --quiet --out ", sweep, " 2>&1"),
                  &out),
            0)
      << out;
  EXPECT_EQ(Validate("sweep.schema.json", {sweep + "/results.json"}, &out), 0) << out;
  // The saved point configs are run configs too.
  EXPECT_EQ(Validate("config.schema.json", {sweep + "/configs/point-000000.json"}, &out), 0) << out;
  // A summary that breaks the schema is refused.
  WriteFile(dir_ + "/bad_summary.json", R"({"schema": "tapedeck.summary/1"})");
  EXPECT_EQ(Validate("summary.schema.json", {dir_ + "/bad_summary.json"}, &out), 1);
}

TEST_F(SchemasTest, TheStrategiesListValidates) {
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " strategies --json > ", dir_, "/strategies.json"), &out),
            0);
  EXPECT_EQ(Validate("strategies.schema.json", {dir_ + "/strategies.json"}, &out), 0) << out;
  // A parameter without its type is refused.
  WriteFile(dir_ + "/bad_strategies.json",
            R"({"schema": "tapedeck.strategies/1", "strategies": [{"name": "x", "description": "y",
                "example_params": {}, "params": [{"name": "n", "default": "", "required": true,
                "description": ""}]}]})");
  EXPECT_EQ(Validate("strategies.schema.json", {dir_ + "/bad_strategies.json"}, &out), 1);
  EXPECT_THAT(out, HasSubstr("/strategies/0/params/0: 'type' is a required property"));
}

TEST_F(SchemasTest, WalkForwardResultsValidate) {
  // The thinned dip_buyer scenario of the sweep tests over a fixed 44 h span: a 2-point grid,
  // 12 h train and test periods, three windows.
  nlohmann::json config = nlohmann::json::parse(analysis::testing::SmallConfig());
  config["window"] = {{"start", "2026-02-05T00:00:00Z"}, {"end", "2026-02-06T20:00:00Z"}};
  WriteFile(dir_ + "/wf_config.json", config.dump(2));
  WriteFile(dir_ + "/wf_grid.json",
            R"({"params": [{"path": "strategies[0].params.hard_stop_bps", "values": [150, 500]}],
                "constraints": [{"metric": "max_drawdown", "op": "<=", "value": 0.15}]})");
  const std::string wf = dir_ + "/wf";
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " sweep ", dir_, "/wf_config.json --grid ", dir_,
                               "/wf_grid.json --walk-forward --train 12h --test 12h --quiet --out ",
                               wf, " 2>&1"),
                  &out),
            0)
      << out;
  EXPECT_EQ(Validate("walkforward.schema.json", {wf + "/walkforward.json"}, &out), 0) << out;
  // Its train tables are sweep tables, its test runs' summaries run summaries.
  EXPECT_EQ(Validate("sweep.schema.json", {wf + "/window-00/train/results.json"}, &out), 0) << out;
  EXPECT_EQ(Validate("summary.schema.json", {wf + "/window-00/test/summary.json"}, &out), 0)
      << out;
  // A walk-forward file that breaks the schema is refused, naming the key.
  WriteFile(dir_ + "/bad_wf.json",
            R"({"schema": "tapedeck.walkforward/1", "mode": "sideways", "train": "12"})");
  EXPECT_EQ(Validate("walkforward.schema.json", {dir_ + "/bad_wf.json"}, &out), 1);
  EXPECT_THAT(out, HasSubstr("/mode: 'sideways' is not one of"));
  EXPECT_THAT(out, HasSubstr("/train: '12' does not match"));
}

}  // namespace
}  // namespace tapedeck::runner
