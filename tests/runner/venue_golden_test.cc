// The venue on real L2 data: touch_quoter on the USD-M BTCUSDT capture of 2024-08-08
// (binance_ws_capture), run through the CLI under two queue models. Pins the order and fill
// digests of each, and checks that the risk-averse model fills no more than the power model
// (same quoting intent: the quoter's orders do not depend on its fills).
#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SharedData;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// Pinned run digests (orders.csv + fills.csv). When a deliberate change to the venue moves
// them, the commit that updates them says why.
constexpr char kRiskAverseDigest[] = "2129d80bf4250bf4";
constexpr char kPowerDigest[] = "21ab7107f9c361b8";

int RunCli(const std::string& args, std::string* output) {
  // From the source tree, as a user runs the shipped configs (their data paths are relative).
  std::string out;
  const int rc = ::tapedeck::testing::Shell(
      "cd '" + ::tapedeck::testing::SourceDir() + "' && '" + CliPath() + "' " + args + " 2>&1", &out);
  output->append(out);
  return rc;
}

std::string Config(const std::string& queue) {
  return R"({
  "seed": 7,
  "instruments": [{"symbol": "BTCUSDT", "kind": "perpetual", "base": "BTC", "quote": "USDT",
    "price_scale": 2, "qty_scale": 3, "tick_size": "0.1", "lot_size": "0.001",
    "maker_fee": "0.0002", "taker_fee": "0.0005"}],
  "sources": [{"path": ")" + SharedData("binance_capture_20240808/usdm/btcusdt_20240808.gz") +
         R"(", "format": "binance_ws_capture", "instrument": "BTCUSDT"}],
  "venue": {"entry_latency": "2ms", "response_latency": "2ms", )" + queue + R"(},
  "strategies": [{"name": "touch_quoter", "params": {"instrument": "BTCUSDT", "qty": "0.010", "min_interval": "500ms"}}]
})";
}

struct Outcome {
  std::string digest;
  int64_t filled_raw = 0;  // sum of fill quantities, raw (0.001 BTC)
  int64_t fills = 0;
};

Outcome RunWith(const std::string& name, const std::string& queue) {
  const std::string dir = MakeTempDir(name);
  WriteFile(dir + "/run.json", Config(queue));
  std::string out;
  const int rc = RunCli("run " + dir + "/run.json --quiet --out " + dir + "/out", &out);
  EXPECT_EQ(rc, 0) << out;
  Outcome o;
  o.digest = ReadFile(dir + "/out/touch_quoter/digest.txt");
  std::istringstream fills(ReadFile(dir + "/out/touch_quoter/fills.csv"));
  std::string line;
  std::getline(fills, line);  // header: local_ts,exchange_ts,ts_utc,order_id,symbol,side,price,qty,...
  while (std::getline(fills, line)) {
    std::istringstream row(line);
    std::string cell;
    for (int i = 0; i < 8 && std::getline(row, cell, ','); ++i) {
    }
    // qty is decimal text at 3 decimals, e.g. "0.010".
    const size_t dot = cell.find('.');
    const int64_t whole = std::stoll(cell.substr(0, dot));
    const int64_t frac = dot == std::string::npos ? 0 : std::stoll(cell.substr(dot + 1));
    o.filled_raw += whole * 1000 + frac;
    ++o.fills;
  }
  return o;
}

TEST(VenueGoldenTest, TouchQuoterOnTheBtcCaptureUnderTwoQueueModels) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const Outcome ra = RunWith("ra", R"("queue_model": "risk_averse")");
  const Outcome pw = RunWith("pw", R"("queue_model": "power", "queue_power": 2)");
  EXPECT_THAT(ra.digest, HasSubstr(std::string("run ") + kRiskAverseDigest)) << ra.digest;
  EXPECT_THAT(pw.digest, HasSubstr(std::string("run ") + kPowerDigest)) << pw.digest;
  EXPECT_GT(pw.fills, 0);
  EXPECT_LE(ra.filled_raw, pw.filled_raw);
  std::printf("risk_averse: %lld fills, %lld raw qty; power2: %lld fills, %lld raw qty\n",
              static_cast<long long>(ra.fills), static_cast<long long>(ra.filled_raw),
              static_cast<long long>(pw.fills), static_cast<long long>(pw.filled_raw));
}

TEST(VenueGoldenTest, ShippedExampleWithSeededRandomLatencyIsReproducible) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string a = MakeTempDir("qa");
  const std::string b = MakeTempDir("qb");
  std::string oa, ob;
  const std::string cfg = ::tapedeck::testing::SourceDir() + "/configs/touch_quoter_btcusdt_capture.json";
  ASSERT_EQ(RunCli("run " + cfg + " --quiet --out " + a, &oa), 0) << oa;
  ASSERT_EQ(RunCli("run " + cfg + " --quiet --out " + b, &ob), 0) << ob;
  EXPECT_EQ(ReadFile(a + "/touch_quoter/fills.csv"), ReadFile(b + "/touch_quoter/fills.csv"));
  std::string oc;
  const std::string c = MakeTempDir("qc");
  ASSERT_EQ(RunCli("run " + cfg + " --quiet --seed 43 --out " + c, &oc), 0) << oc;
  EXPECT_NE(ReadFile(a + "/touch_quoter/fills.csv"), ReadFile(c + "/touch_quoter/fills.csv"));
}

}  // namespace
}  // namespace tapedeck
