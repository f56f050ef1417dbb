// The merger (core/merger.h): one stream in the total order of core/event_order.h, (exchange_ts,
// kind rank, source index, sequence), across sources and inside each, whatever the batches.
#include "core/merger.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::testing::HasSubstr;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::VectorSource;

// An event of `kind` at `ts`, labelled by its instrument id (the merger never reads it).
Event E(EventKind kind, int64_t ts, uint16_t label) {
  return MakeEvent(kind, InstrumentId(label), Timestamp(ts), Timestamp(ts));
}

struct Out {
  uint16_t label;
  uint16_t source;
  bool operator==(const Out&) const = default;
};

std::unique_ptr<Merger> Make(std::vector<std::vector<Event>> sources, size_t batch) {
  std::vector<std::unique_ptr<EventSource>> s;
  for (size_t i = 0; i < sources.size(); ++i) {
    s.push_back(std::make_unique<VectorSource>(std::move(sources[i]), batch,
                                               "feed-" + std::to_string(i)));
  }
  auto m = std::make_unique<Merger>(std::move(s));
  EXPECT_THAT(m->Init(), IsOk());
  return m;
}

std::vector<Out> ByNext(Merger& m) {
  std::vector<Out> out;
  Event e;
  while (m.Next(&e)) out.push_back({e.instrument.value, e.source});
  return out;
}

std::vector<Out> ByRuns(Merger& m) {
  std::vector<Out> out;
  uint16_t source = 0;
  for (auto run = m.NextRun(&source); !run.empty(); run = m.NextRun(&source)) {
    for (const Event& e : run) out.push_back({e.instrument.value, source});
  }
  return out;
}

// Source 0: trade 1 @1, trade 2 @3, quote 3 @5, trade 4 @5.
// Source 1: trade 5 @2, trade 6 @3, trade 7 @5, level 8 @5 (a depth line after a trade line of
// the same instant, as a feed may write them).
std::vector<std::vector<Event>> TwoFeeds() {
  return {{E(EventKind::kTrade, 1, 1), E(EventKind::kTrade, 3, 2), E(EventKind::kQuote, 5, 3),
           E(EventKind::kTrade, 5, 4)},
          {E(EventKind::kTrade, 2, 5), E(EventKind::kTrade, 3, 6), E(EventKind::kTrade, 5, 7),
           E(EventKind::kBookLevel, 5, 8)}};
}

TEST(MergerTest, OrdersByTimeThenKindRankThenSourceIndexWhateverTheBatches) {
  // Time first; at 3 both trades, source 0 first; at 5 the level (book state ranks first, even
  // though its source wrote it last), the quote, then the two trades by source index.
  const std::vector<Out> want = {{1, 0}, {5, 1}, {2, 0}, {6, 1}, {8, 1}, {3, 0}, {4, 0}, {7, 1}};
  for (size_t batch : {size_t{1}, size_t{2}, size_t{3}, size_t{100}}) {
    EXPECT_EQ(ByNext(*Make(TwoFeeds(), batch)), want) << "Next, batch " << batch;
    EXPECT_EQ(ByRuns(*Make(TwoFeeds(), batch)), want) << "NextRun, batch " << batch;
  }
}

TEST(MergerTest, EqualTimesInsideOneSourceAreSortedByRankStably) {
  // At 1: trade A, quote B, trade C, level D; then trade E at 2. The level, the quote, then the
  // trades in the order the source wrote them.
  const std::vector<Event> feed = {E(EventKind::kTrade, 1, 1), E(EventKind::kQuote, 1, 2),
                                   E(EventKind::kTrade, 1, 3), E(EventKind::kBookLevel, 1, 4),
                                   E(EventKind::kTrade, 2, 5)};
  const std::vector<Out> want = {{4, 0}, {2, 0}, {1, 0}, {3, 0}, {5, 0}};
  for (size_t batch : {size_t{1}, size_t{2}, size_t{4}, size_t{100}}) {
    EXPECT_EQ(ByNext(*Make({feed}, batch)), want) << "batch " << batch;
    EXPECT_EQ(ByRuns(*Make({feed}, batch)), want) << "batch " << batch;
  }
}

TEST(MergerTest, ARunStopsWhereAnotherSourceComesFirst) {
  auto m = Make({{E(EventKind::kTrade, 1, 1), E(EventKind::kTrade, 2, 2),
                  E(EventKind::kTrade, 3, 3), E(EventKind::kTrade, 10, 4)},
                 {E(EventKind::kTrade, 5, 5)}},
                100);
  uint16_t source = 9;
  std::span<const Event> run = m->NextRun(&source);
  ASSERT_EQ(run.size(), 3u);
  EXPECT_EQ(source, 0);
  EXPECT_EQ(run.back().exchange_ts, 3);
  run = m->NextRun(&source);
  ASSERT_EQ(run.size(), 1u);
  EXPECT_EQ(source, 1);
  run = m->NextRun(&source);
  ASSERT_EQ(run.size(), 1u);
  EXPECT_EQ(run[0].exchange_ts, 10);
  EXPECT_TRUE(m->NextRun(&source).empty());
  EXPECT_THAT(m->status(), IsOk());
  EXPECT_EQ(m->delivered(), 5u);
  EXPECT_EQ(m->SizeHint(), 5);
}

TEST(MergerTest, ASourceGoingBackInTimeIsAnErrorNamingIt) {
  for (bool runs : {false, true}) {
    auto m = Make({{E(EventKind::kTrade, 1, 1), E(EventKind::kTrade, 4, 2)},
                   {E(EventKind::kTrade, 2, 3), E(EventKind::kTrade, 5, 4),
                    E(EventKind::kTrade, 3, 5)}},
                  1);
    const std::vector<Out> got = runs ? ByRuns(*m) : ByNext(*m);
    // Everything up to the bad event is delivered in order, then the stream stops.
    EXPECT_EQ(got, (std::vector<Out>{{1, 0}, {3, 1}, {2, 0}, {4, 1}})) << runs;
    EXPECT_THAT(std::string(m->status().message()),
                HasSubstr("feed-1: event 3 goes back in time (exchange_ts 3 after 5)"));
  }
}

}  // namespace
}  // namespace tapedeck
