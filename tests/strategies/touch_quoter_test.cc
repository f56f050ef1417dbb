// touch_quoter on the USD-M BTCUSDT websocket capture of 2024-08-08, in process: pins the order
// and fill digests under two queue models and shows that the risk-averse model fills no more
// than the power model (the quoter's orders do not depend on its fills, so both models see the
// same quoting intent until fills differ). tests/runner/venue_golden_test.cc runs the same through
// the CLI.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "replay/source_factory.h"
#include "strategies/touch_quoter.h"
#include "testkit/strategy_test.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::SharedData;

// Pinned digests (FNV-1a 64 over the order log, then over the fill log, as below). When a
// deliberate venue change moves them, the commit that updates them says why.
constexpr uint64_t kRiskAverseOrders = 0x068ba3a58355a3feULL;
constexpr uint64_t kRiskAverseFills = 0x280c78f9a54584ebULL;
constexpr uint64_t kPowerOrders = 0x2aaaedff2917bc87ULL;
constexpr uint64_t kPowerFills = 0x847c3ea179a70b5fULL;

uint64_t Fnv(uint64_t h, int64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xFF;
    h *= 0x100000001B3ULL;
  }
  return h;
}

struct Outcome {
  uint64_t orders = 0xCBF29CE484222325ULL;
  uint64_t fills = 0xCBF29CE484222325ULL;
  size_t order_count = 0;
  size_t fill_count = 0;
  int64_t filled_raw = 0;
};

Outcome RunQuoter(QueueModel queue) {
  InstrumentTable t;
  Instrument in;
  in.symbol = "BTCUSDT";
  in.kind = InstrumentKind::kPerpetual;
  in.price_scale = 2;
  in.qty_scale = 3;
  in.tick_size = Price(10);
  in.lot_size = Qty(1);
  in.maker_fee = Rate(20'000);
  in.taker_fee = Rate(50'000);
  EXPECT_TRUE(t.Add(in).ok());
  replay::SourceSpec spec;
  spec.path = SharedData("binance_capture_20240808/usdm/btcusdt_20240808.gz");
  spec.format = "binance_ws_capture";
  spec.instrument = "BTCUSDT";
  absl::StatusOr<std::unique_ptr<EventSource>> src = replay::OpenSource(spec, t);
  EXPECT_TRUE(src.ok()) << src.status();
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration::Millis(2);
  cfg.venue.response_latency = Duration::Millis(2);
  cfg.venue.queue = queue;
  strategies::TouchQuoter quoter({InstrumentId(0), Qty(10), Duration::Millis(500)}, in.tick_size);
  absl::StatusOr<testkit::Outcome> run = testkit::Backtest(t, std::move(*src), quoter, cfg);
  EXPECT_TRUE(run.ok()) << run.status();
  if (!run.ok()) return {};
  const CollectingSink& records = run->records();
  Outcome o;
  for (const OrderLogEntry& e : records.order_log()) {
    for (int64_t v : {e.ts.ns, int64_t{e.action == RequestAction::kCancel},
                      static_cast<int64_t>(e.request.id.value),
                      static_cast<int64_t>(e.request.side), e.request.price.raw, e.request.qty.raw}) {
      o.orders = Fnv(o.orders, v);
    }
  }
  for (const FillLogEntry& f : records.fill_log()) {
    for (int64_t v : {f.local_ts.ns, f.exchange_ts.ns, static_cast<int64_t>(f.order_id.value),
                      f.price.raw, f.qty.raw, f.fee.raw}) {
      o.fills = Fnv(o.fills, v);
    }
    o.filled_raw += f.qty.raw;
  }
  o.order_count = records.order_log().size();
  o.fill_count = records.fill_log().size();
  return o;
}

TEST(TouchQuoterTest, BtcCaptureDigestsUnderTwoQueueModels) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const Outcome ra = RunQuoter(RiskAverseQueue{});
  const Outcome pw = RunQuoter(PowerQueue{2});
  std::printf("risk_averse: %zu orders %zu fills %lld raw orders %016llx fills %016llx\n",
              ra.order_count, ra.fill_count, static_cast<long long>(ra.filled_raw),
              static_cast<unsigned long long>(ra.orders), static_cast<unsigned long long>(ra.fills));
  std::printf("power2:      %zu orders %zu fills %lld raw orders %016llx fills %016llx\n",
              pw.order_count, pw.fill_count, static_cast<long long>(pw.filled_raw),
              static_cast<unsigned long long>(pw.orders), static_cast<unsigned long long>(pw.fills));
  EXPECT_GT(ra.order_count, 10u);
  EXPECT_GT(pw.fill_count, 0u);
  EXPECT_LE(ra.filled_raw, pw.filled_raw);
  EXPECT_EQ(ra.orders, kRiskAverseOrders);
  EXPECT_EQ(ra.fills, kRiskAverseFills);
  EXPECT_EQ(pw.orders, kPowerOrders);
  EXPECT_EQ(pw.fills, kPowerFills);
}

TEST(TouchQuoterTest, SameRunTwiceIsIdentical) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const Outcome a = RunQuoter(LogQueue{});
  const Outcome b = RunQuoter(LogQueue{});
  EXPECT_EQ(a.orders, b.orders);
  EXPECT_EQ(a.fills, b.fills);
}

}  // namespace
}  // namespace tapedeck
