// The venue on order-level (L3) data: own resting orders in a true FIFO queue among the real
// orders (core/l3_queue.h, MatchingCore::OnL3Data). Driven directly through SimVenue, so that every
// number below is worked out by hand. Table: price scale 2, qty scale 0 (shares), tick 0.01,
// lot 1, no fees. Prices are written in cents (10000 = 100.00).
#include <vector>

#include "core/sim_venue.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;

constexpr int64_t kMs = 1'000'000;
const InstrumentId kAapl(0);

InstrumentTable Table() {
  InstrumentTable t;
  Instrument in;
  in.symbol = "AAPL";
  in.price_scale = 2;
  in.qty_scale = 0;
  EXPECT_THAT(t.Add(in), IsOk());
  return t;
}

Event L3(int64_t ms, L3Action action, uint64_t id, Side side, int64_t price, int64_t qty) {
  Event e = MakeEvent(EventKind::kL3Order, kAapl, Timestamp(ms * kMs), Timestamp(ms * kMs));
  e.l3.order_id = id;
  e.l3.side = side;
  e.l3.price = Price(price);
  e.l3.qty = Qty(qty);
  e.l3.action = action;
  e.l3.flags = kBookEndOfMessage;
  return e;
}
Event Add(int64_t ms, uint64_t id, Side side, int64_t price, int64_t qty) {
  return L3(ms, L3Action::kAdd, id, side, price, qty);
}
// The print that a LOBSTER-style reader emits after an execution (or alone, for a hidden one).
Event Print(int64_t ms, int64_t price, int64_t qty, Side resting_side) {
  Event e = MakeEvent(EventKind::kTrade, kAapl, Timestamp(ms * kMs), Timestamp(ms * kMs));
  e.trade.price = Price(price);
  e.trade.qty = Qty(qty);
  e.trade.aggressor = Opposite(resting_side);
  return e;
}

class L3VenueTest : public ::testing::Test {
 protected:
  L3VenueTest() : table_(Table()), venue_(table_, SimVenueConfig{}, &out_) {}

  void Feed(const Event& e) { venue_.OnMarketData(e); }
  // A visible execution: the kL3Order execute and its print, as the LOBSTER reader emits them.
  void Execute(int64_t ms, uint64_t id, Side side, int64_t price, int64_t qty) {
    Feed(L3(ms, L3Action::kExecute, id, side, price, qty));
    Feed(Print(ms, price, qty, side));
  }
  OrderId Limit(int64_t ms, uint64_t id, Side side, int64_t price, int64_t qty) {
    OrderRequest r;
    r.id = OrderId(id);
    r.instrument = kAapl;
    r.side = side;
    r.type = OrderType::kLimit;
    r.price = Price(price);
    r.qty = Qty(qty);
    venue_.OnOrderArrival(r, Timestamp(ms * kMs));
    return r.id;
  }
  OrderId Market(int64_t ms, uint64_t id, Side side, int64_t qty) {
    OrderRequest r;
    r.id = OrderId(id);
    r.instrument = kAapl;
    r.side = side;
    r.type = OrderType::kMarket;
    r.qty = Qty(qty);
    venue_.OnOrderArrival(r, Timestamp(ms * kMs));
    return r.id;
  }
  int64_t Ahead(OrderId id) const { return venue_.QueueAhead(id, kAapl); }
  // The fills so far, and forgets them.
  std::vector<Event> TakeFills() {
    std::vector<Event> fills;
    for (const Event& e : out_) {
      if (e.kind == EventKind::kOrderFill) fills.push_back(e);
    }
    out_.clear();
    return fills;
  }

  InstrumentTable table_;
  std::vector<Event> out_;
  SimVenue venue_;
};

void ExpectFill(const Event& e, uint64_t order, int64_t price, int64_t qty, Liquidity liq,
                int64_t ms) {
  EXPECT_EQ(e.order.order_id.value, order);
  EXPECT_EQ(e.order.price.raw, price);
  EXPECT_EQ(e.order.qty.raw, qty);
  EXPECT_EQ(e.order.liquidity, liq);
  EXPECT_EQ(e.exchange_ts, ms * kMs);
}

// Bids at 100.00: real A 300 (id 1), real B 200 (id 2). We bid 400 at 100.00 at 3 ms: the
// orders ahead are exactly A and B, ahead = 300 + 200 = 500. Then:
//   4 ms  real C 600 joins behind us                          ahead 500
//   5 ms  A deleted (300 left)                                ahead 500 - 300 = 200
//   6 ms  C cancels 100 (behind us: no change)                ahead 200; C has 500
//   7 ms  B executed 200 (the rest ahead), print 200          ahead 0, no fill
//   8 ms  C executed 150: C is behind us, so the aggressor would have hit us first:
//         we fill min(150, 400) = 150 at 100.00 (maker)       remaining 250
//   9 ms  C executed 350 (all it has left): fill min(350, 250) = 250, the order is done.
// The prints at 7, 8 and 9 ms are explained by the executions of the same instant: no hidden
// fills on top.
TEST_F(L3VenueTest, PlacedBehindTwoRealOrdersThenFillsWhenAnOrderBehindIsExecuted) {
  Feed(Add(1, 1, Side::kBuy, 10000, 300));
  Feed(Add(2, 2, Side::kBuy, 10000, 200));
  Feed(Add(2, 50, Side::kSell, 10005, 500));
  const OrderId us = Limit(3, 1001, Side::kBuy, 10000, 400);
  EXPECT_EQ(Ahead(us), 500);
  Feed(Add(4, 3, Side::kBuy, 10000, 600));
  EXPECT_EQ(Ahead(us), 500);
  Feed(L3(5, L3Action::kDelete, 1, Side::kBuy, 10000, 300));
  EXPECT_EQ(Ahead(us), 200);
  Feed(L3(6, L3Action::kCancel, 3, Side::kBuy, 10000, 100));
  EXPECT_EQ(Ahead(us), 200);
  Execute(7, 2, Side::kBuy, 10000, 200);
  EXPECT_EQ(Ahead(us), 0);
  EXPECT_TRUE(TakeFills().empty());
  Execute(8, 3, Side::kBuy, 10000, 150);
  std::vector<Event> fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10000, 150, Liquidity::kMaker, 8);
  Execute(9, 3, Side::kBuy, 10000, 350);
  fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10000, 250, Liquidity::kMaker, 9);
  EXPECT_EQ(Ahead(us), -1);
  EXPECT_EQ(venue_.resting_orders(), 0u);
  // The data's book is untouched by our fills: C's executions took it out of the book whole.
  EXPECT_TRUE(venue_.book(kAapl).QtyAt(Side::kBuy, Price(10000)).is_zero());
}

// Two own orders at one price keep their arrival order among the real ones:
//   real A 100 (id 1) | O1 50 (arrives 2 ms, ahead 100) | real B 200 (id 2) |
//   O2 70 (arrives 4 ms, ahead = A + B = 300; own orders are not counted in `ahead`)
//   5 ms  A executed 100: ahead of both             O1 ahead 0, O2 ahead 200, no fill
//   6 ms  B executed 120: B is behind O1 and ahead of O2:
//         O1 fills min(120, 50) = 50 (done); O2 ahead 200 - 120 = 80
//   7 ms  real C 500 (id 3) joins behind both
//   8 ms  B executed 80 (its rest): ahead of O2      O2 ahead 80 - 80 = 0, no fill
//   9 ms  C executed 100: behind O2                  O2 fills min(100, 70) = 70 (done)
TEST_F(L3VenueTest, TwoOwnOrdersAtOnePriceKeepTheirPlaces) {
  Feed(Add(1, 1, Side::kBuy, 10000, 100));
  const OrderId o1 = Limit(2, 1001, Side::kBuy, 10000, 50);
  Feed(Add(3, 2, Side::kBuy, 10000, 200));
  const OrderId o2 = Limit(4, 1002, Side::kBuy, 10000, 70);
  EXPECT_EQ(Ahead(o1), 100);
  EXPECT_EQ(Ahead(o2), 300);
  Execute(5, 1, Side::kBuy, 10000, 100);
  EXPECT_EQ(Ahead(o1), 0);
  EXPECT_EQ(Ahead(o2), 200);
  EXPECT_TRUE(TakeFills().empty());
  Execute(6, 2, Side::kBuy, 10000, 120);
  std::vector<Event> fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10000, 50, Liquidity::kMaker, 6);
  EXPECT_EQ(Ahead(o1), -1);
  EXPECT_EQ(Ahead(o2), 80);
  Feed(Add(7, 3, Side::kBuy, 10000, 500));
  Execute(8, 2, Side::kBuy, 10000, 80);
  EXPECT_EQ(Ahead(o2), 0);
  EXPECT_TRUE(TakeFills().empty());
  Execute(9, 3, Side::kBuy, 10000, 100);
  fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1002, 10000, 70, Liquidity::kMaker, 9);
}

// Cancel of an own order in the L3 queue:
//   real A 100 (id 1) | O1 50 (2 ms, ahead 100) | real B 200 (id 2) | O2 60 (4 ms, ahead 300)
//   5 ms  we cancel O1: kOrderCancel of 50; O2 keeps ahead 300 (own orders never were in it)
//   6 ms  A executed 100, 7 ms B executed 200: both ahead of O2   ahead 0, no fill (O1, which
//         B's execution would have reached, is gone)
//   8 ms  real C 400 (id 3) joins; 9 ms C executed 40: behind O2  O2 fills 40, 20 left
//   10 ms we cancel O2: kOrderCancel of 20; 11 ms a second cancel is rejected (kUnknownOrder).
TEST_F(L3VenueTest, CancelOfAnOwnOrderInTheQueue) {
  Feed(Add(1, 1, Side::kBuy, 10000, 100));
  const OrderId o1 = Limit(2, 1001, Side::kBuy, 10000, 50);
  Feed(Add(3, 2, Side::kBuy, 10000, 200));
  const OrderId o2 = Limit(4, 1002, Side::kBuy, 10000, 60);
  out_.clear();
  venue_.OnCancelArrival(o1, kAapl, Timestamp(5 * kMs));
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_EQ(out_[0].kind, EventKind::kOrderCancel);
  EXPECT_EQ(out_[0].order.qty.raw, 50);
  out_.clear();
  EXPECT_EQ(Ahead(o2), 300);
  Execute(6, 1, Side::kBuy, 10000, 100);
  Execute(7, 2, Side::kBuy, 10000, 200);
  EXPECT_EQ(Ahead(o2), 0);
  EXPECT_TRUE(TakeFills().empty());
  Feed(Add(8, 3, Side::kBuy, 10000, 400));
  Execute(9, 3, Side::kBuy, 10000, 40);
  std::vector<Event> fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1002, 10000, 40, Liquidity::kMaker, 9);
  venue_.OnCancelArrival(o2, kAapl, Timestamp(10 * kMs));
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_EQ(out_[0].kind, EventKind::kOrderCancel);
  EXPECT_EQ(out_[0].order.qty.raw, 20);
  out_.clear();
  venue_.OnCancelArrival(o2, kAapl, Timestamp(11 * kMs));
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_EQ(out_[0].kind, EventKind::kOrderReject);
  EXPECT_EQ(out_[0].order.reason, RejectReason::kUnknownOrder);
}

// Partial cancels ahead and orders inferred from the book file:
//   real A 300 (id 1) at 100.00; we bid 100 at 2 ms: ahead 300
//   3 ms  A cancels 120 of its 300 (ahead of us)        ahead 300 - 120 = 180
//   4 ms  an inferred order of 50 (kBookInferred: size the messages never showed, older than
//         every message) is queued at the front of 100.00: ahead 180 + 50 = 230
//   5 ms  real B 70 (id 2) joins behind us; 6 ms the inferred order is executed 50 (ahead of
//         us): ahead 230 - 50 = 180, no fill
//   7 ms  B executed 70 (behind us): fill min(70, 100) = 70
TEST_F(L3VenueTest, PartialCancelAheadAndInferredOrdersInFront) {
  Feed(Add(1, 1, Side::kBuy, 10000, 300));
  const OrderId us = Limit(2, 1001, Side::kBuy, 10000, 100);
  EXPECT_EQ(Ahead(us), 300);
  Feed(L3(3, L3Action::kCancel, 1, Side::kBuy, 10000, 120));
  EXPECT_EQ(Ahead(us), 180);
  Event inferred = Add(4, uint64_t{1} << 62, Side::kBuy, 10000, 50);
  inferred.l3.flags |= kBookInferred;
  Feed(inferred);
  EXPECT_EQ(Ahead(us), 230);
  Feed(Add(5, 2, Side::kBuy, 10000, 70));
  Execute(6, uint64_t{1} << 62, Side::kBuy, 10000, 50);
  EXPECT_EQ(Ahead(us), 180);
  EXPECT_TRUE(TakeFills().empty());
  Execute(7, 2, Side::kBuy, 10000, 70);
  std::vector<Event> fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10000, 70, Liquidity::kMaker, 7);
  EXPECT_EQ(Ahead(us), 180);  // the data still shows A's 180 ahead; own fills change nothing
}

// Orders through the real book. Bids: A 100.00 x 100 (id 1); asks: S 100.05 x 100 (id 50).
// We bid 50 at 100.01, better than every real bid: ahead = 0 (no real order at 100.01).
//   3 ms  a real sell of 20 is added at 100.01: it would have traded with our bid (the data's
//         book shows it resting, since no real bid reaches it): fill min(20, 50) = 20 at 100.01
//   4 ms  that seller deletes its order: nothing happens to ours (30 left)
//   5 ms  an execution of A (id 1, 100.00) of 10: a seller at 100.00 would have hit our better
//         bid first: fill min(10, 30) = 10 at 100.01                                   20 left
//   6 ms  a hidden execution at 100.00 (a print with no kL3Order execute) of 40: hidden orders
//         queue behind displayed ones, so ours first: fill min(40, 20) = 20 at 100.01   done
TEST_F(L3VenueTest, ExecutionsAndCrossingAddsThroughAnOwnBetterBid) {
  Feed(Add(1, 1, Side::kBuy, 10000, 100));
  Feed(Add(1, 50, Side::kSell, 10005, 100));
  const OrderId us = Limit(2, 1001, Side::kBuy, 10001, 50);
  EXPECT_EQ(Ahead(us), 0);
  EXPECT_TRUE(TakeFills().empty());
  Feed(Add(3, 51, Side::kSell, 10001, 20));
  std::vector<Event> fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10001, 20, Liquidity::kMaker, 3);
  Feed(L3(4, L3Action::kDelete, 51, Side::kSell, 10001, 20));
  EXPECT_TRUE(TakeFills().empty());
  Execute(5, 1, Side::kBuy, 10000, 10);
  fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10001, 10, Liquidity::kMaker, 5);
  Feed(Print(6, 10000, 40, Side::kBuy));
  fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1001, 10001, 20, Liquidity::kMaker, 6);
  EXPECT_EQ(venue_.resting_orders(), 0u);
}

// The L3 book gives the touch and the depth a market order walks. Asks: 100.05 x 100 (id 50),
// 100.06 x 100 (id 51) + 100 (id 52). A market buy of 250 takes 100 at 100.05 and 150 at
// 100.06 (taker); the data's book is not consumed. A limit buy of 150 at 100.05 takes the 100
// at 100.05 and rests 50 at 100.05 with ahead 0 (no real bid there).
TEST_F(L3VenueTest, MarketAndCrossingOrdersWalkTheL3Levels) {
  Feed(Add(1, 1, Side::kBuy, 10000, 100));
  Feed(Add(1, 50, Side::kSell, 10005, 100));
  Feed(Add(1, 51, Side::kSell, 10006, 100));
  Feed(Add(1, 52, Side::kSell, 10006, 100));
  Market(2, 1001, Side::kBuy, 250);
  std::vector<Event> fills = TakeFills();
  ASSERT_EQ(fills.size(), 2u);
  ExpectFill(fills[0], 1001, 10005, 100, Liquidity::kTaker, 2);
  ExpectFill(fills[1], 1001, 10006, 150, Liquidity::kTaker, 2);
  EXPECT_EQ(venue_.book(kAapl).QtyAt(Side::kSell, Price(10006)).raw, 200);
  const OrderId lim = Limit(3, 1002, Side::kBuy, 10005, 150);
  fills = TakeFills();
  ASSERT_EQ(fills.size(), 1u);
  ExpectFill(fills[0], 1002, 10005, 100, Liquidity::kTaker, 3);
  EXPECT_EQ(Ahead(lim), 0);
}

}  // namespace
}  // namespace tapedeck
