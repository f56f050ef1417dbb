// Latency and queue models registered at run time (core/latency_model_registry.h,
// core/queue_model_registry.h), as a plugin would: named in the "venue" config section, parsed
// by their own parsers, and run by the venue through the Engine. Every expected number is worked
// out in the comments.
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/engine.h"
#include "core/latency_model_registry.h"
#include "core/queue_model_registry.h"
#include "core/sim_venue_config.h"
#include "core/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::testing::HasSubstr;
using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::LevelAt;
using ::tapedeck::testing::RunEngine;
using ::tapedeck::testing::Scripted;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::TradeAt;

const InstrumentId kBtc(0);

// "stepped": the n-th message of a stream (from 0) takes base + n x step.
class SteppedParams final : public LatencyModelParams {
 public:
  explicit SteppedParams(Duration step) : step_(step) {}
  Duration step() const { return step_; }
  std::unique_ptr<LatencySampler> MakeSampler(uint64_t, bool) const override {
    class Sampler final : public LatencySampler {
     public:
      explicit Sampler(int64_t step) : step_(step) {}
      int64_t Draw(const LatencyDraw& d) override { return d.base_ns + step_ * n_++; }

     private:
      int64_t step_;
      int64_t n_ = 0;
    };
    return std::make_unique<Sampler>(step_.ns);
  }

 private:
  Duration step_;
};

// "share": a decrease of the level (not from trades) counts `queue_share_pct` % ahead of the
// order.
class ShareQueue final : public QueueModelImpl {
 public:
  explicit ShareQueue(int64_t pct) : pct_(pct) {}
  int64_t AheadAfterDepthChange(int64_t ahead, int64_t prev_qty, int64_t new_qty,
                                int64_t) const override {
    const int64_t chg = prev_qty - new_qty;
    return chg <= 0 ? ahead : ahead - chg * pct_ / 100;
  }

 private:
  int64_t pct_;
};

// Registers both models once per process (registration is global and permanent).
void RegisterTestModels() {
  static const bool registered = [] {
    absl::Status a = RegisterLatencyModel(
        "stepped", {"step"},
        [](ConfigObject& o, const LatencyModelParams* inherited)
            -> absl::StatusOr<std::shared_ptr<const LatencyModelParams>> {
          Duration step = inherited != nullptr
                              ? static_cast<const SteppedParams*>(inherited)->step()
                              : Duration();
          TAPEDECK_RETURN_IF_ERROR(o.DurationValue("step", &step));
          if (step.ns < 0) return o.Error("step", "must be >= 0");
          return std::make_shared<SteppedParams>(step);
        });
    absl::Status b = RegisterQueueModel(
        "share", {"queue_share_pct"},
        [](ConfigObject& venue) -> absl::StatusOr<std::shared_ptr<const QueueModelImpl>> {
          int64_t pct = 50;
          TAPEDECK_RETURN_IF_ERROR(venue.Int("queue_share_pct", &pct));
          if (pct < 0 || pct > 100) return venue.Error("queue_share_pct", "must be in [0, 100]");
          return std::make_shared<ShareQueue>(pct);
        });
    EXPECT_THAT(a, IsOk());
    EXPECT_THAT(b, IsOk());
    return a.ok() && b.ok();
  }();
  ASSERT_TRUE(registered);
}

absl::Status ParseVenue(const std::string& text, SimVenueConfig* out) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"venue": )" + text + "}");
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject root, ConfigObject::Of(&doc, ""));
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject venue, root.Object("venue"));
  Duration shift;
  return ParseVenueConfig(venue, out, &shift);
}

TEST(ModelRegistryTest, RegisteredModelsAreParsedByTheirOwnParsers) {
  RegisterTestModels();
  SimVenueConfig v;
  ASSERT_THAT(ParseVenue(R"({"queue_model": "share", "queue_share_pct": 25,
      "latency": {"default": {"model": "stepped", "base": "1ms", "step": "2ms"},
                  "fill": {"step": "5ms"}}})", &v), IsOk());
  EXPECT_EQ(QueueModelName(v.queue), "share");
  EXPECT_EQ(v.latency[0].model_name(), "stepped");
  // A named message type inherits the model's parameters and overrides what it names.
  LatencyModel fill(v.latency[static_cast<int>(VenueMessage::kFill)], Duration(), 0, false);
  EXPECT_EQ(fill.Sample(Timestamp(), 0, 0), Duration::Millis(1));
  EXPECT_EQ(fill.Sample(Timestamp(), 0, 0), Duration::Millis(6));
  LatencyModel ack(v.latency[static_cast<int>(VenueMessage::kAck)], Duration(), 0, false);
  ack.Sample(Timestamp(), 0, 0);
  EXPECT_EQ(ack.Sample(Timestamp(), 0, 0), Duration::Millis(3));
  // The queue model keeps its result within [0, the new size].
  EXPECT_EQ(QueueAheadAfterDepthChange(v.queue, 1000, 1000, 200, 1), 200);
}

TEST(ModelRegistryTest, TheTablesNameRegisteredModelsAndTheirKeysInErrors) {
  RegisterTestModels();
  SimVenueConfig v;
  absl::Status s = ParseVenue(R"({"latency": {"fill": {"model": "gamma", "base": "1ms"}}})", &v);
  EXPECT_THAT(s.message(), HasSubstr("(allowed: constant, lognormal, recorded, stepped)"));
  s = ParseVenue(R"({"queue_model": "fifo"})", &v);
  EXPECT_THAT(s.message(), HasSubstr("(risk_averse, power, log, share)"));
  s = ParseVenue(R"({"latency": {"ack": {"base": "1ms", "step": "1ms"}}})", &v);
  EXPECT_EQ(s.message(),
            "venue.latency.ack.step: only for model 'stepped' (this one is 'constant')");
  s = ParseVenue(R"({"queue_model": "share", "queue_share_pct": 101})", &v);
  EXPECT_EQ(s.message(), "venue.queue_share_pct: must be in [0, 100]");
  s = ParseVenue(R"({"queue_model": "share", "queue_power": 2})", &v);
  EXPECT_EQ(s.message(), "venue.queue_power: only for queue model 'power' (this one is 'share')");
  // Names are unique, and the common keys are not a model's to take.
  EXPECT_EQ(RegisterLatencyModel("constant", {}, nullptr).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(RegisterLatencyModel("stepped2", {"base"}, nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RegisterQueueModel("share", {}, nullptr).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(RegisterQueueModel("fifo", {"latency"}, nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

// A level of 1.000 at 100.00 that an own buy of 0.100 joins at 2 ms; 1.000 more joins behind
// it, then the level shrinks to 1.600 without a trade, then a sell of 0.850 prints at 100.00.
std::vector<Event> ShrinkThenTrade() {
  return {LevelAt(kBtc, 0, Side::kBuy, 10000, 1000, kBookSnapshotBegin | kBookEndOfMessage),
          LevelAt(kBtc, 0, Side::kSell, 10010, 1000),
          LevelAt(kBtc, 3, Side::kBuy, 10000, 2000),
          LevelAt(kBtc, 5, Side::kBuy, 10000, 1600),
          TradeAt(kBtc, 6, 10000, 850, Side::kSell),
          TradeAt(kBtc, 30, 10005, 1, Side::kBuy)};
}

TEST(ModelRegistryTest, RegisteredModelsRunThroughTheEngine) {
  RegisterTestModels();
  EngineConfig cfg;
  ASSERT_THAT(ParseVenue(R"({"queue_model": "share", "queue_share_pct": 50,
      "latency": {"default": {"model": "stepped", "base": "1ms", "step": "1ms"}}})",
                         &cfg.venue), IsOk());
  const InstrumentTable t = TableOf(CentsInstrument());
  Scripted s({{1, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(10000), Qty(100))); }},
              {10, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(9990), Qty(100))); }}});
  auto engine = RunEngine(t, ShrinkThenTrade(), s, cfg);
  // Order 1, sent at 1 ms, is the submit stream's first message: 1 ms + 0 steps, at the venue at
  // 2 ms, behind 1.000; its ack (the ack stream's first) is seen at 3 ms. At 5 ms the level
  // loses 0.400, half of it ahead: ahead 1.000 - 0.200 = 0.800 (the risk-averse model would
  // keep 1.000, and the print would not reach the order). The 0.850 print at 6 ms takes the
  // 0.800 ahead, then 0.050 of the order: a maker fill of 0.050, the fill stream's first, seen
  // at 7 ms. Order 2, sent at 10 ms, is the submit stream's second message: 1 ms + 1 step =
  // 2 ms, at the venue at 12 ms; its ack, the ack stream's second, 2 ms later: seen at 14 ms.
  ASSERT_EQ(s.updates.size(), 3u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[0].exchange_ts, 2 * kMs);
  EXPECT_EQ(s.updates[0].local_ts, 3 * kMs);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderFill);
  EXPECT_EQ(s.updates[1].order.qty, Qty(50));
  EXPECT_EQ(s.updates[1].local_ts, 7 * kMs);
  EXPECT_EQ(s.updates[2].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[2].exchange_ts, 12 * kMs);
  EXPECT_EQ(s.updates[2].local_ts, 14 * kMs);
  EXPECT_EQ(engine->venue().QueueAhead(s.ids[0], kBtc), 0);
}

}  // namespace
}  // namespace tapedeck
