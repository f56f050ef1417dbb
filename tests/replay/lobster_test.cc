#include "replay/lobster.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/l3_book.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/source_factory.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::SharedData;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

constexpr char kMessages[] =
    "lobster_aapl_20120621/AAPL_2012-06-21_34200000_57600000_message_10.csv";
constexpr char kBook[] = "lobster_aapl_20120621/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv";

InstrumentTable Aapl() {
  InstrumentTable t;
  Instrument in;
  in.symbol = "AAPL";
  in.price_scale = 2;
  in.qty_scale = 0;
  EXPECT_THAT(t.Add(in), IsOk());
  return t;
}

absl::StatusOr<std::vector<Event>> ReadAll(EventSource& source) {
  std::vector<Event> all;
  while (true) {
    absl::StatusOr<std::span<const Event>> batch = source.NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return all;
    all.insert(all.end(), batch->begin(), batch->end());
  }
}

// One row of the orderbook file: levels per side (bid, ask), best first, prices in cents.
struct Row {
  std::vector<BookLevel> levels[2];
};

std::vector<Row> ReadBookFile(const std::string& path) {
  std::vector<Row> rows;
  for (absl::string_view line : absl::StrSplit(::tapedeck::testing::ReadFile(path), '\n')) {
    if (line.empty()) continue;
    std::vector<std::string> f = absl::StrSplit(line, ',');
    Row r;
    for (size_t k = 0; k + 3 < f.size(); k += 4) {
      const int64_t ask = std::stoll(f[k]), ask_qty = std::stoll(f[k + 1]);
      const int64_t bid = std::stoll(f[k + 2]), bid_qty = std::stoll(f[k + 3]);
      if (ask_qty > 0) r.levels[1].push_back(BookLevel{Price(ask / 100), Qty(ask_qty)});
      if (bid_qty > 0) r.levels[0].push_back(BookLevel{Price(bid / 100), Qty(bid_qty)});
    }
    rows.push_back(r);
  }
  return rows;
}

std::vector<BookLevel> Top(const L3Book& book, Side side, size_t n) {
  std::vector<BookLevel> out(n);
  out.resize(book.Levels(side, std::span<BookLevel>(out)));
  return out;
}

TEST(LobsterTest, RebuiltBookEqualsTheBookFileAfterEveryEvent) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable t = Aapl();
  absl::StatusOr<std::unique_ptr<LobsterReader>> reader =
      LobsterReader::Open(SharedData(kMessages), "", t, LobsterOptions{});
  ASSERT_THAT(reader, IsOk());
  EXPECT_EQ((*reader)->orderbook_path(), SharedData(kBook));
  absl::StatusOr<std::vector<Event>> events = ReadAll(**reader);
  ASSERT_THAT(events, IsOk());
  const LobsterStats& stats = (*reader)->stats();
  const std::vector<Row> rows = ReadBookFile(SharedData(kBook));
  ASSERT_EQ(rows.size(), 999u);
  EXPECT_EQ(stats.messages, 999);

  // Replays the events into a fresh L3 book, independently of the reader's own book. For row i,
  // first the events of messages 1..i (without what was taken from the book file after message
  // i): the levels the messages determine must equal the file; then the inferred levels of row i:
  // the whole top ten must equal it.
  L3Book book;
  size_t next = 0;
  int64_t determined_compared = 0, level10_from_messages = 0, full_compared = 0;
  int64_t trades = 0;
  auto apply_while = [&](auto pred) {
    while (next < events->size() && pred((*events)[next])) {
      const Event& e = (*events)[next++];
      if (e.kind == EventKind::kTrade) {
        ++trades;
        continue;
      }
      ASSERT_EQ(e.kind, EventKind::kL3Order);
      ASSERT_EQ(book.Apply(e.l3), L3Result::kOk) << "record " << e.l3.record;
    }
  };
  auto record_of = [](const Event& e) -> int64_t {
    return e.kind == EventKind::kL3Order ? static_cast<int64_t>(e.l3.record) : -1;  // trades: any
  };
  for (size_t i = 1; i <= rows.size(); ++i) {
    const Row& row = rows[i - 1];
    apply_while([&](const Event& e) {
      const int64_t r = record_of(e);
      return r < 0 || r < static_cast<int64_t>(i) ||
             (r == static_cast<int64_t>(i) && (e.l3.flags & kBookInferred) == 0);
    });
    for (int k = 0; k < 2; ++k) {
      const Side side = k == 0 ? Side::kBuy : Side::kSell;
      const std::vector<BookLevel> ours = Top(book, side, 10);
      // Levels 1-9 always; level 10 when the messages already knew it.
      for (size_t j = 0; j < row.levels[k].size(); ++j) {
        const bool same = j < ours.size() && ours[j].price == row.levels[k][j].price &&
                          ours[j].qty == row.levels[k][j].qty;
        if (j < 9) {
          ASSERT_TRUE(same) << "row " << i << " " << SideName(side) << " level " << j + 1
                            << ": ours " << (j < ours.size() ? ours[j].price.raw : -1) << " x "
                            << (j < ours.size() ? ours[j].qty.raw : -1) << ", file "
                            << row.levels[k][j].price.raw << " x " << row.levels[k][j].qty.raw
                            << "; next event record "
                            << (next < events->size() ? record_of((*events)[next]) : -2);
          ++determined_compared;
        } else if (same) {
          ++level10_from_messages;
        }
      }
    }
    apply_while([&](const Event& e) { return record_of(e) == static_cast<int64_t>(i); });
    for (int k = 0; k < 2; ++k) {
      const Side side = k == 0 ? Side::kBuy : Side::kSell;
      const std::vector<BookLevel> ours = Top(book, side, 10);
      ASSERT_EQ(ours.size(), row.levels[k].size()) << "row " << i;
      for (size_t j = 0; j < ours.size(); ++j) {
        ASSERT_EQ(ours[j].price, row.levels[k][j].price) << "row " << i << " level " << j + 1;
        ASSERT_EQ(ours[j].qty, row.levels[k][j].qty) << "row " << i << " level " << j + 1;
        ++full_compared;
      }
    }
  }
  EXPECT_EQ(next, events->size());
  std::cout << "[ground truth] LOBSTER AAPL: " << rows.size() << " events, " << determined_compared
            << " levels 1-9 equal from the messages alone, " << level10_from_messages
            << " level-10 equal from the messages alone, " << full_compared
            << " levels equal after taking entering levels from the file; reader: "
            << stats.Summary() << "\n";
  EXPECT_EQ(determined_compared, 999 * 18);
  EXPECT_GT(stats.levels_from_book_file, 0);
  EXPECT_EQ(trades, 98 + 61);  // visible and hidden executions
  EXPECT_EQ(stats.hidden_executions, 61);
}

TEST(LobsterTest, TimesAreExactNanosecondsInNewYork) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable t = Aapl();
  absl::StatusOr<std::unique_ptr<LobsterReader>> reader =
      LobsterReader::Open(SharedData(kMessages), "", t, LobsterOptions{});
  ASSERT_THAT(reader, IsOk());
  absl::StatusOr<std::vector<Event>> events = ReadAll(**reader);
  ASSERT_THAT(events, IsOk());
  // 34200.004241176 s after midnight EDT (UTC-4) on 2012-06-21 = 13:30:00.004241176Z.
  const int64_t expected = 1340285400LL * 1'000'000'000 + 4'241'176;
  EXPECT_EQ(events->front().exchange_ts, expected);
  EXPECT_EQ(events->front().local_ts, expected);
  int64_t last = INT64_MIN;
  for (const Event& e : *events) {
    EXPECT_GE(e.exchange_ts, last);
    last = e.exchange_ts;
  }
}

TEST(LobsterTest, EasternOffsetFollowsUsDaylightSavingRules) {
  EXPECT_EQ(*UsEasternOffsetSeconds("2012-06-21"), -4 * 3600);
  EXPECT_EQ(*UsEasternOffsetSeconds("2012-01-03"), -5 * 3600);
  EXPECT_EQ(*UsEasternOffsetSeconds("2012-03-11"), -4 * 3600);  // second Sunday of March
  EXPECT_EQ(*UsEasternOffsetSeconds("2012-03-09"), -5 * 3600);
  EXPECT_EQ(*UsEasternOffsetSeconds("2012-11-02"), -4 * 3600);
  EXPECT_EQ(*UsEasternOffsetSeconds("2012-11-05"), -5 * 3600);  // after the first Sunday
  EXPECT_EQ(*UsEasternOffsetSeconds("2005-04-04"), -4 * 3600);
  EXPECT_EQ(*UsEasternOffsetSeconds("2005-10-31"), -5 * 3600);
  EXPECT_FALSE(UsEasternOffsetSeconds("2012-13-01").ok());
}

TEST(LobsterTest, FormatIsDetectedFromTheContent) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  absl::StatusOr<std::string> format = DetectFormat(SharedData(kMessages));
  ASSERT_THAT(format, IsOk());
  EXPECT_EQ(*format, "lobster");
  EXPECT_FALSE(DetectLobster({"5859400,200,5853300,18,5859800,200,5853000,150"}));
}

// Bad input: a copy of the real files with one line changed.
std::string WithLine(const std::string& text, size_t line, const std::string& replacement) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines[line - 1] = replacement;
  return absl::StrJoin(lines, "\n");
}

TEST(LobsterTest, BadMessagesAreErrorsWithFileAndLine) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable t = Aapl();
  const std::string messages = ::tapedeck::testing::ReadFile(SharedData(kMessages));
  const std::string book = ::tapedeck::testing::ReadFile(SharedData(kBook));
  struct Case {
    const char* name;
    size_t line;
    std::string text;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"fields", 5, "34200.1,1,5", "expected 6 fields"},
      {"type", 5, "34200.190719593,9,16116348,100,5859100,-1", "type: '9' is not 1..7"},
      {"negative", 5, "34200.190719593,1,16116348,-100,5859100,-1", "negative size"},
      {"direction", 5, "34200.190719593,1,16116348,100,5859100,0", "direction"},
      {"unknown_order", 5, "34200.190719593,3,999,100,5000000,-1", "order 999 is not live"},
  };
  for (const Case& c : cases) {
    const std::string dir = MakeTempDir(c.name);
    const std::string path = dir + "/AAPL_2012-06-21_34200000_57600000_message_10.csv";
    WriteFile(path, WithLine(messages, c.line, c.text));
    WriteFile(dir + "/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv", book);
    absl::StatusOr<std::unique_ptr<LobsterReader>> reader =
        LobsterReader::Open(path, "", t, LobsterOptions{});
    ASSERT_THAT(reader, IsOk());
    absl::StatusOr<std::vector<Event>> events = ReadAll(**reader);
    EXPECT_THAT(events, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(absl::StrCat(path, ":", c.line, ": "))))
        << c.name;
    EXPECT_THAT(events, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.name;
  }
}

TEST(LobsterTest, BookFileThatDisagreesWithTheMessagesIsAnError) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable t = Aapl();
  const std::string dir = MakeTempDir("disagree");
  const std::string path = dir + "/AAPL_2012-06-21_34200000_57600000_message_10.csv";
  WriteFile(path, ::tapedeck::testing::ReadFile(SharedData(kMessages)));
  const std::string book = ::tapedeck::testing::ReadFile(SharedData(kBook));
  std::vector<std::string> lines = absl::StrSplit(book, '\n');
  // Row 3: the best bid size 18 -> 19.
  std::vector<std::string> f = absl::StrSplit(lines[2], ',');
  f[3] = "19";
  lines[2] = absl::StrJoin(f, ",");
  const std::string book_path = dir + "/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv";
  WriteFile(book_path, absl::StrJoin(lines, "\n"));
  absl::StatusOr<std::unique_ptr<LobsterReader>> reader =
      LobsterReader::Open(path, "", t, LobsterOptions{});
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT(ReadAll(**reader),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(book_path + ":3: level 1 buy: the book file has 585.33 x 19")));
}

TEST(LobsterTest, OptionsAreChecked) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable t = Aapl();
  SourceSpec spec;
  spec.path = SharedData(kMessages);
  spec.format = "lobster";
  spec.options = {{"date", "2012-6-21"}};
  EXPECT_THAT(OpenSource(spec, t), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("date")));
  spec.options = {{"seed_book", true}};
  EXPECT_THAT(OpenSource(spec, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("seed_book")));
  spec.options = {{"date", "2012-06-21"}, {"verify", true}};
  EXPECT_THAT(OpenSource(spec, t), IsOk());
}

}  // namespace
}  // namespace tapedeck::replay
