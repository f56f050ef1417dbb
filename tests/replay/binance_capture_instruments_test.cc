// Instruments inferred from Binance websocket captures (replay/binance_capture_instruments.h),
// on the real captures of 2024-08-08.
#include "replay/binance_capture_instruments.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::SharedData;

TEST(BinanceCaptureInstrumentsTest, ScalesComeFromTheData) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  struct Want {
    const char* file;
    const char* symbol;
    InstrumentKind kind;
    int price_scale, qty_scale;
    int64_t multiplier_e8;
  };
  // Spot quantities deep in the book carry more decimals than today's lot size (old lots).
  const Want wants[] = {
      {"spot/btcusdt_20240808.gz", "BTCUSDT", InstrumentKind::kSpot, 2, 6, 100'000'000},
      {"spot/ethusdt_20240808.gz", "ETHUSDT", InstrumentKind::kSpot, 2, 5, 100'000'000},
      {"usdm/btcusdt_20240808.gz", "BTCUSDT", InstrumentKind::kPerpetual, 1, 3, 100'000'000},
      {"usdm/ethusdt_20240808.gz", "ETHUSDT", InstrumentKind::kPerpetual, 2, 3, 100'000'000},
      {"cm/btcusd_perp_20240808.gz", "BTCUSD_PERP", InstrumentKind::kPerpetual, 1, 0,
       100 * 100'000'000ll},
      {"cm/ethusd_perp_20240808.gz", "ETHUSD_PERP", InstrumentKind::kPerpetual, 2, 0,
       10 * 100'000'000ll},
  };
  for (const Want& w : wants) {
    absl::StatusOr<std::vector<Instrument>> got =
        BinanceCaptureInstruments(SharedData(std::string("binance_capture_20240808/") + w.file));
    ASSERT_THAT(got, IsOk());
    ASSERT_EQ(got->size(), 1u) << w.file;
    const Instrument& in = got->front();
    EXPECT_EQ(in.symbol, w.symbol);
    EXPECT_EQ(in.kind, w.kind) << w.file;
    EXPECT_EQ(in.price_scale, w.price_scale) << w.file;
    EXPECT_EQ(in.qty_scale, w.qty_scale) << w.file;
    EXPECT_EQ(in.contract_multiplier_e8, w.multiplier_e8) << w.file;
  }
  absl::StatusOr<std::vector<Instrument>> none =
      BinanceCaptureInstruments(SharedData("binance_um_1m_2026_02/LTCUSDT-1m-2026-02.csv"));
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace tapedeck::replay
