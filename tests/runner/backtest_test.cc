// RunBacktest and RunBacktests as a library: the typed result agrees with the files, the files
// are streamed from the records, a caller's sink sees every record, nothing is left behind by a
// failed run, and a bad parameter of any strategy is reported when the config is read.
#include "runner/backtest.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "runner/output_set.h"
#include "runner/run_config.h"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// `n` trades one second apart on a saw-tooth path (period 40), so that an SMA crossover trades.
std::string WriteTrades(const std::string& dir, int n) {
  std::string csv = "ts,price,qty,side\n";
  const int64_t t0 = 1'770'249'600'000'000'000;
  for (int i = 0; i < n; ++i) {
    const int phase = i % 40;
    const int step = phase < 20 ? phase : 40 - phase;
    absl::StrAppend(&csv, t0 + int64_t{i} * 1'000'000'000, ",", 69000 + step * 10, ".00,0.010,",
                    i % 2 == 0 ? "buy" : "sell", "\n");
  }
  const std::string path = dir + "/trades.csv";
  WriteFile(path, csv);
  return path;
}

nlohmann::json Config(const std::string& trades) {
  return {{"seed", 1},
          {"instruments", {{{"symbol", "BTCUSDT"}, {"price_scale", 2}, {"qty_scale", 3}}}},
          {"sources", {{{"path", trades}, {"format", "trades_csv"}, {"instrument", "BTCUSDT"}}}},
          {"strategies",
           {{{"name", "sma_crossover"},
             {"label", "fast"},
             {"params", {{"instrument", "BTCUSDT"}, {"fast", 2}, {"slow", 5}, {"qty", "1"}}}},
            {{"name", "sma_crossover"},
             {"label", "slow"},
             {"params", {{"instrument", "BTCUSDT"}, {"fast", 4}, {"slow", 12}, {"qty", "1"}}}}}},
          {"output", {{"equity_interval", "10s"}}}};
}

RunConfig Parse(const nlohmann::json& doc) {
  absl::StatusOr<RunConfig> rc = ParseRunConfig(doc, "test.json", std::nullopt);
  EXPECT_THAT(rc, IsOk());
  return rc.ok() ? *std::move(rc) : RunConfig();
}

class CountingSink final : public RecordSink {
 public:
  void OnOrder(const OrderLogEntry&) override { ++orders; }
  void OnFill(const FillLogEntry&) override { ++fills; }
  void OnAccount(const AccountLogEntry&) override { ++account; }
  void OnEquity(const EquityPoint&) override { ++equity; }
  int orders = 0, fills = 0, account = 0, equity = 0;
};

int Lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(BacktestTest, TypedResultFilesAndSinksAgree) {
  const std::string dir = MakeTempDir("typed");
  const RunConfig rc = Parse(Config(WriteTrades(dir, 400)));
  const StrategySpec& spec = rc.strategies[0];

  RunOptions options;
  options.out_dir = dir + "/out";
  options.keep_records = true;
  CountingSink sink;
  options.sink = [&sink](const StrategySpec&) { return &sink; };
  absl::StatusOr<RunResult> r = RunBacktest(rc, spec, options);
  ASSERT_THAT(r, IsOk());

  // The records the caller kept, the sink's counts and the files' rows are one run.
  ASSERT_NE(r->records, nullptr);
  EXPECT_GT(r->records->order_log().size(), 4u);
  EXPECT_GT(r->records->fill_log().size(), 4u);
  EXPECT_EQ(sink.orders, static_cast<int>(r->records->order_log().size()));
  EXPECT_EQ(sink.fills, static_cast<int>(r->records->fill_log().size()));
  EXPECT_EQ(sink.equity, static_cast<int>(r->records->equity().size()));
  EXPECT_EQ(Lines(ReadFile(options.out_dir + "/orders.csv")), sink.orders + 1);
  EXPECT_EQ(Lines(ReadFile(options.out_dir + "/fills.csv")), sink.fills + 1);
  EXPECT_EQ(Lines(ReadFile(options.out_dir + "/equity.csv")), sink.equity + 1);
  EXPECT_EQ(r->metrics.fills, r->records->fill_log().size());
  EXPECT_EQ(r->summary["requests"].get<size_t>(), r->records->order_log().size());
  EXPECT_EQ(ReadFile(options.out_dir + "/digest.txt"), r->digests.Text());
  EXPECT_EQ(nlohmann::json::parse(ReadFile(options.out_dir + "/summary.json")), r->summary);
  EXPECT_EQ(r->facts.market_events, 400u);

  // Without files (a sweep point): the same digests and summary, no records kept.
  absl::StatusOr<RunResult> bare = RunBacktest(rc, spec, RunOptions());
  ASSERT_THAT(bare, IsOk());
  EXPECT_EQ(bare->digests.RunHex(), r->digests.RunHex());
  EXPECT_EQ(bare->digests.Text(), r->digests.Text());
  EXPECT_EQ(bare->summary, r->summary);
  EXPECT_EQ(bare->records, nullptr);
}

TEST(BacktestTest, AllStrategiesWriteTheirFoldersAndTheCombinedSummary) {
  const std::string dir = MakeTempDir("all");
  const RunConfig rc = Parse(Config(WriteTrades(dir, 200)));
  RunOptions options;
  options.out_dir = dir + "/out";
  absl::StatusOr<std::vector<RunResult>> results = RunBacktests(rc, options);
  ASSERT_THAT(results, IsOk());
  ASSERT_EQ(results->size(), 2u);
  const nlohmann::json combined = nlohmann::json::parse(ReadFile(dir + "/out/summary.json"));
  ASSERT_EQ(combined["strategies"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const RunResult& r = (*results)[i];
    EXPECT_EQ(combined["strategies"][i]["label"], r.spec.label);
    EXPECT_EQ(combined["strategies"][i]["digest"]["run"], r.digests.RunHex());
    EXPECT_TRUE(std::filesystem::exists(dir + "/out/" + r.spec.label + "/prices.csv"));
  }
  // No temporary file is left.
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir + "/out")) {
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
  }
}

// The output folder is replaced as a whole or not at all: a failure after every strategy's
// files were written (here the caller's last step) leaves the earlier run as it was.
TEST(BacktestTest, AFailureLeavesTheEarlierRunWhole) {
  const std::string dir = MakeTempDir("fail");
  const RunConfig rc = Parse(Config(WriteTrades(dir, 200)));
  RunOptions options;
  options.out_dir = dir + "/out";
  ASSERT_THAT(RunBacktests(rc, options), IsOk());
  const std::string before = ReadFile(dir + "/out/summary.json");
  WriteFile(dir + "/out/fast/orders.csv", "marked\n");  // to see that nothing is rewritten
  options.before_commit = [](const std::string& staging) {
    EXPECT_TRUE(std::filesystem::exists(staging + "/slow/summary.json"));
    return absl::InternalError("the last step failed");
  };
  absl::StatusOr<std::vector<RunResult>> results = RunBacktests(rc, options);
  EXPECT_THAT(results, StatusIs(absl::StatusCode::kInternal, HasSubstr("the last step failed")));
  EXPECT_EQ(ReadFile(dir + "/out/fast/orders.csv"), "marked\n");
  EXPECT_EQ(ReadFile(dir + "/out/summary.json"), before);
  EXPECT_TRUE(IsCompleteOutputDir(dir + "/out"));
  // Nothing but the output folder (and the data) is left beside it.
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    EXPECT_THAT(e.path().filename().string(), ::testing::AnyOf("out", "trades.csv")) << e.path();
  }
}

// A folder that is not empty and carries no marker is a user's: refused, and left untouched.
TEST(BacktestTest, AFolderThatIsNotARunIsNeverReplaced) {
  const std::string dir = MakeTempDir("user");
  const RunConfig rc = Parse(Config(WriteTrades(dir, 200)));
  WriteFile(dir + "/mine/notes.txt", "precious\n");
  RunOptions options;
  options.out_dir = dir + "/mine";
  EXPECT_THAT(RunBacktests(rc, options),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(dir + "/mine: exists, is not empty and is not a tapedeck output "
                                       "directory (it has no .tapedeck-complete); nothing in it "
                                       "was changed")));
  EXPECT_EQ(ReadFile(dir + "/mine/notes.txt"), "precious\n");
  // An empty folder is fine, and so is one that holds a finished run.
  std::filesystem::create_directories(dir + "/empty");
  options.out_dir = dir + "/empty";
  ASSERT_THAT(RunBacktests(rc, options), IsOk());
  ASSERT_THAT(RunBacktests(rc, options), IsOk());
  EXPECT_TRUE(IsCompleteOutputDir(dir + "/empty"));
}

TEST(BacktestTest, AFailedRunRemovesTheFoldersItCreated) {
  const std::string dir = MakeTempDir("bad_data");
  WriteFile(dir + "/trades.csv", "ts,price,qty,side\n1000,100.00,1,buy\n2000,1x0.00,1,buy\n");
  const RunConfig rc = Parse(Config(dir + "/trades.csv"));
  RunOptions options;
  options.out_dir = dir + "/a/b";
  absl::StatusOr<std::vector<RunResult>> results = RunBacktests(rc, options);
  ASSERT_FALSE(results.ok());
  EXPECT_THAT(std::string(results.status().message()), HasSubstr("trades.csv:3"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/a"));
}

TEST(RunConfigTest, ABadParamOfAnyStrategyIsReportedWhenTheConfigIsRead) {
  const std::string dir = MakeTempDir("bad_param");
  nlohmann::json doc = Config(dir + "/never_read.csv");
  doc["strategies"][1]["params"]["slow"] = "12";
  absl::StatusOr<RunConfig> rc = ParseRunConfig(doc, "test.json", std::nullopt);
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("strategies[1].params.slow: expected an integer"));

  doc = Config(dir + "/never_read.csv");
  doc["strategies"][1]["params"]["instrument"] = "ETHUSDT";
  rc = ParseRunConfig(doc, "test.json", std::nullopt);
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()), HasSubstr("strategies[1].params.instrument"));

  doc = Config(dir + "/never_read.csv");
  doc["strategies"][1]["name"] = "sma_crossing";
  rc = ParseRunConfig(doc, "test.json", std::nullopt);
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("strategies[1].name: unknown strategy 'sma_crossing'"));
}

TEST(RunConfigTest, AnInstrumentWithOtherScalesThanTheSourceIsAnErrorNamingBoth) {
  // The scenario defines BTC-SPOT at price/qty scales 2/5.
  nlohmann::json doc = {
      {"seed", 1},
      {"instruments", {{{"symbol", "BTC-SPOT"}, {"price_scale", 1}, {"qty_scale", 5}}}},
      {"sources", {{{"format", "scenario"}}}},
      {"strategies", {{{"name", "sma_crossover"}, {"params", {{"instrument", "BTC-SPOT"}}}}}}};
  absl::StatusOr<RunConfig> rc = ParseRunConfig(doc, "test.json", std::nullopt);
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("sources[0]: instrument BTC-SPOT has price/qty scales 2/5 here but 1/5 in "
                        "instruments"));
  // The same scales: the config's definition is kept (its fees apply).
  doc["instruments"][0]["price_scale"] = 2;
  doc["instruments"][0]["taker_fee"] = "0.001";
  rc = ParseRunConfig(doc, "test.json", std::nullopt);
  ASSERT_THAT(rc, IsOk());
  absl::StatusOr<InstrumentId> id = rc->instruments.Find("BTC-SPOT");
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(rc->instruments.at(*id).taker_fee.raw, 100'000);
}

}  // namespace
}  // namespace tapedeck::runner
