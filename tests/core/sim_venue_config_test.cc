// The "venue" config section (core/sim_venue_config.h): what it parses into, the defaults it
// keeps, and its errors, which name the key path.
#include "core/sim_venue_config.h"

#include <string>
#include <variant>

#include "core/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::testing::HasSubstr;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::WriteFile;

// The section `text` as it sits at "venue" in a run config; *local_shift gets "local_shift"
// unless `no_local_shift`.
absl::Status Parse(const std::string& text, SimVenueConfig* out, Duration* local_shift = nullptr,
                   bool no_local_shift = false) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"venue": )" + text + "}");
  absl::StatusOr<ConfigObject> root = ConfigObject::Of(&doc, "");
  if (!root.ok()) return root.status();
  absl::StatusOr<ConfigObject> venue = root->Object("venue");
  if (!venue.ok()) return venue.status();
  Duration shift;
  if (local_shift == nullptr) local_shift = &shift;
  return ParseVenueConfig(*venue, out, no_local_shift ? nullptr : local_shift);
}

std::string Error(const std::string& text, bool no_local_shift = false) {
  SimVenueConfig v;
  const absl::Status s = Parse(text, &v, nullptr, no_local_shift);
  return s.ok() ? "ok" : std::string(s.message());
}

TEST(SimVenueConfigTest, AnEmptySectionKeepsTheDefaults) {
  SimVenueConfig v;
  v.entry_latency = Duration();  // fixsim's defaults: kept when the section says nothing
  Duration shift = Duration(7);
  ASSERT_TRUE(Parse("{}", &v, &shift).ok());
  EXPECT_EQ(v.entry_latency, Duration());
  EXPECT_EQ(v.response_latency, Duration::Millis(1));
  EXPECT_EQ(shift, Duration(7));
  EXPECT_EQ(QueueModelName(v.queue), "risk_averse");
  EXPECT_EQ(v.vol_halflife, Duration::Seconds(1));
  EXPECT_FALSE(v.account_latency.has_value());
  for (const LatencySpec& l : v.latency) {
    EXPECT_EQ(l.model_name(), "constant");
    EXPECT_TRUE(l.inherits());
  }
}

TEST(SimVenueConfigTest, ReadsQueueAndPerMessageLatencyModels) {
  SimVenueConfig v;
  Duration shift;
  ASSERT_TRUE(Parse(R"({"entry_latency": "2ms", "local_shift": "250us",
      "queue_model": "power", "queue_power": 3,
      "latency": {"default": {"model": "lognormal", "base": "2ms", "sigma": "0.4",
                              "spike_probability": "0.01", "spike": "30ms", "feed_scale_pct": 50},
                  "cancel": {"base": "7ms"}, "ack": {"model": "constant"},
                  "account": {"base": "9ms"}}})",
                    &v, &shift).ok());
  EXPECT_EQ(v.entry_latency, Duration::Millis(2));
  EXPECT_EQ(shift, Duration::Micros(250));
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
  // A named type starts from the default and overrides what it names: the model, the base...
  const LatencySpec& cancel = v.latency[static_cast<int>(VenueMessage::kCancel)];
  EXPECT_EQ(cancel.model_name(), "lognormal");
  EXPECT_EQ(cancel.base, Duration::Millis(7));
  EXPECT_EQ(std::get_if<LognormalLatency::Spec>(&cancel.model)->sigma_milli, 400);
  // ...and another model keeps the base and the scaling, not the old model's own keys.
  const LatencySpec& ack = v.latency[static_cast<int>(VenueMessage::kAck)];
  EXPECT_EQ(ack.model_name(), "constant");
  EXPECT_EQ(ack.base, Duration::Millis(2));
  EXPECT_EQ(ack.scaling.feed_scale_pct, 50);
  // "account" does not inherit from "default".
  ASSERT_TRUE(v.account_latency.has_value());
  EXPECT_EQ(v.account_latency->model_name(), "constant");
  EXPECT_EQ(v.account_latency->scaling.feed_scale_pct, 0);
}

TEST(SimVenueConfigTest, RecordedModelReadsItsFileOnce) {
  const std::string dir = MakeTempDir("venue_config_recorded");
  WriteFile(dir + "/lat.csv",
            "request_ns,exchange_ns,response_ns\n1000,1100,1400\n2000,2500,2600\n");
  SimVenueConfig v;
  ASSERT_TRUE(Parse(R"({"latency": {"default": {"model": "recorded", "file": ")" + dir +
                        R"(/lat.csv", "align": "absolute"}}})",
                    &v).ok());
  const auto* submit = std::get_if<RecordedLatency::Spec>(&v.latency[0].model);
  ASSERT_NE(submit, nullptr);
  ASSERT_NE(submit->recording, nullptr);
  EXPECT_EQ(submit->align, LatencyAlign::kAbsolute);
  EXPECT_EQ(submit->recording->entry, (std::vector<int64_t>{100, 500}));
  EXPECT_EQ(std::get_if<RecordedLatency::Spec>(&v.latency[5].model)->recording,
            submit->recording);  // one file for every message type
}

TEST(SimVenueConfigTest, ErrorsNameTheKeyPathAndTheAllowedValues) {
  EXPECT_THAT(Error(R"({"queue_model": "fifo"})"),  // then any registered model's name
              HasSubstr("venue.queue_model: unknown queue model 'fifo' (risk_averse, power, log"));
  EXPECT_EQ(Error(R"({"queue_model": "power", "queue_power": 4})"),
            "venue.queue_power: must be 1, 2 or 3");
  EXPECT_EQ(Error(R"({"queue_model": "log", "queue_power": 2})"),
            "venue.queue_power: only for queue model 'power' (this one is 'log')");
  EXPECT_THAT(Error(R"({"latency": {"fill": {"model": "gamma", "base": "1ms"}}})"),
              HasSubstr("venue.latency.fill.model: unknown latency model 'gamma' (allowed: "
                        "constant, lognormal, recorded"));
  EXPECT_EQ(Error(R"({"latency": {"fill": {"sigma": "0.1"}}})"),
            "venue.latency.fill.base: required for model 'constant'");
  EXPECT_EQ(Error(R"({"latency": {"fill": {"base": "1ms", "sigma": "0.1"}}})"),
            "venue.latency.fill.sigma: only for model 'lognormal' (this one is 'constant')");
  EXPECT_THAT(Error(R"({"latency": {"fill": {"base": "1ms", "file": "x.csv"}}})"),
              HasSubstr("venue.latency.fill.file: only for model 'recorded'"));
  EXPECT_EQ(Error(R"({"latency": {"fill": {"model": "recorded"}}})"),
            "venue.latency.fill.file: required for model 'recorded' (a CSV "
            "request_ns,exchange_ns,response_ns)");
  EXPECT_EQ(Error(R"({"latency": {"fill": {"model": "lognormal", "base": "1ms",
                                           "spike_probability": "2"}}})"),
            "venue.latency.fill.spike_probability: must be in [0, 1]");
  EXPECT_EQ(Error(R"({"latency": {"fill": {"base": "1ms", "vol_scale": "-1"}}})"),
            "venue.latency.fill.vol_scale: must be in [0, 1000]");
  EXPECT_EQ(Error(R"({"latency": {"vol_halflife": "0s"}})"),
            "venue.latency.vol_halflife: must be > 0");
  EXPECT_EQ(Error(R"({"entry_latency": "-1ms"})"), "venue.entry_latency: must be >= 0");
  EXPECT_THAT(Error(R"({"latency": {"submt": {"base": "1ms"}}})"),
              HasSubstr("unknown key venue.latency.submt"));
  EXPECT_THAT(Error(R"({"entry_latancy": "2ms"})"),
              HasSubstr("allowed here: entry_latency, latency, local_shift, queue_model, "
                        "queue_power"));  // then any registered model's keys
}

TEST(SimVenueConfigTest, WithoutAPlaceForItLocalShiftIsRefusedWithTheReason) {
  EXPECT_THAT(Error(R"({"local_shift": "1ms"})", /*no_local_shift=*/true),
              HasSubstr("venue.local_shift: delays a backtest's market data"));
  EXPECT_EQ(Error(R"({"entry_latency": "1ms"})", /*no_local_shift=*/true), "ok");
}

}  // namespace
}  // namespace tapedeck
