#include "replay/binance_ws.h"

#include <zlib.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/order_book.h"
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
using ::testing::HasSubstr;

InstrumentTable Table(const std::string& symbol, int price_scale, int qty_scale) {
  InstrumentTable t;
  Instrument in;
  in.symbol = symbol;
  in.price_scale = price_scale;
  in.qty_scale = qty_scale;
  EXPECT_THAT(t.Add(in), IsOk());
  return t;
}

// Reads every event of a source, or the first error.
absl::StatusOr<std::vector<Event>> ReadAll(EventSource& source) {
  std::vector<Event> all;
  while (true) {
    absl::StatusOr<std::span<const Event>> batch = source.NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return all;
    all.insert(all.end(), batch->begin(), batch->end());
  }
}

absl::StatusOr<std::vector<Event>> ReadFile(const std::string& path, const InstrumentTable& t,
                                            BinanceWsOptions options = {},
                                            BinanceWsStats* stats = nullptr) {
  absl::StatusOr<std::unique_ptr<BinanceWsReader>> r = BinanceWsReader::Open(path, "", t, options);
  if (!r.ok()) return r.status();
  absl::StatusOr<std::vector<Event>> events = ReadAll(**r);
  if (stats != nullptr) *stats = (*r)->stats();
  return events;
}

void WriteGzip(const std::string& path, const std::string& content, size_t cut_bytes = 0) {
  const std::string tmp = path + ".full";
  gzFile f = gzopen(tmp.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  gzclose(f);
  std::string bytes = ::tapedeck::testing::ReadFile(tmp);
  bytes.resize(bytes.size() - cut_bytes);
  ::tapedeck::testing::WriteFile(path, bytes);
}

// A small USD-M capture in the shape of the real one: a diff that bridges the snapshot comes
// before the snapshot line, as in the shipped files.
const char* const kGoodLines[] = {
    R"(1000 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161256280,"T":1723161256280,"s":"BTCUSDT","U":90,"u":99,"pu":80,"b":[["61800.00","9.000"]],"a":[]}})",
    R"(1001 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161256299,"T":1723161256298,"s":"BTCUSDT","U":100,"u":105,"pu":99,"b":[["61800.10","1.000"]],"a":[["61800.30","2.000"]]}})",
    R"(1002 {"lastUpdateId":103,"E":1723161256290,"T":1723161256290,"symbol":"BTCUSDT","pair":"BTCUSDT","bids":[["61800.10","0.500"],["61800.00","1.000"]],"asks":[["61800.20","1.000"],["61800.40","3.000"]]})",
    R"(1003 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161256310,"T":1723161256309,"s":"BTCUSDT","U":106,"u":110,"pu":105,"b":[["61800.00","0.000"]],"a":[]}})",
    R"(1004 {"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":110,"s":"BTCUSDT","b":"61800.10","B":"1.000","a":"61800.20","A":"1.000","T":1723161256311,"E":1723161256311}})",
    R"(1005 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161256322,"T":1723161256305,"s":"BTCUSDT","t":5266583935,"p":"61800.30","q":"0.006","X":"MARKET","m":true}})",
    R"(1006 {"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1723161256330,"a":77,"s":"BTCUSDT","p":"61800.20","q":"0.100","f":1,"l":2,"T":1723161256329,"m":false}})",
    R"(1007 {"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1723161257000,"s":"BTCUSDT","p":"61800.15","P":"61801.00","i":"61799.90","r":"0.00010000","T":1723190400000}})",
    R"(1008 {"stream":"btcusdt@forceOrder","data":{"e":"forceOrder","E":1723161257100,"o":{"s":"BTCUSDT","S":"SELL","o":"LIMIT","f":"IOC","q":"0.014","p":"61700.00","ap":"61790.50","X":"FILLED","l":"0.014","z":"0.014","T":1723161257099}}})",
};

std::string Lines(std::initializer_list<std::string> extra = {}, size_t take = std::size(kGoodLines)) {
  std::string s;
  for (size_t i = 0; i < take; ++i) absl::StrAppend(&s, kGoodLines[i], "\n");
  for (const std::string& l : extra) absl::StrAppend(&s, l, "\n");
  return s;
}

TEST(BinanceWsTest, ReadsEveryRecordKindExactly) {
  const std::string dir = MakeTempDir("good");
  const std::string path = dir + "/capture.gz";
  WriteGzip(path, Lines());
  const InstrumentTable t = Table("BTCUSDT", 2, 3);
  BinanceWsStats stats;
  absl::StatusOr<std::vector<Event>> events = ReadFile(path, t, {}, &stats);
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ(stats.depth_dropped, 1);  // u=99 < lastUpdateId=103: already in the snapshot
  EXPECT_EQ(stats.depth_messages, 2);
  EXPECT_EQ(stats.gaps, 0);
  std::map<EventKind, int> kinds;
  int64_t last = INT64_MIN;
  OrderBook book(Price(1));
  for (const Event& e : *events) {
    ++kinds[e.kind];
    EXPECT_GE(e.exchange_ts, last) << EventKindName(e.kind);
    last = e.exchange_ts;
    if (e.kind == EventKind::kBookLevel) {
      EXPECT_EQ(book.Apply(e.level), BookResult::kOk);
    }
  }
  EXPECT_EQ(kinds[EventKind::kBookLevel], 4 + 2 + 1);
  EXPECT_EQ(kinds[EventKind::kQuote], 1);
  EXPECT_EQ(kinds[EventKind::kTrade], 2);
  EXPECT_EQ(kinds[EventKind::kMarkPrice], 1);
  EXPECT_EQ(kinds[EventKind::kIndexPrice], 1);
  EXPECT_EQ(kinds[EventKind::kFundingRate], 1);
  EXPECT_EQ(kinds[EventKind::kLiquidation], 1);
  // The book after the snapshot and the two diffs: 61800.10 x 1 bid, 61800.20 ask.
  EXPECT_EQ(book.best_bid(), Price(6180010));
  EXPECT_EQ(book.best_bid_qty(), Qty(1000));
  EXPECT_EQ(book.best_ask(), Price(6180020));
  EXPECT_EQ(book.QtyAt(Side::kBuy, Price(6180000)), Qty(0));
  EXPECT_EQ(book.last_update_id(), 110u);

  // The snapshot comes first of the book events, at its own E, with local time from the line.
  const Event* first_level = nullptr;
  for (const Event& e : *events) {
    if (e.kind == EventKind::kBookLevel) {
      first_level = &e;
      break;
    }
  }
  ASSERT_NE(first_level, nullptr);
  EXPECT_TRUE(first_level->level.flags & kBookSnapshotBegin);
  EXPECT_EQ(first_level->exchange_ts, 1723161256290LL * 1'000'000);
  EXPECT_EQ(first_level->local_ts, 1002);
  for (const Event& e : *events) {
    switch (e.kind) {
      case EventKind::kTrade:
        if (e.trade.trade_id == 5266583935u) {
          EXPECT_EQ(e.exchange_ts, 1723161256305LL * 1'000'000);  // T, not E
          EXPECT_EQ(e.trade.aggressor, Side::kSell);               // buyer was the maker
          EXPECT_EQ(e.trade.qty, Qty(6));
        } else {
          EXPECT_EQ(e.trade.trade_id, 77u);
          EXPECT_EQ(e.trade.aggressor, Side::kBuy);
        }
        break;
      case EventKind::kQuote:
        EXPECT_EQ(e.quote.update_id, 110u);
        EXPECT_EQ(e.quote.ask_qty, Qty(1000));
        break;
      case EventKind::kFundingRate:
        EXPECT_EQ(e.funding.rate, Rate(10'000));
        EXPECT_EQ(e.funding.funding_ts, Timestamp(1723190400000LL * 1'000'000));
        break;
      case EventKind::kIndexPrice:
        EXPECT_EQ(e.price.price, Price(6179990));
        break;
      case EventKind::kLiquidation:
        EXPECT_EQ(e.trade.price, Price(6179050));
        EXPECT_EQ(e.trade.qty, Qty(14));
        EXPECT_EQ(e.trade.aggressor, Side::kSell);
        break;
      default:
        break;
    }
  }
}

TEST(BinanceWsTest, FormatIsDetectedFromTheContent) {
  const std::string dir = MakeTempDir("detect");
  WriteGzip(dir + "/capture.gz", Lines());
  absl::StatusOr<std::string> format = DetectFormat(dir + "/capture.gz");
  ASSERT_THAT(format, IsOk());
  EXPECT_EQ(*format, "binance_ws_capture");
  EXPECT_FALSE(DetectBinanceWs({"ts,price,qty,side", "1,2,3,buy"}));
}

TEST(BinanceWsTest, UnknownOptionIsAnError) {
  const std::string dir = MakeTempDir("opts");
  WriteGzip(dir + "/capture.gz", Lines());
  const InstrumentTable t = Table("BTCUSDT", 2, 3);
  SourceSpec spec;
  spec.path = dir + "/capture.gz";
  spec.format = "binance_ws_capture";
  spec.options = {{"gap", "fail"}};
  EXPECT_THAT(OpenSource(spec, t), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("gap")));
  spec.options = {{"gaps", "skip"}};
  EXPECT_THAT(OpenSource(spec, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("resync")));
}

// --- bad input: each a path:line error ---------------------------------------------------------

struct BadCase {
  const char* name;
  std::string line;
  const char* message;
};

TEST(BinanceWsTest, BadLinesAreErrorsWithFileAndLine) {
  const InstrumentTable t = Table("BTCUSDT", 2, 3);
  const std::vector<BadCase> cases = {
      {"malformed_json", R"(1010 {"stream":"btcusdt@trade","data":{"e":"trade","E":1)", "malformed JSON"},
      {"unknown_stream",
       R"(1010 {"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1723161257200}})",
       "unknown stream 'btcusdt@kline_1m'"},
      {"unknown_event",
       R"(1010 {"stream":"btcusdt@trade","data":{"e":"bogus","E":1723161257200}})",
       "unknown event type 'bogus'"},
      {"other_symbol",
       R"(1010 {"stream":"ethusdt@trade","data":{"e":"trade","E":1723161257200,"T":1723161257200,"t":1,"p":"1.00","q":"1.000","m":true}})",
       "another symbol"},
      {"negative_size",
       R"(1010 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161257200,"T":1723161257200,"s":"BTCUSDT","U":111,"u":112,"pu":110,"b":[["61800.00","-1.000"]],"a":[]}})",
       "negative size"},
      {"crossed_book",
       R"(1010 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161257200,"T":1723161257200,"s":"BTCUSDT","U":111,"u":112,"pu":110,"b":[["61800.50","1.000"]],"a":[]}})",
       "crossed book"},
      {"sequence_gap",
       R"(1010 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161257200,"T":1723161257200,"s":"BTCUSDT","U":115,"u":120,"pu":114,"b":[["61800.00","1.000"]],"a":[]}})",
       "sequence gap"},
      {"too_many_decimals",
       R"(1010 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161257200,"T":1723161257200,"t":1,"p":"61800.001","q":"1.000","m":true}})",
       "p: '61800.001'"},
      {"no_local_time", R"(abc {"stream":"btcusdt@trade"})", "local receive time"},
      // A duplicate key would read as its first value: an error naming the key.
      {"duplicate_price",
       R"(1010 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161257200,"T":1723161257200,"t":1,"p":"61800.00","q":"1.000","p":"1.00","m":true}})",
       "data.p: the key appears twice in the message"},
      {"duplicate_stream",
       R"(1010 {"stream":"btcusdt@trade","stream":"btcusdt@depth","data":{}})",
       "stream: the key appears twice"},
      {"duplicate_long_key",
       R"(1010 {"stream":"btcusdt@forceOrder","data":{"e":"forceOrder","E":1723161257100,"o":{"s":"BTCUSDT","S":"SELL","q":"0.014","p":"61700.00","ap":"61790.50","ap":"1.00"}}})",
       "o.ap: the key appears twice"},
      // 9999999999999956322 ms wraps int64 nanoseconds to 2020 unless checked.
      {"time_beyond_2262",
       R"(1010 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161257200,"T":9999999999999956322,"t":1,"p":"61800.00","q":"1.000","m":true}})",
       "T: time 9999999999999956322 ms is beyond 2262-04-11"},
  };
  for (const BadCase& c : cases) {
    const std::string dir = MakeTempDir(c.name);
    const std::string path = dir + "/capture.gz";
    WriteGzip(path, Lines({c.line}));
    absl::StatusOr<std::vector<Event>> events = ReadFile(path, t);
    EXPECT_THAT(events, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(absl::StrCat(path, ":10: "))))
        << c.name;
    EXPECT_THAT(events, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.name;
  }
}

TEST(BinanceWsTest, GapUnderResyncDropsDiffsUntilTheNextSnapshot) {
  const InstrumentTable t = Table("BTCUSDT", 2, 3);
  const std::string dir = MakeTempDir("resync");
  const std::string path = dir + "/capture.gz";
  WriteGzip(path,
            Lines({
                // gap: pu=114 but the previous diff ended at 110
                R"(1010 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161257200,"T":1723161257200,"s":"BTCUSDT","U":115,"u":120,"pu":114,"b":[["61700.00","1.000"]],"a":[]}})",
                R"(1011 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161257210,"T":1723161257210,"s":"BTCUSDT","U":121,"u":125,"pu":120,"b":[["61700.00","2.000"]],"a":[]}})",
                R"(1012 {"lastUpdateId":122,"E":1723161257205,"T":1723161257205,"symbol":"BTCUSDT","bids":[["61700.00","1.500"]],"asks":[["61800.20","1.000"]]})",
                R"(1013 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161257220,"T":1723161257220,"s":"BTCUSDT","U":126,"u":130,"pu":125,"b":[["61700.10","4.000"]],"a":[]}})",
            }));
  BinanceWsOptions options;
  options.gaps = BinanceWsOptions::Gaps::kResync;
  BinanceWsStats stats;
  absl::StatusOr<std::vector<Event>> events = ReadFile(path, t, options, &stats);
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ(stats.gaps, 1);
  EXPECT_THAT(stats.first_gap, HasSubstr(path + ":10: pu: sequence gap"));
  EXPECT_EQ(stats.snapshots, 2);
  OrderBook book(Price(1));
  for (const Event& e : *events) {
    if (e.kind == EventKind::kBookLevel) {
      ASSERT_EQ(book.Apply(e.level), BookResult::kOk);
    }
  }
  // The second snapshot (lastUpdateId 122) then the diffs 121..125 (bridge) and 126..130.
  EXPECT_EQ(book.best_bid(), Price(6170010));
  EXPECT_EQ(book.QtyAt(Side::kBuy, Price(6170000)), Qty(2000));
  EXPECT_EQ(book.level_count(Side::kBuy), 2u);
  // Under "fail" the same file stops at the gap.
  EXPECT_THAT(ReadFile(path, t), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr(path + ":10: pu: sequence gap")));
}

TEST(BinanceWsTest, TruncatedGzipIsAnError) {
  const InstrumentTable t = Table("BTCUSDT", 2, 3);
  const std::string dir = MakeTempDir("truncated");
  const std::string path = dir + "/capture.gz";
  WriteGzip(path, Lines(), /*cut_bytes=*/20);
  EXPECT_THAT(ReadFile(path, t),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(path + ": after line")));
}

TEST(BinanceWsTest, DiffsWithoutASnapshotLineAreAnError) {
  const InstrumentTable t = Table("BTCUSDT", 2, 3);
  const std::string dir = MakeTempDir("nosnap");
  const std::string path = dir + "/capture.gz";
  WriteGzip(path, Lines({}, 2));
  EXPECT_THAT(ReadFile(path, t), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr(path + ":1: no REST snapshot line")));
}

// --- L2 ground truth on the real captures -------------------------------------------------------

struct Capture {
  const char* file;
  const char* symbol;
  int price_scale;
  int qty_scale;
};

class BinanceWsGroundTruthTest : public ::testing::TestWithParam<Capture> {};

TEST_P(BinanceWsGroundTruthTest, RebuiltBookEqualsBookTickerAtEveryCommonUpdateId) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const Capture& c = GetParam();
  const std::string path = SharedData(std::string("binance_capture_20240808/") + c.file);
  const InstrumentTable t = Table(c.symbol, c.price_scale, c.qty_scale);
  BinanceWsStats stats;
  absl::StatusOr<std::vector<Event>> events = ReadFile(path, t, {}, &stats);
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ(stats.gaps, 0);
  EXPECT_EQ(stats.snapshots, 1);

  OrderBook book(Price(1));
  std::map<uint64_t, BookTop> top_after;  // update id u of a diff -> the touch after it
  std::vector<QuotePayload> quotes;
  int64_t last = INT64_MIN;
  int64_t backwards = 0;
  for (const Event& e : *events) {
    if (e.exchange_ts < last) ++backwards;
    last = e.exchange_ts;
    if (e.kind == EventKind::kBookLevel) {
      ASSERT_EQ(book.Apply(e.level), BookResult::kOk);
      if (e.level.flags & kBookEndOfMessage) top_after[e.level.update_id] = book.Top();
    } else if (e.kind == EventKind::kQuote) {
      quotes.push_back(e.quote);
    }
  }
  EXPECT_EQ(backwards, 0);
  int64_t compared = 0, equal = 0, equal_prices = 0;
  std::string first_mismatch;
  for (const QuotePayload& q : quotes) {
    auto it = top_after.find(q.update_id);
    if (it == top_after.end()) continue;
    ++compared;
    const BookTop& b = it->second;
    const bool prices = b.has_bid && b.has_ask && b.bid == q.bid && b.ask == q.ask;
    const bool sizes = b.bid_qty == q.bid_qty && b.ask_qty == q.ask_qty;
    equal_prices += prices;
    equal += prices && sizes;
    if (!(prices && sizes) && first_mismatch.empty()) {
      first_mismatch = absl::StrCat("u=", q.update_id, " book ", b.bid.raw, "x", b.bid_qty.raw, " / ",
                                    b.ask.raw, "x", b.ask_qty.raw, " ticker ", q.bid.raw, "x",
                                    q.bid_qty.raw, " / ", q.ask.raw, "x", q.ask_qty.raw);
    }
  }
  std::cout << "[ground truth] " << c.file << ": " << quotes.size() << " bookTickers, " << compared
            << " at a diff's update id, " << equal << " equal (price and size), " << equal_prices
            << " equal prices; reader: " << stats.Summary() << "\n";
  RecordProperty("compared", static_cast<int>(compared));
  EXPECT_GT(compared, 0);
  EXPECT_EQ(equal, compared) << first_mismatch;
}

INSTANTIATE_TEST_SUITE_P(
    Captures, BinanceWsGroundTruthTest,
    ::testing::Values(Capture{"spot/btcusdt_20240808.gz", "BTCUSDT", 2, 8},
                      Capture{"spot/ethusdt_20240808.gz", "ETHUSDT", 2, 8},
                      Capture{"usdm/btcusdt_20240808.gz", "BTCUSDT", 1, 3},
                      Capture{"usdm/ethusdt_20240808.gz", "ETHUSDT", 2, 3},
                      Capture{"cm/btcusd_perp_20240808.gz", "BTCUSD_PERP", 1, 0},
                      Capture{"cm/ethusd_perp_20240808.gz", "ETHUSD_PERP", 2, 0}),
    [](const ::testing::TestParamInfo<Capture>& param_info) {
      std::string name = param_info.param.file;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

}  // namespace
}  // namespace tapedeck::replay
