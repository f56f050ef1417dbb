// The run config's "venue" section reaches the venue's own parser (core/sim_venue_config.h, tested
// in tests/core/sim_venue_config_test.cc) with the run's seed, and its errors keep their path;
// the run config bounds its latencies and local shift to a year.
#include <string>

#include "runner/run_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tapedeck::runner {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<RunConfig> Parse(const std::string& venue) {
  const std::string text = R"({"seed": 5,
    "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
    "sources": [{"path": "x.csv", "format": "trades_csv", "instrument": "BTCUSDT"}],
    "venue": )" + venue + R"(,
    "strategies": [{"name": "sma_crossover", "params": {"instrument": "BTCUSDT"}}]})";
  return ParseRunConfig(nlohmann::json::parse(text), "test.json", std::nullopt);
}

TEST(VenueConfigTest, TheVenueSectionReachesTheVenueParserWithTheRunSeed) {
  absl::StatusOr<RunConfig> rc = Parse(R"({"queue_model": "power", "queue_power": 3})");
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_EQ(QueueModelName(rc->engine.venue.queue), "power");
  EXPECT_EQ(rc->engine.venue.seed, 5u);
  rc = Parse(R"({"queue_model": "power", "queue_power": 4})");
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("venue.queue_power: must be 1, 2 or 3"));
}

// Latencies are added to timestamps: beyond int64 they wrapped ("9999999d" was reported as
// "must be >= 0"); a year is the bound.
TEST(VenueConfigTest, LatenciesBeyondAYearAreErrorsThatSaySo) {
  absl::StatusOr<RunConfig> rc = Parse(R"({"entry_latency": "9999999d"})");
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("venue.entry_latency: duration '9999999d' is beyond what int64 "
                        "nanoseconds hold"));
  rc = Parse(R"({"response_latency": "366d"})");
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("venue.response_latency: must be at most 365d"));
  rc = Parse(R"({"local_shift": "-400d"})");
  ASSERT_FALSE(rc.ok());
  EXPECT_THAT(std::string(rc.status().message()),
              HasSubstr("venue.local_shift: must be within -365d..365d"));
  EXPECT_TRUE(Parse(R"({"entry_latency": "365d", "local_shift": "-2s"})").ok());
}

}  // namespace
}  // namespace tapedeck::runner
