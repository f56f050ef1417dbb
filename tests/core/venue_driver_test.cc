// The venue driven on venue time outside the Engine (core/venue_driver.h), as fixsim drives it:
// entry latency delays an order's arrival, response latency delays its reports, tags come back
// on the responses a request produced, and with zero latency everything happens at once.
#include "core/venue_driver.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CentsInstrument;
using ::tapedeck::testing::kMs;
using ::tapedeck::testing::QuoteAt;
using ::tapedeck::testing::TableOf;

const InstrumentId kBtc(0);

struct Taken {
  Event event;
  uint64_t tag;
};

std::vector<Taken> Take(VenueDriver& d, int64_t t) {
  std::vector<Taken> out;
  d.TakeResponses(t, [&](const Event& e, uint64_t tag) { out.push_back({e, tag}); });
  return out;
}

OrderRequest Market(uint64_t id, Side side) {
  OrderRequest r;
  r.id = OrderId(id);
  r.instrument = kBtc;
  r.side = side;
  r.qty = Qty(100);
  return r;
}

OrderRequest Limit(uint64_t id, int64_t price) {
  OrderRequest r = Market(id, Side::kBuy);
  r.type = OrderType::kLimit;
  r.price = Price(price);
  return r;
}

SimVenueConfig Latencies(int64_t entry_ms, int64_t response_ms) {
  SimVenueConfig c;
  c.entry_latency = Duration(entry_ms * kMs);
  c.response_latency = Duration(response_ms * kMs);
  return c;
}

TEST(VenueDriverTest, EntryLatencyDelaysTheArrivalAndResponseLatencyTheReports) {
  const InstrumentTable t = TableOf(CentsInstrument());
  VenueDriver d(t, Latencies(3, 2));
  d.OnMarketData(QuoteAt(kBtc, 0, 9999, 10000));
  d.Send(VenueMessage::kSubmit, Market(1, Side::kBuy), /*tag=*/7);  // at venue time 0
  d.AdvanceTo(2 * kMs);
  EXPECT_TRUE(Take(d, 2 * kMs).empty());
  // The quote at 5 ms: the order reached the venue at 3 ms, before it, and filled at the ask
  // then; ack and fill come back 2 ms later, at 5 ms, with the order's tag.
  d.OnMarketData(QuoteAt(kBtc, 5, 10010, 10011));
  EXPECT_TRUE(Take(d, 5 * kMs - 1).empty());
  const std::vector<Taken> r = Take(d, 5 * kMs);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].event.kind, EventKind::kOrderAck);
  EXPECT_EQ(r[1].event.kind, EventKind::kOrderFill);
  EXPECT_EQ(r[1].event.order.price, Price(10000));
  EXPECT_EQ(r[1].event.exchange_ts, 3 * kMs);
  EXPECT_EQ(r[1].event.local_ts, 5 * kMs);
  EXPECT_EQ(r[0].tag, 7u);
  EXPECT_EQ(r[1].tag, 7u);
}

TEST(VenueDriverTest, WithoutLatencyARequestIsAppliedAndAnsweredAtOnce) {
  const InstrumentTable t = TableOf(CentsInstrument());
  VenueDriver d(t, Latencies(0, 0));
  d.OnMarketData(QuoteAt(kBtc, 4, 9999, 10000));
  d.Send(VenueMessage::kSubmit, Limit(1, 9990), 1);
  d.AdvanceTo(d.now());
  std::vector<Taken> r = Take(d, d.now());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].event.kind, EventKind::kOrderAck);
  EXPECT_EQ(r[0].event.exchange_ts, 4 * kMs);
  // A cancel's answer carries the cancel's tag.
  d.Send(VenueMessage::kCancel, Limit(1, 0), 2);
  d.AdvanceTo(d.now());
  r = Take(d, d.now());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].event.kind, EventKind::kOrderCancel);
  EXPECT_EQ(r[0].tag, 2u);
}

TEST(VenueDriverTest, MarketDataFillsCarryNoTagAndArrivalsComeAfterMarketDataOfTheirTime) {
  const InstrumentTable t = TableOf(CentsInstrument());
  VenueDriver d(t, Latencies(5, 1));
  d.OnMarketData(QuoteAt(kBtc, 0, 9999, 10000));
  d.Send(VenueMessage::kSubmit, Limit(1, 9999), 3);  // arrives at 5 ms
  // The quote at 5 ms comes first: the bid is then 99.98, and the order rests at 99.99 as the
  // new best bid (ahead 0); the quote at 6 ms moves the ask to 99.98, through the limit.
  d.OnMarketData(QuoteAt(kBtc, 5, 9998, 10000));
  d.AdvanceTo(5 * kMs);
  d.OnMarketData(QuoteAt(kBtc, 6, 9997, 9998));
  const std::vector<Taken> r = Take(d, 7 * kMs);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].event.kind, EventKind::kOrderAck);
  EXPECT_EQ(r[0].tag, 3u);
  EXPECT_EQ(r[1].event.kind, EventKind::kOrderFill);
  EXPECT_EQ(r[1].event.exchange_ts, 6 * kMs);
  EXPECT_EQ(r[1].event.order.price, Price(9999));  // at its limit, maker
  EXPECT_EQ(r[1].tag, 0u);
}

TEST(VenueDriverTest, AfterTheDataVenueTimeFollowsTheRequests) {
  const InstrumentTable t = TableOf(CentsInstrument());
  VenueDriver d(t, Latencies(3, 2));
  d.OnMarketData(QuoteAt(kBtc, 10, 9999, 10000));
  d.Send(VenueMessage::kSubmit, Market(1, Side::kBuy), 1);
  d.Send(VenueMessage::kSubmit, Market(2, Side::kSell), 2);
  d.Flush();
  EXPECT_EQ(d.now(), 13 * kMs);
  const std::vector<Taken> r = Take(d, INT64_MAX);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1].event.order.price, Price(10000));  // the buy at the ask
  EXPECT_EQ(r[3].event.order.price, Price(9999));   // the sell at the bid
  EXPECT_EQ(r[3].event.local_ts, 15 * kMs);
  EXPECT_EQ(r[3].tag, 2u);
}

}  // namespace
}  // namespace tapedeck
