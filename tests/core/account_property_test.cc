// Conservation of money in the account, for random fills, funding, marks and venue closes
// (settlements, liquidations): after every step,
//   cash + positions at the mark + fees paid = initial cash + realised + unrealised + funding,
// the cash is what the fills, fees and funding moved (a reference kept here), and closing every
// position at its mark leaves equity equal to cash. Exact, in fixed point. A failure prints
// its seed.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/latency_model.h"  // SplitMix64
#include "core/portfolio.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

Instrument Make(const char* symbol, InstrumentKind kind, int price_scale, int qty_scale,
                int64_t multiplier_e8) {
  Instrument in;
  in.symbol = symbol;
  in.kind = kind;
  in.price_scale = price_scale;
  in.qty_scale = qty_scale;
  in.contract_multiplier_e8 = multiplier_e8;
  return in;
}

// Spot with fine quantities (price x qty has 10 decimals: notionals round), a linear perpetual,
// and a contract worth 100 units of its base (COIN-M's shape of multiplier).
InstrumentTable Table() {
  InstrumentTable t;
  EXPECT_THAT(t.Add(Make("BTCUSDT", InstrumentKind::kSpot, 2, 8, 100'000'000)),
              ::tapedeck::testing::IsOk());
  EXPECT_THAT(t.Add(Make("ETH-PERP", InstrumentKind::kPerpetual, 2, 3, 100'000'000)),
              ::tapedeck::testing::IsOk());
  EXPECT_THAT(t.Add(Make("BTCUSD_PERP", InstrumentKind::kPerpetual, 1, 0, 100 * 100'000'000ll)),
              ::tapedeck::testing::IsOk());
  return t;
}

struct Reference {
  int64_t cash;
  std::vector<int64_t> qty;
};

// Every identity of the header, at one instant.
void ExpectConserved(const Portfolio& p, const InstrumentTable& t, const Reference& ref) {
  ASSERT_EQ(p.cash().raw, ref.cash);
  Money at_mark, unrealized;
  for (const Instrument& in : t.all()) {
    const Position& pos = p.position(in.id);
    ASSERT_EQ(pos.qty.raw, ref.qty[in.id.value]) << in.symbol;
    if (pos.qty.raw == 0) continue;
    ASSERT_TRUE(pos.has_mark);
    const int64_t sign = pos.qty.raw > 0 ? 1 : -1;
    at_mark += Money(sign * in.Notional(pos.mark, Qty(std::llabs(pos.qty.raw))).raw);
    unrealized += p.Unrealized(in.id);
  }
  ASSERT_EQ(p.Equity(), p.cash() + at_mark);
  ASSERT_EQ(p.cash() + at_mark + p.TotalFees(),
            p.initial_cash() + p.TotalRealized() + unrealized + p.TotalFunding());
}

TEST(AccountPropertyTest, MoneyIsConservedThroughFillsFundingAndCloses) {
  const InstrumentTable t = Table();
  const int64_t base_price[] = {6'000'000, 300'000, 600'000};
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    SplitMix64 rng(seed);
    auto pick = [&](uint64_t n) { return static_cast<int64_t>(rng.Next() % n); };
    const Money initial(1'000'000 * Money::kOne);
    Portfolio p(t, initial);
    Reference ref{initial.raw, std::vector<int64_t>(t.size(), 0)};
    for (int step = 0; step < 2000; ++step) {
      const InstrumentId id(static_cast<uint16_t>(pick(static_cast<uint64_t>(t.size()))));
      const Instrument& in = t.at(id);
      const Price price(base_price[id.value] + pick(2001) - 1000);
      const int64_t op = pick(10);
      if (op < 6) {  // a fill, often one that flips the position
        const Side side = pick(2) == 0 ? Side::kBuy : Side::kSell;
        // Whole contracts worth 100 BTC each stay at 50 or fewer a fill, so that the random
        // walk of their position keeps every notional far inside int64 Money.
        const bool big = in.contract_multiplier_e8 > 100'000'000;
        const Qty qty(1 + pick(op < 3 || big ? 50 : 5'000));
        const Money fee = Instrument::Fee(in.Notional(price, qty), Rate(pick(3) == 0 ? -10'000 : 50'000));
        p.ApplyFill(id, side, price, qty, fee);
        ref.cash += -SideSign(side) * in.Notional(price, qty).raw - fee.raw;
        ref.qty[id.value] += SideSign(side) * qty.raw;
      } else if (op < 8) {  // funding received or paid
        const Money amount(pick(2'000'001) - 1'000'000);
        p.ApplyFunding(id, amount);
        ref.cash += amount.raw;
      } else if (op < 9) {  // a mark without a trade of ours
        p.Mark(id, price);
      } else {  // the venue closes the position (settlement, liquidation with a fee)
        const Qty open = p.position(id).qty;
        const Money fee(pick(100'000));
        p.ClosePosition(id, open, price, fee);
        const int64_t sign = open.raw > 0 ? 1 : -1;
        ref.cash += sign * in.Notional(price, Qty(std::llabs(open.raw))).raw - fee.raw;
        ref.qty[id.value] = 0;
      }
      ASSERT_NO_FATAL_FAILURE(ExpectConserved(p, t, ref)) << "step " << step;
    }
    // Flat everywhere: equity is cash, and everything realised is in it.
    for (const Instrument& in : t.all()) {
      p.ClosePosition(in.id, p.position(in.id).qty, p.position(in.id).mark, Money(0));
    }
    EXPECT_EQ(p.Equity(), p.cash());
    EXPECT_EQ(p.cash(), initial + p.TotalRealized() + p.TotalFunding() - p.TotalFees());
  }
}

}  // namespace
}  // namespace tapedeck
