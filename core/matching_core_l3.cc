// The matching core on order-level (L3) data: own orders in a true FIFO queue among the real
// orders (the rules are in core/matching_core.h).
#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include "core/matching_core.h"

namespace tapedeck {

int64_t MatchingCore::FillAheadOfExecution(BookState& s, Side side, Price price,
                                           int64_t priority, int64_t qty, Timestamp at) {
  const bool buy = side == Side::kBuy;
  auto better = [buy](Price a, Price b) { return buy ? a > b : a < b; };
  int64_t left = qty;
  while (left > 0) {
    // The best-priced eligible own order; the first in arrival order among equal prices. Own
    // orders of one instrument are few, so a scan per fill is cheaper than sorting.
    RestingOrder* next = nullptr;
    for (RestingOrder& r : s.resting) {
      const OrderRequest& q = r.request;
      if (q.type != OrderType::kLimit || q.side != side || r.remaining.raw == 0) continue;
      const bool reached = better(q.price, price) ||
                           (q.price == price && !L3Queue::Ahead(priority, r.l3_priority));
      if (reached && (next == nullptr || better(q.price, next->request.price))) next = &r;
    }
    if (next == nullptr) break;
    const int64_t f = std::min(left, next->remaining.raw);
    next->remaining = Qty(next->remaining.raw - f);
    left -= f;
    Fill(next->request, at, next->request.price, Qty(f), Liquidity::kMaker);
  }
  if (left < qty) {
    std::erase_if(s.resting, [](const RestingOrder& r) { return r.remaining.raw == 0; });
  }
  return qty - left;
}

void MatchingCore::OnL3Data(BookState& s, const Event& e) {
  if (s.l3 == nullptr) s.l3 = std::make_unique<L3Queue>();
  L3Queue& l3 = *s.l3;
  const Timestamp at = e.exchange_time();
  // Own orders that arrived since the previous event queue behind every real order added so far
  // (no real order was added in between).
  for (RestingOrder& r : s.resting) {
    if (r.l3_priority == kL3Unplaced) r.l3_priority = l3.ArrivalPriority();
  }
  if (e.kind == EventKind::kTrade) {
    // Prints of visible executions were handled with their kL3Order execute. What is left traded
    // with a hidden order, which queues behind every displayed order at its price: the aggressor
    // would have reached own orders at that price or better first.
    const Side hit = HitSide(e);
    const int64_t hidden = l3.Unexplained(hit, e.trade.price, e.trade.qty.raw, at);
    if (hidden > 0) FillAheadOfExecution(s, hit, e.trade.price, INT64_MAX, hidden, at);
    return;
  }
  // Levels, quotes and bars of an instrument with order-level data are ignored: its book is the
  // order-level one.
  if (e.kind != EventKind::kL3Order) return;
  const L3Queue::Change c = l3.Apply(e.l3, at);
  if (!c.ok) return;  // readers reject inconsistent data; a stray event changes nothing here
  if (c.snapshot) {
    s.book.Clear();
    // The snapshot's orders, queued in front, add to it.
    for (RestingOrder& r : s.resting) r.ahead = 0;
  }
  // The L2 book mirrors the level aggregates: the touch, and market or crossing orders walking
  // levels, read it as with level data.
  LevelPayload level{};
  level.price = c.price;
  level.qty = l3.book().QtyAt(c.side, c.price);
  level.side = c.side;
  s.book.Apply(level);
  s.has_book = true;
  RefreshTouchFromBook(s);
  OnL3Change(s, c, at);
  TakeWaitingMarketOrders(s, at);
}

void MatchingCore::OnL3Change(BookState& s, const L3Queue::Change& c, Timestamp at) {
  if (c.action == L3Action::kAdd && !c.front) {
    // A real order that crosses own orders of the other side would have traded with them
    // (they are better than every real order of their side, or the data's book would be
    // crossed); own orders do not change the data, so it rests there in full.
    FillAheadOfExecution(s, Opposite(c.side), c.price, INT64_MAX, c.qty, at);
    return;
  }
  for (RestingOrder& r : s.resting) {
    const OrderRequest& q = r.request;
    if (q.type != OrderType::kLimit || q.side != c.side || q.price != c.price) continue;
    if (c.action == L3Action::kAdd) {
      r.ahead += c.qty;  // an order inferred from a snapshot: in front of everything
    } else if (L3Queue::Ahead(c.priority, r.l3_priority)) {
      r.ahead = std::max<int64_t>(r.ahead - c.qty, 0);  // cancels behind us change nothing
    }
  }
  // An execution of a real order behind own orders (in time at its price, or at a worse
  // price): the aggressor would have reached them first. Each fills by up to the executed
  // quantity, at its own price (maker); the data's book is left as it is.
  if (c.action == L3Action::kExecute) {
    FillAheadOfExecution(s, c.side, c.price, c.priority, c.qty, at);
  }
}

void MatchingCore::TakeWaitingMarketOrders(BookState& s, Timestamp at) {
  for (size_t i = 0; i < s.resting.size();) {
    RestingOrder& r = s.resting[i];
    const bool waiting = r.request.type == OrderType::kMarket &&
                         (r.request.side == Side::kBuy ? s.has_ask : s.has_bid);
    if (waiting) r.remaining = Qty(r.remaining.raw - Take(s, r.request, at, r.remaining.raw));
    if (waiting && r.remaining.raw == 0) {
      s.resting.erase(s.resting.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace tapedeck
