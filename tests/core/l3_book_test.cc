#include "core/l3_book.h"

#include <vector>

#include "gtest/gtest.h"

namespace tapedeck {
namespace {

TEST(L3BookTest, AggregatesOrdersIntoLevels) {
  L3Book book;
  ASSERT_EQ(book.Add(1, Side::kBuy, Price(100), Qty(5)), L3Result::kOk);
  ASSERT_EQ(book.Add(2, Side::kBuy, Price(100), Qty(3)), L3Result::kOk);
  ASSERT_EQ(book.Add(3, Side::kBuy, Price(99), Qty(4)), L3Result::kOk);
  ASSERT_EQ(book.Add(4, Side::kSell, Price(102), Qty(6)), L3Result::kOk);
  BookLevel bids[4];
  ASSERT_EQ(book.Levels(Side::kBuy, bids), 2u);
  EXPECT_EQ(bids[0].price, Price(100));
  EXPECT_EQ(bids[0].qty, Qty(8));
  EXPECT_EQ(bids[1].price, Price(99));
  const BookTop top = book.Top();
  EXPECT_EQ(top.bid, Price(100));
  EXPECT_EQ(top.ask, Price(102));
  EXPECT_EQ(top.ask_qty, Qty(6));
  EXPECT_EQ(book.order_count(), 4u);
}

TEST(L3BookTest, QueuesAreFifoAndInferredOrdersGoFirst) {
  L3Book book;
  book.Add(1, Side::kSell, Price(50), Qty(1));
  book.Add(2, Side::kSell, Price(50), Qty(2));
  book.Add(3, Side::kSell, Price(50), Qty(4), /*front=*/true);
  L3Order q[4];
  ASSERT_EQ(book.OrdersAt(Side::kSell, Price(50), q), 3u);
  EXPECT_EQ(q[0].id, 3u);
  EXPECT_EQ(q[1].id, 1u);
  EXPECT_EQ(q[2].id, 2u);
  EXPECT_EQ(book.QtyAhead(2), 5);
  EXPECT_EQ(book.QtyAhead(3), 0);
  EXPECT_EQ(book.QtyAhead(99), -1);
}

TEST(L3BookTest, CancelExecuteAndDeleteReduceAndRemove) {
  L3Book book;
  book.Add(1, Side::kBuy, Price(100), Qty(10));
  book.Add(2, Side::kBuy, Price(100), Qty(5));
  EXPECT_EQ(book.Cancel(1, Qty(4)), L3Result::kOk);
  EXPECT_EQ(book.QtyAt(Side::kBuy, Price(100)), Qty(11));
  EXPECT_EQ(book.Execute(1, Qty(6)), L3Result::kOk);
  EXPECT_EQ(book.Find(1), nullptr);
  EXPECT_EQ(book.Delete(2), L3Result::kOk);
  EXPECT_EQ(book.level_count(Side::kBuy), 0u);
  EXPECT_FALSE(book.Top().has_bid);
}

TEST(L3BookTest, BadOperationsAreReported) {
  L3Book book;
  book.Add(1, Side::kBuy, Price(100), Qty(10));
  EXPECT_EQ(book.Add(1, Side::kBuy, Price(100), Qty(1)), L3Result::kDuplicateOrder);
  EXPECT_EQ(book.Add(2, Side::kBuy, Price(100), Qty(0)), L3Result::kBadQty);
  EXPECT_EQ(book.Cancel(7, Qty(1)), L3Result::kUnknownOrder);
  EXPECT_EQ(book.Cancel(1, Qty(11)), L3Result::kBadQty);
  L3OrderPayload e{};
  e.order_id = 1;
  e.side = Side::kSell;
  e.price = Price(100);
  e.qty = Qty(1);
  e.action = L3Action::kExecute;
  EXPECT_EQ(book.Apply(e), L3Result::kSideMismatch);
  EXPECT_EQ(book.Find(1)->qty, Qty(10));
}

TEST(L3BookTest, ApplyHandlesEveryAction) {
  L3Book book;
  L3OrderPayload e{};
  e.order_id = 9;
  e.side = Side::kSell;
  e.price = Price(70);
  e.qty = Qty(8);
  e.action = L3Action::kAdd;
  e.flags = kBookSnapshotBegin;
  ASSERT_EQ(book.Apply(e), L3Result::kOk);
  e.flags = 0;
  e.action = L3Action::kCancel;
  e.qty = Qty(3);
  ASSERT_EQ(book.Apply(e), L3Result::kOk);
  EXPECT_EQ(book.Top().ask_qty, Qty(5));
  e.action = L3Action::kDelete;
  ASSERT_EQ(book.Apply(e), L3Result::kOk);
  EXPECT_EQ(book.order_count(), 0u);
}

}  // namespace
}  // namespace tapedeck
