// `tapedeck run` as a user runs it: a separate process, real files, exit codes and messages.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs the CLI from `cwd` with `args`.
Result Cli(const std::string& cwd, const std::string& args) {
  Result r;
  r.exit_code = ::tapedeck::testing::Shell("cd '" + cwd + "' && '" + CliPath() + "' " + args + " 2>&1",
                                           &r.output);
  return r;
}

// The digest of the SMA example on LTCUSDT 1m klines, February 2026. It pins the order and fill
// lists: when a change moves it, the commit that updates it says why.
constexpr char kSmaLtcDigest[] = "29fc0ccbee509531";

TEST(RunCommandTest, SmaOnLtcIsByteIdenticalAcrossProcessesAndPinned) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string a = MakeTempDir("a");
  const std::string b = MakeTempDir("b");
  const Result ra = Cli(SourceDir(), "run configs/sma_ltcusdt_1m.json --quiet --out " + a);
  const Result rb = Cli(SourceDir(), "run configs/sma_ltcusdt_1m.json --quiet --out " + b);
  ASSERT_EQ(ra.exit_code, 0) << ra.output;
  ASSERT_EQ(rb.exit_code, 0) << rb.output;
  for (const char* f : {"fills.csv", "orders.csv", "equity.csv", "digest.txt", "summary.json"}) {
    const std::string fa = ReadFile(a + "/sma_crossover/" + f);
    EXPECT_FALSE(fa.empty()) << f;
    EXPECT_EQ(fa, ReadFile(b + "/sma_crossover/" + f)) << f << " differs between two runs";
  }
  const std::string digest = ReadFile(a + "/sma_crossover/digest.txt");
  EXPECT_THAT(digest, HasSubstr(std::string("run ") + kSmaLtcDigest)) << digest;
  // The strategy trades: the digest pins something.
  const std::string fills = ReadFile(a + "/sma_crossover/fills.csv");
  EXPECT_GT(std::count(fills.begin(), fills.end(), '\n'), 10);
}

// A config over one generic trades CSV, written into `dir`.
std::string TradesConfig(const std::string& dir, const std::string& csv_name,
                         const std::string& extra = "") {
  return R"({
  "seed": 1,)" + extra + R"(
  "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
  "sources": [{"path": ")" + dir + "/" + csv_name + R"(", "format": "trades_csv", "instrument": "BTCUSDT"}],
  "strategies": [{"name": "sma_crossover", "params": {"instrument": "BTCUSDT", "fast": 2, "slow": 3, "qty": "1"}}]
})";
}

struct BadInput {
  const char* name;
  const char* csv;  // nullptr: the file does not exist
  const char* expected;  // a substring of the message, after the file name
};

class RunCommandBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(RunCommandBadInputTest, NamesFileLineAndReasonExitsNonZeroAndWritesNothing) {
  const BadInput& c = GetParam();
  const std::string dir = MakeTempDir(c.name);
  if (c.csv != nullptr) WriteFile(dir + "/ticks.csv", c.csv);
  WriteFile(dir + "/run.json", TradesConfig(dir, "ticks.csv"));
  const std::string out = dir + "/out";
  const Result r = Cli(dir, "run run.json --out " + out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr(dir + "/ticks.csv")) << r.output;
  EXPECT_THAT(r.output, HasSubstr(c.expected)) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out)) << "no output after a failed run";
}

constexpr char kHeader[] = "ts,price,qty,side\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, RunCommandBadInputTest,
    ::testing::Values(
        BadInput{"malformed_number",
                 "ts,price,qty,side\n1000,100.00,1,buy\n2000,10x.5,1,sell\n", ":3: price"},
        BadInput{"missing_column", "ts,price,side\n1000,100.00,buy\n", ":1:"},
        BadInput{"backwards", "ts,price,qty,side\n2000,100.00,1,buy\n1000,100.01,1,buy\n",
                 ":3: ts"},
        BadInput{"empty", "", "empty"},
        BadInput{"missing_file", nullptr, "run.json: sources[0].path: "},
        BadInput{"too_many_decimals", "ts,price,qty,side\n1000,100.001,1,buy\n", ":2: price"}),
    [](const ::testing::TestParamInfo<BadInput>& i) { return std::string(i.param.name); });

TEST(RunCommandTest, UnknownConfigKeyIsNamedWithItsPath) {
  const std::string dir = MakeTempDir("unknown_key");
  WriteFile(dir + "/ticks.csv", std::string(kHeader) + "1000,100.00,1,buy\n");
  std::string cfg = TradesConfig(dir, "ticks.csv", R"( "venue": {"entry_latency": "1ms", "entry_latancy": "2ms"},)");
  WriteFile(dir + "/run.json", cfg);
  const Result r = Cli(dir, "run run.json --out " + dir + "/out");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("run.json: unknown key venue.entry_latancy"));
  EXPECT_THAT(r.output, HasSubstr("allowed here: entry_latency, latency, local_shift, queue_model, queue_power, response_latency"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
}

TEST(RunCommandTest, WrongTypeIsNamedWithItsPath) {
  const std::string dir = MakeTempDir("wrong_type");
  WriteFile(dir + "/ticks.csv", std::string(kHeader) + "1000,100.00,1,buy\n");
  std::string cfg = TradesConfig(dir, "ticks.csv");
  cfg.replace(cfg.find("\"fast\": 2"), 9, "\"fast\": \"2\"");
  WriteFile(dir + "/run.json", cfg);
  const Result r = Cli(dir, "run run.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("strategies[0].params.fast: expected an integer, got string"));
}

TEST(RunCommandTest, ABadParamOfTheSecondStrategyFailsBeforeAnyRun) {
  const std::string dir = MakeTempDir("bad_second");
  // The source does not exist: a run that started would fail on it instead.
  std::string cfg = TradesConfig(dir, "never_read.csv");
  cfg.insert(cfg.rfind("]"), R"(,
    {"name": "sma_crossover", "label": "second",
     "params": {"instrument": "BTCUSDT", "fast": 2, "slow": "3"}})");
  WriteFile(dir + "/run.json", cfg);
  const Result r = Cli(dir, "run run.json --out " + dir + "/out");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("run.json: strategies[1].params.slow: expected an integer"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
}

TEST(RunCommandTest, InvalidJsonNamesTheByteOffset) {
  const std::string dir = MakeTempDir("bad_json");
  WriteFile(dir + "/run.json", "{\"seed\": 1,,}");
  const Result r = Cli(dir, "run run.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("run.json: byte 12 (line 1, column 13): invalid JSON"));
}

TEST(RunCommandTest, MissingConfigFileAndBadFlags) {
  const std::string dir = MakeTempDir("flags");
  EXPECT_EQ(Cli(dir, "run nope.json").exit_code, 1);
  EXPECT_THAT(Cli(dir, "run nope.json").output, HasSubstr("nope.json: cannot open: No such file or directory"));
  EXPECT_EQ(Cli(dir, "run --seed -3").exit_code, 2);
  EXPECT_EQ(Cli(dir, "run --frobnicate").exit_code, 2);
  EXPECT_EQ(Cli(dir, "frobnicate").exit_code, 2);
}

TEST(RunCommandTest, HelpTellsTheTruth) {
  const Result top = Cli(SourceDir(), "--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.output, HasSubstr("run "));
  const Result run = Cli(SourceDir(), "run --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* flag : {"--out", "--seed", "--quiet", "--json"}) {
    EXPECT_THAT(run.output, HasSubstr(flag));
  }
}

}  // namespace
}  // namespace tapedeck
