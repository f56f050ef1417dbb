#include "core/event_order.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "core/merger.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::VectorSource;
using ::testing::HasSubstr;

// A market-data event tagged with a recognisable quantity so the test can name it.
Event Tagged(EventKind kind, int64_t ts, int64_t tag) {
  Event e = MakeEvent(kind, InstrumentId(0), Timestamp(ts), Timestamp(ts + 5));
  e.trade.qty = Qty(tag);  // trade, quote and level payloads all start with a price and a qty
  return e;
}

std::vector<int64_t> MergeTags(std::vector<std::vector<Event>> per_source) {
  std::vector<std::unique_ptr<EventSource>> sources;
  for (auto& events : per_source) sources.push_back(std::make_unique<VectorSource>(std::move(events), 2));
  Merger merger(std::move(sources));
  EXPECT_THAT(merger.Init(), IsOk());
  std::vector<int64_t> tags;
  Event e;
  while (merger.Next(&e)) tags.push_back(e.trade.qty.raw);
  EXPECT_THAT(merger.status(), IsOk());
  return tags;
}

TEST(EventOrderTest, KeyComparesTimeThenKindRankThenSourceThenSequence) {
  const EventKey base{100, KindRank(EventKind::kTrade), 1, 7};
  EXPECT_LT((EventKey{99, 255, 9, 9}), base);
  EXPECT_LT((EventKey{100, KindRank(EventKind::kBookLevel), 9, 9}), base);
  EXPECT_LT((EventKey{100, KindRank(EventKind::kTrade), 0, 9}), base);
  EXPECT_LT((EventKey{100, KindRank(EventKind::kTrade), 1, 6}), base);
}

// The key packs rank, source and sequence into one word and compares it with the time as one
// 128-bit integer: each part reads back, negative times order before positive ones, and the
// sequence keeps its low 40 bits.
TEST(EventOrderTest, KeyPartsReadBackAndTimesCompareSigned) {
  const EventKey k{-5, 15, 0xFFFF, (uint64_t{1} << 40) + 9};
  EXPECT_EQ(k.ts, -5);
  EXPECT_EQ(k.rank(), 15);
  EXPECT_EQ(k.source(), 0xFFFF);
  EXPECT_EQ(k.sequence(), 9u);
  EXPECT_LT(k, (EventKey{3, 0, 0, 0}));
  EXPECT_LT((EventKey{INT64_MIN, 255, 0xFFFF, EventKey::kSequenceMask}), (EventKey{INT64_MIN + 1, 0, 0, 0}));
  EXPECT_LT((EventKey{INT64_MAX - 1, 255, 0xFFFF, EventKey::kSequenceMask}), (EventKey{INT64_MAX, 0, 0, 0}));
  EXPECT_EQ((EventKey{7, 1, 2, 3}), (EventKey{7, 1, 2, 3}));
  EXPECT_FALSE((EventKey{7, 1, 2, 3}) < (EventKey{7, 1, 2, 3}));
}

TEST(EventOrderTest, KindRanksAreTheDocumentedOrder) {
  // Reference prices, then book state, then trades, then own-order news, then venue status, then
  // timers.
  const EventKind documented[] = {
      EventKind::kIndexPrice, EventKind::kMarkPrice,  EventKind::kFundingRate,
      EventKind::kOpenInterest, EventKind::kBookLevel, EventKind::kQuote,
      EventKind::kTrade,      EventKind::kLiquidation, EventKind::kBar,
      EventKind::kOrderAck,   EventKind::kOrderReplaced, EventKind::kOrderFill,
      EventKind::kOrderCancel, EventKind::kOrderReject, EventKind::kAccount,
      EventKind::kVenueStatus, EventKind::kTimer};
  for (size_t i = 1; i < std::size(documented); ++i) {
    EXPECT_LT(KindRank(documented[i - 1]), KindRank(documented[i]))
        << EventKindName(documented[i - 1]) << " before " << EventKindName(documented[i]);
  }
}

TEST(EventOrderTest, EqualTimestampsAcrossSourcesFollowKindRankThenSourceIndex) {
  // Three sources, every event at t=1000 except where noted.
  std::vector<std::vector<Event>> sources = {
      {Tagged(EventKind::kTrade, 1000, 1), Tagged(EventKind::kTrade, 1000, 2),
       Tagged(EventKind::kTrade, 2000, 3)},
      {Tagged(EventKind::kQuote, 1000, 4), Tagged(EventKind::kTrade, 1000, 5)},
      {Tagged(EventKind::kBookLevel, 1000, 6), Tagged(EventKind::kMarkPrice, 1000, 7),
       Tagged(EventKind::kTrade, 999, 8)},
  };
  // Source 2 goes back in time (999 after 1000), so give it a legal order instead:
  sources[2] = {Tagged(EventKind::kTrade, 999, 8), Tagged(EventKind::kBookLevel, 1000, 6),
                Tagged(EventKind::kMarkPrice, 1000, 7)};
  // At 999: 8. At 1000, by rank: mark (7), book level (6), quote (4), then trades by source
  // index and sequence: source 0 (1, 2), source 1 (5). At 2000: 3.
  // Within source 2 the mark price at 1000 comes after the book level in the file but first in
  // the merged stream: the rank decides at equal time, within a source as across sources.
  EXPECT_EQ(MergeTags(sources), (std::vector<int64_t>{8, 7, 6, 4, 1, 2, 5, 3}));
}

TEST(EventOrderTest, RankInversionsInsideOneSourceAreSortedAcrossBatchBoundaries) {
  // Batches of 2 split the equal-time run {trade, trade, book, mark} across batches.
  std::vector<std::vector<Event>> sources = {
      {Tagged(EventKind::kTrade, 1, 1), Tagged(EventKind::kTrade, 7, 2), Tagged(EventKind::kTrade, 7, 3),
       Tagged(EventKind::kBookLevel, 7, 4), Tagged(EventKind::kMarkPrice, 7, 5),
       Tagged(EventKind::kTrade, 8, 6), Tagged(EventKind::kQuote, 8, 7)}};
  EXPECT_EQ(MergeTags(sources), (std::vector<int64_t>{1, 5, 4, 2, 3, 7, 6}));
}

TEST(EventOrderTest, MergeIsStableForIdenticalKeysWithinASource) {
  std::vector<std::vector<Event>> sources = {
      {Tagged(EventKind::kTrade, 5, 1), Tagged(EventKind::kTrade, 5, 2), Tagged(EventKind::kTrade, 5, 3),
       Tagged(EventKind::kTrade, 5, 4), Tagged(EventKind::kTrade, 5, 5)},
      {Tagged(EventKind::kTrade, 5, 6)}};
  EXPECT_EQ(MergeTags(sources), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
}

TEST(EventOrderTest, MergerStampsTheSourceIndex) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<VectorSource>(std::vector<Event>{Tagged(EventKind::kTrade, 2, 1)}));
  sources.push_back(std::make_unique<VectorSource>(std::vector<Event>{Tagged(EventKind::kTrade, 1, 2)}));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  Event e;
  ASSERT_TRUE(merger.Next(&e));
  EXPECT_EQ(e.source, 1);
  ASSERT_TRUE(merger.Next(&e));
  EXPECT_EQ(e.source, 0);
  EXPECT_FALSE(merger.Next(&e));
}

TEST(EventOrderTest, MergerRejectsASourceGoingBackInTime) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<VectorSource>(
      std::vector<Event>{Tagged(EventKind::kTrade, 10, 1), Tagged(EventKind::kTrade, 9, 2)}, 1,
      "ticks.csv"));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  Event e;
  while (merger.Next(&e)) {
  }
  EXPECT_THAT(merger.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticks.csv: event 2 goes back in time")));
}

// NextRun serves whole spans: an event going back in the middle of a batch ends the span
// before it, the events before it are delivered, and the next call reports it.
TEST(EventOrderTest, MergerNextRunDeliversTheGoodPrefixThenRejects) {
  for (size_t batch : {size_t{2}, size_t{3}, size_t{64}}) {
    std::vector<std::unique_ptr<EventSource>> sources;
    sources.push_back(std::make_unique<VectorSource>(
        std::vector<Event>{Tagged(EventKind::kTrade, 10, 1), Tagged(EventKind::kTrade, 11, 2),
                           Tagged(EventKind::kTrade, 12, 3), Tagged(EventKind::kTrade, 11, 4),
                           Tagged(EventKind::kTrade, 13, 5)},
        batch, "ticks.csv"));
    Merger merger(std::move(sources));
    ASSERT_THAT(merger.Init(), IsOk());
    std::vector<int64_t> tags;
    uint16_t source = 0;
    for (auto run = merger.NextRun(&source); !run.empty(); run = merger.NextRun(&source)) {
      for (const Event& e : run) tags.push_back(e.trade.qty.raw);
    }
    EXPECT_EQ(tags, (std::vector<int64_t>{1, 2, 3})) << "batch " << batch;
    EXPECT_THAT(merger.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("ticks.csv: event 4 goes back in time")))
        << "batch " << batch;
  }
}

}  // namespace
}  // namespace tapedeck
