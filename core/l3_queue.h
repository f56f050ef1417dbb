// Bookkeeping for a true FIFO queue on order-level (L3) data, for the simulated venue's
// matching core (core/matching_core.h): the data's order book (an L3Book fed by kL3Order events) plus the time
// priority of every live real order, so that an own order can be placed among them.
//
// Priority: a real order added at the back of its level takes the next number of a counter
// (1, 2, ...); an order inferred from a snapshot (kBookInferred add, queued at the front of its
// level) takes -1, -2, ..., ahead of everything. An own order arriving now takes the counter's
// current value (ArrivalPriority): every real order added so far is ahead of it (priority <=
// its own), every later one behind (>). Own orders that share a priority keep their arrival
// order, which the venue keeps.
//
// Trade prints: a LOBSTER-style source emits, for a visible execution, a kL3Order execute and
// a kTrade of the same size at the same time (the book ranks before trades at equal time,
// core/event_order.h). Executions are remembered per (side, price) for their instant; a trade
// print takes its quantity from them first, and what is left over (Unexplained) is an
// execution the order-level data does not show: a hidden order (or a cross).
//
// Cost: one hash-map entry per live real order, one insert per add and one erase per removal,
// on top of the L3Book; only instruments with L3 data have one. The map is never iterated.
#ifndef TAPEDECK_CORE_L3_QUEUE_H_
#define TAPEDECK_CORE_L3_QUEUE_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/event.h"
#include "core/l3_book.h"
#include "core/types.h"

namespace tapedeck {

class L3Queue {
 public:
  // What one kL3Order event did to the data's book.
  struct Change {
    bool ok = false;         // false: the book rejected the event, which is then ignored
    bool snapshot = false;   // the book was cleared first (kBookSnapshotBegin)
    bool front = false;      // an add queued at the front of its level (kBookInferred)
    L3Action action = L3Action::kAdd;
    Side side = Side::kBuy;  // side of the real order
    Price price;
    int64_t qty = 0;         // raw size that joined (add) or left (cancel, delete, execute)
    int64_t priority = 0;    // the real order's time priority (see the header)
  };

  // Applies one event at exchange time `at`.
  Change Apply(const L3OrderPayload& e, Timestamp at);

  // The priority of an own order arriving now.
  int64_t ArrivalPriority() const { return last_priority_; }
  // Whether a real order of priority `real` is ahead of an own order of priority `own`.
  static bool Ahead(int64_t real, int64_t own) { return real <= own; }

  // A trade print of `qty` (raw) at `price` against resting orders of `side`, at `at`: the part
  // that the executions of the same instant at that side and price do not explain.
  int64_t Unexplained(Side side, Price price, int64_t qty, Timestamp at);

  const L3Book& book() const { return book_; }

 private:
  struct Executed {
    Side side;
    Price price;
    int64_t qty;  // not yet matched with a trade print
  };

  L3Book book_;
  absl::flat_hash_map<uint64_t, int64_t> priority_;  // live real order id -> priority
  int64_t last_priority_ = 0;   // of the last back add
  int64_t first_priority_ = 0;  // of the last front add
  std::vector<Executed> executed_;  // executions at executed_at_ not yet printed
  int64_t executed_at_ = INT64_MIN;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_L3_QUEUE_H_
