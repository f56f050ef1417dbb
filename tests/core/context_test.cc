// The Context as a strategy sees it, driven by a StrategyHost directly (no engine, no venue): what
// each event does to the market view, the orders and the portfolio; what each request sends to
// the driver and records in the sink; what the stop cuts off; and the backtest's data-ended
// status before OnStop.
#include "core/context.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/records.h"
#include "core/strategy.h"
#include "core/strategy_host.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::At;
using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::QuoteAt;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::TradeAt;

constexpr InstrumentId kId(0);

// Writes every request down as text.
class TextDriver final : public ContextDriver {
 public:
  void SendOrder(const OrderRequest& r, Timestamp now) override {
    absl::StrAppend(&log, "order ", r.id.value, " ", now.ns, " ", std::string(SideName(r.side)),
                    " ", std::string(OrderTypeName(r.type)), " ",
                    std::string(TimeInForceName(r.tif)), " ", r.price.raw, " ", r.qty.raw,
                    r.post_only ? " post_only" : "", r.reduce_only ? " reduce_only" : "", "\n");
  }
  void SendCancel(OrderId id, InstrumentId, Timestamp now) override {
    absl::StrAppend(&log, "cancel ", id.value, " ", now.ns, "\n");
  }
  void SendModify(OrderId id, InstrumentId, Price p, Qty q, Timestamp now) override {
    absl::StrAppend(&log, "modify ", id.value, " ", now.ns, " ", p.raw, " ", q.raw, "\n");
  }
  void ScheduleTimer(uint64_t id, Timestamp at, uint64_t tag) override {
    absl::StrAppend(&log, "timer ", id, " ", at.ns, " ", tag, "\n");
  }
  std::string log;
};

// Writes every record down as text.
class TextSink final : public RunSink {
 public:
  void OnOrder(const OrderLogEntry& e) override {
    absl::StrAppend(&log, "order ", static_cast<int>(e.action), " ", e.request.id.value, " ",
                    e.ts.ns, "\n");
  }
  void OnFill(const FillLogEntry& e) override {
    absl::StrAppend(&log, "fill ", e.order_id.value, " ", e.price.raw, " ", e.qty.raw, "\n");
  }
  void OnAccount(const AccountLogEntry& e) override {
    absl::StrAppend(&log, "account ", std::string(AccountActionName(e.action)), " ",
                    e.amount.raw, "\n");
  }
  void OnEquity(const EquityPoint& p) override {
    absl::StrAppend(&log, "equity ", p.ts.ns, " ", p.equity.raw, "\n");
  }
  std::string log;
};

// Runs `act` on each callback it names; records the venue statuses and the stop.
class Probe final : public Strategy {
 public:
  std::function<void(Context&, const Event&)> on_event;
  std::function<void(Context&)> on_stop;
  void OnTrade(Context& c, const Event& e) override { Call(c, e); }
  void OnQuote(Context& c, const Event& e) override { Call(c, e); }
  void OnBar(Context& c, const Event& e) override { Call(c, e); }
  void OnReference(Context& c, const Event& e) override { Call(c, e); }
  void OnOrderUpdate(Context& c, const Event& e) override { Call(c, e); }
  void OnAccount(Context& c, const Event& e) override { Call(c, e); }
  void OnTimer(Context& c, uint64_t id, uint64_t tag) override {
    absl::StrAppend(&log, "timer ", id, " ", tag, " at ", c.now().ns, "\n");
  }
  void OnVenueStatus(Context& c, VenueStatus s) override {
    absl::StrAppend(&log, "status ", std::string(VenueStatusName(s)), " at ", c.now().ns, "\n");
  }
  void OnStop(Context& c) override {
    absl::StrAppend(&log, "stop at ", c.now().ns, "\n");
    if (on_stop) on_stop(c);
  }
  std::string log;

 private:
  void Call(Context& c, const Event& e) {
    if (on_event) on_event(c, e);
  }
};

Event Response(EventKind kind, uint64_t order, int64_t ms, int64_t price = 0, int64_t qty = 0) {
  Event e = At(kind, kId, ms);
  e.order.order_id = OrderId(order);
  e.order.price = Price(price);
  e.order.qty = Qty(qty);
  e.order.side = Side::kBuy;
  return e;
}

class ContextTest : public ::testing::Test {
 protected:
  const InstrumentTable table_ = TableOf(CentsInstrument());
  TextDriver driver_;
  Probe probe_;
  StrategyHost host_{table_, &driver_, Money(1'000 * Money::kOne)};
  Context& ctx_ = host_.context();
};

TEST_F(ContextTest, TheMarketViewIsEmptyUntilTheDataFillsIt) {
  host_.Start(probe_, Timestamp(0));
  const MarketView& m = ctx_.market(kId);
  EXPECT_FALSE(m.bid || m.ask || m.last_trade || m.mark || m.index || m.funding ||
               m.open_interest || m.last_bar);
  EXPECT_FALSE(m.mid().has_value());

  host_.Deliver(probe_, QuoteAt(kId, 1, 10'000, 10'003));
  EXPECT_EQ(m.bid, Price(10'000));
  EXPECT_EQ(m.ask, Price(10'003));
  EXPECT_EQ(m.bid_qty, Qty(5000));
  EXPECT_EQ(m.mid(), Price(10'001));  // rounded toward zero
  EXPECT_EQ(ctx_.best_bid(kId), Price(10'000));

  Event one_sided = QuoteAt(kId, 2, 10'001, 10'004);
  one_sided.quote.ask_qty = Qty(0);
  host_.Deliver(probe_, one_sided);
  EXPECT_EQ(m.bid, Price(10'001));
  EXPECT_FALSE(m.ask.has_value());
  EXPECT_FALSE(m.two_sided());
  EXPECT_FALSE(ctx_.best_ask(kId).has_value());

  host_.Deliver(probe_, TradeAt(kId, 3, 10'002, 7, Side::kBuy));
  EXPECT_EQ(m.last_trade, Price(10'002));
  EXPECT_EQ(ctx_.portfolio().position(kId).mark, Price(10'002));

  Event bar = At(EventKind::kBar, kId, 4);
  bar.bar = BarPayload{Price(1), Price(9), Price(1), Price(10'005), Qty(3)};
  host_.Deliver(probe_, bar);
  EXPECT_EQ(m.last_trade, Price(10'005));  // a bar's close is the last price
  ASSERT_TRUE(m.last_bar.has_value());
  EXPECT_EQ(m.last_bar->volume, Qty(3));

  Event mark = At(EventKind::kMarkPrice, kId, 5);
  mark.price.price = Price(10'010);
  host_.Deliver(probe_, mark);
  Event funding = At(EventKind::kFundingRate, kId, 6);
  funding.funding.rate = Rate(100);
  funding.funding.funding_ts = Timestamp(8 * kMs);
  host_.Deliver(probe_, funding);
  EXPECT_EQ(m.mark, Price(10'010));
  ASSERT_TRUE(m.funding.has_value());
  EXPECT_EQ(m.funding->rate, Rate(100));
  EXPECT_EQ(m.funding->funding_ts, Timestamp(8 * kMs));
  EXPECT_FALSE(m.index.has_value());
  EXPECT_EQ(ctx_.now(), Timestamp(6 * kMs));
}

TEST_F(ContextTest, RequestsGoToTheDriverAndTheirRecordsToTheSink) {
  probe_.on_event = [](Context& c, const Event& e) {
    if (e.kind != EventKind::kQuote) return;
    const OrderId a = c.Submit(OrderRequest::Limit(kId, Side::kBuy, Price(9'990), Qty(4))
                                   .PostOnly()
                                   .Ioc());
    const OrderId b = c.Submit(OrderRequest::Market(kId, Side::kSell, Qty(2)).ReduceOnly());
    EXPECT_EQ(a, OrderId(1));
    EXPECT_EQ(b, OrderId(2));
    EXPECT_TRUE(c.Modify(a, Price(9'995), Qty(6)));
    EXPECT_TRUE(c.Cancel(a));
    EXPECT_FALSE(c.Cancel(a));  // a cancel is already asked for
    EXPECT_FALSE(c.Modify(a, Price(9'996), Qty(6)));
    EXPECT_FALSE(c.Cancel(OrderId(9)));  // unknown
    EXPECT_EQ(c.order(a)->status, OrderStatus::kPendingNew);
    EXPECT_EQ(c.order(a)->modifies_pending, 1u);
    EXPECT_EQ(c.OpenOrders(kId), (std::vector<OrderId>{OrderId(1), OrderId(2)}));
  };
  host_.Start(probe_, Timestamp(0));
  host_.Deliver(probe_, QuoteAt(kId, 1, 10'000, 10'003));
  EXPECT_EQ(driver_.log,
            "order 1 1000000 buy limit ioc 9990 4 post_only\n"
            "order 2 1000000 sell market gtc 0 2 reduce_only\n"
            "modify 1 1000000 9995 6\n"
            "cancel 1 1000000\n");
  const CollectingSink& r = host_.records();
  ASSERT_EQ(r.order_log().size(), 4u);
  EXPECT_EQ(r.order_log()[0].action, RequestAction::kNew);
  EXPECT_EQ(r.order_log()[2].action, RequestAction::kModify);
  EXPECT_EQ(r.order_log()[2].request.price, Price(9'995));  // the order with the new values
  EXPECT_EQ(r.order_log()[2].request.qty, Qty(6));
  EXPECT_EQ(r.order_log()[3].action, RequestAction::kCancel);
  EXPECT_EQ(host_.orders_sent(), 2u);
}

TEST_F(ContextTest, ResponsesUpdateTheOrderAndFillsThePortfolio) {
  probe_.on_event = [](Context& c, const Event& e) {
    if (e.kind == EventKind::kQuote) c.BuyLimit(kId, Price(10'000), Qty(10));
  };
  host_.Start(probe_, Timestamp(0));
  host_.Deliver(probe_, QuoteAt(kId, 1, 10'000, 10'003));
  host_.Deliver(probe_, Response(EventKind::kOrderAck, 1, 2));
  EXPECT_EQ(ctx_.order(OrderId(1))->status, OrderStatus::kOpen);
  host_.Deliver(probe_, Response(EventKind::kOrderFill, 1, 3, 10'000, 4));
  EXPECT_EQ(ctx_.order(OrderId(1))->status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(ctx_.order(OrderId(1))->remaining(), Qty(6));
  EXPECT_EQ(ctx_.position(kId), Qty(4));
  host_.Deliver(probe_, Response(EventKind::kOrderFill, 1, 4, 10'000, 6));
  EXPECT_EQ(ctx_.order(OrderId(1))->status, OrderStatus::kFilled);
  EXPECT_TRUE(ctx_.OpenOrders(kId).empty());
  EXPECT_EQ(ctx_.position(kId), Qty(10));
  // 10 x 0.001 at 100.00 = 1.00 paid out of 1000.
  EXPECT_EQ(ctx_.portfolio().cash(), Money(999 * Money::kOne));
  ASSERT_EQ(host_.records().fill_log().size(), 2u);
  EXPECT_EQ(host_.records().fill_log()[1].local_ts, Timestamp(4 * kMs));

  Event funding = At(EventKind::kAccount, kId, 5);
  funding.account.action = AccountAction::kFunding;
  funding.account.amount = Money(-3);
  host_.Deliver(probe_, funding);
  EXPECT_EQ(ctx_.portfolio().TotalFunding(), Money(-3));
  ASSERT_EQ(host_.records().account_log().size(), 1u);
  EXPECT_EQ(host_.records().account_log()[0].amount, Money(-3));
}

TEST_F(ContextTest, TimersAndStatusReachTheirCallbacks) {
  host_.Start(probe_, Timestamp(5 * kMs));
  EXPECT_EQ(ctx_.SetTimer(Timestamp(1 * kMs), 7), 1u);  // in the past: due now
  EXPECT_EQ(ctx_.SetTimerAfter(Duration::Millis(3), 8), 2u);
  EXPECT_EQ(driver_.log, "timer 1 5000000 7\ntimer 2 8000000 8\n");
  Event timer = At(EventKind::kTimer, InstrumentId(), 8);
  timer.timer.timer_id = 2;
  timer.timer.tag = 8;
  host_.Deliver(probe_, timer);
  host_.DeliverStatus(probe_, VenueStatus::kDisconnected, Timestamp(9 * kMs));
  EXPECT_EQ(probe_.log, "timer 2 8 at 8000000\nstatus disconnected at 9000000\n");
}

// Within a run of trades the Context's clock catches up only when asked (now()): a timer set
// after a duration counts from the trade being handled, not from the last time the clock moved.
TEST_F(ContextTest, TimersAfterADurationCountFromTheTradeBeingHandled) {
  class SecondTradeTimer final : public Strategy {
   public:
    void OnTrades(Context& c, TradeRun& run) override {
      for (int n = 1; run.Next() != nullptr; ++n) {
        if (n == 2) c.SetTimerAfter(Duration::Millis(3), 9);
      }
    }
  } strategy;
  host_.Start(strategy, Timestamp(0));
  const Event trades[] = {TradeAt(kId, 1, 10'000, 1, Side::kBuy),
                          TradeAt(kId, 2, 10'001, 1, Side::kBuy),
                          TradeAt(kId, 4, 10'002, 1, Side::kBuy)};
  // The timer ends the run after the second trade.
  EXPECT_EQ(host_.DeliverTrades(strategy, trades, 0, INT64_MAX), 2u);
  EXPECT_EQ(driver_.log, "timer 1 5000000 9\n");
  EXPECT_EQ(ctx_.now(), Timestamp(2 * kMs));
}

TEST_F(ContextTest, NothingIsSentAfterTheStop) {
  probe_.on_stop = [](Context& c) { c.BuyMarket(kId, Qty(1)); };  // sent: the stop ends after
  host_.Start(probe_, Timestamp(0));
  host_.Stop(probe_, Timestamp(2 * kMs));
  EXPECT_EQ(ctx_.now(), Timestamp(2 * kMs));
  const size_t logged = host_.records().order_log().size();
  const OrderId late = ctx_.BuyMarket(kId, Qty(1));
  EXPECT_EQ(ctx_.order(late)->status, OrderStatus::kRejected);
  EXPECT_FALSE(ctx_.Cancel(OrderId(1)));
  ctx_.SetTimer(Timestamp(3 * kMs), 1);
  EXPECT_EQ(host_.records().order_log().size(), logged);
  EXPECT_EQ(driver_.log, "order 1 2000000 buy market gtc 0 1\n");
}

TEST(StrategyHostTest, ACallersSinkGetsEveryRecordAndTheHostKeepsNone) {
  const InstrumentTable table = TableOf(CentsInstrument());
  TextDriver driver;
  TextSink sink;
  Probe probe;
  probe.on_event = [](Context& c, const Event& e) {
    if (e.kind == EventKind::kQuote) c.BuyMarket(kId, Qty(2));
  };
  StrategyHost host(table, &driver, Money(1'000 * Money::kOne), &sink);
  host.Start(probe, Timestamp(0));
  host.Deliver(probe, QuoteAt(kId, 1, 10'000, 10'003));
  host.Deliver(probe, Response(EventKind::kOrderFill, 1, 2, 10'003, 2));
  host.RecordEquity(Timestamp(3 * kMs));
  EXPECT_EQ(sink.log,
            "order 0 1 1000000\n"
            "fill 1 10003 2\n"
            "equity 3000000 100000000000\n");
  EXPECT_TRUE(host.records().order_log().empty());
  EXPECT_TRUE(host.records().fill_log().empty());
  EXPECT_TRUE(host.records().equity().empty());
}

// A backtest ends with the data: the strategy hears kDataEnded at the last event's time, after
// every event and before OnStop.
TEST(StrategyHostTest, TheEngineSendsDataEndedBeforeTheStop) {
  const InstrumentTable table = TableOf(CentsInstrument());
  Probe probe;
  probe.on_event = [&probe](Context& c, const Event&) {
    absl::StrAppend(&probe.log, "event at ", c.now().ns, "\n");
  };
  testing::RunEngine(
      table, {QuoteAt(kId, 1, 10'000, 10'003), TradeAt(kId, 2, 10'001, 1, Side::kBuy)}, probe);
  EXPECT_EQ(probe.log,
            "event at 1000000\nevent at 2000000\nstatus data_ended at 2000000\nstop at 2000000\n");
}

}  // namespace
}  // namespace tapedeck
