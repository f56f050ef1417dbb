// Fills against hand-made tapes: every expected number is worked out in the comments.
#include "core/sim_venue.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine.h"
#include "core/merger.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::QuoteAt;
using ::tapedeck::testing::RunEngine;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::Scripted;
using ::tapedeck::testing::TradeAt;
using ::tapedeck::testing::VectorSource;
const InstrumentId kBtc(0);

InstrumentTable Table() {
  // Fees: maker 0.0002, taker 0.0005.
  return TableOf(CentsInstrument("BTCUSDT", InstrumentKind::kSpot, Rate(20'000), Rate(50'000)));
}

Event Quote(int64_t ms, int64_t bid, int64_t ask) { return QuoteAt(kBtc, ms, bid, ask); }

Event Trade(int64_t ms, int64_t price, int64_t local_delay_ms = 0) {
  return TradeAt(kBtc, ms, price, 100, Side::kSell, local_delay_ms);
}

std::unique_ptr<Engine> RunTape(const InstrumentTable& t, std::vector<Event> tape, Scripted& s,
                                int64_t entry_ms = 1, int64_t response_ms = 1) {
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration(entry_ms * kMs);
  cfg.venue.response_latency = Duration(response_ms * kMs);
  cfg.initial_cash = Money(10'000 * Money::kOne);
  return RunEngine(t, std::move(tape), s, cfg);
}

TEST(SimVenueTest, MarketOrderFillsAtTheTouchAfterEntryLatencyAndReportsAfterResponseLatency) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyMarket(kBtc, Qty(1000))); }}});
  auto engine = RunTape(t, {Quote(0, 10000, 10010), Quote(1, 10020, 10030), Trade(10, 10025)}, s);
  // Sent at 0 ms, arrives at 1 ms; the quote stamped 1 ms is applied first (market data goes
  // first at equal time), so the buy lifts 100.30. The fill reaches the strategy at 2 ms.
  const auto& fills = engine->records().fill_log();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, Price(10030));
  EXPECT_EQ(fills[0].qty, Qty(1000));
  EXPECT_EQ(fills[0].exchange_ts, Timestamp(1 * kMs));
  EXPECT_EQ(fills[0].local_ts, Timestamp(2 * kMs));
  EXPECT_EQ(fills[0].liquidity, Liquidity::kTaker);
  // Taker fee: 100.30 x 1.000 x 0.0005 = 0.05015.
  EXPECT_EQ(fills[0].fee, Money(5'015'000));
  // Ack before fill, both at 2 ms.
  ASSERT_EQ(s.updates.size(), 2u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderFill);
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kFilled);
  // Equity at the end: 10000 - 100.30 - 0.05015 + 1.000 x 100.25 (last trade) = 9999.89985.
  EXPECT_EQ(engine->context().portfolio().Equity(), Money(999'989'985'000));
}

TEST(SimVenueTest, WithTradesOnlyAMarketOrderFillsAtTheNextTrade) {
  const InstrumentTable t = Table();
  Scripted s({{3, [&](Context& c) { s.ids.push_back(c.SellMarket(kBtc, Qty(500))); }}});
  auto engine = RunTape(t, {Trade(0, 10000), Trade(4, 10005), Trade(9, 9990), Trade(30, 9995)}, s);
  // Sent at 3, arrives at 4: the trade at 4 comes first at equal time, so the order waits for
  // the next trade, at 9 ms, 99.90.
  const auto& fills = engine->records().fill_log();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, Price(9990));
  EXPECT_EQ(fills[0].exchange_ts, Timestamp(9 * kMs));
  EXPECT_EQ(fills[0].local_ts, Timestamp(10 * kMs));
}

TEST(SimVenueTest, ResponsesDueAfterTheLastMarketEventAreNotDelivered) {
  const InstrumentTable t = Table();
  Scripted s({{3, [&](Context& c) { s.ids.push_back(c.SellMarket(kBtc, Qty(500))); }}});
  auto engine = RunTape(t, {Trade(0, 10000), Trade(4, 10005), Trade(9, 9990)}, s);
  // The run ends at the last market event's strategy time (9 ms): the fill at 9 ms is due at
  // 10 ms and never reaches the strategy; the order log still shows the request.
  EXPECT_TRUE(engine->records().fill_log().empty());
  EXPECT_EQ(engine->records().order_log().size(), 1u);
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kOpen);
}

TEST(SimVenueTest, RestingLimitFillsOnlyWhenTheMarketTradesThrough) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(9950), Qty(2000))); }}});
  auto engine = RunTape(t,
                        {Quote(0, 10000, 10010), Trade(5, 9950), Trade(6, 9949), Trade(20, 9900)}, s);
  // Queue position (issue 4): the 99.50 level is empty in the data when the order rests, so the
  // order is first in its queue and the sell trade of 0.100 at 99.50 fills 0.100 of it (the
  // first version filled nothing until a trade went through). 99.49 trades through and fills the
  // remaining 1.900 at the limit, as maker.
  // Fees: 99.50 x 0.100 x 0.0002 = 0.00199; 99.50 x 1.900 x 0.0002 = 0.03781 (sum 0.0398).
  const auto& fills = engine->records().fill_log();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].price, Price(9950));
  EXPECT_EQ(fills[0].qty, Qty(100));
  EXPECT_EQ(fills[0].exchange_ts, Timestamp(5 * kMs));
  EXPECT_EQ(fills[0].fee, Money(199'000));
  EXPECT_EQ(fills[1].price, Price(9950));
  EXPECT_EQ(fills[1].qty, Qty(1900));
  EXPECT_EQ(fills[1].exchange_ts, Timestamp(6 * kMs));
  EXPECT_EQ(fills[1].liquidity, Liquidity::kMaker);
  EXPECT_EQ(fills[1].fee, Money(3'781'000));
}

TEST(SimVenueTest, MarketableLimitTakesAtTheTouchWithPriceImprovement) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(10050), Qty(1000))); }}});
  auto engine = RunTape(t, {Quote(0, 10000, 10010), Trade(5, 10005)}, s);
  const auto& fills = engine->records().fill_log();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, Price(10010));
  EXPECT_EQ(fills[0].liquidity, Liquidity::kTaker);
}

TEST(SimVenueTest, CancelAfterTheFillIsRejectedAndTheStrategyLearnsOfBoth) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(9950), Qty(1000))); }},
              // The trade through the limit happens at 5 ms; the fill report arrives at 6 ms.
              // A cancel sent at 5 ms reaches the venue at 6 ms, after the fill.
              {5, [&](Context& c) { EXPECT_TRUE(c.Cancel(s.ids[0])); }}});
  auto engine = RunTape(t, {Quote(0, 10000, 10010), Trade(5, 9940), Trade(30, 9945)}, s);
  std::vector<EventKind> kinds;
  for (const Event& e : s.updates) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::kOrderAck, EventKind::kOrderFill,
                                           EventKind::kOrderReject}));
  EXPECT_EQ(s.updates[2].order.reason, RejectReason::kUnknownOrder);
  // The order stays filled: a rejected cancel changes nothing.
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kFilled);
}

TEST(SimVenueTest, CancelBeforeTheFillCancels) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(9950), Qty(1000))); }},
              {3, [&](Context& c) { EXPECT_TRUE(c.Cancel(s.ids[0])); }}});
  auto engine = RunTape(t, {Quote(0, 10000, 10010), Trade(5, 9940), Trade(30, 9945)}, s);
  EXPECT_TRUE(engine->records().fill_log().empty());
  ASSERT_EQ(s.updates.size(), 2u);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderCancel);
  EXPECT_EQ(s.updates[1].order.qty, Qty(1000));
  EXPECT_EQ(engine->context().order(s.ids[0])->status, OrderStatus::kCancelled);
}

TEST(SimVenueTest, PostOnlyThatWouldCrossIsRejectedAndIocThatCannotFillIsCancelled) {
  const InstrumentTable t = Table();
  Scripted s({{0, [&](Context& c) {
                 const OrderRequest po =
                     OrderRequest::Limit(kBtc, Side::kBuy, Price(10010), Qty(1000)).PostOnly();
                 s.ids.push_back(c.Submit(po));
                 const OrderRequest ioc =
                     OrderRequest::Limit(kBtc, Side::kBuy, Price(9900), Qty(1000)).Ioc();
                 s.ids.push_back(c.Submit(ioc));
               }}});
  auto engine = RunTape(t, {Quote(0, 10000, 10010), Trade(10, 9800)}, s);
  // All three responses reach the strategy at 2 ms; at equal time the kind rank orders them
  // (ack, cancel, reject), not the order in which the venue produced them.
  ASSERT_EQ(s.updates.size(), 3u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[0].order.order_id, s.ids[1]);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderCancel);
  EXPECT_EQ(s.updates[1].order.order_id, s.ids[1]);
  EXPECT_EQ(s.updates[2].kind, EventKind::kOrderReject);
  EXPECT_EQ(s.updates[2].order.reason, RejectReason::kWouldCross);
  EXPECT_EQ(s.updates[2].order.order_id, s.ids[0]);
  EXPECT_TRUE(engine->records().fill_log().empty());
}

TEST(SimVenueTest, InvalidQuantityAndPriceAreRejected) {
  InstrumentTable t;
  Instrument in;
  in.symbol = "X";
  in.price_scale = 2;
  in.qty_scale = 3;
  in.tick_size = Price(5);   // 0.05
  in.lot_size = Qty(10);     // 0.010
  ASSERT_THAT(t.Add(in), IsOk());
  Scripted s({{0, [&](Context& c) {
                 c.BuyMarket(kBtc, Qty(15));
                 c.BuyLimit(kBtc, Price(10003), Qty(10));
                 c.BuyMarket(kBtc, Qty(0));
               }}});
  auto engine = RunTape(t, {Quote(0, 10000, 10010), Trade(10, 10000)}, s);
  ASSERT_EQ(s.updates.size(), 3u);
  EXPECT_EQ(s.updates[0].order.reason, RejectReason::kInvalidQty);
  EXPECT_EQ(s.updates[1].order.reason, RejectReason::kInvalidPrice);
  EXPECT_EQ(s.updates[2].order.reason, RejectReason::kInvalidQty);
}

TEST(SimVenueTest, RequestsNeverOvertakeAndTheStrategySeesDataAtLocalTime) {
  const InstrumentTable t = Table();
  std::vector<int64_t> seen;
  struct Watcher final : Strategy {
    std::vector<int64_t>* seen;
    void OnTrade(Context& c, const Event& e) override {
      seen->push_back(c.now().ns);
      EXPECT_EQ(c.now().ns, e.local_ts);
    }
  } w;
  w.seen = &seen;
  std::vector<std::unique_ptr<EventSource>> sources;
  // Feed latency 3 ms on the first trade, 0 on the second: the strategy sees the second first.
  sources.push_back(std::make_unique<VectorSource>(std::vector<Event>{Trade(1, 100, 3), Trade(2, 101, 0)}));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  Engine engine(t, EngineConfig{});
  ASSERT_THAT(engine.Run(merger, w), IsOk());
  EXPECT_EQ(seen, (std::vector<int64_t>{2 * kMs, 4 * kMs}));
}

// Trades every millisecond, entry latency 2 ms, response latency 3 ms: the order's arrival, its
// ack and its fill, and a timer, each fall on the instant of a trade. At equal time the venue
// sees the trade before the arrival, and the strategy sees the trade before what its order set
// off (rank: trade, ack, fill, timer). Whether the engine sends the trade through its queue or
// straight to the strategy, this is the order.
TEST(SimVenueTest, AtTheInstantOfATradeTheVenueSideGoesFirstThenTheStrategySideByRank) {
  const InstrumentTable t = Table();
  struct Logger final : Strategy {
    std::vector<std::string> log;
    void OnTrade(Context& c, const Event& e) override {
      const int64_t ms = e.local_ts / kMs;
      log.push_back("trade@" + std::to_string(ms));
      if (ms == 2) {
        c.BuyMarket(kBtc, Qty(100));  // arrives at 4 ms
        c.SetTimer(Timestamp(7 * kMs), 0);
      }
    }
    void OnOrderUpdate(Context&, const Event& e) override {
      log.push_back((e.kind == EventKind::kOrderAck ? "ack@" : "fill@") +
                    std::to_string(e.local_ts / kMs));
    }
    void OnTimer(Context& c, uint64_t, uint64_t) override {
      log.push_back("timer@" + std::to_string(c.now().ns / kMs));
    }
  };
  for (const size_t batch : {size_t{1}, size_t{2}, size_t{100}}) {
    std::vector<Event> tape;
    for (int64_t ms = 0; ms <= 10; ++ms) tape.push_back(Trade(ms, 10'000 + ms));
    Logger logger;
    EngineConfig cfg;
    cfg.venue.entry_latency = Duration(2 * kMs);
    cfg.venue.response_latency = Duration(3 * kMs);
    auto engine = RunEngine(t, tape, logger, cfg, batch);
    // Acked at 4 + 3 = 7 ms; filled at the next trade after the arrival, at 5 ms (100.05), and
    // told at 5 + 3 = 8 ms.
    EXPECT_EQ(logger.log, (std::vector<std::string>{"trade@0", "trade@1", "trade@2", "trade@3",
                                                    "trade@4", "trade@5", "trade@6", "trade@7",
                                                    "ack@7", "timer@7", "trade@8", "fill@8",
                                                    "trade@9", "trade@10"}))
        << "batch " << batch;
    const auto& fills = engine->records().fill_log();
    ASSERT_EQ(fills.size(), 1u);
    EXPECT_EQ(fills[0].price, Price(10'005));
    EXPECT_EQ(fills[0].exchange_ts, Timestamp(5 * kMs));
  }
}

TEST(SimVenueTest, SameTapeSameOrdersSameFills) {
  const InstrumentTable t = Table();
  auto run = [&] {
    Scripted s({{0, [&](Context& c) { c.BuyLimit(kBtc, Price(9990), Qty(1000)); }},
                {2, [&](Context& c) { c.SellMarket(kBtc, Qty(300)); }}});
    auto engine = RunTape(t, {Quote(0, 10000, 10010), Trade(5, 9980), Trade(8, 9985)}, s);
    std::vector<int64_t> out;
    for (const auto& f : engine->records().fill_log()) {
      out.insert(out.end(), {f.local_ts.ns, f.price.raw, f.qty.raw, f.fee.raw});
    }
    return out;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace tapedeck
