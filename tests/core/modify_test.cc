// Order modify (amend): SimVenue's rules (core/sim_venue.h) and the Context's view of them,
// on hand-made books. Every expected number is worked out in the comments. Prices are in cents
// (price_scale 2) and quantities in thousandths (qty_scale 3): Qty(5000) is 5.000.
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
using ::tapedeck::testing::TradeAt;
const InstrumentId kBtc(0);

InstrumentTable Table() {
  // Fees: maker 0.0002, taker 0.0005.
  return TableOf(CentsInstrument("BTCUSDT", InstrumentKind::kSpot, Rate(20'000), Rate(50'000)));
}

Event Level(int64_t ms, Side side, int64_t price, int64_t qty) {
  return LevelAt(kBtc, ms, side, price, qty);
}

Event SellTrade(int64_t ms, int64_t price, int64_t qty) {
  return TradeAt(kBtc, ms, price, qty, Side::kSell);
}

OrderRequest Limit(uint64_t id, Side side, int64_t price, int64_t qty) {
  return OrderRequest::Limit(kBtc, side, Price(price), Qty(qty)).WithId(OrderId(id));
}

// A venue with a book: bids 100.00 x 5.000 and 99.90 x 3.000, asks 100.10 x 0.500 and
// 100.20 x 5.000. Latencies are 1 ms; responses are collected in `out`.
struct VenueFixture {
  InstrumentTable table = Table();
  std::vector<Event> out;
  std::unique_ptr<SimVenue> venue;

  VenueFixture() {
    venue = std::make_unique<SimVenue>(table, SimVenueConfig{}, &out);
    venue->OnMarketData(Level(0, Side::kBuy, 10000, 5000));
    venue->OnMarketData(Level(0, Side::kBuy, 9990, 3000));
    venue->OnMarketData(Level(0, Side::kSell, 10010, 500));
    venue->OnMarketData(Level(0, Side::kSell, 10020, 5000));
  }
  // The responses since the last call.
  std::vector<Event> Take() {
    std::vector<Event> r = std::move(out);
    out.clear();
    return r;
  }
};

TEST(ModifyTest, SizeDecreaseKeepsPriorityAndSizeIncreaseLosesIt) {
  VenueFixture f;
  // A: buy 2.000 at 100.00 joins the back of the 5.000 level: ahead 5000.
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  ASSERT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 5000);
  // 4.000 more join the level behind A (5.000 -> 9.000): an increase never moves A back.
  f.venue->OnMarketData(Level(2, Side::kBuy, 10000, 9000));
  ASSERT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 5000);
  f.Take();

  // Decrease 2.000 -> 1.500 at the same price: replaced, still 5.000 ahead.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(1500), Timestamp(3 * kMs));
  std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(r[0].order.order_id, OrderId(1));
  EXPECT_EQ(r[0].order.price, Price(10000));
  EXPECT_EQ(r[0].order.qty, Qty(1500));
  EXPECT_EQ(r[0].exchange_ts, 3 * kMs);
  EXPECT_EQ(r[0].local_ts, 4 * kMs);  // + 1 ms response latency (the ack's model)
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 5000);

  // Increase 1.500 -> 2.500: back of the level as it is now, 9.000 ahead.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(2500), Timestamp(4 * kMs));
  r = f.Take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(r[0].order.qty, Qty(2500));
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 9000);
}

TEST(ModifyTest, PriceChangeLosesPriorityEvenWhenItComesBack) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  f.venue->OnMarketData(Level(2, Side::kBuy, 10000, 9000));  // 4.000 join behind: ahead 5000
  ASSERT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 5000);
  // To 99.90 (3.000 there): ahead 3000.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(9990), Qty(2000), Timestamp(3 * kMs));
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 3000);
  // Back to 100.00: the back of today's 9.000, not the 5.000 it had before.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(2000), Timestamp(4 * kMs));
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 9000);
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 3u);  // the ack, then two replacements
  EXPECT_EQ(r[1].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(r[1].order.price, Price(9990));
  EXPECT_EQ(r[2].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(r[2].order.price, Price(10000));
}

TEST(ModifyTest, OwnOrdersShareOneQueueAndALostPriorityGoesBehindTheOthers) {
  // Two own orders at 100.00, A then B, both 5.000 ahead (own orders are not in the data).
  // A sell trade of 5.500 at 100.00 consumes the 5.000 ahead, then 0.500 of the first own order.
  for (const bool increase : {false, true}) {
    SCOPED_TRACE(increase ? "A increased" : "A decreased");
    VenueFixture f;
    f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
    f.venue->OnOrderArrival(Limit(2, Side::kBuy, 10000, 1000), Timestamp(1 * kMs));
    // Decrease: A keeps its place before B, so A gets the 0.500. Increase: A goes behind B,
    // so B gets it (B: gap 5000 skipped, 0.500 filled; A: nothing left).
    f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(increase ? 3000 : 1000),
                             Timestamp(2 * kMs));
    f.Take();
    f.venue->OnMarketData(SellTrade(3, 10000, 5500));
    const std::vector<Event> r = f.Take();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].kind, EventKind::kOrderFill);
    EXPECT_EQ(r[0].order.order_id, OrderId(increase ? 2 : 1));
    EXPECT_EQ(r[0].order.qty, Qty(500));
    EXPECT_EQ(r[0].order.liquidity, Liquidity::kMaker);
  }
}

TEST(ModifyTest, NewQuantityAtOrBelowTheFilledQuantityCancelsTheRest) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  // 5.500 sold at 100.00: 5.000 ahead, then 0.500 of A. A: 0.500 filled, 1.500 open.
  f.venue->OnMarketData(SellTrade(2, 10000, 5500));
  f.Take();
  // New total 0.400 <= 0.500 filled: the 1.500 still open is cancelled.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(400), Timestamp(3 * kMs));
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, EventKind::kOrderCancel);
  EXPECT_EQ(r[0].order.qty, Qty(1500));
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), -1);
  EXPECT_EQ(f.venue->resting_orders(), 0u);
}

TEST(ModifyTest, NewTotalAboveTheFilledQuantityLeavesTheDifferenceOpen) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  f.venue->OnMarketData(SellTrade(2, 10000, 5500));  // 0.500 of A filled (as above)
  f.Take();
  // New total 1.200: 1.200 - 0.500 filled = 0.700 open; a decrease, so A stays at the front
  // (ahead 5000 - 5000 consumed = 0). The next 0.700 sold at 100.00 fill it.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(1200), Timestamp(3 * kMs));
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 0);
  f.venue->OnMarketData(SellTrade(4, 10000, 900));
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(r[0].order.qty, Qty(1200));
  EXPECT_EQ(r[1].kind, EventKind::kOrderFill);
  EXPECT_EQ(r[1].order.qty, Qty(700));
  EXPECT_EQ(f.venue->resting_orders(), 0u);
}

TEST(ModifyTest, APriceThatNowCrossesTakesLiquidityLikeANewLimitOrder) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  f.Take();
  // Buy 2.000 re-priced to 100.20: takes 0.500 at 100.10 and 1.500 at 100.20 (taker), after
  // the replacement; nothing rests.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10020), Qty(2000), Timestamp(2 * kMs));
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(r[1].kind, EventKind::kOrderFill);
  EXPECT_EQ(r[1].order.price, Price(10010));
  EXPECT_EQ(r[1].order.qty, Qty(500));
  EXPECT_EQ(r[1].order.liquidity, Liquidity::kTaker);
  // Taker fee 100.10 x 0.500 x 0.0005 = 0.025025.
  EXPECT_EQ(r[1].order.fee, Money(2'502'500));
  EXPECT_EQ(r[2].order.price, Price(10020));
  EXPECT_EQ(r[2].order.qty, Qty(1500));
  EXPECT_EQ(f.venue->resting_orders(), 0u);
  EXPECT_EQ(f.venue->venue_position(kBtc), Qty(2000));
}

TEST(ModifyTest, ACrossingPriceRestsTheRemainderAtTheBackOfTheNewLevel) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  f.Take();
  // To 100.10: takes the 0.500 offered there; 1.500 rest at 100.10, where the book has no bid:
  // ahead 0.
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10010), Qty(2000), Timestamp(2 * kMs));
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].order.qty, Qty(500));
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 0);
}

TEST(ModifyTest, PostOnlyModifyThatWouldCrossIsRejectedAndTheOrderStaysAsItWas) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000).PostOnly(), Timestamp(1 * kMs));
  f.venue->OnMarketData(Level(2, Side::kBuy, 10000, 9000));  // ahead stays 5000
  f.Take();
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10010), Qty(2000), Timestamp(3 * kMs));
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, EventKind::kOrderReject);
  EXPECT_EQ(r[0].order.reason, RejectReason::kWouldCross);
  // Old price, old place.
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 5000);
  EXPECT_EQ(f.venue->resting_orders(), 1u);
}

TEST(ModifyTest, BadQuantityOrPriceIsRejectedAndUnknownOrdersAreUnknown) {
  VenueFixture f;
  f.venue->OnOrderArrival(Limit(1, Side::kBuy, 10000, 2000), Timestamp(1 * kMs));
  f.Take();
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(10000), Qty(0), Timestamp(2 * kMs));
  f.venue->OnModifyArrival(OrderId(1), kBtc, Price(0), Qty(1000), Timestamp(2 * kMs));
  f.venue->OnModifyArrival(OrderId(7), kBtc, Price(10000), Qty(1000), Timestamp(2 * kMs));
  const std::vector<Event> r = f.Take();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].order.reason, RejectReason::kInvalidQty);
  EXPECT_EQ(r[1].order.reason, RejectReason::kInvalidPrice);
  EXPECT_EQ(r[2].order.reason, RejectReason::kUnknownOrder);
  EXPECT_EQ(f.venue->QueueAhead(OrderId(1), kBtc), 5000);
}

// --- through the Engine and the Context ---

// Runs actions at given strategy-side times (through timers) and records every order update.
// The scripted strategy, also keeping the order's state as the strategy saw it after each
// update.
class Scripted final : public ::tapedeck::testing::Scripted {
 public:
  using ::tapedeck::testing::Scripted::Scripted;
  void OnOrderUpdate(Context& ctx, const Event& e) override {
    ::tapedeck::testing::Scripted::OnOrderUpdate(ctx, e);
    states.push_back(*ctx.order(e.order.order_id));
  }
  std::vector<OrderState> states;
  OrderId id;
  bool modify_sent = false;
};

std::unique_ptr<Engine> RunTape(const InstrumentTable& t, std::vector<Event> tape, Scripted& s,
                                EngineConfig cfg = {}) {
  return RunEngine(t, std::move(tape), s, std::move(cfg));
}

std::vector<Event> Book(int64_t ms) {
  return {Level(ms, Side::kBuy, 10000, 5000), Level(ms, Side::kSell, 10010, 5000)};
}

TEST(ModifyTest, ModifyAfterTheFillIsRejectedAndTheStrategyLearnsOfBoth) {
  const InstrumentTable t = Table();
  Scripted s({{1, [&](Context& c) { s.id = c.BuyLimit(kBtc, Price(10000), Qty(1000)); }},
              {5, [&](Context& c) { s.modify_sent = c.Modify(s.id, Price(10000), Qty(2000)); }}});
  std::vector<Event> tape = Book(0);
  // Sent at 1 ms, arrives at 2 ms (ahead 5.000), acked at 3 ms. At 5 ms a 0.100 sale at 99.90
  // trades through the 100.00 bid: the whole 1.000 fills at 100.00 (exchange 5 ms, the
  // strategy hears at 6 ms). The modify, sent at 5 ms before the strategy knows, arrives at
  // 6 ms: the order is gone, so it is rejected (kUnknownOrder), heard at 7 ms.
  tape.push_back(SellTrade(5, 9990, 100));
  tape.push_back(SellTrade(20, 9990, 100));  // keeps the run going past 7 ms
  auto engine = RunTape(t, tape, s);
  EXPECT_TRUE(s.modify_sent);
  ASSERT_EQ(s.updates.size(), 3u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderFill);
  EXPECT_EQ(s.updates[1].local_ts, 6 * kMs);
  EXPECT_EQ(s.updates[1].order.qty, Qty(1000));
  EXPECT_EQ(s.updates[2].kind, EventKind::kOrderReject);
  EXPECT_EQ(s.updates[2].order.reason, RejectReason::kUnknownOrder);
  EXPECT_EQ(s.updates[2].exchange_ts, 6 * kMs);
  EXPECT_EQ(s.updates[2].local_ts, 7 * kMs);
  // The order stays filled (not rejected) and its request is the original one.
  const OrderState* o = engine->context().order(s.id);
  EXPECT_EQ(o->status, OrderStatus::kFilled);
  EXPECT_EQ(o->request.qty, Qty(1000));
  EXPECT_EQ(o->modifies_pending, 0u);
  // The order log: the order, then the modify with the new total quantity.
  const auto& log = engine->records().order_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].action, RequestAction::kModify);
  EXPECT_EQ(log[1].ts, Timestamp(5 * kMs));
  EXPECT_EQ(log[1].request.qty, Qty(2000));
  // No modify for a finished order: nothing sent, nothing logged.
}

TEST(ModifyTest, TheContextTakesTheNewPriceAndQuantityWhenTheVenueReplaces) {
  const InstrumentTable t = Table();
  bool late = true;
  Scripted s({{1, [&](Context& c) { s.id = c.BuyLimit(kBtc, Price(10000), Qty(1000)); }},
              {4, [&](Context& c) { s.modify_sent = c.Modify(s.id, Price(9990), Qty(3000)); }},
              {8, [&](Context& c) { c.Cancel(s.id); }},
              {12, [&](Context& c) { late = c.Modify(s.id, Price(9990), Qty(1000)); }}});
  std::vector<Event> tape = Book(0);
  tape.push_back(SellTrade(20, 10005, 100));
  auto engine = RunTape(t, tape, s);
  // Ack at 3 ms; the modify (sent 4, arrives 5) is answered at 6 ms; while it is pending the
  // order still shows the old request; the cancel (sent 8) is heard at 10 ms.
  ASSERT_EQ(s.updates.size(), 3u);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(s.updates[1].local_ts, 6 * kMs);
  EXPECT_EQ(s.states[1].request.price, Price(9990));
  EXPECT_EQ(s.states[1].request.qty, Qty(3000));
  EXPECT_EQ(s.states[1].status, OrderStatus::kOpen);
  EXPECT_EQ(s.states[1].modifies_pending, 0u);
  EXPECT_EQ(s.updates[2].kind, EventKind::kOrderCancel);
  EXPECT_EQ(s.updates[2].order.qty, Qty(3000));
  EXPECT_FALSE(late);  // a cancelled order cannot be modified
  EXPECT_EQ(engine->records().order_log().size(), 3u);  // order, modify, cancel
}

TEST(ModifyTest, ModifyHasItsOwnEntryLatencyOnTheSameFifoChannel) {
  const InstrumentTable t = Table();
  Scripted s({{1, [&](Context& c) { s.id = c.BuyLimit(kBtc, Price(10000), Qty(1000)); }},
              {2, [&](Context& c) { c.Modify(s.id, Price(10000), Qty(500)); }},
              {3, [&](Context& c) { c.BuyLimit(kBtc, Price(9990), Qty(1000)); }}});
  std::vector<Event> tape = Book(0);
  tape.push_back(SellTrade(30, 10005, 100));
  EngineConfig cfg;  // entry and response latency 1 ms
  LatencySpec& modify = cfg.venue.latency[static_cast<int>(VenueMessage::kModify)];
  modify.base = Duration(5 * kMs);
  auto engine = RunTape(t, tape, s, cfg);
  // Order 1 arrives at 2 ms; the modify, sent at 2 ms, arrives at 2 + 5 = 7 ms; order 2, sent
  // at 3 ms, would arrive at 4 ms but may not overtake the modify: it arrives at 7 ms too,
  // after it. Responses: ack 1 at 3 ms; the replacement and ack 2, both produced at 7 ms, at
  // 8 ms, where the strategy-side total order (core/event_order.h: acks rank before
  // replacements at equal time) delivers ack 2 first.
  ASSERT_EQ(s.updates.size(), 3u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[0].local_ts, 3 * kMs);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[1].order.order_id, OrderId(2));
  EXPECT_EQ(s.updates[1].exchange_ts, 7 * kMs);
  EXPECT_EQ(s.updates[1].local_ts, 8 * kMs);
  EXPECT_EQ(s.updates[2].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(s.updates[2].order.order_id, OrderId(1));
  EXPECT_EQ(s.updates[2].exchange_ts, 7 * kMs);
  EXPECT_EQ(s.updates[2].local_ts, 8 * kMs);
}

TEST(ModifyTest, WithoutItsOwnModelModifyUsesTheEntryLatency) {
  const InstrumentTable t = Table();
  Scripted s({{1, [&](Context& c) { s.id = c.BuyLimit(kBtc, Price(10000), Qty(1000)); }},
              {4, [&](Context& c) { c.Modify(s.id, Price(10000), Qty(500)); }}});
  std::vector<Event> tape = Book(0);
  tape.push_back(SellTrade(30, 10005, 100));
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration(3 * kMs);
  auto engine = RunTape(t, tape, s, cfg);
  // Modify sent at 4 ms + 3 ms entry latency: at the venue at 7 ms.
  ASSERT_EQ(s.updates.size(), 2u);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderReplaced);
  EXPECT_EQ(s.updates[1].exchange_ts, 7 * kMs);
}

}  // namespace
}  // namespace tapedeck
