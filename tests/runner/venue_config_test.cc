// The run config's venue section: queue and latency models, defaults, and errors.
#include <string>

#include "runner/run_config.h"
#include "gtest/gtest.h"

namespace tapedeck::runner {
namespace {

absl::StatusOr<RunConfig> Parse(const std::string& venue) {
  const std::string text = R"({"seed": 5,
    "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
    "sources": [{"path": "x.csv", "format": "trades_csv", "instrument": "BTCUSDT"}],
    "venue": )" + venue + R"(,
    "strategies": [{"name": "sma_crossover", "params": {"instrument": "BTCUSDT"}}]})";
  return ParseRunConfig(nlohmann::json::parse(text), "test.json", std::nullopt);
}

TEST(VenueConfigTest, DefaultsAreRiskAverseAndConstantLatency) {
  absl::StatusOr<RunConfig> rc = Parse("{}");
  ASSERT_TRUE(rc.ok()) << rc.status();
  const SimVenueConfig& v = rc->engine.venue;
  EXPECT_EQ(QueueModelName(v.queue), "risk_averse");
  EXPECT_EQ(v.entry_latency, Duration::Millis(1));
  EXPECT_EQ(v.seed, 5u);
  for (const LatencySpec& l : v.latency) {
    EXPECT_EQ(l.model_name(), "constant");
    EXPECT_TRUE(l.inherits());
  }
}

TEST(VenueConfigTest, ReadsQueueAndPerMessageLatencyModels) {
  absl::StatusOr<RunConfig> rc = Parse(R"({"queue_model": "power", "queue_power": 3,
      "latency": {"default": {"model": "lognormal", "base": "2ms", "sigma": "0.4",
                              "spike_probability": "0.01", "spike": "30ms", "feed_scale_pct": 50},
                  "cancel": {"base": "7ms"}}})");
  ASSERT_TRUE(rc.ok()) << rc.status();
  const SimVenueConfig& v = rc->engine.venue;
  ASSERT_NE(std::get_if<PowerQueue>(&v.queue), nullptr);
  EXPECT_EQ(std::get_if<PowerQueue>(&v.queue)->power, 3);
  const LatencySpec& fill = v.latency[static_cast<int>(VenueMessage::kFill)];
  const auto* lognormal = std::get_if<LognormalLatency::Spec>(&fill.model);
  ASSERT_NE(lognormal, nullptr);
  EXPECT_EQ(fill.base, Duration::Millis(2));
  EXPECT_EQ(lognormal->sigma_milli, 400);
  EXPECT_EQ(lognormal->spike_ppm, 10'000);
  EXPECT_EQ(lognormal->spike, Duration::Millis(30));
  EXPECT_EQ(fill.scaling.feed_scale_pct, 50);
  // A named type starts from the default and overrides what it names.
  const LatencySpec& cancel = v.latency[static_cast<int>(VenueMessage::kCancel)];
  EXPECT_EQ(cancel.model_name(), "lognormal");
  EXPECT_EQ(cancel.base, Duration::Millis(7));
}

TEST(VenueConfigTest, UnknownKeysAndBadValuesAreErrors) {
  EXPECT_FALSE(Parse(R"({"queue_model": "fifo"})").ok());
  EXPECT_FALSE(Parse(R"({"queue_power": 4})").ok());
  EXPECT_FALSE(Parse(R"({"latency": {"submt": {"base": "1ms"}}})").ok());
  EXPECT_FALSE(Parse(R"({"latency": {"fill": {"model": "gamma", "base": "1ms"}}})").ok());
  EXPECT_FALSE(Parse(R"({"latency": {"fill": {"base": "1ms", "spike_probability": "2"}}})").ok());
  EXPECT_FALSE(Parse(R"({"latency": {"fill": {"sigma": "0.1"}}})").ok());  // base is required
  absl::StatusOr<RunConfig> rc = Parse(R"({"latency": {"ack": {"base": "1ms", "jitter": 1}}})");
  ASSERT_FALSE(rc.ok());
  EXPECT_NE(std::string(rc.status().message()).find("jitter"), std::string::npos) << rc.status();
}

// Latencies are added to timestamps: beyond int64 they wrapped ("9999999d" was reported as
// "must be >= 0"); a year is the bound.
TEST(VenueConfigTest, LatenciesBeyondAYearAreErrorsThatSaySo) {
  absl::StatusOr<RunConfig> rc = Parse(R"({"entry_latency": "9999999d"})");
  ASSERT_FALSE(rc.ok());
  EXPECT_NE(std::string(rc.status().message())
                .find("venue.entry_latency: duration '9999999d' is beyond what int64 nanoseconds "
                      "hold"),
            std::string::npos)
      << rc.status();
  rc = Parse(R"({"response_latency": "366d"})");
  ASSERT_FALSE(rc.ok());
  EXPECT_NE(std::string(rc.status().message()).find("venue.response_latency: must be at most 365d"),
            std::string::npos)
      << rc.status();
  rc = Parse(R"({"local_shift": "-400d"})");
  ASSERT_FALSE(rc.ok());
  EXPECT_NE(std::string(rc.status().message()).find("venue.local_shift: must be within -365d..365d"),
            std::string::npos)
      << rc.status();
  EXPECT_TRUE(Parse(R"({"entry_latency": "365d", "local_shift": "-2s"})").ok());
}

}  // namespace
}  // namespace tapedeck::runner
