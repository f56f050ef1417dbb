#include "core/l3_queue.h"

#include <algorithm>

namespace tapedeck {

L3Queue::Change L3Queue::Apply(const L3OrderPayload& e, Timestamp at) {
  Change c;
  c.action = e.action;
  c.side = e.side;
  c.price = e.price;
  c.snapshot = (e.flags & kBookSnapshotBegin) != 0;
  c.front = e.action == L3Action::kAdd && (e.flags & kBookInferred) != 0;
  if (c.snapshot) {
    priority_.clear();
    executed_.clear();
  }
  // What leaves the book: a delete removes whatever the order has left.
  int64_t leaving = e.qty.raw;
  if (e.action == L3Action::kDelete) {
    const L3Order* o = book_.Find(e.order_id);
    if (o != nullptr) leaving = o->qty.raw;
  }
  if (book_.Apply(e) != L3Result::kOk) return c;
  c.ok = true;
  c.qty = leaving;
  if (e.action == L3Action::kAdd) {
    c.priority = c.front ? --first_priority_ : ++last_priority_;
    priority_[e.order_id] = c.priority;
    return c;
  }
  auto it = priority_.find(e.order_id);
  c.priority = it == priority_.end() ? 0 : it->second;
  if (it != priority_.end() && book_.Find(e.order_id) == nullptr) priority_.erase(it);
  if (e.action == L3Action::kExecute) {
    if (at.ns != executed_at_) {
      executed_.clear();
      executed_at_ = at.ns;
    }
    auto ex = std::find_if(executed_.begin(), executed_.end(), [&](const Executed& x) {
      return x.side == e.side && x.price == e.price;
    });
    if (ex == executed_.end()) {
      executed_.push_back(Executed{e.side, e.price, leaving});
    } else {
      ex->qty += leaving;
    }
  }
  return c;
}

int64_t L3Queue::Unexplained(Side side, Price price, int64_t qty, Timestamp at) {
  if (at.ns != executed_at_) return qty;
  for (Executed& x : executed_) {
    if (x.side != side || x.price != price) continue;
    const int64_t explained = std::min(qty, x.qty);
    x.qty -= explained;
    return qty - explained;
  }
  return qty;
}

}  // namespace tapedeck
