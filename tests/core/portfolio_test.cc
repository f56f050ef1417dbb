#include "core/portfolio.h"

#include "core/decimal.h"
#include "core/latency_model.h"  // SplitMix64
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;

// BTC at 2 price decimals and 3 quantity decimals; money is at 1e-8.
InstrumentTable Table() {
  InstrumentTable t;
  Instrument btc;
  btc.symbol = "BTCUSDT";
  btc.price_scale = 2;
  btc.qty_scale = 3;
  EXPECT_THAT(t.Add(btc), IsOk());
  Instrument fut;
  fut.symbol = "BTC-FUT";
  fut.kind = InstrumentKind::kDatedFuture;
  fut.expiry = Timestamp(1);
  fut.price_scale = 1;
  fut.qty_scale = 0;
  fut.contract_multiplier_e8 = 10'000'000;  // 0.1 BTC per contract
  EXPECT_THAT(t.Add(fut), IsOk());
  return t;
}

Money Usd(int64_t units, int64_t cents = 0) { return Money(units * Money::kOne + cents * 1'000'000); }

TEST(PortfolioTest, NotionalIsExactFixedPoint) {
  const InstrumentTable t = Table();
  // 60000.50 x 0.125 = 7500.0625
  EXPECT_EQ(t.at(InstrumentId(0)).Notional(Price(6000050), Qty(125)), Money(750'006'250'000));
  // 3 contracts x 0.1 BTC x 61000.5 = 18300.15
  EXPECT_EQ(t.at(InstrumentId(1)).Notional(Price(610005), Qty(3)), Usd(18300, 15));
}

// The 64-bit path of Notional against the 128-bit product rescaled, over random prices,
// quantities, scales and multipliers, on both sides of the boundary between the paths (products
// beyond 128 bits and results beyond int64 are outside the contract and skipped).
TEST(PortfolioTest, NotionalMatchesThe128BitProduct) {
  SplitMix64 rng(0x9E3779B97F4A7C15ull);
  auto magnitude = [&rng] {
    const int64_t v = static_cast<int64_t>(rng.Next() >> (1 + rng.Next() % 63));
    return rng.Next() % 2 == 0 ? v : -v;
  };
  int checked = 0;
  for (int i = 0; i < 200'000; ++i) {
    Instrument in;
    in.price_scale = static_cast<int>(rng.Next() % 13);
    in.qty_scale = static_cast<int>(rng.Next() % 13);
    in.contract_multiplier_e8 = 1 + static_cast<int64_t>(rng.Next() % 100'000'000'000ull);
    const Price p(magnitude());
    const Qty q(magnitude());
    Int128 product = 0;
    int64_t want = 0;
    if (__builtin_mul_overflow(static_cast<Int128>(p.raw) * q.raw,
                               static_cast<Int128>(in.contract_multiplier_e8), &product) ||
        !Rescale(product, in.price_scale + in.qty_scale + 8, Money::kScale, &want)) {
      continue;
    }
    ASSERT_EQ(in.Notional(p, q), Money(want))
        << p.raw << " x " << q.raw << " x " << in.contract_multiplier_e8 << " at scales "
        << in.price_scale << "+" << in.qty_scale;
    ++checked;
  }
  EXPECT_GT(checked, 100'000);
}

TEST(PortfolioTest, FeesRoundHalfAwayFromZero) {
  // 7500.0625 x 0.0005 = 3.75003125 exactly; a rebate of -0.0001 gives -0.75000625.
  EXPECT_EQ(Instrument::Fee(Money(750'006'250'000), Rate(50'000)), Money(375'003'125));
  EXPECT_EQ(Instrument::Fee(Money(750'006'250'000), Rate(-10'000)), Money(-75'000'625));
  // 0.00000001 x 0.5 = 0.000000005 -> rounds to 0.00000001.
  EXPECT_EQ(Instrument::Fee(Money(1), Rate(50'000'000)), Money(1));
}

TEST(PortfolioTest, RealisesPnlAgainstAverageCostByHand) {
  const InstrumentTable t = Table();
  const InstrumentId btc(0);
  Portfolio p(t, Usd(100'000));
  // Buy 1.000 @ 60000.00, buy 1.000 @ 62000.00: average 61000.00, cost 122000.
  p.ApplyFill(btc, Side::kBuy, Price(6'000'000), Qty(1000), Usd(3));
  p.ApplyFill(btc, Side::kBuy, Price(6'200'000), Qty(1000), Usd(3, 10));
  EXPECT_EQ(p.position(btc).qty, Qty(2000));
  EXPECT_EQ(p.position(btc).cost, Usd(122'000));
  EXPECT_EQ(p.AveragePrice(btc), "61000.000000");
  // Sell 0.500 @ 63000.00: realised (63000 - 61000) x 0.5 = 1000.
  p.ApplyFill(btc, Side::kSell, Price(6'300'000), Qty(500), Usd(1, 50));
  EXPECT_EQ(p.position(btc).realized_pnl, Usd(1000));
  EXPECT_EQ(p.position(btc).cost, Usd(91'500));
  // Marked at 60000.00: unrealised (60000 - 61000) x 1.5 = -1500.
  p.Mark(btc, Price(6'000'000));
  EXPECT_EQ(p.Unrealized(btc), Usd(-1500));
  // Cash: 100000 - 60000 - 62000 + 31500 - fees (3 + 3.10 + 1.50) = 9492.40
  EXPECT_EQ(p.cash(), Usd(9492, 40));
  // Equity = cash + 1.5 x 60000 = 99492.40 = 100000 + 1000 - 1500 - 7.60
  EXPECT_EQ(p.Equity(), Usd(99'492, 40));
  EXPECT_EQ(p.TotalFees(), Usd(7, 60));
}

TEST(PortfolioTest, FlipsFromLongToShortThroughZero) {
  const InstrumentTable t = Table();
  const InstrumentId btc(0);
  Portfolio p(t, Usd(0));
  p.ApplyFill(btc, Side::kBuy, Price(5'000'000), Qty(1000), Money());
  // Sell 3.000 @ 51000: close 1 (realise +1000), open short 2 @ 51000.
  p.ApplyFill(btc, Side::kSell, Price(5'100'000), Qty(3000), Money());
  EXPECT_EQ(p.position(btc).qty, Qty(-2000));
  EXPECT_EQ(p.position(btc).realized_pnl, Usd(1000));
  EXPECT_EQ(p.position(btc).cost, Usd(-102'000));
  EXPECT_EQ(p.AveragePrice(btc), "51000.000000");
  // Short 2 marked at 50000: unrealised +2000.
  p.Mark(btc, Price(5'000'000));
  EXPECT_EQ(p.Unrealized(btc), Usd(2000));
  // Buy back 2 @ 49500: realise (51000 - 49500) x 2 = 3000; flat, cost zero.
  p.ApplyFill(btc, Side::kBuy, Price(4'950'000), Qty(2000), Money());
  EXPECT_EQ(p.position(btc).qty, Qty(0));
  EXPECT_EQ(p.position(btc).cost, Money(0));
  EXPECT_EQ(p.TotalRealized(), Usd(4000));
  EXPECT_EQ(p.Equity(), Usd(4000));
  EXPECT_EQ(p.AveragePrice(btc), "");
}

TEST(PortfolioTest, ContractMultiplierScalesPnl) {
  const InstrumentTable t = Table();
  const InstrumentId fut(1);
  Portfolio p(t, Usd(10'000));
  // Short 10 contracts (1 BTC) @ 60000.0, cover @ 59000.0: +1000.
  p.ApplyFill(fut, Side::kSell, Price(600'000), Qty(10), Money());
  p.ApplyFill(fut, Side::kBuy, Price(590'000), Qty(10), Money());
  EXPECT_EQ(p.TotalRealized(), Usd(1000));
  EXPECT_EQ(p.Equity(), Usd(11'000));
}

TEST(PortfolioTest, FundingMovesCashAndIsAttributed) {
  const InstrumentTable t = Table();
  Portfolio p(t, Usd(1000));
  p.ApplyFunding(InstrumentId(1), -Usd(2, 50));  // 2.50 paid
  EXPECT_EQ(p.cash(), Usd(997, 50));
  EXPECT_EQ(p.TotalFunding(), -Usd(2, 50));
}

}  // namespace
}  // namespace tapedeck
