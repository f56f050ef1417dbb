// Latency models worked out by hand: a recorded file interpolated and clamped, volatility
// scaling on a price drop, a per-source local shift, and determinism of the state-dependent
// models.
#include "core/latency_model.h"

#include <memory>
#include <string>
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
using ::tapedeck::testing::TableOf;
using ::tapedeck::testing::TradeAt;
using ::tapedeck::testing::VectorSource;
const InstrumentId kBtc(0);

// Two orders: entry (exchange - request) 100 then 500 ns, response (response - exchange) 300
// then 100 ns, keyed by their request times 1000 and 2000.
constexpr char kTwoRows[] =
    "# a comment, then the header\n"
    "request_ns,exchange_ns,response_ns\n"
    "1000,1100,1400\n"
    "\n"
    "2000,2500,2600\n";

std::shared_ptr<const LatencyRecording> TwoRows() {
  absl::StatusOr<std::shared_ptr<const LatencyRecording>> r =
      ParseLatencyRecording(kTwoRows, "two.csv");
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : nullptr;
}

LatencySpec Recorded(LatencyAlign align) { return LatencySpec::Recorded(TwoRows(), align); }

TEST(RecordedLatencyTest, ParsesRowsIntoEntryAndResponseLatencies) {
  std::shared_ptr<const LatencyRecording> r = TwoRows();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->time, (std::vector<int64_t>{1000, 2000}));
  EXPECT_EQ(r->entry, (std::vector<int64_t>{100, 500}));     // 1100-1000, 2500-2000
  EXPECT_EQ(r->response, (std::vector<int64_t>{300, 100}));  // 1400-1100, 2600-2500
}

TEST(RecordedLatencyTest, InterpolatesBetweenTwoRowsAndClampsAtTheEnds) {
  LatencyModel entry(Recorded(LatencyAlign::kAbsolute), Duration(), 0, /*entry=*/true);
  LatencyModel response(Recorded(LatencyAlign::kAbsolute), Duration(), 0, /*entry=*/false);
  auto at = [](LatencyModel& m, int64_t t) { return m.Sample(Timestamp(t), 0, 0).ns; };
  // t = 1250, a quarter of the way from 1000 to 2000:
  //   entry    = 100 + (500 - 100) x 250 / 1000 = 100 + 100 = 200
  //   response = 300 + (100 - 300) x 250 / 1000 = 300 - 50  = 250
  EXPECT_EQ(at(entry, 1250), 200);
  EXPECT_EQ(at(response, 1250), 250);
  // t = 1003: entry 100 + 400 x 3 / 1000 = 100 + 1.2 -> 101; response 300 - 200 x 3 / 1000 =
  // 300 - 0.6 -> 300: the fraction is truncated toward the earlier row's value.
  EXPECT_EQ(at(entry, 1003), 101);
  EXPECT_EQ(at(response, 1003), 300);
  // On a row: its own value.
  EXPECT_EQ(at(entry, 1000), 100);
  EXPECT_EQ(at(response, 2000), 100);
  // Outside the file's span: clamped to the first and the last row.
  EXPECT_EQ(at(entry, 0), 100);
  EXPECT_EQ(at(response, 999), 300);
  EXPECT_EQ(at(entry, 1'000'000), 500);
  EXPECT_EQ(at(response, 2001), 100);
  // Going back in time after the cursor moved forward still finds the right rows.
  EXPECT_EQ(at(entry, 1750), 400);  // 100 + 400 x 750 / 1000
  EXPECT_EQ(at(entry, 1250), 200);
}

TEST(RecordedLatencyTest, AlignedToTheStartTheFileReplaysFromTheRunsStart) {
  LatencyModel entry(Recorded(LatencyAlign::kStart), Duration(), 0, /*entry=*/true);
  // The run starts at 5 s; the file's first row is at 1000 ns. A message 250 ns into the run
  // reads the file 250 ns after its first row: 1250 -> 200, as above.
  entry.SetRunStart(Timestamp(5'000'000'000));
  EXPECT_EQ(entry.Sample(Timestamp(5'000'000'250), 0, 0).ns, 200);
  EXPECT_EQ(entry.Sample(Timestamp(5'000'000'000), 0, 0).ns, 100);  // the start: first row
  EXPECT_EQ(entry.Sample(Timestamp(9'000'000'000), 0, 0).ns, 500);  // past the end: last row
}

TEST(RecordedLatencyTest, ManyRowsFindTheirSegment) {
  // Rows every 10 ns with entry latency 10 x i: interpolation is the identity on the time
  // offset, whichever order the times come in.
  std::string text = "request_ns,exchange_ns,response_ns\n";
  for (int i = 0; i <= 100; ++i) {
    const int64_t t = 10 * i;
    const std::string ex = std::to_string(t + 10 * i);
    text += std::to_string(t) + "," + ex + "," + ex + "\n";
  }
  absl::StatusOr<std::shared_ptr<const LatencyRecording>> r = ParseLatencyRecording(text, "m.csv");
  ASSERT_TRUE(r.ok()) << r.status();
  size_t cursor = 0;
  for (int64_t t : {5, 15, 995, 500, 501, 7, 999, 0, 1000}) {
    EXPECT_EQ(InterpolateLatency((*r)->time, (*r)->entry, t, &cursor), t) << t;
  }
}

struct BadFile {
  const char* text;
  const char* expected;  // a substring of the message
};

TEST(RecordedLatencyTest, BadFilesNameFileAndLine) {
  const BadFile cases[] = {
      {"", "bad.csv: empty"},
      {"request,exchange,response\n1,2,3\n", "bad.csv:1: expected the header"},
      {"request_ns,exchange_ns,response_ns\n", "bad.csv:1: no rows"},
      {"request_ns,exchange_ns,response_ns\n1,2,3\n4,x5,6\n",
       "bad.csv:3: exchange_ns 'x5' is not an integer"},
      {"request_ns,exchange_ns,response_ns\n1,2\n", "bad.csv:2: expected 3 fields"},
      {"request_ns,exchange_ns,response_ns\n1,2,3,4\n", "bad.csv:2: expected 3 fields"},
      {"request_ns,exchange_ns,response_ns\n10,9,12\n",
       "bad.csv:2: exchange_ns 9 is before request_ns 10"},
      {"request_ns,exchange_ns,response_ns\n10,12,11\n",
       "bad.csv:2: response_ns 11 is before exchange_ns 12"},
      {"# c\nrequest_ns,exchange_ns,response_ns\n10,12,13\n\n9,12,13\n",
       "bad.csv:5: request_ns 9 is before the previous row's 10"},
      {"request_ns,exchange_ns,response_ns\n-1,2,3\n", "bad.csv:2: request_ns must be >= 0"},
      {"request_ns,exchange_ns,response_ns\n1.5,2,3\n", "bad.csv:2: request_ns '1.5'"},
  };
  for (const BadFile& c : cases) {
    absl::StatusOr<std::shared_ptr<const LatencyRecording>> r =
        ParseLatencyRecording(c.text, "bad.csv");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(std::string(r.status().message()).find(c.expected), std::string::npos)
        << r.status() << "\nexpected: " << c.expected;
  }
  absl::StatusOr<std::shared_ptr<const LatencyRecording>> missing =
      LoadLatencyRecording("/nonexistent/latency.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("/nonexistent/latency.csv"),
            std::string::npos);
}

TEST(RecordedLatencyTest, TheShippedExampleLoads) {
  absl::StatusOr<std::shared_ptr<const LatencyRecording>> r = LoadLatencyRecording(
      ::tapedeck::testing::SourceDir() + "/configs/latency/example_congestion.csv");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ((*r)->time.size(), 361u);
  // Row 0 (see configs/latency/make_example.py): entry 1.8 ms, response 1.2 ms.
  EXPECT_EQ((*r)->entry[0], 1'800'000);
  EXPECT_EQ((*r)->response[0], 1'200'000);
  // Row 135, the peak of the congestion: entry 1.8 ms + (135 x 104729 mod 600) us + 25 ms,
  // 135 x 104729 = 14138415, mod 600 = 15 -> 26.815 ms.
  EXPECT_EQ((*r)->entry[135], 26'815'000);
}

TEST(LatencyModelTest, SpecsNameTheirModelAndAlignNamesParse) {
  EXPECT_EQ(LatencySpec::Recorded(TwoRows()).model_name(), "recorded");
  EXPECT_EQ(LatencySpec::Lognormal(Duration(5), 100).model_name(), "lognormal");
  EXPECT_EQ(LatencySpec{}.model_name(), "constant");
  EXPECT_EQ(*ParseLatencyAlign("absolute"), LatencyAlign::kAbsolute);
  EXPECT_FALSE(ParseLatencyAlign("end").ok());
}

InstrumentTable Table() { return TableOf(CentsInstrument()); }

Event Trade(int64_t ms, int64_t price) { return TradeAt(kBtc, ms, price, 100, Side::kSell); }

Event Quote(int64_t ms, int64_t bid, int64_t ask) { return QuoteAt(kBtc, ms, bid, ask); }

TEST(VolatilityLatencyTest, APriceDropScalesLatencyAndCalmDecaysIt) {
  const InstrumentTable t = Table();
  std::vector<Event> out;
  SimVenueConfig v;  // vol_halflife 1 s (the default)
  for (LatencySpec& l : v.latency) {
    l = LatencySpec::Constant(Duration::Millis(2));
    l.scaling.vol_k_milli = 1000;           // k = 1
    l.scaling.vol_reference_mbp = 100'000;  // 100 bp: after 100 bp of movement latency doubles
  }
  SimVenue venue(t, v, &out);
  venue.OnMarketData(Trade(0, 10000));  // the first price: nothing to compare with
  EXPECT_EQ(venue.volatility_mbp(), 0);
  EXPECT_EQ(venue.RequestLatency(VenueMessage::kSubmit, Timestamp(0)), Duration::Millis(2));
  venue.OnMarketData(Trade(1, 10000));  // unchanged: adds 0
  EXPECT_EQ(venue.volatility_mbp(), 0);
  // 100.00 -> 99.00 at 2 ms: |-100| x 10^7 / 10000 = 100000 milli-bp (100 bp); vol = 100000.
  venue.OnMarketData(Trade(2, 9900));
  EXPECT_EQ(venue.volatility_mbp(), 100'000);
  // 99.00 -> 98.01 at 3 ms: 99 x 10^7 / 9900 = 100000. First 1 ms of decay (no whole
  // half-life; 1 - f/2 with f = 1 ms / 1 s): 100000 - 100000 x 10^6 / (2 x 10^9) = 100000 - 50
  // = 99950; then + 100000 = 199950.
  venue.OnMarketData(Trade(3, 9801));
  EXPECT_EQ(venue.volatility_mbp(), 199'950);
  // Latency = 2 ms x (1 + 1 x 199950 / 100000)
  //         = 2000000 + 2000000 x 1000 x 199950 / (1000 x 100000) = 2000000 + 3999000 = 5999000.
  EXPECT_EQ(venue.RequestLatency(VenueMessage::kSubmit, Timestamp(3 * kMs)), Duration(5'999'000));
  // The responses of a market order arriving now carry the same scaled latency (no quotes or
  // book: it waits for the next trade, so only its ack is sent now).
  const OrderRequest r = OrderRequest::Market(kBtc, Side::kBuy, Qty(1)).WithId(OrderId(1));
  venue.OnOrderArrival(r, Timestamp(3 * kMs));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, EventKind::kOrderAck);
  EXPECT_EQ(out[0].local_ts - out[0].exchange_ts, 5'999'000);
  // Calm: the next trade, unchanged, 2.5 s later. Two whole half-lives: 199950 >> 2 = 49987;
  // the remaining half of one: 49987 - 49987 x 0.5 / 2 = 49987 - 12496 (12496.75 truncated)
  // = 37491. Latency = 2000000 + 2000000 x 37491 / 100000 = 2000000 + 749820 = 2749820.
  venue.OnMarketData(Trade(2503, 9801));
  EXPECT_EQ(venue.volatility_mbp(), 37'491);
  EXPECT_EQ(venue.RequestLatency(VenueMessage::kSubmit, Timestamp(2503 * kMs)),
            Duration(2'749'820));
}

TEST(VolatilityLatencyTest, QuoteMidsCountInTheirOwnSeries) {
  const InstrumentTable t = Table();
  std::vector<Event> out;
  SimVenueConfig v;
  v.latency[0].base = Duration::Millis(1);
  v.latency[0].scaling.vol_k_milli = 1;  // any k turns the tracker on
  SimVenue venue(t, v, &out);
  venue.OnMarketData(Trade(5, 10000));  // trade series: first price
  // Mid 100.00 (bid + ask = 20000) then 99.00 (19800) at the same time (no decay):
  // 200 x 10^7 / 20000 = 100000 milli-bp. The trade at 100.00 is not compared with a mid.
  venue.OnMarketData(Quote(5, 9990, 10010));
  EXPECT_EQ(venue.volatility_mbp(), 0);
  venue.OnMarketData(Quote(5, 9890, 9910));
  EXPECT_EQ(venue.volatility_mbp(), 100'000);
}

TEST(VolatilityLatencyTest, OffByDefaultTheTrackerDoesNothing) {
  const InstrumentTable t = Table();
  std::vector<Event> out;
  SimVenue venue(t, SimVenueConfig{}, &out);
  venue.OnMarketData(Trade(0, 10000));
  venue.OnMarketData(Trade(1, 5000));
  EXPECT_EQ(venue.volatility_mbp(), 0);
  EXPECT_EQ(venue.RequestLatency(VenueMessage::kSubmit, Timestamp(kMs)), Duration::Millis(1));
}

// Records what the strategy sees: (source, local_ts, exchange_ts) of each trade.
class Recorder final : public Strategy {
 public:
  void OnTrade(Context&, const Event& e) override {
    seen.push_back({e.source, e.local_ts, e.exchange_ts});
  }
  struct Seen {
    uint16_t source;
    int64_t local, exchange;
    bool operator==(const Seen&) const = default;
  };
  std::vector<Seen> seen;
};

std::vector<Recorder::Seen> RunTwoSources(Duration venue_shift, std::vector<Duration> shifts) {
  const InstrumentTable t = Table();
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(
      std::make_unique<VectorSource>(std::vector<Event>{Trade(10, 10000), Trade(20, 10000)}));
  sources.push_back(
      std::make_unique<VectorSource>(std::vector<Event>{Trade(12, 10000), Trade(30, 10000)}));
  Merger merger(std::move(sources));
  EXPECT_THAT(merger.Init(), IsOk());
  EngineConfig cfg;
  cfg.local_shift = venue_shift;
  cfg.source_shift = std::move(shifts);
  Engine engine(t, cfg);
  Recorder r;
  EXPECT_THAT(engine.Run(merger, r), IsOk());
  return r.seen;
}

TEST(SourceShiftTest, APerSourceShiftReordersTwoSourcesForTheStrategy) {
  // No shift: the strategy sees the venue's order, 10 (source 0), 12 (1), 20 (0), 30 (1).
  using S = Recorder::Seen;
  EXPECT_EQ(RunTwoSources(Duration(), {}),
            (std::vector<S>{{0, 10 * kMs, 10 * kMs}, {1, 12 * kMs, 12 * kMs},
                            {0, 20 * kMs, 20 * kMs}, {1, 30 * kMs, 30 * kMs}}));
  // Source 0 is 5 ms further away and the venue-wide shift adds 1 ms to both:
  // source 0 at 10 + 5 + 1 = 16 and 20 + 6 = 26, source 1 at 12 + 1 = 13 and 30 + 1 = 31.
  // The strategy now sees source 1's trade at 12 before source 0's trade at 10.
  EXPECT_EQ(RunTwoSources(Duration::Millis(1), {Duration::Millis(5), Duration()}),
            (std::vector<S>{{1, 13 * kMs, 12 * kMs}, {0, 16 * kMs, 10 * kMs},
                            {0, 26 * kMs, 20 * kMs}, {1, 31 * kMs, 30 * kMs}}));
  // A negative shift never shows an event before its exchange time: source 1 at -20 ms + 1 ms
  // would be at 12 - 19 < 12, so it is seen at 12 (and 30).
  EXPECT_EQ(RunTwoSources(Duration::Millis(1), {Duration::Millis(5), Duration::Millis(-20)}),
            (std::vector<S>{{1, 12 * kMs, 12 * kMs}, {0, 16 * kMs, 10 * kMs},
                            {0, 26 * kMs, 20 * kMs}, {1, 30 * kMs, 30 * kMs}}));
}

// Fills of a round-tripping script under a recorded, volatility-scaled model with a lognormal
// response model: two runs with one seed must agree byte for byte.
std::vector<int64_t> StateDependentFills(uint64_t seed) {
  const InstrumentTable t = Table();
  std::vector<Event> tape;
  for (int ms = 0; ms < 400; ++ms) {
    // A drop from 100.00 by 0.20 % a step between 150 and 200 ms, then a rebound.
    int64_t px = 10000;
    if (ms >= 150) px = 10000 - 20 * std::min(ms - 150, 50);
    if (ms >= 250) px = 9000 + 10 * std::min(ms - 250, 100);
    tape.push_back(Quote(ms, px - 5, px + 5));
    tape.push_back(Trade(ms, px));
  }
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<VectorSource>(std::move(tape), 64));
  Merger merger(std::move(sources));
  EXPECT_THAT(merger.Init(), IsOk());
  EngineConfig cfg;
  cfg.venue.seed = seed;
  std::string text = "request_ns,exchange_ns,response_ns\n";
  for (int i = 0; i <= 40; ++i) {
    const int64_t rq = i * 10 * kMs;
    text += std::to_string(rq) + "," + std::to_string(rq + (1 + i % 7) * kMs) + "," +
            std::to_string(rq + (2 + i % 7) * kMs) + "\n";
  }
  std::shared_ptr<const LatencyRecording> rec = *ParseLatencyRecording(text, "gen.csv");
  for (int i = 0; i < kVenueMessageCount; ++i) {
    LatencySpec& l = cfg.venue.latency[i];
    l = LatencySpec::Recorded(rec);
    l.scaling.vol_k_milli = 500;
    l.scaling.vol_reference_mbp = 5'000;
  }
  LatencySpec& fill = cfg.venue.latency[static_cast<int>(VenueMessage::kFill)];
  const LatencyScaling scaling = fill.scaling;
  fill = LatencySpec::Lognormal(Duration::Millis(2), 700);
  fill.scaling = scaling;
  class RoundTrips final : public Strategy {
   public:
    void OnTrade(Context& c, const Event& e) override {
      if (e.exchange_ts % (7 * kMs) != 0) return;
      if (buy_) c.BuyMarket(kBtc, Qty(10));
      else c.SellMarket(kBtc, Qty(10));
      buy_ = !buy_;
    }
    bool buy_ = true;
  } s;
  Engine engine(t, cfg);
  EXPECT_THAT(engine.Run(merger, s), IsOk());
  std::vector<int64_t> out;
  for (const auto& f : engine.records().fill_log()) {
    out.insert(out.end(), {f.local_ts.ns, f.exchange_ts.ns, f.price.raw, f.qty.raw});
  }
  return out;
}

TEST(StateDependentLatencyTest, SameSeedSameFillsOtherSeedOtherFills) {
  const std::vector<int64_t> a = StateDependentFills(11);
  ASSERT_GT(a.size(), 40u);
  EXPECT_EQ(a, StateDependentFills(11));
  EXPECT_NE(a, StateDependentFills(12));  // the lognormal fill stream differs
}

}  // namespace
}  // namespace tapedeck
