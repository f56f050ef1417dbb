// An order-level (L3) book for one instrument: every resting order with its place in the FIFO
// queue of its price level, fed by kL3Order events (LOBSTER, and later DBN MBO). It aggregates to
// price levels so that it can be compared with an L2 book or a vendor's book file.
//
// Layout: orders live in a pool (a vector with a free list) linked into one doubly linked FIFO
// list per level; levels are kept per side in a vector sorted so that the best level is at the
// back (CppTrader's layout: activity is near the touch, so inserts and erases move few entries).
// Orders are looked up by id in an absl::flat_hash_map, which is never iterated.
#ifndef TAPEDECK_CORE_L3_BOOK_H_
#define TAPEDECK_CORE_L3_BOOK_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/event.h"
#include "core/order_book.h"
#include "core/types.h"

namespace tapedeck {

enum class L3Result : uint8_t {
  kOk = 0,
  kDuplicateOrder = 1,  // an add for an id that is live
  kUnknownOrder = 2,    // a cancel, delete or execute for an id that is not live
  kBadQty = 3,          // a size <= 0, or more than the order has left
  kSideMismatch = 4,    // the event's side or price differs from the live order's
};
std::string_view L3ResultName(L3Result r);

struct L3Order {
  uint64_t id = 0;
  Price price;
  Qty qty;  // what is left
  Side side = Side::kBuy;
};

class L3Book {
 public:
  L3Book() = default;

  void Clear();

  // Adds a live order at the back of its level's queue, or at the front when `front` (an order
  // inferred from a snapshot, which predates everything in the messages).
  L3Result Add(uint64_t id, Side side, Price price, Qty qty, bool front = false);
  // Reduces the order by `qty`; removes it when nothing is left.
  L3Result Cancel(uint64_t id, Qty qty);
  L3Result Execute(uint64_t id, Qty qty) { return Cancel(id, qty); }
  // Removes the order whole.
  L3Result Delete(uint64_t id);

  // Applies one kL3Order payload (kBookSnapshotBegin clears the book first; kBookInferred adds
  // at the front of the queue). Side and price are checked against the live order.
  L3Result Apply(const L3OrderPayload& e);

  // The live order `id`, or nullptr.
  const L3Order* Find(uint64_t id) const;
  size_t order_count() const { return index_.size(); }

  // L2 aggregation.
  size_t level_count(Side side) const { return Levels(side).size(); }
  // Writes up to out.size() levels of `side`, best first (qty = sum of the orders); returns how
  // many were written.
  size_t Levels(Side side, std::span<BookLevel> out) const;
  Qty QtyAt(Side side, Price price) const;
  BookTop Top() const;
  // Orders at `price` on `side` in queue order (front first), up to out.size(); returns the count.
  size_t OrdersAt(Side side, Price price, std::span<L3Order> out) const;
  // Size queued ahead of order `id` at its level (0 for the front order); -1 when not live.
  int64_t QtyAhead(uint64_t id) const;

 private:
  static constexpr uint32_t kNil = UINT32_MAX;
  struct Node {
    L3Order order;
    uint32_t prev = kNil;
    uint32_t next = kNil;
  };
  struct Level {
    int64_t price = 0;  // raw
    int64_t total = 0;  // sum of the orders' sizes
    uint32_t head = kNil;
    uint32_t tail = kNil;
    uint32_t orders = 0;
  };

  std::vector<Level>& Levels(Side side) { return side == Side::kBuy ? bids_ : asks_; }
  const std::vector<Level>& Levels(Side side) const { return side == Side::kBuy ? bids_ : asks_; }
  // Index of the level at `price` in `levels`, or -1.
  static int64_t FindLevel(const std::vector<Level>& levels, Side side, int64_t price);
  // Index of the level at `price`, inserting an empty one where it belongs.
  static size_t FindOrInsertLevel(std::vector<Level>* levels, Side side, int64_t price);
  void Unlink(uint32_t node, Level* level);
  void Remove(uint32_t node);

  std::vector<Node> nodes_;
  std::vector<uint32_t> free_;
  absl::flat_hash_map<uint64_t, uint32_t> index_;  // order id -> node; never iterated
  // Best level at the back: bids ascending by price, asks descending.
  std::vector<Level> bids_;
  std::vector<Level> asks_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_L3_BOOK_H_
