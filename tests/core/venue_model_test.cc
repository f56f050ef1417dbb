// The engine's venue seam (core/venue_model.h): a second venue model, written here, runs
// through the same engine as SimVenue, with the engine's ordering rules and the strategy API
// unchanged.
#include <cstdint>
#include <span>
#include <vector>

#include "core/engine.h"
#include "core/engine_impl.h"
#include "core/exchange_side.h"
#include "core/sim_venue.h"
#include "core/venue_model.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::Scripted;
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::TradeAt;
using ::tapedeck::testing::VectorSource;

const InstrumentId kBtc(0);

// A venue with no book and no queue: an order fills in full, on arrival, at the instrument's
// last trade price (taker, no fee); cancels and modifies find nothing to act on. One latency for
// every message, both ways.
class LastPriceVenue {
 public:
  struct Config {
    Duration latency = Duration(kMs);
  };

  LastPriceVenue(const InstrumentTable& instruments, Config config, std::vector<Event>* out)
      : config_(config), out_(out), last_(instruments.size()) {}

  void OnMarketData(const Event& e) {
    if (e.kind == EventKind::kTrade) last_[e.instrument.value] = e.trade.price;
  }
  // Trades only move the last price: every run of trades may skip OnMarketData.
  int64_t QuietTradesBefore(InstrumentId) const { return INT64_MAX; }
  void OnQuietTrades(std::span<const Event> trades) {
    if (!trades.empty()) last_[trades.back().instrument.value] = trades.back().trade.price;
  }
  void SetRunStart(Timestamp) {}
  Timestamp Send(VenueMessage m, const OrderRequest& r, Timestamp now) {
    return requests_.Push(m, r, now, config_.latency);
  }
  int64_t next_arrival_ns() const { return requests_.next_arrival_ns(); }
  void ArriveNext() {
    const VenueRequest q = requests_.front();
    requests_.pop_front();
    const Price last = last_[q.order.instrument.value];
    if (q.kind != VenueMessage::kSubmit || last.raw == 0) {
      Respond(EventKind::kOrderReject, q, Price(), RejectReason::kUnknownOrder);
      return;
    }
    Respond(EventKind::kOrderAck, q, q.order.price, RejectReason::kNone);
    Respond(EventKind::kOrderFill, q, last, RejectReason::kNone);
  }

 private:
  void Respond(EventKind kind, const VenueRequest& q, Price price, RejectReason reason) {
    Event e = MakeEvent(kind, q.order.instrument, q.arrival, q.arrival + config_.latency);
    e.source = kVenueSource;
    e.order.order_id = q.order.id;
    e.order.side = q.order.side;
    e.order.price = price;
    e.order.qty = q.order.qty;
    e.order.liquidity = kind == EventKind::kOrderFill ? Liquidity::kTaker : Liquidity::kNone;
    e.order.reason = reason;
    out_->push_back(e);
  }

  Config config_;
  std::vector<Event>* out_;
  std::vector<Price> last_;
  RequestChannel requests_;
};

static_assert(VenueModel<SimVenue>);
static_assert(VenueModel<LastPriceVenue>);

TEST(VenueModelTest, ASecondVenueModelRunsThroughTheEngine) {
  const InstrumentTable t = TableOf(CentsInstrument());
  Scripted s({{10, [&](Context& c) { s.ids.push_back(c.BuyMarket(kBtc, Qty(500))); }},
              {30, [&](Context& c) { s.ids.push_back(c.SellMarket(kBtc, Qty(500))); }}});
  std::vector<Event> tape = {TradeAt(kBtc, 5, 10000, 100, Side::kBuy),
                             TradeAt(kBtc, 12, 10050, 100, Side::kBuy),
                             TradeAt(kBtc, 14, 10100, 100, Side::kSell),
                             TradeAt(kBtc, 40, 10200, 100, Side::kSell),
                             TradeAt(kBtc, 50, 10300, 100, Side::kSell)};
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<VectorSource>(std::move(tape), 2));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  BasicEngine<LastPriceVenue>::Config config;
  config.venue.latency = Duration(3 * kMs);
  BasicEngine<LastPriceVenue> engine(t, config);
  ASSERT_THAT(engine.Run(merger, s), IsOk());

  // The buy, sent at 10 ms, reaches the venue at 13 ms: the last trade then is the one at 12 ms
  // (100.50); ack and fill reach the strategy at 16 ms. The sell, sent at 30 ms, arrives at
  // 33 ms and fills at 101.00 (the trade at 14 ms); seen at 36 ms.
  ASSERT_EQ(s.updates.size(), 4u);
  EXPECT_EQ(s.updates[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(s.updates[1].kind, EventKind::kOrderFill);
  EXPECT_EQ(s.updates[1].exchange_ts, 13 * kMs);
  EXPECT_EQ(s.updates[1].local_ts, 16 * kMs);
  EXPECT_EQ(s.updates[1].order.price, Price(10050));
  EXPECT_EQ(s.updates[3].kind, EventKind::kOrderFill);
  EXPECT_EQ(s.updates[3].order.price, Price(10100));
  EXPECT_EQ(s.updates[3].local_ts, 36 * kMs);
  const Context& ctx = engine.context();
  EXPECT_EQ(ctx.position(kBtc), Qty(0));
  // Bought 0.500 at 100.50, sold at 101.00: 0.25 realised (Money has 8 decimals).
  EXPECT_EQ(ctx.portfolio().TotalRealized(), Money(25'000'000));
  EXPECT_EQ(engine.stats().market_events, 5u);
}

}  // namespace
}  // namespace tapedeck
