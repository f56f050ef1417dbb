// The run config's recorded and volatility-scaled latency models and per-source local shifts:
// what they parse into and the errors they give; and `tapedeck run` with the shipped
// recorded-latency config.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "runner/run_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

absl::StatusOr<RunConfig> Parse(const std::string& venue, const std::string& source_extra = "") {
  const std::string text = R"({"seed": 5,
    "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
    "sources": [{"path": "x.csv", "format": "trades_csv", "instrument": "BTCUSDT")" +
                           source_extra + R"(},
                {"path": "y.csv", "format": "trades_csv", "instrument": "BTCUSDT"}],
    "venue": )" + venue + R"(,
    "strategies": [{"name": "sma_crossover", "params": {"instrument": "BTCUSDT"}}]})";
  return ParseRunConfig(nlohmann::json::parse(text), "test.json", std::nullopt);
}

std::string Message(const absl::StatusOr<RunConfig>& rc) {
  return rc.ok() ? "ok" : std::string(rc.status().message());
}

TEST(LatencyConfigTest, RecordedModelReadsItsFileOnceAndKeepsDefaultsOff) {
  const std::string dir = MakeTempDir("recorded_ok");
  WriteFile(dir + "/lat.csv",
            "request_ns,exchange_ns,response_ns\n1000,1100,1400\n2000,2500,2600\n");
  absl::StatusOr<RunConfig> rc = Parse(R"({"latency": {
      "default": {"model": "recorded", "file": ")" + dir + R"(/lat.csv"},
      "vol_halflife": "250ms",
      "fill": {"model": "constant", "base": "3ms",
               "vol_scale": "2", "vol_reference_bp": "1.5"}}})");
  ASSERT_TRUE(rc.ok()) << rc.status();
  const SimVenueConfig& v = rc->engine.venue;
  const LatencySpec& submit = v.latency[static_cast<int>(VenueMessage::kSubmit)];
  const auto* recorded = std::get_if<RecordedLatency::Spec>(&submit.model);
  ASSERT_NE(recorded, nullptr);
  EXPECT_EQ(recorded->align, LatencyAlign::kStart);  // the default
  ASSERT_NE(recorded->recording, nullptr);
  EXPECT_EQ(recorded->recording->entry, (std::vector<int64_t>{100, 500}));
  EXPECT_EQ(submit.scaling.vol_k_milli, 0);  // off unless asked for
  // Every message type shares the one recording read at config time.
  const LatencySpec& ack = v.latency[static_cast<int>(VenueMessage::kAck)];
  EXPECT_EQ(std::get_if<RecordedLatency::Spec>(&ack.model)->recording, recorded->recording);
  const LatencySpec& fill = v.latency[static_cast<int>(VenueMessage::kFill)];
  EXPECT_EQ(fill.model_name(), "constant");
  EXPECT_EQ(fill.base, Duration::Millis(3));
  EXPECT_EQ(fill.scaling.vol_k_milli, 2000);
  EXPECT_EQ(fill.scaling.vol_reference_mbp, 1500);
  EXPECT_EQ(v.vol_halflife, Duration::Millis(250));
  EXPECT_EQ(Parse("{}")->engine.venue.vol_halflife, Duration::Seconds(1));  // the default
}

// Account news have their own key; without it they keep the ack's model.
TEST(LatencyConfigTest, AccountNewsHaveTheirOwnModelElseTheAcks) {
  absl::StatusOr<RunConfig> rc = Parse(R"({"latency": {
      "ack": {"model": "constant", "base": "2ms"},
      "account": {"model": "lognormal", "base": "7ms", "sigma": "0.5"}}})");
  ASSERT_TRUE(rc.ok()) << rc.status();
  ASSERT_TRUE(rc->engine.venue.account_latency.has_value());
  EXPECT_EQ(rc->engine.venue.account_latency->model_name(), "lognormal");
  EXPECT_EQ(rc->engine.venue.account_latency->base, Duration::Millis(7));
  EXPECT_EQ(std::get_if<LognormalLatency::Spec>(&rc->engine.venue.account_latency->model)
                ->sigma_milli,
            500);
  EXPECT_FALSE(Parse(R"({"latency": {"ack": {"base": "2ms"}}})")->engine.venue.account_latency);
  EXPECT_THAT(Message(Parse(R"({"latency": {"account": {"model": "gamma", "base": "1ms"}}})")),
              HasSubstr("gamma"));
}

TEST(LatencyConfigTest, AbsoluteAlignIsRead) {
  const std::string dir = MakeTempDir("recorded_abs");
  WriteFile(dir + "/lat.csv", "request_ns,exchange_ns,response_ns\n1,2,3\n");
  absl::StatusOr<RunConfig> rc = Parse(R"({"latency": {"default": {"model": "recorded",
      "file": ")" + dir + R"(/lat.csv", "align": "absolute"}}})");
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_EQ(std::get_if<RecordedLatency::Spec>(&rc->engine.venue.latency[0].model)->align,
            LatencyAlign::kAbsolute);
}

TEST(LatencyConfigTest, ErrorsNameTheKeyAndForFilesTheFileAndLine) {
  const std::string dir = MakeTempDir("recorded_bad");
  WriteFile(dir + "/bad.csv", "request_ns,exchange_ns,response_ns\n1000,1100,1400\n900,950,960\n");
  EXPECT_THAT(Message(Parse(R"({"latency": {"default": {"model": "recorded", "file": ")" + dir +
                            R"(/bad.csv"}}})")),
              HasSubstr("venue.latency.default.file: " + dir +
                        "/bad.csv:3: request_ns 900 is before the previous row's 1000"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"ack": {"model": "recorded", "file": ")" + dir +
                            R"(/none.csv"}}})")),
              HasSubstr("venue.latency.ack.file: " + dir + "/none.csv: cannot open"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"model": "gamma", "base": "1ms"}}})")),
              HasSubstr("venue.latency.fill.model: unknown latency model 'gamma' (allowed: "
                        "constant, lognormal, recorded)"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"model": "recorded"}}})")),
              HasSubstr("venue.latency.fill.file: required for model 'recorded'"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"base": "1ms", "file": "x.csv"}}})")),
              HasSubstr("venue.latency.fill.file: only for model 'recorded'"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"sigma": "0.1"}}})")),
              HasSubstr("venue.latency.fill.base: required for model 'constant'"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"base": "1ms", "vol_scale": "-1"}}})")),
              HasSubstr("venue.latency.fill.vol_scale: must be in [0, 1000]"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"base": "1ms", "vol_reference_bp": "0"}}})")),
              HasSubstr("venue.latency.fill.vol_reference_bp: must be > 0"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"vol_halflife": "0s"}})")),
              HasSubstr("venue.latency.vol_halflife: must be > 0"));
  EXPECT_THAT(Message(Parse(R"({"latency": {"fill": {"model": "recorded", "align": "end",
                               "file": ")" + dir + R"(/bad.csv"}}})")),
              HasSubstr("venue.latency.fill.align: unknown align 'end' "
                        "(allowed: start, absolute)"));
}

TEST(LatencyConfigTest, PerSourceLocalShiftIsIndexedBySourceOrder) {
  absl::StatusOr<RunConfig> rc = Parse(R"({"local_shift": "1ms"})", R"(, "local_shift": "250us")");
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_EQ(rc->engine.local_shift, Duration::Millis(1));
  // One entry per source: the first has its own shift, the second none.
  EXPECT_EQ(rc->engine.source_shift,
            (std::vector<Duration>{Duration::Micros(250), Duration()}));
  EXPECT_THAT(Message(Parse("{}", R"(, "local_shift": "soon")")),
              HasSubstr("sources[0].local_shift"));
}

// Runs the CLI from `cwd`; the exit code, and stdout and stderr in *output.
int Cli(const std::string& cwd, const std::string& args, std::string* output) {
  return ::tapedeck::testing::Shell(
      "cd '" + cwd + "' && '" + CliPath() + "' " + args + " 2>&1", output);
}

// (local_ts - exchange_ts) of every fill in a fills.csv: the fill's response latency.
std::vector<int64_t> FillLatencies(const std::string& fills_csv) {
  std::vector<int64_t> out;
  std::istringstream in(fills_csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t c1 = line.find(',');
    const size_t c2 = line.find(',', c1 + 1);
    out.push_back(std::stoll(line.substr(0, c1)) - std::stoll(line.substr(c1 + 1, c2 - c1 - 1)));
  }
  return out;
}

TEST(RecordedLatencyRunTest, ShippedConfigRunsDeterministicallyWithTheRecordedLatencies) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string a = MakeTempDir("recorded_run_a");
  const std::string b = MakeTempDir("recorded_run_b");
  const std::string cfg = "configs/touch_quoter_btcusdt_recorded_latency.json";
  std::string out_a, out_b;
  ASSERT_EQ(Cli(SourceDir(), "run " + cfg + " --quiet --out " + a, &out_a), 0) << out_a;
  ASSERT_EQ(Cli(SourceDir(), "run " + cfg + " --quiet --out " + b, &out_b), 0) << out_b;
  const std::string fills = ReadFile(a + "/touch_quoter/fills.csv");
  EXPECT_EQ(fills, ReadFile(b + "/touch_quoter/fills.csv"));
  EXPECT_EQ(ReadFile(a + "/touch_quoter/digest.txt"), ReadFile(b + "/touch_quoter/digest.txt"));
  const std::vector<int64_t> lat = FillLatencies(fills);
  ASSERT_FALSE(lat.empty()) << fills;
  // Response latencies in configs/latency/example_congestion.csv are 1.2 ms to 14 ms, and the
  // volatility factor is >= 1: no fill comes back faster than the file's fastest response (the
  // 1 ms default would), and the congestion or a volatile stretch shows as a slower one.
  EXPECT_GE(*std::min_element(lat.begin(), lat.end()), 1'200'000);
  EXPECT_GT(*std::max_element(lat.begin(), lat.end()), 1'600'000);
}

TEST(RecordedLatencyRunTest, ABadRecordedFileStopsTheRunWithFileAndLine) {
  const std::string dir = MakeTempDir("recorded_run_bad");
  WriteFile(dir + "/ticks.csv", "ts,price,qty,side\n1000,100.00,1,buy\n");
  WriteFile(dir + "/lat.csv", "request_ns,exchange_ns,response_ns\n10,20,30\n40,x,60\n");
  WriteFile(dir + "/run.json", R"({"seed": 1,
  "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
  "sources": [{"path": "ticks.csv", "format": "trades_csv", "instrument": "BTCUSDT"}],
  "venue": {"latency": {"default": {"model": "recorded", "file": "lat.csv"}}},
  "strategies": [{"name": "sma_crossover",
                  "params": {"instrument": "BTCUSDT", "fast": 2, "slow": 3, "qty": "1"}}]
})");
  std::string output;
  EXPECT_EQ(Cli(dir, "run run.json --out " + dir + "/out", &output), 1) << output;
  EXPECT_THAT(output,
              HasSubstr("run.json: venue.latency.default.file: lat.csv:3: exchange_ns 'x'"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
}

}  // namespace
}  // namespace tapedeck::runner
