#include "replay/generic_csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/replay/csv_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeInstrument;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadAll;
using ::tapedeck::testing::Spec;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

class GenericCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(table_.Add(MakeInstrument("BTCUSDT", 2, 3)), IsOk());
    dir_ = MakeTempDir("csv");
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    WriteFile(path, content);
    return path;
  }
  absl::StatusOr<std::vector<Event>> Read(const std::string& path, const std::string& format) {
    return ReadAll(Spec(path, format, "BTCUSDT"), table_);
  }
  InstrumentTable table_;
  std::string dir_;
};

TEST_F(GenericCsvTest, ReadsTradesWithNanosAndIsoTimes) {
  const std::string path = Write("t.csv",
                                 "ts,price,qty,side\n"
                                 "1770000000000000000,64250.10,0.015,buy\n"
                                 "2026-02-02T02:40:00.5Z,64250.00,1.2,sell\n");
  absl::StatusOr<std::vector<Event>> events = Read(path, "trades_csv");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 2u);
  const Event& a = (*events)[0];
  EXPECT_EQ(a.kind, EventKind::kTrade);
  EXPECT_EQ(a.exchange_ts, 1770000000000000000);
  EXPECT_EQ(a.local_ts, a.exchange_ts);
  EXPECT_EQ(a.trade.price.raw, 6425010);
  EXPECT_EQ(a.trade.qty.raw, 15);
  EXPECT_EQ(a.trade.aggressor, Side::kBuy);
  const Event& b = (*events)[1];
  EXPECT_EQ(b.exchange_ts, 1770000000500000000);
  EXPECT_EQ(b.trade.price.raw, 6425000);
  EXPECT_EQ(b.trade.qty.raw, 1200);
  EXPECT_EQ(b.trade.aggressor, Side::kSell);
  EXPECT_EQ(b.instrument, InstrumentId(0));
}

TEST_F(GenericCsvTest, ColumnsMayComeInAnyOrder) {
  const std::string path = Write("t.csv", "side,qty,price,ts\nsell,2,10.5,100\n");
  absl::StatusOr<std::vector<Event>> events = Read(path, "trades_csv");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].exchange_ts, 100);
  EXPECT_EQ((*events)[0].trade.price.raw, 1050);
  EXPECT_EQ((*events)[0].trade.qty.raw, 2000);
  EXPECT_EQ((*events)[0].trade.aggressor, Side::kSell);
}

// Data files may carry exponent notation; it is read exactly, with the scale check of any decimal.
TEST_F(GenericCsvTest, ReadsExponentNotationExactly) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n100,6.42501E4,1.5e-2,buy\n");
  absl::StatusOr<std::vector<Event>> events = Read(path, "trades_csv");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].trade.price.raw, 6425010);
  EXPECT_EQ((*events)[0].trade.qty.raw, 15);
  const std::string fine = Write("f.csv", "ts,price,qty,side\n100,64250,7.3e-7,buy\n");
  EXPECT_THAT(Read(fine, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(fine + ":2: qty: '7.3e-7' has more than 3 decimals")));
}

TEST_F(GenericCsvTest, ReadsQuotes) {
  const std::string path = Write("q.csv",
                                 "ts,bid,bid_qty,ask,ask_qty\n"
                                 "1000,100.01,1.5,100.02,0.25\n"
                                 "1000,100.00,2,100.03,0\n"
                                 "2000,99.99,3.000,100.01,4\n");
  absl::StatusOr<std::vector<Event>> events = Read(path, "quotes_csv");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 3u);
  const Event& a = (*events)[0];
  EXPECT_EQ(a.kind, EventKind::kQuote);
  EXPECT_EQ(a.exchange_ts, 1000);
  EXPECT_EQ(a.local_ts, 1000);
  EXPECT_EQ(a.quote.bid.raw, 10001);
  EXPECT_EQ(a.quote.bid_qty.raw, 1500);
  EXPECT_EQ(a.quote.ask.raw, 10002);
  EXPECT_EQ(a.quote.ask_qty.raw, 250);
  EXPECT_EQ((*events)[2].exchange_ts, 2000);
  EXPECT_EQ((*events)[2].quote.bid_qty.raw, 3000);
}

TEST_F(GenericCsvTest, DetectsBothFormats) {
  EXPECT_THAT(DetectFormat(Write("t.csv", "ts,price,qty,side\n1,2,3,buy\n")),
              ::testing::Eq(absl::StatusOr<std::string>("trades_csv")));
  EXPECT_THAT(DetectFormat(Write("q.csv", "ts,bid,bid_qty,ask,ask_qty\n1,2,3,4,5\n")),
              ::testing::Eq(absl::StatusOr<std::string>("quotes_csv")));
  EXPECT_FALSE(DetectTradesCsv({"ts,bid,bid_qty,ask,ask_qty"}));
  EXPECT_FALSE(DetectQuotesCsv({"ts,price,qty,side"}));
}

TEST_F(GenericCsvTest, MalformedNumberNamesLineAndColumn) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n1,10.5,1,buy\n2,10.5x,1,buy\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":3: price: not a decimal number: '10.5x'")));
}

TEST_F(GenericCsvTest, TooManyDecimalsForTheInstrumentIsAnError) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n1,10.505,1,buy\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(path + ":2: price: '10.505' has more than 2 decimals")));
}

TEST_F(GenericCsvTest, NegativePriceAndSizeAreErrors) {
  const std::string p1 = Write("p.csv", "ts,price,qty,side\n1,-10.5,1,buy\n");
  EXPECT_THAT(Read(p1, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(p1 + ":2: price: negative value '-10.5'")));
  const std::string p2 = Write("q.csv", "ts,bid,bid_qty,ask,ask_qty\n1,1,1,2,1\n2,1,-3,2,1\n");
  EXPECT_THAT(Read(p2, "quotes_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(p2 + ":3: bid_qty: negative value '-3'")));
}

TEST_F(GenericCsvTest, TimestampGoingBackwardsIsAnError) {
  const std::string path = Write("t.csv",
                                 "ts,price,qty,side\n"
                                 "2026-02-05T00:00:01Z,1,1,buy\n"
                                 "2026-02-05T00:00:01Z,1,1,buy\n"
                                 "2026-02-05T00:00:00.5Z,1,1,sell\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":4: ts: timestamp goes backwards "
                                               "(2026-02-05T00:00:00.500Z after "
                                               "2026-02-05T00:00:01Z)")));
}

TEST_F(GenericCsvTest, BadTimeTextIsAnError) {
  const std::string path = Write("t.csv", "ts,price,qty,side\nyesterday,1,1,buy\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(path + ":2: ts: not a UTC time")));
}

TEST_F(GenericCsvTest, BadSideIsAnError) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n1,1,1,b\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":2: side: 'b' is not buy or sell")));
}

TEST_F(GenericCsvTest, MissingColumnIsAnError) {
  const std::string path = Write("t.csv", "ts,price,side\n1,1,buy\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":1: header: missing column 'qty' "
                                               "(expected ts,price,qty,side)")));
}

TEST_F(GenericCsvTest, UnknownColumnIsAnError) {
  const std::string path = Write("q.csv", "ts,bid,bid_size,ask,ask_qty\n");
  EXPECT_THAT(Read(path, "quotes_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":1: header: unknown column 'bid_size' "
                                               "(expected ts,bid,bid_qty,ask,ask_qty)")));
}

TEST_F(GenericCsvTest, MissingHeaderIsAnError) {
  const std::string path = Write("t.csv", "1000,10.5,1,buy\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":1: header: the first line must be the header "
                                               "ts,price,qty,side (columns in any order), got "
                                               "'1000,10.5,1,buy'")));
}

TEST_F(GenericCsvTest, WrongFieldCountIsAnError) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n1,1,1,buy\n2,1,1\n");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StrEq(path + ":3: expected 4 fields (ts,price,qty,side), got 3")));
}

TEST_F(GenericCsvTest, EmptyFileIsAnError) {
  const std::string path = Write("t.csv", "");
  EXPECT_THAT(Read(path, "trades_csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::StrEq(path + ":1: empty file (no header and no rows)")));
}

TEST_F(GenericCsvTest, MissingFileIsAnError) {
  const std::string path = dir_ + "/nope.csv";
  EXPECT_THAT(Read(path, "quotes_csv"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path + ": cannot open")));
}

TEST_F(GenericCsvTest, UnknownInstrumentNamesTheConfigPath) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n");
  EXPECT_THAT(ReadAll(Spec(path, "trades_csv", "ETHUSDT"), table_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sources[0].instrument: unknown instrument 'ETHUSDT'")));
  EXPECT_THAT(ReadAll(Spec(path, "trades_csv", ""), table_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sources[0].instrument: required")));
}

TEST_F(GenericCsvTest, UnknownOptionIsAnError) {
  const std::string path = Write("t.csv", "ts,price,qty,side\n");
  SourceSpec spec = Spec(path, "trades_csv", "BTCUSDT");
  spec.options = nlohmann::json::parse(R"({"delimiter": ";"})");
  EXPECT_THAT(ReadAll(spec, table_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sources[0].options.delimiter")));
}

TEST_F(GenericCsvTest, DetectsAndReadsAcrossManyBatches) {
  std::string content = "ts,price,qty,side\n";
  for (int i = 0; i < 3000; ++i) content += std::to_string(1000 + i) + ",1.00,0.001,buy\n";
  const std::string path = Write("t.csv", content);
  absl::StatusOr<std::vector<Event>> events = Read(path, "");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 3000u);
  EXPECT_EQ(events->back().exchange_ts, 3999);
}

}  // namespace
}  // namespace tapedeck::replay
