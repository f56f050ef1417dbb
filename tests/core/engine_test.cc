// The Engine's own rules (core/engine.h), each on a tape worked out by hand: the order of the
// venue side and the strategy side at equal times, the FIFO request channel, the trade-run
// fast path giving what one-by-one delivery gives, equity sampling, and the end of a run.
#include "core/engine.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::QuoteAt;
using ::tapedeck::testing::RandomWalkTrades;
using ::tapedeck::testing::RunEngine;
using ::tapedeck::testing::Scripted;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::TradeAt;

const InstrumentId kBtc(0);

EngineConfig Latencies(int64_t entry_ms, int64_t response_ms) {
  EngineConfig c;
  c.venue.entry_latency = Duration(entry_ms * kMs);
  c.venue.response_latency = Duration(response_ms * kMs);
  return c;
}

// Logs every callback as "<kind>@<strategy ms>", and acts at given times through timers.
class Log final : public Scripted {
 public:
  using Scripted::Scripted;
  void OnTrade(Context& c, const Event&) override { Add(c, "trade"); }
  void OnQuote(Context& c, const Event&) override { Add(c, "quote"); }
  void OnOrderUpdate(Context& c, const Event& e) override {
    Add(c, std::string(EventKindName(e.kind)));
    Scripted::OnOrderUpdate(c, e);
  }
  void OnTimer(Context& c, uint64_t id, uint64_t tag) override {
    Add(c, "timer");
    Scripted::OnTimer(c, id, tag);
  }
  std::vector<std::string> seen;

 private:
  void Add(Context& c, const std::string& what) {
    seen.push_back(absl::StrCat(what, "@", c.now().ns / kMs));
  }
};

TEST(EngineTest, AtEqualTimesTheVenueSeesMarketDataFirstAndTheStrategySeesTheTotalOrder) {
  const InstrumentTable t = TableOf(CentsInstrument());
  // A buy sent at 3 ms arrives at 5 ms, where a quote moves the ask from 100.00 to 100.10: the
  // venue sees the quote first and fills at 100.10. Ack and fill come back at 6 ms, the time
  // of a trade and of a timer: the strategy gets the trade (book and trades rank first), then
  // ack and fill, then the timer (timers last: a timer at t sees everything stamped t).
  Log s({{3, [&](Context& c) { s.ids.push_back(c.BuyMarket(kBtc, Qty(100))); }},
         {6, [](Context&) {}}});
  auto engine = RunEngine(t,
                          {QuoteAt(kBtc, 0, 9999, 10000), QuoteAt(kBtc, 5, 10009, 10010),
                           TradeAt(kBtc, 6, 10010, 10, Side::kBuy),
                           TradeAt(kBtc, 9, 10010, 10, Side::kBuy)},
                          s, Latencies(2, 1));
  EXPECT_EQ(s.seen,
            (std::vector<std::string>{"quote@0", "timer@3", "quote@5", "trade@6", "order_ack@6",
                                      "order_fill@6", "timer@6", "trade@9"}));
  ASSERT_EQ(s.updates.size(), 2u);
  EXPECT_EQ(s.updates[1].exchange_ts, 5 * kMs);
  EXPECT_EQ(s.updates[1].order.price, Price(10010));
}

TEST(EngineTest, ARequestNeverOvertakesOneSentBeforeIt) {
  const InstrumentTable t = TableOf(CentsInstrument());
  EngineConfig cfg = Latencies(1, 1);
  cfg.venue.latency[static_cast<int>(VenueMessage::kSubmit)].base = Duration(5 * kMs);
  // The order, sent at 1 ms, arrives at 6 ms; the cancel, sent at 2 ms with 1 ms of latency,
  // would arrive at 3 ms but follows the order on the one channel: at 6 ms, after it, so it
  // finds the order resting and cancels it (instead of an unknown-order reject at 3 ms).
  Scripted s({{1, [&](Context& c) { s.ids.push_back(c.BuyLimit(kBtc, Price(9990), Qty(100))); }},
              {2, [&](Context& c) { c.Cancel(s.ids[0]); }}});
  RunEngine(t, {QuoteAt(kBtc, 0, 9999, 10000), QuoteAt(kBtc, 20, 9999, 10000)}, s, cfg);
  ASSERT_EQ(s.updates.size(), 2u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderCancel);
  EXPECT_EQ(s.updates[1].exchange_ts, 6 * kMs);
  EXPECT_EQ(s.updates[1].local_ts, 7 * kMs);
}

// Trades on trades and on timers: a market order every 23rd trade, a limit order on every
// timer, a timer every 41st trade.
class Busy final : public Strategy {
 public:
  void OnTrade(Context& c, const Event& e) override {
    ++n_;
    if (n_ % 46 == 0) c.BuyMarket(kBtc, Qty(5));
    if (n_ % 46 == 23) c.SellMarket(kBtc, Qty(5));
    if (n_ % 41 == 0) c.SetTimer(c.now() + Duration(e.trade.qty.raw * 1000), n_);
  }
  void OnTimer(Context& c, uint64_t, uint64_t tag) override {
    c.BuyLimit(kBtc, Price(9995 + static_cast<int64_t>(tag % 10)), Qty(3));
  }
  void OnOrderUpdate(Context& c, const Event& e) override {
    absl::StrAppend(&log, std::string(EventKindName(e.kind)), e.order.order_id.value, "@",
                    c.now().ns, " ");
  }
  std::string log;

 private:
  uint64_t n_ = 0;
};

TEST(EngineTest, TradeRunsDeliverWhatOneByOneDeliveryDelivers) {
  const InstrumentTable t = TableOf(CentsInstrument());
  // Many trades share a time stamp (gaps often 0), so runs, arrivals and timers meet at equal
  // times; latencies of 0.7 and 0.3 ms land between trades.
  const std::vector<Event> tape = RandomWalkTrades(5, 20'000, 3, 400'000, 0);
  std::string outcome[2];
  uint64_t runs[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    EngineConfig cfg;
    cfg.venue.entry_latency = Duration(700'000);
    cfg.venue.response_latency = Duration(300'000);
    cfg.equity_interval = Duration(50 * kMs);
    cfg.trade_runs = i == 0;
    Busy s;
    auto engine = RunEngine(t, tape, s, cfg, /*batch=*/777);
    std::string equity;
    for (const EquityPoint& p : engine->equity_curve()) {
      absl::StrAppend(&equity, p.ts.ns, ":", p.equity.raw, ":", p.realized.raw, " ");
    }
    outcome[i] = absl::StrCat(s.log, "| ", equity, "| ", engine->stats().delivered, " ",
                              engine->stats().market_events, " ",
                              engine->context().position(kBtc).raw);
    runs[i] = engine->stats().trade_runs;
  }
  EXPECT_GT(runs[0], 100u);
  EXPECT_EQ(runs[1], 0u);
  // Not EXPECT_EQ: 70 kB of text. A failure shows where the two part.
  const size_t d = static_cast<size_t>(
      std::mismatch(outcome[0].begin(), outcome[0].end(), outcome[1].begin(), outcome[1].end())
          .first -
      outcome[0].begin());
  EXPECT_TRUE(outcome[0] == outcome[1]) << "runs: ..." << outcome[0].substr(d, 200)
                                        << "\none by one: ..." << outcome[1].substr(d, 200);
  EXPECT_NE(outcome[0].find("fill"), std::string::npos);
}

TEST(EngineTest, EquityIsSampledAtEachBoundaryCrossedWithTheStateBeforeTheEvent) {
  const InstrumentTable t = TableOf(CentsInstrument());
  EngineConfig cfg = Latencies(1, 1);
  cfg.equity_interval = Duration(10 * kMs);
  cfg.initial_cash = Money(100'000 * Money::kOne);
  // Bought 1.000 at 100.00 (sent at 1 ms, filled at 2 ms, seen at 3 ms), then marked by the
  // trades at 5 (101.00), 12 (103.00) and 35 ms (99.00).
  Scripted s({{1, [&](Context& c) { s.ids.push_back(c.BuyMarket(kBtc, Qty(1000))); }}});
  auto engine = RunEngine(t,
                          {QuoteAt(kBtc, 0, 9999, 10000), TradeAt(kBtc, 5, 10100, 1, Side::kBuy),
                           TradeAt(kBtc, 12, 10300, 1, Side::kBuy),
                           TradeAt(kBtc, 35, 9900, 1, Side::kSell)},
                          s, cfg);
  // The event at 12 ms crosses 10 ms: a point at 10 ms before it (marked at 101.00). The one at
  // 35 ms crosses 20 and 30 ms: one point, at the first boundary crossed, 20 ms (marked at
  // 103.00). The closing point at the run's end, 35 ms, after the last event (99.00).
  const std::vector<EquityPoint>& eq = engine->equity_curve();
  ASSERT_EQ(eq.size(), 3u);
  EXPECT_EQ(eq[0].ts, Timestamp(10 * kMs));
  EXPECT_EQ(eq[0].equity, Money(100'001 * Money::kOne));
  EXPECT_EQ(eq[0].unrealized, Money(1 * Money::kOne));
  EXPECT_EQ(eq[1].ts, Timestamp(20 * kMs));
  EXPECT_EQ(eq[1].equity, Money(100'003 * Money::kOne));
  EXPECT_EQ(eq[2].ts, Timestamp(35 * kMs));
  EXPECT_EQ(eq[2].equity, Money(99'999 * Money::kOne));
  EXPECT_EQ(eq[2].cash, Money(99'900 * Money::kOne));
}

TEST(EngineTest, TheRunEndsWithTheData) {
  const InstrumentTable t = TableOf(CentsInstrument());
  // The order sent at 9 ms would be answered at 11 ms, and the timer is due at 20 ms: both
  // after the last event's 10 ms, so neither is delivered; OnStop sees the run's end.
  Scripted s({{9, [&](Context& c) { s.ids.push_back(c.BuyMarket(kBtc, Qty(100))); }},
              {20, [](Context&) { ADD_FAILURE() << "a timer after the data"; }}});
  auto engine = RunEngine(t, {QuoteAt(kBtc, 0, 9999, 10000), QuoteAt(kBtc, 10, 9999, 10000)},
                          s, Latencies(1, 1));
  EXPECT_TRUE(s.updates.empty());
  EXPECT_EQ(engine->stats().last_ts, Timestamp(10 * kMs));
  EXPECT_EQ(engine->stats().market_events, 2u);
}

}  // namespace
}  // namespace tapedeck
