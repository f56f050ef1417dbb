// The venue's FIFO queue on real order-level data: the LOBSTER AAPL sample (2012-06-21, first
// 999 messages) through the Engine with a small passive strategy that joins the best bid and
// the best ask of its own L3 book. Pins the order and fill digests, and checks every fill
// against an independent reference: a naive model that keeps each price level as a list of
// entries with our orders inserted among the real ones at their arrival, and fills an own entry
// when the aggressor would have reached it first (an execution of a real entry behind it or at
// a worse price, a hidden print at or through its price, a real opposite add crossing it).
#include <algorithm>
#include <cstdio>
#include <list>
#include <map>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "core/engine.h"
#include "core/l3_book.h"
#include "core/merger.h"
#include "gtest/gtest.h"
#include "replay/source_factory.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::SharedData;

constexpr char kMessages[] =
    "lobster_aapl_20120621/AAPL_2012-06-21_34200000_57600000_message_10.csv";
const InstrumentId kAapl(0);
constexpr int64_t kQuoteQty = 100;  // shares per quote

// Pinned digests (FNV-1a 64 over the order log and over the fill log, as below). A deliberate
// venue change that moves them says why in its commit.
constexpr uint64_t kOrdersDigest = 0xd30eac325085585eULL;
constexpr uint64_t kFillsDigest = 0x080760358ce638bbULL;

InstrumentTable Aapl() {
  InstrumentTable t;
  Instrument in;
  in.symbol = "AAPL";
  in.price_scale = 2;
  in.qty_scale = 0;
  in.maker_fee = Rate(-20'000);  // a rebate, so that fees are part of the digest
  in.taker_fee = Rate(30'000);
  EXPECT_THAT(t.Add(in), IsOk());
  return t;
}

// Joins the best bid and the best ask of its own L3 book with a post-only order of 100 shares,
// and moves a quote when its side's best price moves (at most every 50 ms per side). It records
// what the venue said, for the reference below.
class L3Joiner final : public Strategy {
 public:
  struct Own {
    OrderId id;
    Side side;
    Price price;
    int64_t qty = 0;
    int64_t arrived = -1;    // exchange time of the ack
    int64_t cancelled = -1;  // exchange time of the cancel, when one took effect
  };

  void OnBookLevel(Context& ctx, const Event& e) override {
    if (e.kind != EventKind::kL3Order) return;
    book_.Apply(e.l3);
    if ((e.l3.flags & kBookEndOfMessage) == 0) return;
    const BookTop top = book_.Top();
    Requote(ctx, Side::kBuy, top.has_bid, top.bid);
    Requote(ctx, Side::kSell, top.has_ask, top.ask);
  }
  void OnOrderUpdate(Context&, const Event& e) override {
    auto it = std::find_if(own.begin(), own.end(),
                           [&](const Own& o) { return o.id == e.order.order_id; });
    if (it == own.end()) return;
    if (e.kind == EventKind::kOrderAck) it->arrived = e.exchange_ts;
    if (e.kind == EventKind::kOrderCancel) it->cancelled = e.exchange_ts;
  }

  std::vector<Own> own;

 private:
  struct Quote {
    OrderId id;
    Price price;
    bool sent = false;
    Timestamp next_allowed;
  };
  void Requote(Context& ctx, Side side, bool has, Price best) {
    Quote& q = quotes_[side == Side::kBuy ? 0 : 1];
    const OrderState* st = q.sent ? ctx.order(q.id) : nullptr;
    const bool live = st != nullptr && !IsTerminal(st->status);
    if (!has || (live && q.price == best) || ctx.now() < q.next_allowed) return;
    if (live) ctx.Cancel(q.id);
    OrderRequest r;
    r.instrument = kAapl;
    r.side = side;
    r.type = OrderType::kLimit;
    r.price = best;
    r.qty = Qty(kQuoteQty);
    r.post_only = true;
    q.id = ctx.Submit(r);
    q.price = best;
    q.sent = true;
    q.next_allowed = ctx.now() + Duration::Millis(50);
    own.push_back(Own{q.id, side, best, kQuoteQty});
  }

  L3Book book_;
  Quote quotes_[2];
};

// Fills keyed by (exchange time, order id): total quantity, and the price (one per order).
using FillKey = std::pair<int64_t, uint64_t>;
using FillMap = std::map<FillKey, std::pair<int64_t, int64_t>>;

// The reference: every level a list of entries (real or own) in queue order.
class ReferenceFifo {
 public:
  explicit ReferenceFifo(FillMap* fills) : fills_(fills) {}

  void Arrive(const L3Joiner::Own& o) {
    levels_[Key(o.side, o.price)].push_back(Entry{true, o.id.value, o.qty});
  }
  void Cancel(const L3Joiner::Own& o) {
    auto& level = levels_[Key(o.side, o.price)];
    level.remove_if([&](const Entry& x) { return x.own && x.id == o.id.value; });
  }
  // One market event, in the reader's order. `after_execute`: the previous event was a kL3Order
  // execute (so a trade is its print, not a hidden execution).
  void Apply(const Event& e, bool after_execute) {
    const int64_t ts = e.exchange_ts;
    if (e.kind == EventKind::kTrade) {
      if (after_execute) return;
      const Side hit = Opposite(e.trade.aggressor);
      Reach(hit, e.trade.price, nullptr, e.trade.qty.raw, ts);
      return;
    }
    if (e.kind != EventKind::kL3Order) return;
    const L3OrderPayload& l = e.l3;
    if ((l.flags & kBookSnapshotBegin) != 0) {
      for (auto& [key, level] : levels_) level.remove_if([](const Entry& x) { return !x.own; });
    }
    auto& level = levels_[Key(l.side, l.price)];
    if (l.action == L3Action::kAdd) {
      if ((l.flags & kBookInferred) != 0) {
        level.push_front(Entry{false, l.order_id, l.qty.raw});
      } else {
        Reach(Opposite(l.side), l.price, nullptr, l.qty.raw, ts);
        level.push_back(Entry{false, l.order_id, l.qty.raw});
      }
      return;
    }
    auto it = std::find_if(level.begin(), level.end(),
                           [&](const Entry& x) { return !x.own && x.id == l.order_id; });
    ASSERT_NE(it, level.end()) << "order " << l.order_id;
    if (l.action == L3Action::kExecute) Reach(l.side, l.price, &*it, l.qty.raw, ts);
    if (l.action == L3Action::kDelete || l.qty.raw >= it->qty) {
      level.erase(it);
    } else {
      it->qty -= l.qty.raw;
    }
  }

 private:
  struct Entry {
    bool own;
    uint64_t id;
    int64_t qty;
  };
  // Levels of one side, best first: (side, price) with bids negated.
  static std::pair<int, int64_t> Key(Side side, Price p) {
    return {side == Side::kBuy ? 0 : 1, side == Side::kBuy ? -p.raw : p.raw};
  }
  // An aggressor of `qty` against `side` that traded at `price` with `stop` (a real entry at
  // `price`; nullptr: behind everything there) reaches every own entry before it, best first.
  void Reach(Side side, Price price, const Entry* stop, int64_t qty, int64_t ts) {
    const int s = side == Side::kBuy ? 0 : 1;
    const int64_t limit = Key(side, price).second;
    for (auto& [key, level] : levels_) {
      if (key.first != s || key.second > limit || qty == 0) continue;
      const int64_t own_price = s == 0 ? -key.second : key.second;
      for (auto it = level.begin(); it != level.end() && qty > 0;) {
        if (&*it == stop) break;
        if (!it->own) {
          ++it;
          continue;
        }
        const int64_t f = std::min(qty, it->qty);
        qty -= f;
        it->qty -= f;
        auto& [total, px] = (*fills_)[{ts, it->id}];
        total += f;
        px = own_price;
        it = it->qty == 0 ? level.erase(it) : std::next(it);
      }
    }
  }

  std::map<std::pair<int, int64_t>, std::list<Entry>> levels_;
  FillMap* fills_;
};

uint64_t Fnv(uint64_t h, int64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xFF;
    h *= 0x100000001B3ULL;
  }
  return h;
}

TEST(LobsterFifoTest, PassiveJoinerFillsExactlyWhenTheFifoSaysSo) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable t = Aapl();
  replay::SourceSpec spec;
  spec.path = SharedData(kMessages);
  spec.format = "lobster";
  spec.instrument = "AAPL";
  absl::StatusOr<std::unique_ptr<EventSource>> src = replay::OpenSource(spec, t);
  ASSERT_TRUE(src.ok()) << src.status();
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::move(*src));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration::Millis(1);
  cfg.venue.response_latency = Duration::Millis(1);
  Engine engine(t, cfg);
  L3Joiner joiner;
  ASSERT_THAT(engine.Run(merger, joiner), IsOk());

  // The reference, over the reader's events in their own order, with our arrivals and cancels
  // at their venue times (the venue takes market data at a time before requests arriving then).
  absl::StatusOr<std::unique_ptr<EventSource>> again = replay::OpenSource(spec, t);
  ASSERT_TRUE(again.ok()) << again.status();
  std::vector<Event> tape;
  while (true) {
    absl::StatusOr<std::span<const Event>> batch = (*again)->NextBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    if (batch->empty()) break;
    tape.insert(tape.end(), batch->begin(), batch->end());
  }
  struct Action {
    int64_t at;
    bool cancel;
    size_t own;
  };
  std::vector<Action> actions;
  for (size_t i = 0; i < joiner.own.size(); ++i) {
    const L3Joiner::Own& o = joiner.own[i];
    if (o.arrived >= 0) actions.push_back(Action{o.arrived, false, i});
    if (o.cancelled >= 0) actions.push_back(Action{o.cancelled, true, i});
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const Action& a, const Action& b) { return a.at < b.at; });
  FillMap want;
  ReferenceFifo ref(&want);
  size_t next = 0;
  bool after_execute = false;
  for (const Event& e : tape) {
    for (; next < actions.size() && actions[next].at < e.exchange_ts; ++next) {
      const L3Joiner::Own& o = joiner.own[actions[next].own];
      if (actions[next].cancel) {
        ref.Cancel(o);
      } else {
        ref.Arrive(o);
      }
    }
    ref.Apply(e, after_execute);
    after_execute = e.kind == EventKind::kL3Order && e.l3.action == L3Action::kExecute;
  }

  // Fills the strategy learnt of; the last 10 ms of data are left out of the comparison (their
  // responses may come after the data ends and are then not delivered).
  const int64_t cutoff = tape.back().exchange_ts - 10 * 1'000'000;
  FillMap got;
  uint64_t fills_digest = 0xCBF29CE484222325ULL;
  int64_t filled = 0;
  for (const FillLogEntry& f : engine.records().fill_log()) {
    EXPECT_EQ(f.liquidity, Liquidity::kMaker);
    for (int64_t v : {f.exchange_ts.ns, static_cast<int64_t>(f.order_id.value), f.price.raw,
                      f.qty.raw, f.fee.raw}) {
      fills_digest = Fnv(fills_digest, v);
    }
    filled += f.qty.raw;
    if (f.exchange_ts.ns >= cutoff) continue;
    auto& [total, px] = got[{f.exchange_ts.ns, f.order_id.value}];
    total += f.qty.raw;
    px = f.price.raw;
  }
  for (auto it = want.begin(); it != want.end();) {
    it = it->first.first >= cutoff ? want.erase(it) : std::next(it);
  }
  EXPECT_EQ(got, want);
  EXPECT_GT(got.size(), 0u) << "the sample should give the joiner some fills";

  uint64_t orders_digest = 0xCBF29CE484222325ULL;
  for (const OrderLogEntry& e : engine.records().order_log()) {
    for (int64_t v : {e.ts.ns, int64_t{e.action == RequestAction::kCancel},
                      static_cast<int64_t>(e.request.id.value),
                      static_cast<int64_t>(e.request.side), e.request.price.raw,
                      e.request.qty.raw}) {
      orders_digest = Fnv(orders_digest, v);
    }
  }
  std::printf("orders=%zu fills=%zu filled=%lld digests orders=0x%016llx fills=0x%016llx\n",
              engine.records().order_log().size(), engine.records().fill_log().size(),
              static_cast<long long>(filled), static_cast<unsigned long long>(orders_digest),
              static_cast<unsigned long long>(fills_digest));
  EXPECT_EQ(orders_digest, kOrdersDigest);
  EXPECT_EQ(fills_digest, kFillsDigest);
}

}  // namespace
}  // namespace tapedeck
