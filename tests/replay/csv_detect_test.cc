// The CSV readers' detect functions claim their own files only: none of them claims a sample of
// a format that another reader (or nobody) handles.
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/binance_vision.h"
#include "replay/generic_csv.h"
#include "replay/line_reader.h"
#include "replay/tardis.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::SharedData;

struct Detector {
  const char* name;
  bool (*detect)(const std::vector<std::string>&);
};

const Detector kCsvDetectors[] = {
    {"trades_csv", &DetectTradesCsv},
    {"quotes_csv", &DetectQuotesCsv},
    {"binance_kline_csv", &DetectBinanceKlineCsv},
    {"binance_trades_csv", &DetectBinanceTradesCsv},
    {"binance_aggtrades_csv", &DetectBinanceAggTradesCsv},
    {"binance_bookticker_csv", &DetectBinanceBookTickerCsv},
    {"binance_funding_csv", &DetectBinanceFundingCsv},
    {"tardis_trades", &DetectTardisTrades},
    {"tardis_incremental_book_l2", &DetectTardisIncrementalBookL2},
    {"tardis_book_snapshot", &DetectTardisBookSnapshot},
    {"tardis_quotes", &DetectTardisQuotes},
    {"tardis_derivative_ticker", &DetectTardisDerivativeTicker},
};

std::vector<std::string> Head(const std::string& path) {
  std::vector<std::string> head;
  absl::StatusOr<std::unique_ptr<LineReader>> reader = LineReader::Open(path);
  if (!reader.ok()) return head;
  std::string_view line;
  while (head.size() < 3 && (*reader)->Next(&line)) head.emplace_back(line.substr(0, 4096));
  return head;
}

TEST(CsvDetectTest, NoCsvReaderClaimsOtherFormatsSamples) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  for (const char* rel : {
           "lobster_aapl_20120621/AAPL_2012-06-21_34200000_57600000_message_10.csv",
           "lobster_aapl_20120621/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv",
           "binance_futures_depth/btcusdt-depth-snap.csv",
           "binance_futures_depth/btcusdt-depth-update.csv",
           "btc_funding_basis/funding_rate_btc.json",
           "dbn_fixtures/test_data.trades.dbn",
       }) {
    const std::vector<std::string> head = Head(SharedData(rel));
    ASSERT_FALSE(head.empty()) << rel;
    for (const Detector& d : kCsvDetectors) EXPECT_FALSE(d.detect(head)) << d.name << " claims " << rel;
  }
}

TEST(CsvDetectTest, NoCsvReaderClaimsTheWebsocketCaptures) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  for (const char* market : {"spot", "usdm", "cm"}) {
    const std::string dir = SharedData(std::string("binance_capture_20240808/") + market);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const std::vector<std::string> head = Head(entry.path().string());
      ASSERT_FALSE(head.empty()) << entry.path();
      for (const Detector& d : kCsvDetectors) {
        EXPECT_FALSE(d.detect(head)) << d.name << " claims " << entry.path();
      }
    }
  }
}

TEST(CsvDetectTest, EachCsvHeaderIsClaimedByExactlyOneReader) {
  const std::vector<std::string> headers = {
      "ts,price,qty,side",
      "ts,bid,bid_qty,ask,ask_qty",
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
      "taker_buy_quote_volume,ignore",
      "id,price,qty,quote_qty,time,is_buyer_maker",
      "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker",
      "update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,"
      "event_time",
      "calc_time,funding_interval_hours,last_funding_rate",
      "exchange,symbol,timestamp,local_timestamp,id,side,price,amount",
      "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount",
      "exchange,symbol,timestamp,local_timestamp,asks[0].price,asks[0].amount,bids[0].price,"
      "bids[0].amount",
      "exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount",
      "exchange,symbol,timestamp,local_timestamp,funding_timestamp,funding_rate,"
      "predicted_funding_rate,open_interest,last_price,index_price,mark_price",
      // Headerless Binance rows: spot trades, futures trades, spot aggTrades, futures aggTrades,
      // bookTicker, klines in us.
      "4361543101,94591.79000000,0.00010000,9.45917900,1735776000012345,True,True",
      "5110521734,53984.10,0.012,647.80920,1722816000013,true",
      "3361042001,94591.79000000,0.00010000,4361543101,4361543101,1735776000012345,True,True",
      "2273958181,53984.10,0.012,5110521734,5110521734,1722816000013,true",
      "5089512391004,53984.10,2.311,53984.20,0.906,1722816000011,1722816000016",
      "1769904000000000,59.49,59.49,59.42,59.45,1554.932,1769904059999999,92449.80017,442,"
      "832.674,49507.33217,0",
  };
  for (const std::string& h : headers) {
    int claims = 0;
    for (const Detector& d : kCsvDetectors) claims += d.detect({h}) ? 1 : 0;
    EXPECT_EQ(claims, 1) << h;
  }
}

}  // namespace
}  // namespace tapedeck::replay
