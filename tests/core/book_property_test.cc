// Property tests of the books against slow reference models: random order-level (L3) and
// price-level (L2) sequences, valid and invalid, and after every step the book must agree with
// the reference on every level, every queue and every result code. A failure prints its seed:
// rerun with that seed to reproduce it.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/l3_book.h"
#include "core/latency_model.h"  // SplitMix64
#include "core/order_book.h"
#include "gtest/gtest.h"

namespace tapedeck {
namespace {

// --- L3: price-time priority, conservation of quantity ------------------------------------------

// The reference: every live order with its queue key; a level's queue is its orders sorted by
// key (arrival order; an order inferred from a snapshot goes to the front with a smaller key).
class ReferenceL3 {
 public:
  struct Order {
    Side side;
    int64_t price;
    int64_t qty;
    int64_t key;
  };

  L3Result Add(uint64_t id, Side side, int64_t price, int64_t qty, bool front) {
    if (qty <= 0) return L3Result::kBadQty;
    if (live_.contains(id)) return L3Result::kDuplicateOrder;
    live_[id] = Order{side, price, qty, front ? --front_key_ : ++back_key_};
    added_ += qty;
    return L3Result::kOk;
  }
  L3Result Reduce(uint64_t id, int64_t qty, bool execute) {
    auto it = live_.find(id);
    if (it == live_.end()) return L3Result::kUnknownOrder;
    if (qty <= 0 || qty > it->second.qty) return L3Result::kBadQty;
    (execute ? executed_ : cancelled_) += qty;
    it->second.qty -= qty;
    if (it->second.qty == 0) live_.erase(it);
    return L3Result::kOk;
  }
  L3Result Delete(uint64_t id) {
    auto it = live_.find(id);
    if (it == live_.end()) return L3Result::kUnknownOrder;
    deleted_ += it->second.qty;
    live_.erase(it);
    return L3Result::kOk;
  }

  // Levels of `side`, best first.
  std::vector<std::pair<int64_t, int64_t>> Levels(Side side) const {
    std::map<int64_t, int64_t> by_price;
    for (const auto& [id, o] : live_) {
      if (o.side == side) by_price[o.price] += o.qty;
    }
    std::vector<std::pair<int64_t, int64_t>> out(by_price.begin(), by_price.end());
    if (side == Side::kBuy) std::reverse(out.begin(), out.end());
    return out;
  }
  // The queue at `price` on `side`: ids front first.
  std::vector<uint64_t> Queue(Side side, int64_t price) const {
    std::vector<std::pair<int64_t, uint64_t>> keyed;
    for (const auto& [id, o] : live_) {
      if (o.side == side && o.price == price) keyed.emplace_back(o.key, id);
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<uint64_t> ids;
    for (const auto& [key, id] : keyed) ids.push_back(id);
    return ids;
  }
  int64_t Ahead(uint64_t id) const {
    const Order& o = live_.at(id);
    int64_t ahead = 0;
    for (const auto& [other, p] : live_) {
      if (p.side == o.side && p.price == o.price && p.key < o.key) ahead += p.qty;
    }
    return ahead;
  }
  int64_t Resting() const {
    int64_t sum = 0;
    for (const auto& [id, o] : live_) sum += o.qty;
    return sum;
  }

  const std::map<uint64_t, Order>& live() const { return live_; }
  int64_t added_ = 0, executed_ = 0, cancelled_ = 0, deleted_ = 0;

 private:
  std::map<uint64_t, Order> live_;
  int64_t back_key_ = 0;
  int64_t front_key_ = 0;
};

// One random step: an add (sometimes with a live id, a bad size or at the front), a cancel, an
// execute or a delete of a live order (sometimes of an unknown id, with a bad size, or with the
// wrong side or price through Apply).
void Step(SplitMix64& rng, uint64_t* next_id, L3Book* book, ReferenceL3* ref) {
  auto pick = [&](uint64_t n) { return rng.Next() % n; };
  const uint64_t op = pick(10);
  const auto& live = ref->live();
  if (op < 4 || live.empty()) {
    const Side side = pick(2) == 0 ? Side::kBuy : Side::kSell;
    // Bids below 1000, asks from 1000: the reference book is never crossed by construction.
    const int64_t price = side == Side::kBuy ? 990 + static_cast<int64_t>(pick(10))
                                             : 1000 + static_cast<int64_t>(pick(10));
    int64_t qty = 1 + static_cast<int64_t>(pick(50));
    uint64_t id = ++*next_id;
    if (pick(20) == 0) qty = -static_cast<int64_t>(pick(3));
    if (pick(20) == 0 && !live.empty()) id = live.begin()->first;
    const bool front = pick(10) == 0;
    ASSERT_EQ(book->Add(id, side, Price(price), Qty(qty), front), ref->Add(id, side, price, qty, front));
    return;
  }
  auto it = live.begin();
  std::advance(it, static_cast<long>(pick(live.size())));
  uint64_t id = it->first;
  const ReferenceL3::Order o = it->second;
  if (pick(20) == 0) id = *next_id + 1000;  // unknown
  int64_t qty = 1 + static_cast<int64_t>(pick(static_cast<uint64_t>(o.qty)));
  if (pick(20) == 0) qty = o.qty + 1;  // more than it has
  L3OrderPayload p{};
  p.order_id = id;
  p.side = o.side;
  p.price = Price(o.price);
  p.qty = Qty(qty);
  if (pick(25) == 0 && live.contains(id)) {
    p.price = Price(o.price + 1);
    p.action = L3Action::kCancel;
    ASSERT_EQ(book->Apply(p), L3Result::kSideMismatch);
    return;
  }
  if (op < 6) {
    p.action = L3Action::kCancel;
    ASSERT_EQ(book->Apply(p), ref->Reduce(id, qty, false));
  } else if (op < 9) {
    p.action = L3Action::kExecute;
    ASSERT_EQ(book->Apply(p), ref->Reduce(id, qty, true));
  } else {
    p.action = L3Action::kDelete;
    ASSERT_EQ(book->Apply(p), ref->Delete(id));
  }
}

void ExpectSame(const L3Book& book, const ReferenceL3& ref, SplitMix64& rng) {
  ASSERT_EQ(book.order_count(), ref.live().size());
  for (const Side side : {Side::kBuy, Side::kSell}) {
    const auto want = ref.Levels(side);
    std::vector<BookLevel> got(want.size() + 1);
    ASSERT_EQ(book.Levels(side, got), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(got[i].price.raw, want[i].first) << "level " << i;
      ASSERT_EQ(got[i].qty.raw, want[i].second) << "level " << i;
    }
    // Price-time priority: one level's queue, order by order.
    if (!want.empty()) {
      const int64_t price = want[rng.Next() % want.size()].first;
      const std::vector<uint64_t> queue = ref.Queue(side, price);
      std::vector<L3Order> orders(queue.size() + 1);
      ASSERT_EQ(book.OrdersAt(side, Price(price), orders), queue.size());
      for (size_t i = 0; i < queue.size(); ++i) ASSERT_EQ(orders[i].id, queue[i]) << "place " << i;
    }
  }
  const BookTop top = book.Top();
  if (top.has_bid && top.has_ask) {
    ASSERT_LT(top.bid, top.ask);  // never crossed
  }
  if (!ref.live().empty()) {
    auto it = ref.live().begin();
    std::advance(it, static_cast<long>(rng.Next() % ref.live().size()));
    ASSERT_EQ(book.QtyAhead(it->first), ref.Ahead(it->first));
  }
  // Conservation: what was added is resting, cancelled, executed or deleted.
  ASSERT_EQ(ref.added_, ref.Resting() + ref.cancelled_ + ref.executed_ + ref.deleted_);
}

TEST(L3BookPropertyTest, AgreesWithTheReferenceOnEveryQueue) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    SplitMix64 rng(seed);
    L3Book book;
    ReferenceL3 ref;
    uint64_t next_id = 0;
    for (int i = 0; i < 1500; ++i) {
      ASSERT_NO_FATAL_FAILURE(Step(rng, &next_id, &book, &ref)) << "step " << i;
      ASSERT_NO_FATAL_FAILURE(ExpectSame(book, ref, rng)) << "step " << i;
    }
  }
}

// --- L2: levels, the touch and the crossed check against a map -------------------------------------

TEST(OrderBookPropertyTest, AgreesWithAMapThroughSnapshotsDiffsAndFarLevels) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    SplitMix64 rng(seed);
    auto pick = [&](uint64_t n) { return rng.Next() % n; };
    const int64_t tick = 1 + static_cast<int64_t>(pick(3));
    OrderBook book{Price(tick)};
    std::map<int64_t, int64_t> bids, asks;
    int64_t mid = 100'000;
    for (int i = 0; i < 3000; ++i) {
      LevelPayload l{};
      l.side = pick(2) == 0 ? Side::kBuy : Side::kSell;
      // Mostly near the touch; now and then far away (the overflow map) or a jump of the market
      // (the window re-centres).
      int64_t offset = static_cast<int64_t>(pick(200));
      if (pick(50) == 0) offset = static_cast<int64_t>(pick(1'000'000));
      if (pick(500) == 0) mid += (pick(2) == 0 ? 1 : -1) * static_cast<int64_t>(pick(3'000'000));
      l.price = Price((l.side == Side::kBuy ? mid - 1 - offset : mid + offset) * tick);
      l.qty = Qty(pick(4) == 0 ? 0 : 1 + static_cast<int64_t>(pick(1000)));
      l.flags = kBookEndOfMessage;
      if (pick(300) == 0) {
        l.flags |= kBookSnapshotBegin;
        bids.clear();
        asks.clear();
      }
      std::map<int64_t, int64_t>& side = l.side == Side::kBuy ? bids : asks;
      if (l.qty.raw == 0) {
        side.erase(l.price.raw);
      } else {
        side[l.price.raw] = l.qty.raw;
      }
      const bool crossed = !bids.empty() && !asks.empty() && bids.rbegin()->first >= asks.begin()->first;
      ASSERT_EQ(book.Apply(l), crossed ? BookResult::kCrossed : BookResult::kOk) << "step " << i;
      ASSERT_EQ(book.level_count(Side::kBuy), bids.size());
      ASSERT_EQ(book.level_count(Side::kSell), asks.size());
      if (!bids.empty()) {
        ASSERT_EQ(book.best_bid().raw, bids.rbegin()->first);
      }
      if (!asks.empty()) {
        ASSERT_EQ(book.best_ask().raw, asks.begin()->first);
      }
      ASSERT_EQ(book.QtyAt(l.side, l.price).raw, l.qty.raw);
      if (crossed) {  // the data's book is repaired by the next level; here, undo the cross
        l.qty = Qty(0);
        l.flags = 0;
        side.erase(l.price.raw);
        ASSERT_EQ(book.Apply(l), BookResult::kOk);
      }
      if (i % 500 == 499) {  // every level, best first
        for (const auto& [s, ref] : {std::pair{Side::kBuy, &bids}, std::pair{Side::kSell, &asks}}) {
          std::vector<BookLevel> got(ref->size());
          ASSERT_EQ(book.Levels(s, got), ref->size());
          size_t k = 0;
          auto check = [&](const auto& kv) {
            ASSERT_EQ(got[k].price.raw, kv.first);
            ASSERT_EQ(got[k].qty.raw, kv.second);
            ++k;
          };
          if (s == Side::kBuy) {
            for (auto it = ref->rbegin(); it != ref->rend(); ++it) check(*it);
          } else {
            for (const auto& kv : *ref) check(kv);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace tapedeck
