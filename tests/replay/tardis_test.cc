#include "replay/tardis.h"

#include <zlib.h>

#include <cstring>

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
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SharedData;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::Spec;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::StrEq;

constexpr int64_t kUs = 1'000;

std::string Sample(const std::string& name) { return SharedData("tardis_samples/" + name); }
std::string Fixture(const std::string& name) {
  return SourceDir() + "/tests/data/tardis/" + name;
}

const char kTradesHeader[] = "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n";
const char kL2Header[] =
    "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n";
const char kQuotesHeader[] =
    "exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount\n";

class TardisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(table_.Add(MakeInstrument("XBTUSD", 2, 0)), IsOk());         // id 0
    ASSERT_THAT(table_.Add(MakeInstrument("BTC-PERPETUAL", 1, 0)), IsOk());  // id 1
    ASSERT_THAT(table_.Add(MakeInstrument("BTCUSDT", 2, 3)), IsOk());        // id 2
    ASSERT_THAT(table_.Add(MakeInstrument("BTC-USD", 1, 0)), IsOk());        // id 3
    dir_ = MakeTempDir("tardis");
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    WriteFile(path, content);
    return path;
  }
  absl::StatusOr<std::vector<Event>> Read(const std::string& path, const std::string& format = "",
                                          const std::string& symbol = "") {
    return ReadAll(Spec(path, format, symbol), table_);
  }
  InstrumentTable table_;
  std::string dir_;
};

TEST_F(TardisTest, ReadsBitmexTrades) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  absl::StatusOr<std::vector<Event>> events = Read(Sample("bitmex_trades_XBTUSD.csv"));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 10u);
  const Event& a = events->front();
  EXPECT_EQ(a.kind, EventKind::kTrade);
  EXPECT_EQ(a.instrument, InstrumentId(0));
  EXPECT_EQ(a.exchange_ts, 1583020803145000 * kUs);
  EXPECT_EQ(a.local_ts, 1583020803307160 * kUs);
  EXPECT_EQ(a.trade.price.raw, 853150);
  EXPECT_EQ(a.trade.qty.raw, 2152);
  EXPECT_EQ(a.trade.aggressor, Side::kSell);
  EXPECT_EQ(a.trade.trade_id, 0u);  // BitMEX ids are UUIDs
  const Event& z = events->back();
  EXPECT_EQ(z.exchange_ts, 1583020803276000 * kUs);
  EXPECT_EQ(z.local_ts, 1583020803336743 * kUs);
  EXPECT_EQ(z.trade.qty.raw, 1);
}

TEST_F(TardisTest, ReadsDeribitIncrementalBookSnapshot) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  absl::StatusOr<std::vector<Event>> events =
      Read(Sample("deribit_incremental_book_L2_BTC-PERPETUAL.csv"));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 15u);
  for (size_t i = 0; i < events->size(); ++i) {
    const Event& e = (*events)[i];
    EXPECT_EQ(e.kind, EventKind::kBookLevel);
    EXPECT_EQ(e.instrument, InstrumentId(1));
    EXPECT_EQ(e.level.side, Side::kSell);
    EXPECT_EQ(e.exchange_ts, 1585699200245000 * kUs);
    EXPECT_EQ(e.local_ts, 1585699200355684 * kUs);
    const uint8_t want = i == 0 ? kBookSnapshotBegin : i == 14 ? kBookEndOfMessage : 0;
    EXPECT_EQ(e.level.flags, want) << i;
  }
  EXPECT_EQ(events->front().level.price.raw, 64215);
  EXPECT_EQ(events->front().level.qty.raw, 18640);
  EXPECT_EQ(events->back().level.price.raw, 64285);
  EXPECT_EQ(events->back().level.qty.raw, 39950);
}

TEST_F(TardisTest, IncrementalBookMarksSnapshotsAndMessageEnds) {
  const std::string path = Write("l2.csv", std::string(kL2Header) +
                                               "deribit,BTC-PERPETUAL,1,11,true,bid,100,5\n"
                                               "deribit,BTC-PERPETUAL,1,11,true,ask,101,6\n"
                                               "deribit,BTC-PERPETUAL,2,12,false,bid,100,0\n"
                                               "deribit,BTC-PERPETUAL,2,12,false,bid,99.5,7\n"
                                               "deribit,BTC-PERPETUAL,3,13,false,ask,101,2\n"
                                               "deribit,BTC-PERPETUAL,4,14,true,bid,98,1\n"
                                               "deribit,BTC-PERPETUAL,4,14,true,ask,102,1\n");
  absl::StatusOr<std::vector<Event>> events = Read(path);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 7u);
  const std::vector<uint8_t> flags = {kBookSnapshotBegin, kBookEndOfMessage, 0, kBookEndOfMessage,
                                      kBookEndOfMessage, kBookSnapshotBegin, kBookEndOfMessage};
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ((*events)[i].level.flags, flags[i]) << i;
  EXPECT_EQ((*events)[2].level.qty.raw, 0);
  EXPECT_EQ((*events)[3].level.price.raw, 995);
  EXPECT_EQ((*events)[3].level.side, Side::kBuy);
  EXPECT_EQ((*events)[4].exchange_ts, 3 * kUs);
  EXPECT_EQ((*events)[4].local_ts, 13 * kUs);
}

TEST_F(TardisTest, ReadsBinanceBookSnapshot5) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  absl::StatusOr<std::vector<Event>> events =
      Read(Sample("binance-futures_book_snapshot_5_BTCUSDT.csv"));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 10u * 11u);  // 10 rows x (10 levels + 1 quote)
  const Event& b0 = (*events)[0];
  EXPECT_EQ(b0.kind, EventKind::kBookLevel);
  EXPECT_EQ(b0.instrument, InstrumentId(2));
  EXPECT_EQ(b0.exchange_ts, 1598918403696000 * kUs);
  EXPECT_EQ(b0.local_ts, 1598918403810979 * kUs);
  EXPECT_EQ(b0.level.side, Side::kBuy);
  EXPECT_EQ(b0.level.price.raw, 1165707);
  EXPECT_EQ(b0.level.qty.raw, 10896);
  EXPECT_EQ(b0.level.flags, kBookSnapshotBegin);
  EXPECT_EQ((*events)[4].level.price.raw, 1165568);  // bids[4]
  EXPECT_EQ((*events)[4].level.qty.raw, 111);
  EXPECT_EQ((*events)[5].level.side, Side::kSell);
  EXPECT_EQ((*events)[5].level.price.raw, 1165708);  // asks[0]
  EXPECT_EQ((*events)[5].level.flags, 0);
  EXPECT_EQ((*events)[9].level.price.raw, 1165792);  // asks[4]
  EXPECT_EQ((*events)[9].level.qty.raw, 918);
  EXPECT_EQ((*events)[9].level.flags, kBookEndOfMessage);
  const Event& q = (*events)[10];
  EXPECT_EQ(q.kind, EventKind::kQuote);
  EXPECT_EQ(q.exchange_ts, b0.exchange_ts);
  EXPECT_EQ(q.quote.bid.raw, 1165707);
  EXPECT_EQ(q.quote.bid_qty.raw, 10896);
  EXPECT_EQ(q.quote.ask.raw, 1165708);
  EXPECT_EQ(q.quote.ask_qty.raw, 1714);
  const Event& last = events->back();
  EXPECT_EQ(last.kind, EventKind::kQuote);
  EXPECT_EQ(last.exchange_ts, 1598918404284000 * kUs);
  EXPECT_EQ(last.local_ts, 1598918404289427 * kUs);
  EXPECT_EQ(last.quote.ask_qty.raw, 1393);
  EXPECT_EQ(last.quote.bid_qty.raw, 10881);
  EXPECT_EQ((*events)[103].level.price.raw, 1165570);  // last row's bids[4]: 11655.7
  EXPECT_EQ((*events)[103].level.qty.raw, 188);
}

TEST_F(TardisTest, ReadsBinanceBookSnapshot25) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  absl::StatusOr<std::vector<Event>> events =
      Read(Sample("binance-futures_book_snapshot_25_BTCUSDT.csv"));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 10u * 51u);
  EXPECT_EQ((*events)[0].level.flags, kBookSnapshotBegin);
  EXPECT_EQ((*events)[24].level.price.raw, 1165325);  // bids[24]: 11653.25
  EXPECT_EQ((*events)[24].level.qty.raw, 1003);
  EXPECT_EQ((*events)[49].level.price.raw, 1165934);  // asks[24]: 11659.34
  EXPECT_EQ((*events)[49].level.qty.raw, 618);
  EXPECT_EQ((*events)[49].level.flags, kBookEndOfMessage);
  EXPECT_EQ((*events)[50].kind, EventKind::kQuote);
  EXPECT_EQ(events->back().exchange_ts, 1598918404005000 * kUs);
}

TEST_F(TardisTest, BookSnapshotWithFewerLevelsSkipsEmptyOnes) {
  const std::string path =
      Write("s.csv",
            "exchange,symbol,timestamp,local_timestamp,asks[0].price,asks[0].amount,bids[0].price,"
            "bids[0].amount,asks[1].price,asks[1].amount,bids[1].price,bids[1].amount\n"
            "binance-futures,BTCUSDT,5,6,101,1,,,102,2,,\n");
  absl::StatusOr<std::vector<Event>> events = Read(path, "tardis_book_snapshot");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].level.flags, kBookSnapshotBegin);
  EXPECT_EQ((*events)[1].level.flags, kBookEndOfMessage);
  EXPECT_EQ((*events)[2].quote.bid_qty.raw, 0);  // no bid side
  EXPECT_EQ((*events)[2].quote.ask.raw, 10100);
}

TEST_F(TardisTest, ReadsHuobiQuotes) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  absl::StatusOr<std::vector<Event>> events = Read(Sample("huobi-dm-swap_quotes_BTC-USD.csv"));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 10u);
  const Event& a = events->front();
  EXPECT_EQ(a.kind, EventKind::kQuote);
  EXPECT_EQ(a.instrument, InstrumentId(3));
  EXPECT_EQ(a.exchange_ts, 1588291201099000 * kUs);
  EXPECT_EQ(a.local_ts, 1588291201234268 * kUs);
  EXPECT_EQ(a.quote.ask_qty.raw, 5494);
  EXPECT_EQ(a.quote.ask.raw, 86293);
  EXPECT_EQ(a.quote.bid.raw, 86292);
  EXPECT_EQ(a.quote.bid_qty.raw, 806);
  const Event& z = events->back();
  EXPECT_EQ(z.exchange_ts, 1588291201814000 * kUs);
  EXPECT_EQ(z.local_ts, 1588291201927888 * kUs);
  EXPECT_EQ(z.quote.ask_qty.raw, 5411);
  EXPECT_EQ(z.quote.bid_qty.raw, 847);
}

TEST_F(TardisTest, QuoteWithAnEmptySideHasNone) {
  const std::string path =
      Write("q.csv", std::string(kQuotesHeader) + "huobi-dm-swap,BTC-USD,1,2,,,8629.2,806\n");
  absl::StatusOr<std::vector<Event>> events = Read(path);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].quote.ask.raw, 0);
  EXPECT_EQ((*events)[0].quote.ask_qty.raw, 0);
  EXPECT_EQ((*events)[0].quote.bid.raw, 86292);
}

TEST_F(TardisTest, ReadsDerivativeTicker) {
  absl::StatusOr<std::vector<Event>> events =
      Read(Fixture("bitmex_derivative_ticker_XBTUSD.csv"));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 12u);  // 3 full rows x 4 events; the last row has only last_price
  EXPECT_EQ((*events)[0].kind, EventKind::kIndexPrice);
  EXPECT_EQ((*events)[0].price.price.raw, 853623);
  EXPECT_EQ((*events)[0].exchange_ts, 1583020800717000 * kUs);
  EXPECT_EQ((*events)[0].local_ts, 1583020800844117 * kUs);
  EXPECT_EQ((*events)[1].kind, EventKind::kMarkPrice);
  EXPECT_EQ((*events)[1].price.price.raw, 853454);
  EXPECT_EQ((*events)[2].kind, EventKind::kFundingRate);
  EXPECT_EQ((*events)[2].funding.rate.raw, -26400);
  EXPECT_EQ((*events)[2].funding.funding_ts.ns, 1583049600000000 * kUs);
  EXPECT_EQ((*events)[3].kind, EventKind::kOpenInterest);
  EXPECT_EQ((*events)[3].open_interest.qty.raw, 1015683561);
  EXPECT_EQ((*events)[11].open_interest.qty.raw, 1015688123);
  EXPECT_EQ((*events)[11].exchange_ts, 1583020805000000 * kUs);
  EXPECT_EQ((*events)[8].price.price.raw, 853591);
}

TEST_F(TardisTest, FundingRateRoundingIsAnExplicitOption) {
  const std::string path = Write(
      "d.csv", ReadFile(Fixture("bitmex_derivative_ticker_XBTUSD.csv")).substr(0, 150) + "\n");
  const std::string dydx = Write(
      "dydx.csv",
      "exchange,symbol,timestamp,local_timestamp,funding_timestamp,funding_rate,"
      "predicted_funding_rate,open_interest,last_price,index_price,mark_price\n"
      "dydx-v4,XBTUSD,1743465600448717,1743465600448717,,0.00004405508333333333,,760,,,\n"
      "dydx-v4,XBTUSD,1743465610072177,1743465610072177,,-0.000044054999,,760,,,\n");
  EXPECT_THAT(Read(dydx),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(dydx + ":2: funding_rate: '0.00004405508333333333' has more than 8 "
                                    "decimals, the instrument's scale")));
  SourceSpec spec = Spec(dydx, "", "");
  spec.options = nlohmann::json::parse(R"({"round_funding_rate": true})");
  absl::StatusOr<std::vector<Event>> events = ReadAll(spec, table_);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].funding.rate.raw, 4406);   // 0.000044055083 → 0.00004406
  EXPECT_EQ((*events)[0].funding.funding_ts.ns, 0);  // absent
  EXPECT_EQ((*events)[2].funding.rate.raw, -4405);  // -0.000044054999 → -0.00004405
  (void)path;
}

TEST_F(TardisTest, SymbolsMapThroughTheInstrumentsOrAreFiltered) {
  const std::string path = Write("t.csv", std::string(kTradesHeader) +
                                              "bitmex,XBTUSD,1,2,a,buy,8531.5,10\n"
                                              "bitmex,ETHUSD,1,2,b,buy,231.05,3\n"
                                              "bitmex,XBTUSD,2,3,c,sell,8531,20\n");
  EXPECT_THAT(Read(path), StatusIs(absl::StatusCode::kInvalidArgument,
                                   StrEq(path + ":3: symbol: unknown instrument 'ETHUSD'; add it "
                                                "to the run's instruments, or name the one "
                                                "symbol to read with sources[0].instrument")));
  absl::StatusOr<std::vector<Event>> kept = Read(path, "", "XBTUSD");
  ASSERT_THAT(kept, IsOk());
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[1].trade.qty.raw, 20);
  EXPECT_EQ((*kept)[1].trade.aggressor, Side::kSell);
  EXPECT_THAT(Read(path, "", "BTC-USD"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(path + ": no row has symbol 'BTC-USD' (sources[0].instrument)")));
  EXPECT_THAT(Read(path, "", "DOGE"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sources[0].instrument: unknown instrument 'DOGE'")));
}

TEST_F(TardisTest, ReadsLiquidationsWhenNamed) {
  const std::string path =
      Write("liq.csv", std::string(kTradesHeader) +
                           "binance-futures,BTCUSDT,1722816000013000,1722816000100000,,sell,"
                           "53012.4,0.352\n"
                           "binance-futures,BTCUSDT,1722816000513000,1722816000600000,,buy,"
                           "53100,1.5\n");
  absl::StatusOr<std::vector<Event>> events = Read(path, "tardis_liquidations");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, EventKind::kLiquidation);
  EXPECT_EQ((*events)[0].trade.aggressor, Side::kSell);  // a long position sold off
  EXPECT_EQ((*events)[0].trade.price.raw, 5301240);
  EXPECT_EQ((*events)[0].trade.qty.raw, 352);
  EXPECT_EQ((*events)[0].local_ts, 1722816000100000 * kUs);
  EXPECT_EQ((*events)[1].trade.aggressor, Side::kBuy);
  // The same file, detected, reads as trades.
  absl::StatusOr<std::vector<Event>> trades = Read(path);
  ASSERT_THAT(trades, IsOk());
  EXPECT_EQ((*trades)[0].kind, EventKind::kTrade);
}

TEST_F(TardisTest, NumericTradeIdsAreKeptAndUnknownSideIsAnOption) {
  const std::string path = Write("t.csv", std::string(kTradesHeader) +
                                              "binance-futures,BTCUSDT,1,2,812345,buy,11657.08,0.5\n"
                                              "binance-futures,BTCUSDT,2,3,812346,unknown,11657.08,1\n"
                                              "binance-futures,BTCUSDT,3,4,812347,sell,11657.07,2\n");
  EXPECT_THAT(Read(path), StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr(path + ":3: side: 'unknown' is not buy or sell")));
  SourceSpec spec = Spec(path, "", "");
  spec.options = nlohmann::json::parse(R"({"unknown_side": "skip"})");
  absl::StatusOr<std::vector<Event>> events = ReadAll(spec, table_);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].trade.trade_id, 812345u);
  EXPECT_EQ((*events)[1].trade.trade_id, 812347u);
  spec.options = nlohmann::json::parse(R"({"unknown_side": "guess"})");
  EXPECT_THAT(ReadAll(spec, table_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sources[0].options.unknown_side: 'guess' is not one of")));
  spec.options = nlohmann::json::parse(R"({"round_funding_rate": true})");
  EXPECT_THAT(ReadAll(spec, table_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown key sources[0].options.round_funding_rate")));
}

TEST_F(TardisTest, BadRowsNameLineAndColumn) {
  const std::string back = Write("back.csv", std::string(kTradesHeader) +
                                                 "bitmex,XBTUSD,1583020803145000,1,a,buy,1,1\n"
                                                 "bitmex,XBTUSD,1583020803144999,1,b,buy,1,1\n");
  EXPECT_THAT(Read(back), StatusIs(absl::StatusCode::kInvalidArgument,
                                   StrEq(back + ":3: timestamp: timestamp goes backwards "
                                                "(2020-03-01T00:00:03.144999Z after "
                                                "2020-03-01T00:00:03.145Z)")));
  const std::string neg = Write("neg.csv", std::string(kL2Header) +
                                               "deribit,BTC-PERPETUAL,1,2,false,bid,6421.5,-3\n");
  EXPECT_THAT(Read(neg), StatusIs(absl::StatusCode::kInvalidArgument,
                                  StrEq(neg + ":2: amount: negative value '-3'")));
  const std::string side = Write("side.csv", std::string(kL2Header) +
                                                 "deribit,BTC-PERPETUAL,1,2,false,buy,6421.5,3\n");
  EXPECT_THAT(Read(side), StatusIs(absl::StatusCode::kInvalidArgument,
                                   StrEq(side + ":2: side: 'buy' is not bid or ask")));
  const std::string snap = Write("snap.csv", std::string(kL2Header) +
                                                 "deribit,BTC-PERPETUAL,1,2,yes,bid,6421.5,3\n");
  EXPECT_THAT(Read(snap), StatusIs(absl::StatusCode::kInvalidArgument,
                                   StrEq(snap + ":2: is_snapshot: 'yes' is not true or false")));
  const std::string price = Write("price.csv", std::string(kQuotesHeader) +
                                                   "huobi-dm-swap,BTC-USD,1,2,5,8629.35,8629.2,1\n");
  EXPECT_THAT(Read(price),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(price + ":2: ask_price: '8629.35' has more than 1 decimals, the "
                                     "instrument's scale")));
  const std::string time = Write("time.csv", std::string(kQuotesHeader) +
                                                 "huobi-dm-swap,BTC-USD,1,2x,5,8629.3,8629.2,1\n");
  EXPECT_THAT(Read(time),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(time + ":2: local_timestamp: not a decimal number: '2x'")));
  const std::string count =
      Write("count.csv", std::string(kQuotesHeader) + "huobi-dm-swap,BTC-USD,1,2,5,8629.3\n");
  EXPECT_THAT(Read(count), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr(count + ":2: expected 8 fields (exchange,symbol,")));
}

TEST_F(TardisTest, WrongHeaderEmptyAndMissingFilesAreErrors) {
  const std::string header =
      Write("h.csv", "exchange,symbol,timestamp,local_timestamp,id,side,price,size\n");
  EXPECT_THAT(Read(header, "tardis_trades"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(header + ":1: header: expected exchange,symbol,timestamp,"
                                      "local_timestamp,id,side,price,amount, got 'exchange,symbol,"
                                      "timestamp,local_timestamp,id,side,price,size'")));
  EXPECT_THAT(Read(header, "tardis_book_snapshot"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(header + ":1: header: expected exchange,symbol,timestamp,")));
  const std::string empty = Write("e.csv", "\n\n");
  EXPECT_THAT(Read(empty, "tardis_quotes"),
              StatusIs(absl::StatusCode::kInvalidArgument, StrEq(empty + ":1: empty file (no header and no rows)")));
  EXPECT_THAT(Read(dir_ + "/gone.csv", "tardis_derivative_ticker"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/gone.csv: cannot open")));
}

TEST_F(TardisTest, ReadsGzippedFilesAsTardisShipsThem) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string text = ReadFile(Sample("huobi-dm-swap_quotes_BTC-USD.csv"));
  const std::string gz = dir_ + "/huobi-dm-swap_quotes_2020-05-01_BTC-USD.csv.gz";
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
  EXPECT_THAT(DetectFormat(gz), ::testing::Eq(absl::StatusOr<std::string>("tardis_quotes")));
  absl::StatusOr<std::vector<Event>> plain = Read(Sample("huobi-dm-swap_quotes_BTC-USD.csv"));
  absl::StatusOr<std::vector<Event>> zipped = Read(gz);
  ASSERT_THAT(plain, IsOk());
  ASSERT_THAT(zipped, IsOk());
  ASSERT_EQ(plain->size(), zipped->size());
  for (size_t i = 0; i < plain->size(); ++i) {
    EXPECT_EQ(std::memcmp(&(*plain)[i], &(*zipped)[i], sizeof(Event)), 0) << i;
  }
}

TEST_F(TardisTest, DetectsEverySampleAsItsFormatOnly) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::vector<std::pair<std::string, std::string>> files = {
      {Sample("bitmex_trades_XBTUSD.csv"), "tardis_trades"},
      {Sample("deribit_incremental_book_L2_BTC-PERPETUAL.csv"), "tardis_incremental_book_l2"},
      {Sample("binance-futures_book_snapshot_5_BTCUSDT.csv"), "tardis_book_snapshot"},
      {Sample("binance-futures_book_snapshot_25_BTCUSDT.csv"), "tardis_book_snapshot"},
      {Sample("huobi-dm-swap_quotes_BTC-USD.csv"), "tardis_quotes"},
      {Fixture("bitmex_derivative_ticker_XBTUSD.csv"), "tardis_derivative_ticker"},
  };
  for (const auto& [path, format] : files) {
    EXPECT_THAT(DetectFormat(path), ::testing::Eq(absl::StatusOr<std::string>(format))) << path;
    const std::string text = ReadFile(path);
    std::vector<std::string> head;
    size_t start = 0;
    for (int i = 0; i < 3; ++i) {
      const size_t nl = text.find('\n', start);
      head.push_back(text.substr(start, nl - start));
      start = nl + 1;
    }
    int claims = 0;
    for (const FormatInfo& f : Formats()) {
      if (f.detect != nullptr && f.detect(head)) ++claims;
    }
    EXPECT_EQ(claims, 1) << path;
  }
}

}  // namespace
}  // namespace tapedeck::replay
