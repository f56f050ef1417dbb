#include "core/order_book.h"

#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace tapedeck {
namespace {

LevelPayload Level(Side side, int64_t price, int64_t qty, uint8_t flags = 0, uint64_t id = 0) {
  LevelPayload l{};
  l.side = side;
  l.price = Price(price);
  l.qty = Qty(qty);
  l.flags = flags;
  l.update_id = id;
  return l;
}

std::vector<BookLevel> Walk(const OrderBook& book, Side side) {
  std::vector<BookLevel> out;
  book.ForEachLevel(side, [&](BookLevel l) {
    out.push_back(l);
    return true;
  });
  return out;
}

TEST(OrderBookTest, KeepsBestBidAndAskWithSizes) {
  OrderBook book(Price(10));
  EXPECT_FALSE(book.has_bid());
  EXPECT_EQ(book.Apply(Level(Side::kBuy, 1000, 5)), BookResult::kOk);
  EXPECT_EQ(book.Apply(Level(Side::kBuy, 990, 7)), BookResult::kOk);
  EXPECT_EQ(book.Apply(Level(Side::kSell, 1010, 3)), BookResult::kOk);
  EXPECT_EQ(book.Apply(Level(Side::kSell, 1030, 4, kBookEndOfMessage, 42)), BookResult::kOk);
  const BookTop top = book.Top();
  EXPECT_TRUE(top.has_bid && top.has_ask);
  EXPECT_EQ(top.bid, Price(1000));
  EXPECT_EQ(top.bid_qty, Qty(5));
  EXPECT_EQ(top.ask, Price(1010));
  EXPECT_EQ(top.ask_qty, Qty(3));
  EXPECT_EQ(book.last_update_id(), 42u);
  EXPECT_EQ(book.level_count(Side::kBuy), 2u);
  EXPECT_EQ(book.QtyAt(Side::kBuy, Price(990)), Qty(7));
  EXPECT_EQ(book.QtyAt(Side::kBuy, Price(980)), Qty(0));
}

TEST(OrderBookTest, EmptiedBestLevelFallsBackToTheNextOne) {
  OrderBook book(Price(1));
  book.Apply(Level(Side::kBuy, 100, 1));
  book.Apply(Level(Side::kBuy, 97, 2));
  book.Apply(Level(Side::kSell, 105, 1));
  book.Apply(Level(Side::kSell, 109, 2));
  book.Apply(Level(Side::kBuy, 100, 0));
  book.Apply(Level(Side::kSell, 105, 0));
  EXPECT_EQ(book.best_bid(), Price(97));
  EXPECT_EQ(book.best_ask(), Price(109));
  book.Apply(Level(Side::kBuy, 97, 0));
  EXPECT_FALSE(book.has_bid());
  EXPECT_EQ(book.level_count(Side::kBuy), 0u);
}

TEST(OrderBookTest, SnapshotBeginClearsTheBook) {
  OrderBook book;
  book.Apply(Level(Side::kBuy, 100, 1));
  book.Apply(Level(Side::kSell, 101, 1));
  book.Apply(Level(Side::kBuy, 50, 2, kBookSnapshotBegin));
  EXPECT_EQ(book.best_bid(), Price(50));
  EXPECT_FALSE(book.has_ask());
  EXPECT_EQ(book.level_count(Side::kBuy), 1u);
}

TEST(OrderBookTest, CrossedBookIsReportedAtTheEndOfAMessage) {
  OrderBook book;
  book.Apply(Level(Side::kBuy, 100, 1));
  book.Apply(Level(Side::kSell, 101, 1, kBookEndOfMessage));
  // Inside a message a transient cross is allowed; at its end it is an error.
  EXPECT_EQ(book.Apply(Level(Side::kBuy, 101, 1)), BookResult::kOk);
  EXPECT_EQ(book.Apply(Level(Side::kBuy, 102, 1, kBookEndOfMessage)), BookResult::kCrossed);
  EXPECT_TRUE(book.crossed());
}

TEST(OrderBookTest, RejectsNegativeSizeAndOffTickPrice) {
  OrderBook book(Price(5));
  EXPECT_EQ(book.Apply(Level(Side::kBuy, 100, -1)), BookResult::kNegativeQty);
  EXPECT_EQ(book.Apply(Level(Side::kBuy, 101, 1)), BookResult::kOffTick);
  EXPECT_FALSE(book.has_bid());
  OrderBook fine(Price(1));
  EXPECT_EQ(fine.Apply(Level(Side::kBuy, INT64_MAX, 1)), BookResult::kPriceOutOfRange);
  EXPECT_EQ(fine.Apply(Level(Side::kBuy, INT64_MIN, 1)), BookResult::kPriceOutOfRange);
  EXPECT_FALSE(fine.has_bid());
}

TEST(OrderBookTest, LevelsAndWalkGoFromTheTouchOutwards) {
  OrderBook book;
  for (int64_t p : {100, 98, 95, 99}) book.Apply(Level(Side::kBuy, p, p));
  for (int64_t p : {103, 101, 110}) book.Apply(Level(Side::kSell, p, p));
  BookLevel top[3];
  ASSERT_EQ(book.Levels(Side::kBuy, top), 3u);
  EXPECT_EQ(top[0].price, Price(100));
  EXPECT_EQ(top[1].price, Price(99));
  EXPECT_EQ(top[2].price, Price(98));
  const std::vector<BookLevel> asks = Walk(book, Side::kSell);
  ASSERT_EQ(asks.size(), 3u);
  EXPECT_EQ(asks[0].price, Price(101));
  EXPECT_EQ(asks[2].price, Price(110));
  // Stops when the callback says so.
  EXPECT_EQ(book.ForEachLevel(Side::kSell, [](BookLevel) { return false; }), 1u);
}

TEST(OrderBookTest, FarLevelsOutsideTheWindowStayCorrect) {
  // A stub bid 10M ticks under the market cannot share the window; it goes to the far map.
  OrderBook book;
  book.Apply(Level(Side::kBuy, 50'000'000, 1));
  book.Apply(Level(Side::kBuy, 50'000'001, 2));
  book.Apply(Level(Side::kBuy, 40'000'000, 3));  // stub, far below
  book.Apply(Level(Side::kBuy, 60'000'000, 4));  // the market jumps up: re-centred window
  EXPECT_GT(book.far_levels(Side::kBuy), 0u);
  EXPECT_LE(book.window_ticks(Side::kBuy), OrderBook::kMaxWindowTicks);
  std::vector<BookLevel> bids = Walk(book, Side::kBuy);
  ASSERT_EQ(bids.size(), 4u);
  EXPECT_EQ(bids[0].price, Price(60'000'000));
  EXPECT_EQ(bids[1].price, Price(50'000'001));
  EXPECT_EQ(bids[2].price, Price(50'000'000));
  EXPECT_EQ(bids[3].price, Price(40'000'000));
  book.Apply(Level(Side::kBuy, 60'000'000, 0));
  EXPECT_EQ(book.best_bid(), Price(50'000'001));
  book.Apply(Level(Side::kBuy, 50'000'001, 0));
  book.Apply(Level(Side::kBuy, 50'000'000, 0));
  EXPECT_EQ(book.best_bid(), Price(40'000'000));
  EXPECT_EQ(book.best_bid_qty(), Qty(3));
  EXPECT_EQ(book.QtyAt(Side::kBuy, Price(40'000'000)), Qty(3));
}

TEST(OrderBookTest, MatchesAStdMapBookOnRandomUpdates) {
  // Random walks of the touch over a wide range, with far stubs, against a std::map reference.
  std::mt19937_64 rng(12345);
  OrderBook book(Price(1));
  std::map<int64_t, int64_t> bids, asks;
  int64_t mid = 1'000'000;
  for (int i = 0; i < 200'000; ++i) {
    if (i % 1000 == 0) mid += static_cast<int64_t>(rng() % 200'001) - 100'000;
    const bool bid = rng() % 2 == 0;
    int64_t offset = static_cast<int64_t>(rng() % 64) + 1;
    if (rng() % 500 == 0) offset = static_cast<int64_t>(rng() % 5'000'000);
    const int64_t price = bid ? mid - offset : mid + offset;
    const int64_t qty = rng() % 3 == 0 ? 0 : static_cast<int64_t>(rng() % 100) + 1;
    auto& ref = bid ? bids : asks;
    // Keep the reference uncrossed the way a venue would: levels through the new price go.
    if (qty > 0) {
      auto& other = bid ? asks : bids;
      for (auto it = other.begin(); it != other.end();) {
        if (bid ? it->first <= price : it->first >= price) {
          book.Set(bid ? Side::kSell : Side::kBuy, Price(it->first), Qty(0));
          it = other.erase(it);
        } else {
          ++it;
        }
      }
      ref[price] = qty;
    } else {
      ref.erase(price);
    }
    ASSERT_EQ(book.Set(bid ? Side::kBuy : Side::kSell, Price(price), Qty(qty)), BookResult::kOk);
    ASSERT_EQ(book.has_bid(), !bids.empty());
    ASSERT_EQ(book.has_ask(), !asks.empty());
    if (!bids.empty()) {
      ASSERT_EQ(book.best_bid(), Price(bids.rbegin()->first)) << i;
    }
    if (!asks.empty()) {
      ASSERT_EQ(book.best_ask(), Price(asks.begin()->first)) << i;
    }
    ASSERT_EQ(book.level_count(Side::kBuy), bids.size());
    ASSERT_EQ(book.level_count(Side::kSell), asks.size());
  }
  std::vector<BookLevel> walked = Walk(book, Side::kBuy);
  ASSERT_EQ(walked.size(), bids.size());
  size_t k = 0;
  for (auto it = bids.rbegin(); it != bids.rend(); ++it, ++k) {
    EXPECT_EQ(walked[k].price, Price(it->first));
    EXPECT_EQ(walked[k].qty, Qty(it->second));
  }
  walked = Walk(book, Side::kSell);
  ASSERT_EQ(walked.size(), asks.size());
  k = 0;
  for (auto it = asks.begin(); it != asks.end(); ++it, ++k) {
    EXPECT_EQ(walked[k].price, Price(it->first));
    EXPECT_EQ(walked[k].qty, Qty(it->second));
  }
}

}  // namespace
}  // namespace tapedeck
