// Funding, margin and liquidation end to end through `tapedeck run`: Binance trades and
// fundingRate CSVs written by the test, a margined perpetual, the SMA example holding a long
// across a funding time and through a crash. Every figure is worked out in the comments.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// 2024-08-01T06:00:00Z in ms; the funding time 08:00 is kT0 + 2 h.
constexpr int64_t kT0 = 1722492000000;
constexpr int64_t kMin = 60'000;

std::string Trade(int id, int64_t ms, const char* price) {
  return absl::StrCat(id, ",", price, ",1.000,1,", ms, ",false\n");
}

std::string Config(const std::string& dir) {
  return absl::StrCat(R"({
  "seed": 1,
  "instruments": [{"symbol": "BTCUSDT", "kind": "perpetual", "price_scale": 1, "qty_scale": 3,
                   "initial_margin": "0.1", "maintenance_margin": "0.05",
                   "liquidation_fee": "0.01"}],
  "sources": [
    {"path": ")", dir, R"(/trades.csv", "format": "binance_trades_csv", "instrument": "BTCUSDT"},
    {"path": ")", dir, R"(/funding.csv", "format": "binance_funding_csv", "instrument": "BTCUSDT"}
  ],
  "venue": {"entry_latency": "5ms", "response_latency": "5ms"},
  "account": {"initial_cash": "10000"},
  "strategies": [{"name": "sma_crossover",
                  "params": {"instrument": "BTCUSDT", "fast": 1, "slow": 2, "qty": "1"}}]
})");
}

TEST(AccountRunTest, FundingAndLiquidationThroughTheCli) {
  const std::string dir = MakeTempDir("account_run");
  // SMA fast 1 / slow 2: long while the last price is above the mean of the last two.
  //   06:00 50000.0, 06:01 50000.0 (flat signal), 06:02 50100.0: fast above slow: buy 1.000
  //   (market; trades only, so it fills at the next trade: 06:03 at 50100.0, cash
  //   10000 - 50100 = -40100; at its arrival the initial margin is 0.1 x 1.000 x 50100.0 (no
  //   mark price: the last trade) = 5010 <= equity 10000: accepted).
  //   08:00 realised funding 0.0001: the long pays 50100.0 x 1.000 x 0.0001 = 5.01.
  //   08:02 42000.0: equity = -40100 - 5.01 + 42000 = 1894.99 < maintenance 0.05 x 42000 =
  //   2100: liquidated at 42000.0, fee 0.01 x 42000 = 420; realised 42000 - 50100 = -8100.
  //   Cash: -40105.01 + 42000 - 420 = 1474.99. The strategy sees the trade before the news
  //   (response latency) and sells 1.000 to go flat; at the venue that sell would open a short
  //   needing 0.1 x 42000 = 4200 > 1474.99: rejected (insufficient margin).
  std::string trades = "id,price,qty,quote_qty,time,is_buyer_maker\n";
  trades += Trade(1, kT0, "50000.0");
  trades += Trade(2, kT0 + kMin, "50000.0");
  trades += Trade(3, kT0 + 2 * kMin, "50100.0");
  trades += Trade(4, kT0 + 3 * kMin, "50100.0");
  trades += Trade(5, kT0 + 119 * kMin, "50100.0");
  trades += Trade(6, kT0 + 121 * kMin, "50100.0");
  trades += Trade(7, kT0 + 122 * kMin, "42000.0");
  trades += Trade(8, kT0 + 130 * kMin, "42000.0");
  WriteFile(dir + "/trades.csv", trades);
  WriteFile(dir + "/funding.csv",
            absl::StrCat("calc_time,funding_interval_hours,last_funding_rate\n", kT0 + 120 * kMin,
                         ",8,0.00010000\n"));
  WriteFile(dir + "/run.json", Config(dir));

  for (const char* out : {"a", "b"}) {
    std::string output;
    ASSERT_EQ(Shell(absl::StrCat("'", CliPath(), "' run '", dir, "/run.json' --quiet --out '", dir,
                                 "/", out, "' 2>&1"),
                    &output),
              0)
        << output;
  }
  const std::string a = dir + "/a/sma_crossover/";
  const std::string account = ReadFile(a + "account.csv");
  EXPECT_EQ(account, ReadFile(dir + "/b/sma_crossover/account.csv"));
  EXPECT_EQ(ReadFile(a + "digest.txt"), ReadFile(dir + "/b/sma_crossover/digest.txt"));
  // Funding at 08:00 (+ 5 ms response latency), liquidation at 08:02.
  EXPECT_EQ(account,
            "local_ts,exchange_ts,ts_utc,symbol,action,qty,price,amount,fee\n"
            "1722499200005000000,1722499200000000000,2024-08-01T08:00:00.005Z,BTCUSDT,funding,"
            "1.000,50100.0,-5.01000000,0.00000000\n"
            "1722499320005000000,1722499320000000000,2024-08-01T08:02:00.005Z,BTCUSDT,"
            "liquidation,1.000,42000.0,-8100.00000000,420.00000000\n");
  EXPECT_THAT(ReadFile(a + "digest.txt"), HasSubstr("\naccount "));

  const nlohmann::json s = nlohmann::json::parse(ReadFile(a + "summary.json"));
  EXPECT_EQ(s["funding"], "-5.01000000");
  EXPECT_EQ(s["fees"], "420.00000000");
  EXPECT_EQ(s["final_equity"], "1474.99000000");
  EXPECT_EQ(s["account"]["funding_payments"], 1);
  EXPECT_EQ(s["account"]["liquidations"], 1);
  EXPECT_EQ(s["account"]["liquidation_fees"], "420.00000000");
  EXPECT_EQ(s["instruments"][0]["position"], "0.000");
  EXPECT_TRUE(s["digest"].contains("account"));
  // One round trip, closed by the liquidation.
  EXPECT_EQ(s["metrics"]["round_trips"], 1);
  EXPECT_EQ(s["metrics"]["open_round_trips"], 0);
  // The strategy's sell after the crash was refused for margin.
  const std::string orders = ReadFile(a + "orders.csv");
  EXPECT_THAT(orders, HasSubstr(",sell,market,"));
  const std::string fills = ReadFile(a + "fills.csv");
  EXPECT_EQ(fills.find(",sell,"), std::string::npos) << fills;
}

}  // namespace
}  // namespace tapedeck
