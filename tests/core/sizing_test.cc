// Quantities from money (core/sizing.h): whole lots, rounded down, in integers.
#include "core/sizing.h"

#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;

// Price in cents, quantity in thousandths, lots of 0.005.
Instrument Btc() {
  Instrument in = CentsInstrument();
  in.lot_size = Qty(5);
  return in;
}

TEST(SizingTest, NotionalBuysWholeLotsRoundedDown) {
  // 1000.00 at 300.00: 3.333... units, 3.330 in lots of 0.005.
  EXPECT_EQ(QtyForNotional(Btc(), Price(30'000), Money(1'000 * Money::kOne)), Qty(3'330));
  // Exactly 3 units: nothing rounds away.
  EXPECT_EQ(QtyForNotional(Btc(), Price(30'000), Money(900 * Money::kOne)), Qty(3'000));
  // One raw unit of money short of a lot: none.
  EXPECT_EQ(QtyForNotional(Btc(), Price(30'000), Money(Money::kOne + Money::kOne / 2 - 1)), Qty(0));
  EXPECT_EQ(QtyForNotional(Btc(), Price(30'000), Money(Money::kOne + Money::kOne / 2)), Qty(5));
}

TEST(SizingTest, TheContractMultiplierCounts) {
  Instrument in = Btc();
  in.contract_multiplier_e8 = 1'000'000;  // 0.01 base units per contract
  // 1000.00 at 300.00 buys 3.333 units = 333.3 contracts, 333.330 in lots of 0.005.
  EXPECT_EQ(QtyForNotional(in, Price(30'000), Money(1'000 * Money::kOne)), Qty(333'330));
}

TEST(SizingTest, AFractionOfEquity) {
  // A quarter of 4000.00 is the 1000.00 above.
  EXPECT_EQ(QtyForEquityFraction(Btc(), Price(30'000), Money(4'000 * Money::kOne), 2'500),
            Qty(3'330));
  EXPECT_EQ(QtyForEquityFraction(Btc(), Price(30'000), Money(4'000 * Money::kOne), 0), Qty(0));
  EXPECT_EQ(QtyForEquityFraction(Btc(), Price(30'000), Money(-5), 2'500), Qty(0));
}

TEST(SizingTest, NothingForNonPositiveInputsAndNoOverflowAtTheExtremes) {
  EXPECT_EQ(QtyForNotional(Btc(), Price(0), Money(Money::kOne)), Qty(0));
  EXPECT_EQ(QtyForNotional(Btc(), Price(-1), Money(Money::kOne)), Qty(0));
  EXPECT_EQ(QtyForNotional(Btc(), Price(30'000), Money(0)), Qty(0));
  Instrument fine = Btc();
  fine.price_scale = 18;
  fine.qty_scale = 18;
  // The largest money at the tiniest price: clamped to the largest whole-lot quantity.
  const Qty q = QtyForNotional(fine, Price(1), Money(INT64_MAX));
  EXPECT_EQ(q.raw % fine.lot_size.raw, 0);
  EXPECT_GT(q.raw, INT64_MAX - fine.lot_size.raw);
}

}  // namespace
}  // namespace tapedeck
