// The venue's account (issue 4): funding, expiry and settlement, initial margin, liquidation.
// Hand-made tapes through the Engine, SimVenue and Context; every expected number is worked out
// in the comments. Prices have 2 decimals (raw cents), quantities 3 (raw thousandths), money 8.
#include <functional>
#include <memory>
#include <vector>

#include "core/engine.h"
#include "core/merger.h"
#include "core/sim_venue.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::QuoteAt;
using ::tapedeck::testing::RunEngine;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::TradeAt;
const InstrumentId kId(0);

Money Usd(int64_t units, int64_t cents = 0) {
  return Money(units * Money::kOne + (units < 0 ? -cents : cents) * 1'000'000);
}

// No fees: the arithmetic below is about the account only.
Instrument Perp() { return CentsInstrument("BTC-PERP", InstrumentKind::kPerpetual); }

InstrumentTable Table(const Instrument& in) { return TableOf(in); }

Event At(EventKind k, int64_t ms) { return ::tapedeck::testing::At(k, kId, ms); }

Event Quote(int64_t ms, int64_t bid, int64_t ask) { return QuoteAt(kId, ms, bid, ask, 50'000); }

Event Mark(int64_t ms, int64_t price) {
  Event e = At(EventKind::kMarkPrice, ms);
  e.price.price = Price(price);
  return e;
}

Event Index(int64_t ms, int64_t price) {
  Event e = At(EventKind::kIndexPrice, ms);
  e.price.price = Price(price);
  return e;
}

Event Funding(int64_t ms, int64_t rate, int64_t funding_ms) {
  Event e = At(EventKind::kFundingRate, ms);
  e.funding.rate = Rate(rate);
  e.funding.funding_ts = Timestamp(funding_ms * kMs);
  return e;
}

Event Trade(int64_t ms, int64_t price) { return TradeAt(kId, ms, price, 1, Side::kBuy); }

// The scripted strategy, also recording account news and the position when each arrived.
class Scripted final : public ::tapedeck::testing::Scripted {
 public:
  using ::tapedeck::testing::Scripted::Scripted;
  void OnAccount(Context& ctx, const Event& e) override {
    account.push_back(e);
    position_when_told.push_back(ctx.position(e.instrument));
  }
  std::vector<Event> account;
  std::vector<Qty> position_when_told;
};

// Entry and response latency 1 ms each.
std::unique_ptr<Engine> RunTape(const InstrumentTable& t, std::vector<Event> tape, Scripted& s,
                                Money cash = Usd(100'000)) {
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration(kMs);
  cfg.venue.response_latency = Duration(kMs);
  cfg.initial_cash = cash;
  return RunEngine(t, std::move(tape), s, cfg);
}

std::vector<RejectReason> Rejects(const Scripted& s) {
  std::vector<RejectReason> out;
  for (const Event& e : s.updates) {
    if (e.kind == EventKind::kOrderReject) out.push_back(e.order.reason);
  }
  return out;
}

struct FundingCase {
  const char* name;
  bool long_position;
  int64_t rate;      // the rate finally announced for the funding time, raw 10^-8
  int64_t expected;  // cash received, raw 10^-8 (negative: paid)
};

class FundingTest : public ::testing::TestWithParam<FundingCase> {};

TEST_P(FundingTest, PaidAtTheFundingTimeOnTheNotionalAtMark) {
  const FundingCase& c = GetParam();
  const InstrumentTable t = Table(Perp());
  Scripted s({{10, [&](Context& ctx) {
                 s.ids.push_back(c.long_position ? ctx.BuyMarket(kId, Qty(1000))
                                                 : ctx.SellMarket(kId, Qty(1000)));
               }}});
  // 0 ms: bid 99.00 / ask 100.00, mark 100.00. The order (sent at 10, arrives at 11) fills
  // 1.000 at the touch: 100.00 when buying, 99.00 when selling.
  // 20 ms: a predicted rate of 0.0005 for the funding time 50 ms; 40 ms: the rate for that time
  // is re-announced as c.rate (the last announcement before the funding time is the one paid);
  // 30 ms: mark 110.00.
  // 50 ms: the first venue-side event at the funding time pays:
  //   notional at mark = 110.00 x 1.000 = 110.00; 110.00 x 0.0001 = 0.011, 110.00 x 0.0002 =
  //   0.022. A long pays a positive rate and receives a negative one; a short the opposite.
  // 60 ms: a realised rate for the funding time 50 ms (funding_ts already paid) is ignored.
  auto engine = RunTape(t,
                    {Quote(0, 9900, 10000), Mark(0, 10000), Funding(20, 50'000, 50),
                     Mark(30, 11000), Funding(40, c.rate, 50), Trade(50, 10990),
                     Funding(60, 90'000, 50), Trade(100, 10990)},
                    s);
  ASSERT_EQ(s.account.size(), 1u);
  const Event& e = s.account[0];
  EXPECT_EQ(e.account.action, AccountAction::kFunding);
  EXPECT_EQ(e.account.amount, Money(c.expected));
  EXPECT_EQ(e.account.price, Price(11000));
  EXPECT_EQ(e.account.qty, Qty(c.long_position ? 1000 : -1000));
  EXPECT_EQ(e.account.fee, Money(0));
  EXPECT_EQ(e.exchange_ts, 50 * kMs);  // venue time of payment
  EXPECT_EQ(e.local_ts, 51 * kMs);     // + response latency
  const Portfolio& p = engine->context().portfolio();
  EXPECT_EQ(p.TotalFunding(), Money(c.expected));
  // Cash: 100000 - 100.00 (bought) or + 99.00 (sold), plus the funding.
  const Money traded = c.long_position ? -Usd(100) : Usd(99);
  EXPECT_EQ(p.cash(), Usd(100'000) + traded + Money(c.expected));
  ASSERT_EQ(engine->records().account_log().size(), 1u);
  EXPECT_EQ(engine->records().account_log()[0].amount, Money(c.expected));
}

// A latency model of their own for account news: the funding paid at 50 ms reaches the strategy
// 7 ms later (51 ms with the ack's 1 ms), while the fill still takes the 1 ms response latency.
TEST(FundingTest, AccountNewsTakeTheAccountLatencyModel) {
  const InstrumentTable t = Table(Perp());
  Scripted s({{10, [&](Context& ctx) { s.ids.push_back(ctx.BuyMarket(kId, Qty(1000))); }}});
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration(kMs);
  cfg.venue.response_latency = Duration(kMs);
  LatencySpec account;
  account.base = Duration(7 * kMs);
  cfg.venue.account_latency = account;
  cfg.initial_cash = Usd(100'000);
  // Sent at 10, arrives at 11 and fills at the ask, 100.00; the fill is seen at 12.
  // Funding 0.0001 for 50 ms on 1.000 at mark 100.00: the long pays 0.01 = 1'000'000 raw.
  auto engine = RunEngine(t,
                          {Quote(0, 9900, 10000), Mark(0, 10000), Funding(20, 10'000, 50),
                           Trade(50, 10000), Trade(100, 10000)},
                          s, cfg);
  ASSERT_EQ(s.account.size(), 1u);
  EXPECT_EQ(s.account[0].account.amount, Money(-1'000'000));
  EXPECT_EQ(s.account[0].exchange_ts, 50 * kMs);
  EXPECT_EQ(s.account[0].local_ts, 57 * kMs);
  bool saw_fill = false;
  for (const Event& e : s.updates) {
    if (e.kind != EventKind::kOrderFill) continue;
    saw_fill = true;
    EXPECT_EQ(e.local_ts, 12 * kMs);
  }
  EXPECT_TRUE(saw_fill);
}

INSTANTIATE_TEST_SUITE_P(
    LongShortPositiveNegative, FundingTest,
    ::testing::Values(FundingCase{"LongPaysPositive", true, 10'000, -1'100'000},
                      FundingCase{"ShortReceivesPositive", false, 10'000, 1'100'000},
                      FundingCase{"LongReceivesNegative", true, -20'000, 2'200'000},
                      FundingCase{"ShortPaysNegative", false, -20'000, -2'200'000}),
    [](const ::testing::TestParamInfo<FundingCase>& i) { return std::string(i.param.name); });

TEST(FundingTest, RealisedRateAtItsOwnTimeIsPaidAtOnceAndFlatAccountsPayNothing) {
  const InstrumentTable t = Table(Perp());
  Scripted s({{10, [&](Context& ctx) { s.ids.push_back(ctx.BuyMarket(kId, Qty(2000))); }}});
  // 5 ms: a realised rate (funding_ts = exchange_ts, as in Binance's fundingRate CSVs) while
  // flat: nothing to pay. 11 ms: buy 2.000 at 100.00. No mark price: the mark is the last
  // traded price, 101.00 at 30 ms. 40 ms: realised rate 0.0001 at 40 ms, paid at once:
  // 101.00 x 2.000 = 202.00; x 0.0001 = 0.0202 paid.
  auto engine = RunTape(t,
                    {Quote(0, 9900, 10000), Funding(5, 10'000, 5), Trade(30, 10100),
                     Funding(40, 10'000, 40), Trade(100, 10100)},
                    s);
  ASSERT_EQ(s.account.size(), 1u);
  EXPECT_EQ(s.account[0].account.amount, Money(-2'020'000));
  EXPECT_EQ(s.account[0].account.price, Price(10100));
  EXPECT_EQ(s.account[0].exchange_ts, 40 * kMs);
}

TEST(ExpiryTest, DatedFutureSettlesAtTheIndexCancelsOrdersAndRejectsLaterOnes) {
  Instrument fut = Perp();
  fut.symbol = "BTC-FUT";
  fut.kind = InstrumentKind::kDatedFuture;
  fut.expiry = Timestamp(50 * kMs);
  const InstrumentTable t = Table(fut);
  Scripted s({{10, [&](Context& ctx) { s.ids.push_back(ctx.BuyMarket(kId, Qty(2000))); }},
              {12, [&](Context& c) { s.ids.push_back(c.BuyLimit(kId, Price(9000), Qty(1000))); }},
              {60, [&](Context& ctx) { s.ids.push_back(ctx.BuyMarket(kId, Qty(1000))); }}});
  // 11 ms: buy 2.000 at 100.00 (cost 200.00). 13 ms: a bid of 1.000 at 90.00 rests.
  // 30 ms: index 105.00; 40 ms: mark 104.00. 50 ms (expiry): the trade is the first venue-side
  // event at the expiry: the resting bid is cancelled, then the position settles at the last
  // index price, 105.00: realised (105.00 - 100.00) x 2.000 = +10.00.
  // 61 ms: the buy sent at 60 ms arrives after the expiry: rejected (kInstrumentExpired).
  auto engine = RunTape(t,
                    {Quote(0, 9900, 10000), Index(30, 10500), Mark(40, 10400), Trade(50, 10300),
                     Trade(100, 10300)},
                    s);
  ASSERT_EQ(s.account.size(), 1u);
  const Event& e = s.account[0];
  EXPECT_EQ(e.account.action, AccountAction::kSettlement);
  EXPECT_EQ(e.account.qty, Qty(2000));
  EXPECT_EQ(e.account.price, Price(10500));
  EXPECT_EQ(e.account.amount, Usd(10));
  EXPECT_EQ(e.exchange_ts, 50 * kMs);
  EXPECT_EQ(s.position_when_told[0], Qty(0));  // already applied when OnAccount runs
  const Context& ctx = engine->context();
  EXPECT_EQ(ctx.order(s.ids[1])->status, OrderStatus::kCancelled);
  EXPECT_EQ(ctx.order(s.ids[2])->status, OrderStatus::kRejected);
  EXPECT_EQ(Rejects(s), std::vector<RejectReason>{RejectReason::kInstrumentExpired});
  const Position& p = ctx.portfolio().position(kId);
  EXPECT_EQ(p.qty, Qty(0));
  EXPECT_EQ(p.realized_pnl, Usd(10));
  EXPECT_EQ(p.traded, Qty(2000));  // the settlement is not trading
  // Cash: 100000 - 200.00 + 2.000 x 105.00 = 100010.00.
  EXPECT_EQ(ctx.portfolio().cash(), Usd(100'010));
}

Instrument Margined() {
  Instrument in = Perp();
  in.initial_margin = Rate(10'000'000);     // 0.1
  in.maintenance_margin = Rate(5'000'000);  // 0.05
  in.liquidation_fee = Rate(1'000'000);     // 0.01
  return in;
}

TEST(MarginTest, OrdersBeyondTheInitialMarginAreRejected) {
  const InstrumentTable t = Table(Margined());
  Scripted s({{10, [&](Context& c) { s.ids.push_back(c.BuyMarket(kId, Qty(5000))); }},
              {20, [&](Context& c) { s.ids.push_back(c.BuyLimit(kId, Price(9500), Qty(6000))); }},
              {30, [&](Context& c) { s.ids.push_back(c.BuyLimit(kId, Price(9500), Qty(5000))); }},
              {40, [&](Context& c) { s.ids.push_back(c.SellMarket(kId, Qty(20'000))); }},
              {50, [&](Context& c) { s.ids.push_back(c.SellMarket(kId, Qty(1000))); }}});
  // Cash 100.00, mark 100.00, initial margin 0.1 of (position + open orders) at mark.
  // 11 ms: buy 5.000: requirement 5.000 x 100.00 x 0.1 = 50.00 <= equity 100.00: fills at
  //   100.00 (cash 100 - 500 = -400, equity -400 + 5 x 100 = 100.00).
  // 21 ms: bid 6.000 at 95.00: worst case |5 + 6| = 11.000 -> 110.00 > 100.00: rejected.
  // 31 ms: bid 5.000 at 95.00: |5 + 5| = 10.000 -> 100.00 <= 100.00: rests (valued at mark).
  // 41 ms: sell 20.000: max(|5 + 5|, |5 - 20|) = 15.000 -> 150.00 > 100.00: rejected.
  // 51 ms: sell 1.000: max(10, 4) = 10.000 -> 100.00, no more than before: accepted, fills
  //   at 99.00.
  auto engine = RunTape(t, {Quote(0, 9900, 10000), Mark(0, 10000), Trade(100, 10000)}, s, Usd(100));
  EXPECT_EQ(Rejects(s), (std::vector<RejectReason>{RejectReason::kInsufficientMargin,
                                                   RejectReason::kInsufficientMargin}));
  const Context& ctx = engine->context();
  EXPECT_EQ(ctx.order(s.ids[0])->status, OrderStatus::kFilled);
  EXPECT_EQ(ctx.order(s.ids[1])->status, OrderStatus::kRejected);
  EXPECT_EQ(ctx.order(s.ids[2])->status, OrderStatus::kOpen);
  EXPECT_EQ(ctx.order(s.ids[3])->status, OrderStatus::kRejected);
  EXPECT_EQ(ctx.order(s.ids[4])->status, OrderStatus::kFilled);
  EXPECT_EQ(ctx.position(kId), Qty(4000));
  EXPECT_TRUE(s.account.empty());
}

TEST(MarginTest, AModifyThatGrowsAnOrderBeyondTheInitialMarginIsRejected) {
  const InstrumentTable t = Table(Margined());
  Scripted s({{10, [&](Context& c) { s.ids.push_back(c.BuyLimit(kId, Price(9500), Qty(5000))); }},
              {20, [&](Context& c) { c.Modify(s.ids[0], Price(9500), Qty(11'000)); }},
              {30, [&](Context& c) { c.Modify(s.ids[0], Price(9600), Qty(10'000)); }},
              {40, [&](Context& c) { c.Modify(s.ids[0], Price(9600), Qty(4000)); }}});
  // Cash 100.00, flat, mark 100.00, initial margin 0.1 of the worst case at mark.
  // 11 ms: bid 5.000 at 95.00: 5.000 x 100.00 x 0.1 = 50.00 <= 100.00: rests.
  // 21 ms: to 11.000: as a new bid of the 6.000 more, |0 + 11| = 11.000 -> 110.00 > 100.00:
  //   rejected, the order stays 5.000 at 95.00.
  // 31 ms: to 10.000 at 96.00: 10.000 -> 100.00 <= 100.00: replaced (priority lost).
  // 41 ms: down to 4.000: a decrease is never checked: replaced.
  auto engine = RunTape(t, {Quote(0, 9900, 10000), Mark(0, 10000), Trade(100, 10000)}, s, Usd(100));
  EXPECT_EQ(Rejects(s), (std::vector<RejectReason>{RejectReason::kInsufficientMargin}));
  std::vector<Qty> replaced;
  for (const Event& e : s.updates) {
    if (e.kind == EventKind::kOrderReplaced) replaced.push_back(e.order.qty);
  }
  EXPECT_EQ(replaced, (std::vector<Qty>{Qty(10'000), Qty(4000)}));
  const OrderState* o = engine->context().order(s.ids[0]);
  EXPECT_EQ(o->status, OrderStatus::kOpen);
  EXPECT_EQ(o->request.price, Price(9600));
  EXPECT_EQ(o->request.qty, Qty(4000));
}

TEST(MarginTest, EquityBelowMaintenanceLiquidatesAtMarkWithAFee) {
  const InstrumentTable t = Table(Margined());
  Scripted s({{10, [&](Context& c) { s.ids.push_back(c.BuyMarket(kId, Qty(8000))); }},
              {12, [&](Context& c) {
                 s.ids.push_back(c.SellLimit(kId, Price(12000), Qty(1000)));
               }}});
  // Cash 100.00. 11 ms: buy 8.000 (initial 8 x 100 x 0.1 = 80.00 <= 100.00) at 100.00:
  //   cash -700.00. 13 ms: an offer of 1.000 at 120.00 rests (worst case still 8.000).
  // Maintenance = 8.000 x mark x 0.05; equity = -700.00 + 8.000 x mark:
  //   20 ms mark 95.00: equity 60.00 >= 38.00;  25 ms mark 93.00: 44.00 >= 37.20;
  //   30 ms mark 91.00: equity 28.00 < 36.40: liquidation. The resting offer is cancelled, the
  //   8.000 close at the mark 91.00: realised (91 - 100) x 8 = -72.00, fee 728.00 x 0.01 =
  //   7.28. Cash: -700.00 + 728.00 - 7.28 = 20.72 = the equity left.
  // 40 ms mark 80.00: flat, nothing happens.
  auto engine = RunTape(t,
                    {Quote(0, 9900, 10000), Mark(0, 10000), Mark(20, 9500), Mark(25, 9300),
                     Mark(30, 9100), Mark(40, 8000), Trade(100, 8000)},
                    s, Usd(100));
  ASSERT_EQ(s.account.size(), 1u);
  const Event& e = s.account[0];
  EXPECT_EQ(e.account.action, AccountAction::kLiquidation);
  EXPECT_EQ(e.account.qty, Qty(8000));
  EXPECT_EQ(e.account.price, Price(9100));
  EXPECT_EQ(e.account.amount, -Usd(72));
  EXPECT_EQ(e.account.fee, Usd(7, 28));
  EXPECT_EQ(e.exchange_ts, 30 * kMs);
  EXPECT_EQ(e.local_ts, 31 * kMs);
  const Context& ctx = engine->context();
  EXPECT_EQ(ctx.order(s.ids[1])->status, OrderStatus::kCancelled);
  // The cancel comes first on the response channel, then the liquidation.
  ASSERT_FALSE(s.updates.empty());
  EXPECT_EQ(s.updates.back().kind, EventKind::kOrderCancel);
  EXPECT_LE(s.updates.back().local_ts, e.local_ts);
  const Portfolio& p = ctx.portfolio();
  EXPECT_EQ(ctx.position(kId), Qty(0));
  EXPECT_EQ(p.TotalRealized(), -Usd(72));
  EXPECT_EQ(p.TotalFees(), Usd(7, 28));
  EXPECT_EQ(p.cash(), Usd(20, 72));
  EXPECT_EQ(p.Equity(), Usd(20, 72));
}

TEST(MarginTest, WithoutMarginKeysNothingIsCheckedOrLiquidated) {
  const InstrumentTable t = Table(Perp());
  Scripted s({{10, [&](Context& c) { s.ids.push_back(c.BuyMarket(kId, Qty(8000))); }}});
  // Same moves as above, margin off (the default): the buy of 800.00 on 100.00 of cash fills and
  // the fall to 80.00 (equity -60.00) liquidates nothing.
  auto engine = RunTape(
      t, {Quote(0, 9900, 10000), Mark(0, 10000), Mark(30, 8000), Trade(100, 8000)}, s, Usd(100));
  EXPECT_TRUE(s.account.empty());
  EXPECT_TRUE(Rejects(s).empty());
  EXPECT_EQ(engine->context().position(kId), Qty(8000));
}

}  // namespace
}  // namespace tapedeck
