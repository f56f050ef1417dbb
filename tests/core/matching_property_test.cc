// Matching properties of the simulated venue on order-level (L3) data, for random books and
// random resting orders of the strategy (through the Engine, as a backtest runs them):
//   - no own fill beyond its limit (a buy at or below it, a sell at or above it);
//   - conservation per order: filled + left = ordered, never more filled than ordered, and the
//     strategy's context agrees with the fills it was sent;
//   - price-time priority among own orders: an order is not filled while an order of the same
//     side that reached the venue no later at an equal or better price still has quantity left;
//   - own passive fills come out of the data's executions: their total is at most what the data
//     executed.
// A failure prints its seed.
#include <cstdint>
#include <map>
#include <vector>

#include "core/engine.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::RunEngine;
using ::tapedeck::testing::TableOf;

const InstrumentId kId(0);

Event L3(int64_t ms, L3Action action, uint64_t order, Side side, int64_t price, int64_t qty) {
  Event e = MakeEvent(EventKind::kL3Order, kId, Timestamp(ms * kMs), Timestamp(ms * kMs));
  e.l3.action = action;
  e.l3.order_id = order;
  e.l3.side = side;
  e.l3.price = Price(price);
  e.l3.qty = Qty(qty);
  e.l3.record = static_cast<uint32_t>(ms);
  return e;
}

// A random order-level stream: bids below 100.00, asks from 100.00 (never crossed), one event
// per millisecond; returns the total quantity executed.
std::vector<Event> RandomBook(SplitMix64& rng, int n, int64_t* executed) {
  struct Live {
    Side side;
    int64_t price, qty;
  };
  std::map<uint64_t, Live> live;
  std::vector<Event> tape;
  uint64_t next = 0;
  *executed = 0;
  for (int ms = 1; ms <= n; ++ms) {
    const uint64_t op = rng.Next() % 10;
    if (op < 5 || live.empty()) {
      const Side side = rng.Next() % 2 == 0 ? Side::kBuy : Side::kSell;
      const int64_t price = side == Side::kBuy ? 9990 + static_cast<int64_t>(rng.Next() % 10)
                                               : 10000 + static_cast<int64_t>(rng.Next() % 10);
      const int64_t qty = 1 + static_cast<int64_t>(rng.Next() % 40);
      live[++next] = Live{side, price, qty};
      tape.push_back(L3(ms, L3Action::kAdd, next, side, price, qty));
      continue;
    }
    auto it = live.begin();
    std::advance(it, static_cast<long>(rng.Next() % live.size()));
    Live& o = it->second;
    const int64_t qty = 1 + static_cast<int64_t>(rng.Next() % static_cast<uint64_t>(o.qty));
    const L3Action action = op < 8 ? L3Action::kExecute : L3Action::kCancel;
    if (action == L3Action::kExecute) *executed += qty;
    tape.push_back(L3(ms, action, it->first, o.side, o.price, qty));
    o.qty -= qty;
    if (o.qty == 0) live.erase(it);
  }
  return tape;
}

// Sends post-only limit orders at random times and prices inside the book's ranges, and keeps
// every fill it is told of.
class Rester final : public Strategy {
 public:
  explicit Rester(uint64_t seed) : rng_(seed) {}
  void OnStart(Context& ctx) override { ctx.SetTimer(Timestamp(3 * kMs), 0); }
  void OnTimer(Context& ctx, uint64_t, uint64_t) override {
    OrderRequest r;
    r.instrument = kId;
    r.side = rng_.Next() % 2 == 0 ? Side::kBuy : Side::kSell;
    r.type = OrderType::kLimit;
    r.price = Price(r.side == Side::kBuy ? 9990 + static_cast<int64_t>(rng_.Next() % 10)
                                         : 10000 + static_cast<int64_t>(rng_.Next() % 10));
    r.qty = Qty(1 + static_cast<int64_t>(rng_.Next() % 30));
    r.post_only = true;
    sent.push_back(ctx.Submit(r));
    requests.push_back(r);
    ctx.SetTimer(ctx.now() + Duration(static_cast<int64_t>(1 + rng_.Next() % 40) * kMs), 0);
  }
  void OnOrderUpdate(Context&, const Event& e) override {
    if (e.kind == EventKind::kOrderFill) fills.push_back(e);
  }
  std::vector<OrderId> sent;
  std::vector<OrderRequest> requests;  // as sent, by index of `sent`
  std::vector<Event> fills;            // in the order the venue made them

 private:
  SplitMix64 rng_;
};

TEST(MatchingPropertyTest, OwnRestingOrdersFillByPriceTimeWithinTheirLimitsAndTheData) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    SplitMix64 rng(seed * 7919);
    int64_t executed = 0;
    std::vector<Event> tape = RandomBook(rng, 3000, &executed);
    const InstrumentTable t = TableOf(CentsInstrument());
    Rester s(seed);
    EngineConfig cfg;
    cfg.venue.entry_latency = Duration(kMs);  // constant: arrival order is sending order
    cfg.venue.response_latency = Duration(kMs);
    cfg.initial_cash = Money(1'000'000 * Money::kOne);
    auto engine = RunEngine(t, std::move(tape), s, cfg);
    const Context& ctx = engine->context();

    std::map<uint64_t, int64_t> filled;  // by order id
    int64_t total = 0;
    for (size_t k = 0; k < s.fills.size(); ++k) {
      const Event& f = s.fills[k];
      const size_t i = f.order.order_id.value - 1;
      ASSERT_LT(i, s.requests.size());
      const OrderRequest& r = s.requests[i];
      // Within the limit.
      if (r.side == Side::kBuy) {
        ASSERT_LE(f.order.price, r.price) << "fill " << k;
      } else {
        ASSERT_GE(f.order.price, r.price) << "fill " << k;
      }
      // Price-time priority: every own order of the side that reached the venue earlier at an
      // equal or better price is already complete (or was never resting: rejected).
      for (size_t j = 0; j < i; ++j) {
        const OrderRequest& a = s.requests[j];
        if (a.side != r.side) continue;
        const bool at_least_as_good = r.side == Side::kBuy ? a.price >= r.price : a.price <= r.price;
        if (!at_least_as_good) continue;
        if (ctx.order(s.sent[j])->status == OrderStatus::kRejected) continue;
        ASSERT_EQ(filled[s.sent[j].value], a.qty.raw)
            << "fill " << k << " of order " << i + 1 << " while order " << j + 1
            << " ahead of it in price-time priority still had quantity";
      }
      filled[f.order.order_id.value] += f.order.qty.raw;
      total += f.order.qty.raw;
    }
    // Conservation per order, and the context agrees.
    for (size_t i = 0; i < s.sent.size(); ++i) {
      const OrderState* o = ctx.order(s.sent[i]);
      ASSERT_NE(o, nullptr);
      ASSERT_LE(filled[s.sent[i].value], s.requests[i].qty.raw) << "order " << i + 1;
      ASSERT_EQ(o->filled.raw, filled[s.sent[i].value]) << "order " << i + 1;
      if (o->status == OrderStatus::kFilled) {
        ASSERT_EQ(o->filled, s.requests[i].qty);
      }
    }
    // Passive fills come out of what the data executed.
    ASSERT_LE(total, executed);
    EXPECT_GT(s.fills.size(), 0u);  // the test exercises something
  }
}

}  // namespace
}  // namespace tapedeck
