#include "core/l3_book.h"

#include <algorithm>

#include "core/check.h"

namespace tapedeck {

std::string_view L3ResultName(L3Result r) {
  switch (r) {
    case L3Result::kOk: return "ok";
    case L3Result::kDuplicateOrder: return "an order with this id is already live";
    case L3Result::kUnknownOrder: return "no live order has this id";
    case L3Result::kBadQty: return "size is not positive or exceeds what the order has left";
    case L3Result::kSideMismatch: return "side or price differs from the live order's";
  }
  return "unknown";
}

void L3Book::Clear() {
  nodes_.clear();
  free_.clear();
  index_.clear();
  bids_.clear();
  asks_.clear();
}

int64_t L3Book::FindLevel(const std::vector<Level>& levels, Side side, int64_t price) {
  // Sorted so that the best is at the back: bids ascending, asks descending.
  auto it = side == Side::kBuy
                ? std::lower_bound(levels.begin(), levels.end(), price,
                                   [](const Level& l, int64_t p) { return l.price < p; })
                : std::lower_bound(levels.begin(), levels.end(), price,
                                   [](const Level& l, int64_t p) { return l.price > p; });
  if (it == levels.end() || it->price != price) return -1;
  return it - levels.begin();
}

size_t L3Book::FindOrInsertLevel(std::vector<Level>* levels, Side side, int64_t price) {
  auto it = side == Side::kBuy
                ? std::lower_bound(levels->begin(), levels->end(), price,
                                   [](const Level& l, int64_t p) { return l.price < p; })
                : std::lower_bound(levels->begin(), levels->end(), price,
                                   [](const Level& l, int64_t p) { return l.price > p; });
  if (it == levels->end() || it->price != price) {
    Level fresh;
    fresh.price = price;
    it = levels->insert(it, fresh);
  }
  return static_cast<size_t>(it - levels->begin());
}

L3Result L3Book::Add(uint64_t id, Side side, Price price, Qty qty, bool front) {
  if (qty.raw <= 0) return L3Result::kBadQty;
  if (index_.contains(id)) return L3Result::kDuplicateOrder;
  uint32_t n;
  if (!free_.empty()) {
    n = free_.back();
    free_.pop_back();
  } else {
    TAPEDECK_CHECK(nodes_.size() < kNil, "Invariant: fewer than 2^32 live orders");
    n = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
  }
  Node& node = nodes_[n];
  node.order = L3Order{id, price, qty, side};
  std::vector<Level>& levels = Levels(side);
  Level& level = levels[FindOrInsertLevel(&levels, side, price.raw)];
  if (front) {
    node.prev = kNil;
    node.next = level.head;
    if (level.head != kNil) nodes_[level.head].prev = n;
    level.head = n;
    if (level.tail == kNil) level.tail = n;
  } else {
    node.next = kNil;
    node.prev = level.tail;
    if (level.tail != kNil) nodes_[level.tail].next = n;
    level.tail = n;
    if (level.head == kNil) level.head = n;
  }
  level.total += qty.raw;
  ++level.orders;
  index_.emplace(id, n);
  return L3Result::kOk;
}

void L3Book::Unlink(uint32_t n, Level* level) {
  Node& node = nodes_[n];
  if (node.prev != kNil) nodes_[node.prev].next = node.next; else level->head = node.next;
  if (node.next != kNil) nodes_[node.next].prev = node.prev; else level->tail = node.prev;
  node.prev = node.next = kNil;
}

void L3Book::Remove(uint32_t n) {
  Node& node = nodes_[n];
  std::vector<Level>& levels = Levels(node.order.side);
  const int64_t li = FindLevel(levels, node.order.side, node.order.price.raw);
  TAPEDECK_CHECK(li >= 0, "Invariant: a live order's level exists");
  Level& level = levels[static_cast<size_t>(li)];
  Unlink(n, &level);
  level.total -= node.order.qty.raw;
  --level.orders;
  if (level.orders == 0) levels.erase(levels.begin() + li);
  index_.erase(node.order.id);
  free_.push_back(n);
}

L3Result L3Book::Cancel(uint64_t id, Qty qty) {
  auto it = index_.find(id);
  if (it == index_.end()) return L3Result::kUnknownOrder;
  Node& node = nodes_[it->second];
  if (qty.raw <= 0 || qty.raw > node.order.qty.raw) return L3Result::kBadQty;
  if (qty.raw == node.order.qty.raw) {
    Remove(it->second);
    return L3Result::kOk;
  }
  std::vector<Level>& levels = Levels(node.order.side);
  const int64_t li = FindLevel(levels, node.order.side, node.order.price.raw);
  TAPEDECK_CHECK(li >= 0, "Invariant: a live order's level exists");
  levels[static_cast<size_t>(li)].total -= qty.raw;
  node.order.qty = node.order.qty - qty;
  return L3Result::kOk;
}

L3Result L3Book::Delete(uint64_t id) {
  auto it = index_.find(id);
  if (it == index_.end()) return L3Result::kUnknownOrder;
  Remove(it->second);
  return L3Result::kOk;
}

L3Result L3Book::Apply(const L3OrderPayload& e) {
  if ((e.flags & kBookSnapshotBegin) != 0) Clear();
  if (e.action == L3Action::kAdd) {
    return Add(e.order_id, e.side, e.price, e.qty, (e.flags & kBookInferred) != 0);
  }
  const L3Order* o = Find(e.order_id);
  if (o == nullptr) return L3Result::kUnknownOrder;
  if (o->side != e.side || o->price != e.price) return L3Result::kSideMismatch;
  switch (e.action) {
    case L3Action::kCancel: return Cancel(e.order_id, e.qty);
    case L3Action::kExecute: return Execute(e.order_id, e.qty);
    case L3Action::kDelete: return Delete(e.order_id);
    case L3Action::kAdd: break;
  }
  return L3Result::kOk;
}

const L3Order* L3Book::Find(uint64_t id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &nodes_[it->second].order;
}

size_t L3Book::Levels(Side side, std::span<BookLevel> out) const {
  const std::vector<Level>& levels = Levels(side);
  size_t n = 0;
  for (auto it = levels.rbegin(); it != levels.rend() && n < out.size(); ++it) {
    out[n++] = BookLevel{Price(it->price), Qty(it->total)};
  }
  return n;
}

Qty L3Book::QtyAt(Side side, Price price) const {
  const std::vector<Level>& levels = Levels(side);
  const int64_t li = FindLevel(levels, side, price.raw);
  return li < 0 ? Qty(0) : Qty(levels[static_cast<size_t>(li)].total);
}

BookTop L3Book::Top() const {
  BookTop t;
  if (!bids_.empty()) {
    t.has_bid = true;
    t.bid = Price(bids_.back().price);
    t.bid_qty = Qty(bids_.back().total);
  }
  if (!asks_.empty()) {
    t.has_ask = true;
    t.ask = Price(asks_.back().price);
    t.ask_qty = Qty(asks_.back().total);
  }
  return t;
}

size_t L3Book::OrdersAt(Side side, Price price, std::span<L3Order> out) const {
  const std::vector<Level>& levels = Levels(side);
  const int64_t li = FindLevel(levels, side, price.raw);
  if (li < 0) return 0;
  size_t n = 0;
  for (uint32_t i = levels[static_cast<size_t>(li)].head; i != kNil && n < out.size();
       i = nodes_[i].next) {
    out[n++] = nodes_[i].order;
  }
  return n;
}

int64_t L3Book::QtyAhead(uint64_t id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return -1;
  int64_t ahead = 0;
  for (uint32_t i = nodes_[it->second].prev; i != kNil; i = nodes_[i].prev) {
    ahead += nodes_[i].order.qty.raw;
  }
  return ahead;
}

}  // namespace tapedeck
