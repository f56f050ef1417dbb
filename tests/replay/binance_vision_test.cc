#include "replay/binance_vision.h"

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

constexpr int64_t kMs = 1'000'000;

std::string Fixture(const std::string& name) {
  return SourceDir() + "/tests/data/binance_vision/" + name;
}

class BinanceVisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(table_.Add(MakeInstrument("LTCUSDT", 2, 3)), IsOk());
    ASSERT_THAT(table_.Add(MakeInstrument("LINKUSDT", 3, 2)), IsOk());
    ASSERT_THAT(table_.Add(MakeInstrument("BTCUSDT", 2, 3)), IsOk());
    ASSERT_THAT(table_.Add(MakeInstrument("BTCUSDT_INDEX", 8, 3)), IsOk());
    ASSERT_THAT(table_.Add(MakeInstrument("BTCUSDT_SPOT", 2, 5)), IsOk());
    dir_ = MakeTempDir("bv");
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    WriteFile(path, content);
    return path;
  }
  absl::StatusOr<std::vector<Event>> Read(const std::string& path, const std::string& format,
                                          const std::string& symbol) {
    return ReadAll(Spec(path, format, symbol), table_);
  }
  InstrumentTable table_;
  std::string dir_;
};

const char kLtcHeader[] =
    "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
    "taker_buy_quote_volume,ignore\n";
const char kLtcRow1[] =
    "1769904000000,59.49,59.49,59.42,59.45,1554.932,1769904059999,92449.80017,442,832.674,"
    "49507.33217,0\n";
const char kLtcRow2[] =
    "1769904060000,59.44,59.44,59.37,59.40,1816.498,1769904119999,107890.45000,443,500.440,"
    "29729.15566,0\n";

TEST_F(BinanceVisionTest, ReadsTheLtcOneMinuteKlines) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string path = SharedData("binance_um_1m_2026_02/LTCUSDT-1m-2026-02.csv");
  absl::StatusOr<std::vector<Event>> events = Read(path, "binance_kline_csv", "LTCUSDT");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 40320u);  // 28 days x 1440 minutes
  const Event& first = events->front();
  EXPECT_EQ(first.kind, EventKind::kBar);
  EXPECT_EQ(first.instrument, InstrumentId(0));
  // close_time 1769904059999 ms + 1 ms: the bar is complete at the next bar's open.
  EXPECT_EQ(first.exchange_ts, 1769904060000 * kMs);
  EXPECT_EQ(first.local_ts, first.exchange_ts);
  EXPECT_EQ(first.bar.open.raw, 5949);
  EXPECT_EQ(first.bar.high.raw, 5949);
  EXPECT_EQ(first.bar.low.raw, 5942);
  EXPECT_EQ(first.bar.close.raw, 5945);
  EXPECT_EQ(first.bar.volume.raw, 1554932);
  const Event& last = events->back();
  EXPECT_EQ(last.exchange_ts, 1772323200000 * kMs);
  EXPECT_EQ(last.bar.open.raw, 5435);
  EXPECT_EQ(last.bar.high.raw, 5439);
  EXPECT_EQ(last.bar.low.raw, 5434);
  EXPECT_EQ(last.bar.close.raw, 5437);
  EXPECT_EQ(last.bar.volume.raw, 1557757);
  for (size_t i = 1; i < events->size(); ++i) {
    ASSERT_EQ((*events)[i].exchange_ts - (*events)[i - 1].exchange_ts, 60'000 * kMs) << i;
  }
}

TEST_F(BinanceVisionTest, ReadsTheLinkOneMinuteKlines) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string path = SharedData("binance_um_1m_2026_02/LINKUSDT-1m-2026-02.csv");
  absl::StatusOr<std::vector<Event>> events = Read(path, "binance_kline_csv", "LINKUSDT");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 40320u);
  EXPECT_EQ(events->front().bar.open.raw, 9982);
  EXPECT_EQ(events->front().bar.volume.raw, 2446435);
  EXPECT_EQ(events->back().bar.close.raw, 8840);
  EXPECT_EQ(events->back().bar.volume.raw, 575859);
  EXPECT_EQ(events->back().exchange_ts, 1772323200000 * kMs);
}

TEST_F(BinanceVisionTest, ReadsTheBtcFiveMinutePriceKlines) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string path =
      SharedData("binance_um_5m_2025q4/BTCUSDT_5m_price_klines_2025-10-01_2025-12-30_concat.csv");
  // Index-price klines carry 8 decimals: at the usual 2 they are an error, never rounded.
  EXPECT_THAT(Read(path, "binance_kline_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(path + ":3: low: '114127.33414493' has more than 2 decimals, the "
                                    "instrument's scale")));
  absl::StatusOr<std::vector<Event>> events = Read(path, "binance_kline_csv", "BTCUSDT_INDEX");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 25920u);  // 90 days x 288 bars
  EXPECT_EQ(events->front().exchange_ts, 1759277100000 * kMs);
  EXPECT_EQ(events->front().bar.open.raw, 11398870000000);
  EXPECT_EQ(events->front().bar.high.raw, 11416180000000);
  EXPECT_EQ(events->front().bar.volume.raw, 0);
  EXPECT_EQ(events->back().exchange_ts, 1767139200000 * kMs);
  EXPECT_EQ(events->back().bar.high.raw, 8849618244203);
  EXPECT_EQ(events->back().bar.low.raw, 8844590336232);
  EXPECT_EQ(events->back().bar.close.raw, 8845530000000);
}

TEST_F(BinanceVisionTest, KlinesWithoutHeaderReadTheSame) {
  const std::string with = Write("with.csv", std::string(kLtcHeader) + kLtcRow1 + kLtcRow2);
  const std::string without = Write("without.csv", std::string(kLtcRow1) + kLtcRow2);
  absl::StatusOr<std::vector<Event>> a = Read(with, "binance_kline_csv", "LTCUSDT");
  absl::StatusOr<std::vector<Event>> b = Read(without, "", "LTCUSDT");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_EQ(a->size(), 2u);
  ASSERT_EQ(b->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(std::memcmp(&(*a)[i], &(*b)[i], sizeof(Event)), 0) << i;
  }
  EXPECT_EQ((*b)[1].exchange_ts, 1769904120000 * kMs);
  EXPECT_EQ((*b)[1].bar.volume.raw, 1816498);
}

TEST_F(BinanceVisionTest, KlinesInMicrosecondsReadTheSameAsMilliseconds) {
  const std::string ms = Write("ms.csv", std::string(kLtcRow1) + kLtcRow2);
  const std::string us = Write(
      "us.csv",
      "1769904000000000,59.49,59.49,59.42,59.45,1554.932,1769904059999999,92449.80017,442,"
      "832.674,49507.33217,0\n"
      "1769904060000000,59.44,59.44,59.37,59.40,1816.498,1769904119999999,107890.45000,443,"
      "500.440,29729.15566,0\n");
  EXPECT_THAT(DetectFormat(us), ::testing::Eq(absl::StatusOr<std::string>("binance_kline_csv")));
  absl::StatusOr<std::vector<Event>> a = Read(ms, "binance_kline_csv", "LTCUSDT");
  absl::StatusOr<std::vector<Event>> b = Read(us, "binance_kline_csv", "LTCUSDT");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_EQ(b->size(), 2u);
  // 1769904059999999 us + 1 us = 1769904060000000 us, the same instant as ms + 1 ms.
  EXPECT_EQ((*b)[0].exchange_ts, 1769904060000 * kMs);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(std::memcmp(&(*a)[i], &(*b)[i], sizeof(Event)), 0) << i;
  }
}

TEST_F(BinanceVisionTest, KlineGoingBackwardsIsAnError) {
  const std::string path = Write("k.csv", std::string(kLtcHeader) + kLtcRow2 + kLtcRow1);
  EXPECT_THAT(Read(path, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(path + ":3: open_time: timestamp goes backwards "
                                    "(2026-02-01T00:00:00Z after 2026-02-01T00:01:00Z)")));
}

TEST_F(BinanceVisionTest, RepeatedKlineIsAnError) {
  const std::string path = Write("k.csv", std::string(kLtcRow1) + kLtcRow1);
  EXPECT_THAT(Read(path, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(path + ":2: open_time: bar starts at 2026-02-01T00:00:00Z, before "
                                    "the previous bar ended at 2026-02-01T00:01:00Z")));
}

TEST_F(BinanceVisionTest, KlineBadFieldsAreErrors) {
  const std::string neg = Write(
      "neg.csv", std::string(kLtcRow1) +
                     "1769904060000,59.44,59.44,59.37,59.40,-1816.498,1769904119999,1,1,1,1,0\n");
  EXPECT_THAT(Read(neg, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(neg + ":2: volume: negative value '-1816.498'")));
  const std::string bad = Write(
      "bad.csv", std::string(kLtcHeader) +
                     "1769904000000,59.49,59.4.9,59.42,59.45,1554.932,1769904059999,1,1,1,1,0\n");
  EXPECT_THAT(Read(bad, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(bad + ":2: high: not a decimal number: '59.4.9'")));
  const std::string time = Write(
      "time.csv", std::string(kLtcHeader) +
                      "1769904000000,59.49,59.49,59.42,59.45,1554.932,17699040x9999,1,1,1,1,0\n");
  EXPECT_THAT(Read(time, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(time + ":2: close_time: not a decimal number: '17699040x9999'")));
  const std::string hl = Write(
      "hl.csv", "1769904000000,59.49,59.40,59.42,59.45,1554.932,1769904059999,1,1,1,1,0\n");
  EXPECT_THAT(Read(hl, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(hl + ":1: high: high 59.40 is below low 59.42")));
  const std::string count = Write("count.csv", std::string(kLtcRow1) + "1769904060000,59.44\n");
  EXPECT_THAT(Read(count, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(count + ":2: expected 12 fields (open_time,open,")));
}

TEST_F(BinanceVisionTest, WrongHeaderIsAnError) {
  const std::string path = Write("k.csv", "open_time,open,high,low,close\n");
  EXPECT_THAT(Read(path, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(path + ":1: header: expected the header open_time,open,high,low,"
                                        "close,volume,close_time,")));
  const std::string funding = Write("f.csv", "1722470400000,8,0.00010000\n");
  EXPECT_THAT(Read(funding, "binance_funding_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(funding + ":1: header: expected the header calc_time,"
                                       "funding_interval_hours,last_funding_rate, got "
                                       "'1722470400000,8,0.00010000'")));
}

TEST_F(BinanceVisionTest, EmptyAndMissingFilesAreErrors) {
  const std::string empty = Write("e.csv", "");
  EXPECT_THAT(Read(empty, "binance_kline_csv", "LTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument, StrEq(empty + ":1: empty file (no header and no rows)")));
  EXPECT_THAT(Read(dir_ + "/none.csv", "binance_trades_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/none.csv: cannot open")));
  EXPECT_THAT(Read(empty, "binance_kline_csv", "XRPUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sources[0].instrument: unknown instrument 'XRPUSDT'")));
}

TEST_F(BinanceVisionTest, ReadsFuturesTrades) {
  const std::string path = Fixture("BTCUSDT-trades-2024-08-05.csv");
  absl::StatusOr<std::vector<Event>> events = Read(path, "", "BTCUSDT");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 5u);
  const Event& a = (*events)[0];
  EXPECT_EQ(a.kind, EventKind::kTrade);
  EXPECT_EQ(a.exchange_ts, 1722816000013 * kMs);
  EXPECT_EQ(a.local_ts, a.exchange_ts);
  EXPECT_EQ(a.trade.price.raw, 5398410);
  EXPECT_EQ(a.trade.qty.raw, 12);
  EXPECT_EQ(a.trade.trade_id, 5110521734u);
  EXPECT_EQ(a.trade.aggressor, Side::kSell);  // is_buyer_maker=true: the seller took
  EXPECT_EQ((*events)[1].trade.aggressor, Side::kBuy);
  const Event& e = (*events)[4];
  EXPECT_EQ(e.exchange_ts, 1722816000127 * kMs);
  EXPECT_EQ(e.trade.price.raw, 5398380);
  EXPECT_EQ(e.trade.qty.raw, 40);
  EXPECT_EQ(e.trade.trade_id, 5110521738u);
}

TEST_F(BinanceVisionTest, ReadsHeaderlessSpotTradesInMicroseconds) {
  const std::string path = Fixture("BTCUSDT-trades-spot-2025-01-02.csv");
  absl::StatusOr<std::vector<Event>> events = Read(path, "", "BTCUSDT_SPOT");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].exchange_ts, 1735776000012345 * 1000);
  EXPECT_EQ((*events)[0].trade.price.raw, 9459179);
  EXPECT_EQ((*events)[0].trade.qty.raw, 10);
  EXPECT_EQ((*events)[0].trade.aggressor, Side::kSell);
  EXPECT_EQ((*events)[2].exchange_ts, 1735776000490811 * 1000);
  EXPECT_EQ((*events)[2].trade.qty.raw, 210);
  EXPECT_EQ((*events)[2].trade.aggressor, Side::kBuy);
  EXPECT_EQ((*events)[2].trade.trade_id, 4361543103u);
}

TEST_F(BinanceVisionTest, ReadsAggTradesWithAndWithoutHeader) {
  absl::StatusOr<std::vector<Event>> fut =
      Read(Fixture("BTCUSDT-aggTrades-2024-08-05.csv"), "", "BTCUSDT");
  ASSERT_THAT(fut, IsOk());
  ASSERT_EQ(fut->size(), 3u);
  EXPECT_EQ((*fut)[1].exchange_ts, 1722816000058 * kMs);
  EXPECT_EQ((*fut)[1].trade.price.raw, 5398420);
  EXPECT_EQ((*fut)[1].trade.qty.raw, 153);
  EXPECT_EQ((*fut)[1].trade.trade_id, 2273958182u);
  EXPECT_EQ((*fut)[1].trade.aggressor, Side::kBuy);
  EXPECT_EQ((*fut)[2].trade.aggressor, Side::kSell);
  absl::StatusOr<std::vector<Event>> spot =
      Read(Fixture("BTCUSDT-aggTrades-spot-2025-01-02.csv"), "", "BTCUSDT_SPOT");
  ASSERT_THAT(spot, IsOk());
  ASSERT_EQ(spot->size(), 2u);
  EXPECT_EQ((*spot)[1].exchange_ts, 1735776000490811 * 1000);
  EXPECT_EQ((*spot)[1].trade.qty.raw, 738);
  EXPECT_EQ((*spot)[1].trade.trade_id, 3361042002u);
}

TEST_F(BinanceVisionTest, ReadsBookTicker) {
  absl::StatusOr<std::vector<Event>> events =
      Read(Fixture("BTCUSDT-bookTicker-2024-08-05.csv"), "", "BTCUSDT");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 3u);
  const Event& a = (*events)[0];
  EXPECT_EQ(a.kind, EventKind::kQuote);
  EXPECT_EQ(a.exchange_ts, 1722816000011 * kMs);
  EXPECT_EQ(a.local_ts, 1722816000016 * kMs);  // event_time, later than transaction_time
  EXPECT_EQ(a.quote.bid.raw, 5398410);
  EXPECT_EQ(a.quote.bid_qty.raw, 2311);
  EXPECT_EQ(a.quote.ask.raw, 5398420);
  EXPECT_EQ(a.quote.ask_qty.raw, 906);
  EXPECT_EQ(a.quote.update_id, 5089512391004u);
  EXPECT_EQ((*events)[1].local_ts, 1722816000013 * kMs);
  EXPECT_EQ((*events)[2].quote.update_id, 5089512391420u);
  EXPECT_EQ((*events)[2].quote.ask_qty.raw, 18);
}

TEST_F(BinanceVisionTest, ReadsFundingRates) {
  absl::StatusOr<std::vector<Event>> events =
      Read(Fixture("BTCUSDT-fundingRate-2024-08.csv"), "", "BTCUSDT");
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].kind, EventKind::kFundingRate);
  EXPECT_EQ((*events)[0].exchange_ts, 1722470400000 * kMs);
  EXPECT_EQ((*events)[0].funding.rate.raw, 10000);
  EXPECT_EQ((*events)[0].funding.funding_ts.ns, 1722470400000 * kMs);
  EXPECT_EQ((*events)[1].funding.rate.raw, 6328);
  EXPECT_EQ((*events)[2].funding.rate.raw, -12205);
}

TEST_F(BinanceVisionTest, TradeErrorsNameLineAndColumn) {
  const std::string fut = ReadFile(Fixture("BTCUSDT-trades-2024-08-05.csv"));
  const std::string back =
      Write("back.csv", fut + "5110521739,53983.80,0.040,2159.35200,1722816000126,true\n");
  EXPECT_THAT(Read(back, "binance_trades_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(back + ":7: time: timestamp goes backwards "
                                    "(2024-08-05T00:00:00.126Z after 2024-08-05T00:00:00.127Z)")));
  const std::string maker =
      Write("maker.csv", fut + "5110521739,53983.80,0.040,2159.35200,1722816000128,yes\n");
  EXPECT_THAT(Read(maker, "binance_trades_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(maker + ":7: is_buyer_maker: 'yes' is not true or false")));
  const std::string neg =
      Write("neg.csv", fut + "5110521739,53983.80,-0.040,2159.35200,1722816000128,true\n");
  EXPECT_THAT(Read(neg, "binance_trades_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(neg + ":7: qty: negative value '-0.040'")));
  const std::string id =
      Write("id.csv", fut + "51105x1739,53983.80,0.040,2159.35200,1722816000128,true\n");
  EXPECT_THAT(Read(id, "binance_trades_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(id + ":7: id: not a decimal number: '51105x1739'")));
  const std::string book = ReadFile(Fixture("BTCUSDT-bookTicker-2024-08-05.csv"));
  const std::string price = Write(
      "price.csv", book + "5089512391421,-53983.90,0.532,53984.00,0.018,1722816000128,1\n");
  EXPECT_THAT(Read(price, "binance_bookticker_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(price + ":5: best_bid_price: negative value '-53983.90'")));
  const std::string rate = ReadFile(Fixture("BTCUSDT-fundingRate-2024-08.csv"));
  const std::string fine = Write("fine.csv", rate + "1722844800000,8,0.000123456\n");
  EXPECT_THAT(Read(fine, "binance_funding_csv", "BTCUSDT"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StrEq(fine + ":5: last_funding_rate: '0.000123456' has more than 8 "
                                    "decimals, the instrument's scale")));
}

TEST_F(BinanceVisionTest, UnknownOptionIsAnError) {
  SourceSpec spec = Spec(Fixture("BTCUSDT-fundingRate-2024-08.csv"), "", "BTCUSDT");
  spec.options = nlohmann::json::parse(R"({"unit": "ms"})");
  EXPECT_THAT(ReadAll(spec, table_), StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr("unknown key sources[0].options.unit")));
}

TEST_F(BinanceVisionTest, DetectsEveryFileAsItsFormatOnly) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {Fixture("BTCUSDT-trades-2024-08-05.csv"), "binance_trades_csv"},
      {Fixture("BTCUSDT-trades-spot-2025-01-02.csv"), "binance_trades_csv"},
      {Fixture("BTCUSDT-aggTrades-2024-08-05.csv"), "binance_aggtrades_csv"},
      {Fixture("BTCUSDT-aggTrades-spot-2025-01-02.csv"), "binance_aggtrades_csv"},
      {Fixture("BTCUSDT-bookTicker-2024-08-05.csv"), "binance_bookticker_csv"},
      {Fixture("BTCUSDT-fundingRate-2024-08.csv"), "binance_funding_csv"},
  };
  for (const auto& [path, format] : files) {
    EXPECT_THAT(DetectFormat(path), ::testing::Eq(absl::StatusOr<std::string>(format))) << path;
    // No other format claims it.
    const std::string text = ReadFile(path);
    const std::vector<std::string> head = {text.substr(0, text.find('\n'))};
    int claims = 0;
    for (const FormatInfo& f : Formats()) {
      if (f.detect != nullptr && f.detect(head)) ++claims;
    }
    EXPECT_EQ(claims, 1) << path;
  }
  if (::tapedeck::testing::HaveSharedData()) {
    for (const char* rel : {"binance_um_1m_2026_02/LTCUSDT-1m-2026-02.csv",
                            "binance_um_1m_2026_02/LINKUSDT-1m-2026-02.csv",
                            "binance_um_5m_2025q4/"
                            "BTCUSDT_5m_price_klines_2025-10-01_2025-12-30_concat.csv"}) {
      EXPECT_THAT(DetectFormat(SharedData(rel)),
                  ::testing::Eq(absl::StatusOr<std::string>("binance_kline_csv")))
          << rel;
    }
  }
}

}  // namespace
}  // namespace tapedeck::replay
