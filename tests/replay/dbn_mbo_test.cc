// DBN MBO into the L3 book: a generated sequence of adds, modifies, cancels, fills, trades and
// clears rebuilds the book a hand-written expectation gives; trade and fill records never
// change it; the levels derived from MBO agree with the vendor's mbp-10 where the fixtures
// overlap.
#include <map>
#include <string>
#include <vector>

#include "core/l3_book.h"
#include "core/l3_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/dbn_reader.h"
#include "tests/replay/dbn_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::Bytes;
using ::tapedeck::testing::DbnFixture;
using ::tapedeck::testing::DbnFixtureInstruments;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadAll;
using ::tapedeck::testing::WriteEsDbn;

constexpr uint64_t kT0 = 1'609'160'400'000'000'000;  // 2020-12-28T13:00Z
constexpr uint8_t kLast = dbn::kFlagLast;

// A price at ESH1's scale 2 (372000 = 3720.00) as DBN's 1e-9.
int64_t Px(int64_t raw2) { return raw2 * 10'000'000; }

// One MBO record `ms` milliseconds after kT0, received 100 us later.
std::vector<uint8_t> Mbo(int ms, char action, char side, uint64_t id, int64_t raw2, uint32_t size,
                         uint8_t flags = kLast, uint32_t sequence = 0) {
  DbnMbo m;
  m.instrument_id = 5482;
  m.ts_event = kT0 + static_cast<uint64_t>(ms) * 1'000'000;
  m.ts_recv = m.ts_event + 100'000;
  m.order_id = id;
  m.price = raw2 == 0 ? dbn::kUndefPrice : Px(raw2);
  m.size = size;
  m.flags = flags;
  m.action = action;
  m.side = side;
  m.sequence = sequence == 0 ? static_cast<uint32_t>(1000 + ms) : sequence;
  return Bytes(EncodeMbo(m));
}

// The generated day: a snapshot, then every kind of MBO action, then a clear and a new add.
std::vector<std::vector<uint8_t>> Day() {
  const uint8_t snap = dbn::kFlagSnapshot;
  return {
      // The snapshot: a clear, then the resting orders in queue order.
      Mbo(0, 'R', 'N', 0, 0, 0, snap),
      Mbo(0, 'A', 'B', 1, 372000, 5, snap),
      Mbo(0, 'A', 'B', 2, 372000, 3, snap),
      Mbo(0, 'A', 'B', 3, 371975, 4, snap),
      Mbo(0, 'A', 'A', 4, 372025, 2, snap),
      Mbo(0, 'A', 'A', 5, 372025, 6, snap),
      Mbo(0, 'A', 'A', 6, 372050, 1, snap | kLast),
      // Order 2 down to 1 keeps its place; order 1 up to 7 goes to the back; 3 is cancelled.
      Mbo(1, 'M', 'B', 2, 372000, 1),
      Mbo(2, 'M', 'B', 1, 372000, 7),
      Mbo(3, 'C', 'B', 3, 371975, 4),
      // A buy of 3 lifts 3720.25: the trade, the two fills, then the book's own cancel and
      // modify, one venue event (F_LAST on its last record).
      Mbo(4, 'T', 'B', 0, 372025, 3, 0),
      Mbo(4, 'F', 'A', 4, 372025, 2, 0),
      Mbo(4, 'F', 'A', 5, 372025, 1, 0),
      Mbo(4, 'C', 'A', 4, 372025, 2, 0),
      Mbo(4, 'M', 'A', 5, 372025, 5),
      Mbo(5, 'A', 'A', 7, 372025, 3),
      Mbo(6, 'M', 'A', 6, 372075, 1),  // a new price: to the back of 3720.75
      Mbo(7, 'N', 'N', 0, 0, 0),       // carries nothing
      // The session ends (a clear), and a new one starts with one order.
      Mbo(8, 'R', 'N', 0, 0, 0),
      Mbo(9, 'A', 'B', 8, 371900, 9, kLast, 5),
  };
}

struct Level {
  int64_t price;
  std::vector<std::pair<uint64_t, int64_t>> orders;  // (id, qty) in queue order
  bool operator==(const Level&) const = default;
};

std::vector<Level> LevelsOf(const L3Book& book, Side side) {
  std::vector<BookLevel> levels(book.level_count(side));
  levels.resize(book.Levels(side, std::span<BookLevel>(levels)));
  std::vector<Level> out;
  for (const BookLevel& l : levels) {
    std::vector<L3Order> orders(book.order_count());
    orders.resize(book.OrdersAt(side, l.price, std::span<L3Order>(orders)));
    Level level{l.price.raw, {}};
    for (const L3Order& o : orders) level.orders.emplace_back(o.id, o.qty.raw);
    out.push_back(level);
  }
  return out;
}

std::vector<Event> ReadDay(const std::vector<std::vector<uint8_t>>& records, DbnStats* stats) {
  const std::string path = WriteEsDbn(MakeTempDir("dbn_mbo") + "/day.dbn", records);
  absl::StatusOr<std::unique_ptr<DbnReader>> r =
      DbnReader::Open(path, "", DbnFixtureInstruments(), DbnOptions());
  EXPECT_THAT(r, IsOk());
  if (!r.ok()) return {};
  absl::StatusOr<std::vector<Event>> events = ReadAll(**r);
  EXPECT_THAT(events, IsOk());
  if (stats != nullptr) *stats = (*r)->stats();
  return events.ok() ? *events : std::vector<Event>();
}

TEST(DbnMboTest, RebuildsTheBookOfAHandWrittenDay) {
  DbnStats stats;
  const std::vector<Event> events = ReadDay(Day(), &stats);
  L3Book book;
  L3Queue queue;
  std::vector<Level> bids_before_clear, asks_before_clear;
  for (const Event& e : events) {
    if (e.kind != EventKind::kL3Order) continue;
    if (e.l3.record == 19 && bids_before_clear.empty()) {  // the clear at 8 ms
      bids_before_clear = LevelsOf(book, Side::kBuy);
      asks_before_clear = LevelsOf(book, Side::kSell);
    }
    ASSERT_EQ(book.Apply(e.l3), L3Result::kOk) << "record " << e.l3.record;
    // The queue model takes every event too: none is rejected.
    EXPECT_TRUE(queue.Apply(e.l3, e.exchange_time()).ok) << "record " << e.l3.record;
  }
  // Before the clear: 2 (kept its place, now 1) ahead of 1 (moved back with 7); 4 executed
  // away, 5 left with 5 ahead of the new 7; 6 moved from 3720.50 to 3720.75.
  const std::vector<Level> bids = {{372000, {{2, 1}, {1, 7}}}};
  const std::vector<Level> asks = {{372025, {{5, 5}, {7, 3}}}, {372075, {{6, 1}}}};
  EXPECT_EQ(bids_before_clear, bids);
  EXPECT_EQ(asks_before_clear, asks);
  // After the clear and the new session's add.
  EXPECT_EQ(LevelsOf(book, Side::kBuy), (std::vector<Level>{{371900, {{8, 9}}}}));
  EXPECT_TRUE(LevelsOf(book, Side::kSell).empty());
  EXPECT_EQ(stats.clears, 2);
  EXPECT_EQ(stats.snapshot_records, 7);
  EXPECT_EQ(stats.unknown_order_refs, 0);
}

TEST(DbnMboTest, FillsTurnTheCancelsAfterThemIntoExecutionsAndTradesChangeNothing) {
  const std::vector<Event> events = ReadDay(Day(), nullptr);
  std::vector<const Event*> trade_event;  // the events of the venue event at 4 ms
  for (const Event& e : events) {
    if (e.exchange_ts == static_cast<int64_t>(kT0) + 4'000'000) trade_event.push_back(&e);
  }
  ASSERT_EQ(trade_event.size(), 3u);
  const Event& trade = *trade_event[0];
  ASSERT_EQ(trade.kind, EventKind::kTrade);
  EXPECT_EQ(trade.trade.aggressor, Side::kBuy);
  EXPECT_EQ(trade.trade.qty.raw, 3);
  EXPECT_EQ(trade.trade.price.raw, 372025);
  const Event& ex4 = *trade_event[1];
  EXPECT_EQ(ex4.l3.action, L3Action::kExecute);
  EXPECT_EQ(ex4.l3.order_id, 4u);
  EXPECT_EQ(ex4.l3.qty.raw, 2);
  EXPECT_EQ(ex4.l3.flags, 0);
  const Event& ex5 = *trade_event[2];
  EXPECT_EQ(ex5.l3.action, L3Action::kExecute);
  EXPECT_EQ(ex5.l3.order_id, 5u);
  EXPECT_EQ(ex5.l3.qty.raw, 1);
  EXPECT_EQ(ex5.l3.flags, kBookEndOfMessage);
  // The queue model explains the whole print by those executions (no hidden execution), as
  // it does on LOBSTER's execute + trade pairs.
  L3Queue queue;
  for (const Event& e : events) {
    if (e.exchange_ts > trade.exchange_ts) break;
    if (e.kind == EventKind::kL3Order) queue.Apply(e.l3, e.exchange_time());
  }
  EXPECT_EQ(queue.Unexplained(Side::kSell, Price(372025), 3, trade.exchange_time()), 0);
}

TEST(DbnMboTest, ClearsDeleteEveryLiveOrderInOrderIdOrder) {
  const std::vector<Event> events = ReadDay(Day(), nullptr);
  std::vector<uint64_t> deleted;
  for (const Event& e : events) {
    if (e.exchange_ts == static_cast<int64_t>(kT0) + 8'000'000) {
      ASSERT_EQ(e.l3.action, L3Action::kDelete);
      deleted.push_back(e.l3.order_id);
    }
  }
  EXPECT_EQ(deleted, (std::vector<uint64_t>{1, 2, 5, 6, 7}));
}

TEST(DbnMboTest, ModifyAndCancelOfOrdersBeforeTheFileAreAnAddAndAPassThrough) {
  DbnStats stats;
  const std::vector<Event> events =
      ReadDay({Mbo(1, 'M', 'A', 40, 372100, 2), Mbo(2, 'C', 'B', 41, 372000, 3)}, &stats);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].l3.action, L3Action::kAdd);
  EXPECT_EQ(events[0].l3.order_id, 40u);
  EXPECT_EQ(events[1].l3.action, L3Action::kCancel);
  EXPECT_EQ(events[1].l3.qty.raw, 3);
  EXPECT_EQ(stats.unknown_order_refs, 2);
}

TEST(DbnMboTest, EveryEventEndsItsVenueEventAtFLast) {
  const std::vector<Event> events = ReadDay(Day(), nullptr);
  // The snapshot's seven records are one event: only its last book event ends it.
  int ends = 0;
  for (const Event& e : events) {
    if (e.kind != EventKind::kL3Order || e.exchange_ts != static_cast<int64_t>(kT0)) continue;
    ends += (e.l3.flags & kBookEndOfMessage) != 0;
  }
  EXPECT_EQ(ends, 1);
  // A record with F_LAST but no book change (the N at 7 ms) ends nothing new: every book
  // event of a complete venue event still ends with exactly one flag.
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    if (events[i].kind == EventKind::kL3Order &&
        events[i + 1].exchange_ts > events[i].exchange_ts) {
      EXPECT_NE(events[i].l3.flags & kBookEndOfMessage, 0) << "event " << i;
    }
  }
}

// The fixtures' mbo and mbp-10 share one venue event: mbo's first record (sequence 1170352, a
// cancel of 1 at 3722.75, the tenth ask level) is the event of mbp-10's first record. A book
// seeded from that record's ten levels a side, with mbo's second record applied (a cancel at
// 3723.00, beyond the tenth level), has mbp-10's own ten levels: the vendor published no mbp-10
// record for it. The mbp-1 fixture starts 6 ms later, after the two mbo records end: no fixture
// pair covers a longer stretch of the same instrument and time.
TEST(DbnMboTest, MboAgreesWithTheVendorsMbp10WhereTheFixturesOverlap) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable table = DbnFixtureInstruments();
  auto read = [&](const std::string& name) {
    absl::StatusOr<std::unique_ptr<DbnReader>> r =
        DbnReader::Open(DbnFixture(name), "", table, DbnOptions());
    EXPECT_THAT(r, IsOk());
    absl::StatusOr<std::vector<Event>> events = ReadAll(**r);
    EXPECT_THAT(events, IsOk());
    return *events;
  };
  const std::vector<Event> mbo = read("test_data.mbo.v3.dbn.zst");
  const std::vector<Event> mbp10 = read("test_data.mbp-10.v3.dbn.zst");
  ASSERT_EQ(mbo.size(), 2u);
  ASSERT_EQ(mbp10.size(), 21u);
  // The same event: time, side, price.
  EXPECT_EQ(mbo[0].exchange_ts, mbp10[0].exchange_ts);
  EXPECT_EQ(mbo[0].local_ts, mbp10[0].local_ts);
  EXPECT_EQ(mbo[0].l3.side, Side::kSell);
  // The ten levels after it: one order per level (their queues are not in mbp-10).
  L3Book book;
  uint64_t id = 1;
  for (size_t i = 0; i < 20; ++i) {
    L3OrderPayload add{};
    add.price = mbp10[i].level.price;
    add.qty = mbp10[i].level.qty;
    add.order_id = id++;
    add.side = mbp10[i].level.side;
    add.action = L3Action::kAdd;
    ASSERT_EQ(book.Apply(add), L3Result::kOk);
  }
  EXPECT_EQ(book.Top().ask, Price(372050));
  const std::vector<Level> asks_before = LevelsOf(book, Side::kSell);
  EXPECT_EQ(asks_before.back().price, 372275);  // the cancel's level is the tenth
  // mbo's second record cancels at 3723.00, the eleventh level: the ten are unchanged.
  EXPECT_EQ(mbo[1].l3.price, Price(372300));
  EXPECT_GT(mbo[1].l3.price, Price(asks_before.back().price));
  EXPECT_EQ(LevelsOf(book, Side::kSell), asks_before);
  // The mbp-1 this rebuild derives (the top of book) is the vendor's top after the event.
  const BookTop top = book.Top();
  ASSERT_TRUE(top.has_bid && top.has_ask);
  EXPECT_EQ(top.bid, Price(372025));
  EXPECT_EQ(top.bid_qty, Qty(24));
  EXPECT_EQ(top.ask, Price(372050));
  EXPECT_EQ(top.ask_qty, Qty(10));
}

}  // namespace
}  // namespace tapedeck::replay
