// The venue on L2 data: queue position under each model, partial fills, market orders walking
// the book, FOK/IOC, one queue for several own orders, seeded random latency. Every expected
// number is worked out in the comments. Table: price scale 2, qty scale 3, tick 0.01, lot 0.001.
#include <functional>
#include <memory>
#include <vector>

#include "core/engine.h"
#include "core/merger.h"
#include "core/sim_venue.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::LevelAt;
using ::tapedeck::testing::RunEngine;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::Scripted;
using ::tapedeck::testing::TradeAt;
const InstrumentId kBtc(0);

InstrumentTable Table() {
  // Fees: maker -0.0001 (a rebate), taker 0.0005.
  return TableOf(
      CentsInstrument("BTCUSDT", InstrumentKind::kPerpetual, Rate(-10'000), Rate(50'000)));
}

Event Level(int64_t ms, Side side, int64_t price, int64_t qty, uint8_t flags = kBookEndOfMessage) {
  return LevelAt(kBtc, ms, side, price, qty, flags);
}

Event Trade(int64_t ms, int64_t price, int64_t qty, Side aggressor) {
  return TradeAt(kBtc, ms, price, qty, aggressor);
}

std::unique_ptr<Engine> RunTape(const InstrumentTable& t, std::vector<Event> tape, Strategy& s,
                                SimVenueConfig venue = {}) {
  EngineConfig cfg;
  cfg.venue = venue;
  cfg.initial_cash = Money(10'000 * Money::kOne);
  return RunEngine(t, std::move(tape), s, cfg);
}

// Book: bid 100.00 x 3.000, ask 100.10 x 2.000. We bid 1.000 at 100.00 (sent 0 ms, at the
// venue 1 ms): 3.000 is ahead of us. 3 ms: the level grows to 5.000 (2.000 behind us).
// 5 ms: it shrinks to 4.000 without a trade (chg 1.000). 8 ms: a sell of 2.800 at 100.00.
// 9 ms: the level shows 1.200 (the trade's decrease, already counted: no further advance).
// 20 ms: a sell of 0.500 at 100.00.
std::vector<Event> QueueTape() {
  return {Level(0, Side::kBuy, 10000, 3000, kBookSnapshotBegin),
          Level(0, Side::kSell, 10010, 2000),
          Level(3, Side::kBuy, 10000, 5000),
          Level(5, Side::kBuy, 10000, 4000),
          Trade(8, 10000, 2800, Side::kSell),
          Level(9, Side::kBuy, 10000, 1200),
          Trade(20, 10000, 500, Side::kSell),
          Trade(30, 10005, 1, Side::kBuy)};
}

std::vector<int64_t> QueueFills(QueueModel q) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(10000), Qty(1000))); }}});
  SimVenueConfig v;
  v.queue = q;
  auto engine = RunTape(t, QueueTape(), s, v);
  std::vector<int64_t> out;
  for (const auto& f : engine->records().fill_log()) out.push_back(f.qty.raw);
  return out;
}

TEST(SimVenueL2Test, RiskAverseQueueAdvancesOnlyOnTrades) {
  // 5 ms: min(3.000, 4.000) = 3.000 still ahead. 8 ms: the 2.800 sell eats 2.800 of the 3.000
  // ahead: 0.200 left, no fill. 20 ms: 0.500 sold: 0.200 ahead, then 0.300 fills us.
  EXPECT_EQ(QueueFills(RiskAverseQueue{}), (std::vector<int64_t>{300}));
}

TEST(SimVenueL2Test, PowerOneQueueAdvancesOnCancellationsAhead) {
  // 5 ms: front 3.000, back 5.000 - 3.000 = 2.000, p = 2/5 = 0.4; the share ahead is
  // 0.6 x 1.000 = 0.600: 2.400 ahead. 8 ms: 2.800 sold: 2.400 ahead, 0.400 fills us.
  // 20 ms: 0.500 sold, nothing ahead: 0.500 more (0.100 still open).
  EXPECT_EQ(QueueFills(PowerQueue{1}), (std::vector<int64_t>{400, 500}));
}

TEST(SimVenueL2Test, PowerTwoQueue) {
  // 5 ms: p = 2^2 / (2^2 + 3^2) = 4/13 = 0.30769; ahead share 0.69231 x 1.000 = 0.692 (floor):
  // 2.308 ahead. 8 ms: 2.800 - 2.308 = 0.492 fills. 20 ms: 0.500 fills (0.008 open).
  EXPECT_EQ(QueueFills(PowerQueue{2}), (std::vector<int64_t>{492, 500}));
}

TEST(SimVenueL2Test, LogQueue) {
  // 5 ms, in lots of 0.001: p = ln 2001 / (ln 2001 + ln 3001) = 7.60140 / 15.60806 = 0.48702;
  // ahead share 0.51298 x 1000 = 512.98 -> 512: 2.488 ahead. 8 ms: 0.312 fills.
  // 20 ms: 0.500 fills.
  EXPECT_EQ(QueueFills(LogQueue{}), (std::vector<int64_t>{312, 500}));
}

TEST(SimVenueL2Test, RiskAverseFillsNoMoreThanTheProbabilityModels) {
  auto sum = [](const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (int64_t x : v) s += x;
    return s;
  };
  const int64_t ra = sum(QueueFills(RiskAverseQueue{}));
  EXPECT_LE(ra, sum(QueueFills(PowerQueue{1})));
  EXPECT_LE(ra, sum(QueueFills(PowerQueue{2})));
  EXPECT_LE(ra, sum(QueueFills(LogQueue{})));
}

TEST(SimVenueL2Test, OwnOrdersAtOnePriceShareOneQueue) {
  // Bid 100.00 x 1.000. A (0.500) and then B (0.500) join behind it: 1.000 ahead of each.
  // 5 ms: a sell of 1.300: 1.000 market ahead, then 0.300 of A. 7 ms: a sell of 0.600: the
  // rest of A (0.200) comes first, then 0.400 of B.
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) {
                 s.ids.push_back(c.BuyLimit(kBtc, Price(10000), Qty(500)));
                 s.ids.push_back(c.BuyLimit(kBtc, Price(10000), Qty(500)));
               }}});
  auto engine = RunTape(t,
                    {Level(0, Side::kBuy, 10000, 1000, kBookSnapshotBegin),
                     Level(0, Side::kSell, 10010, 1000), Trade(5, 10000, 1300, Side::kSell),
                     Trade(7, 10000, 600, Side::kSell), Trade(30, 10005, 1, Side::kBuy)},
                    s);
  const auto& f = engine->records().fill_log();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].order_id, s.ids[0]);
  EXPECT_EQ(f[0].qty, Qty(300));
  EXPECT_EQ(f[1].order_id, s.ids[0]);
  EXPECT_EQ(f[1].qty, Qty(200));
  EXPECT_EQ(f[2].order_id, s.ids[1]);
  EXPECT_EQ(f[2].qty, Qty(400));
  // Maker rebate on the first: 100.00 x 0.300 x -0.0001 = -0.003.
  EXPECT_EQ(f[0].fee, Money(-300'000));
  EXPECT_EQ(f[0].liquidity, Liquidity::kMaker);
}

std::vector<Event> DeepAsks() {
  // Asks 100.10 x 0.500, 100.20 x 1.000, 100.30 x 2.000; bid 100.00 x 1.000.
  return {Level(0, Side::kBuy, 10000, 1000, kBookSnapshotBegin),
          Level(0, Side::kSell, 10010, 500, 0), Level(0, Side::kSell, 10020, 1000, 0),
          Level(0, Side::kSell, 10030, 2000), Trade(30, 10005, 1, Side::kBuy)};
}

TEST(SimVenueL2Test, MarketOrderWalksTheBook) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyMarket(kBtc, Qty(1200))); }}});
  auto engine = RunTape(t, DeepAsks(), s);
  // 0.500 at 100.10, then 0.700 at 100.20. Fees (taker 0.0005): 100.10 x 0.5 x 0.0005 =
  // 0.025025; 100.20 x 0.7 x 0.0005 = 0.03507.
  const auto& f = engine->records().fill_log();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].price, Price(10010));
  EXPECT_EQ(f[0].qty, Qty(500));
  EXPECT_EQ(f[0].fee, Money(2'502'500));
  EXPECT_EQ(f[1].price, Price(10020));
  EXPECT_EQ(f[1].qty, Qty(700));
  EXPECT_EQ(f[1].fee, Money(3'507'000));
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kFilled);
  // Position 1.200, cost 50.05 + 70.14 = 120.19.
  EXPECT_EQ(engine->context().position(kBtc), Qty(1200));
}

TEST(SimVenueL2Test, FokNeedsTheWholeQuantityWithinTheLimitAndIocCancelsTheRest) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) {
                 // FOK 1.000 up to 100.10: only 0.500 there -> cancelled, nothing filled.
                 s.ids.push_back(
                     c.Submit(OrderRequest::Limit(kBtc, Side::kBuy, Price(10010), Qty(1000)).Fok()));
                 // IOC 2.000 up to 100.20: 0.500 + 1.000 fill, 0.500 cancelled.
                 s.ids.push_back(
                     c.Submit(OrderRequest::Limit(kBtc, Side::kBuy, Price(10020), Qty(2000)).Ioc()));
               }}});
  auto engine = RunTape(t, DeepAsks(), s);
  const auto& f = engine->records().fill_log();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].order_id, s.ids[1]);
  EXPECT_EQ(f[0].qty, Qty(500));
  EXPECT_EQ(f[1].qty, Qty(1000));
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kCancelled);
  EXPECT_EQ(engine->context().order(s.ids[1])->status, OrderStatus::kCancelled);
  EXPECT_EQ(engine->context().order(s.ids[1])->filled, Qty(1500));
}

TEST(SimVenueL2Test, ReduceOnlyIsRejectedWhenFlatAndCutToThePosition) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) {
                 // Flat: rejected.
                 s.ids.push_back(
                     c.Submit(OrderRequest::Market(kBtc, Side::kSell, Qty(100)).ReduceOnly()));
                 s.ids.push_back(c.BuyMarket(kBtc, Qty(300)));
                 // After the buy (same arrival instant, FIFO): sell 1.000 reduce-only -> 0.300.
                 s.ids.push_back(
                     c.Submit(OrderRequest::Market(kBtc, Side::kSell, Qty(1000)).ReduceOnly()));
               }}});
  auto engine = RunTape(t, DeepAsks(), s);
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kRejected);
  EXPECT_EQ(engine->context().position(kBtc), Qty(0));
  EXPECT_EQ(engine->context().order(s.ids[2])->filled, Qty(300));
}

std::vector<int64_t> RandomLatencyFills(uint64_t seed) {
  const InstrumentTable t = Table();
  std::vector<Scripted::Step> steps;
  for (int i = 0; i < 40; ++i) {
    steps.push_back({i * 10, [i](Context& c) {
                       if (i % 2 == 0) c.BuyMarket(kBtc, Qty(100));
                       else c.SellMarket(kBtc, Qty(100));
                     }});
  }
  Scripted s(std::move(steps));
  std::vector<Event> tape;
  for (int ms = 0; ms < 600; ms += 2) {
    const uint8_t snap = ms == 0 ? kBookSnapshotBegin : 0;
    tape.push_back(Level(ms, Side::kBuy, 10000 + (ms / 50), 1000, snap));
    tape.push_back(Level(ms, Side::kSell, 10010 + (ms / 50), 1000));
  }
  SimVenueConfig v;
  v.seed = seed;
  for (LatencySpec& l : v.latency) {
    l = LatencySpec::Lognormal(Duration::Millis(3), 800, 100'000, Duration::Millis(40));  // 10 %
  }
  auto engine = RunTape(t, tape, s, v);
  std::vector<int64_t> out;
  for (const auto& f : engine->records().fill_log()) {
    out.insert(out.end(), {f.local_ts.ns, f.exchange_ts.ns, f.price.raw, f.qty.raw, f.fee.raw});
  }
  return out;
}

TEST(SimVenueL2Test, RandomLatencySameSeedSameFillsOtherSeedOtherFills) {
  const std::vector<int64_t> a = RandomLatencyFills(7);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, RandomLatencyFills(7));
  EXPECT_NE(a, RandomLatencyFills(8));
}

TEST(SimVenueL2Test, ResponsesNeverOvertakeUnderRandomLatency) {
  // Lognormal sigma 1.5 on every response: local times of the responses, in the order the venue
  // produced them, never decrease.
  InstrumentTable t = Table();
  std::vector<Event> out;
  SimVenueConfig v;
  v.seed = 3;
  for (LatencySpec& l : v.latency) l = LatencySpec::Lognormal(Duration::Millis(5), 1500);
  SimVenue venue(t, v, &out);
  venue.OnMarketData(Level(0, Side::kSell, 10010, 100000, kBookSnapshotBegin));
  for (int i = 0; i < 200; ++i) {
    const OrderRequest r = OrderRequest::Market(kBtc, Side::kBuy, Qty(1))
                               .WithId(OrderId(static_cast<uint64_t>(i + 1)));
    venue.OnOrderArrival(r, Timestamp(i * kMs / 10));
  }
  ASSERT_EQ(out.size(), 400u);
  for (size_t i = 1; i < out.size(); ++i) EXPECT_LE(out[i - 1].local_ts, out[i].local_ts);
}

}  // namespace
}  // namespace tapedeck
