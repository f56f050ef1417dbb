// What the hand-worked venue and engine tests share: events stamped in milliseconds, a strategy
// that acts at given times and records what the venue answers, and one call that runs a tape
// through the Engine.
#ifndef TAPEDECK_TESTS_CORE_ENGINE_TEST_UTIL_H_
#define TAPEDECK_TESTS_CORE_ENGINE_TEST_UTIL_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/engine.h"
#include "core/event.h"
#include "core/instrument.h"
#include "core/latency_model.h"  // SplitMix64
#include "core/merger.h"
#include "core/strategy.h"
#include "tests/test_util.h"

namespace tapedeck::testing {

inline constexpr int64_t kMs = 1'000'000;

// An instrument priced in cents (price_scale 2, tick 0.01) and traded in thousandths
// (qty_scale 3, lot 0.001): Price(10000) is 100.00, Qty(5000) is 5.000.
inline Instrument CentsInstrument(std::string symbol = "BTCUSDT",
                                  InstrumentKind kind = InstrumentKind::kSpot,
                                  Rate maker_fee = Rate(), Rate taker_fee = Rate()) {
  Instrument in;
  in.symbol = std::move(symbol);
  in.kind = kind;
  in.price_scale = 2;
  in.qty_scale = 3;
  in.tick_size = Price(1);
  in.lot_size = Qty(1);
  in.maker_fee = maker_fee;
  in.taker_fee = taker_fee;
  return in;
}

// A table of the one instrument (its id is 0).
inline InstrumentTable TableOf(Instrument in) {
  InstrumentTable t;
  EXPECT_THAT(t.Add(std::move(in)), IsOk());
  return t;
}

// An event of `kind` at `ms` on both clocks (or seen `local_delay_ms` later by the strategy).
inline Event At(EventKind kind, InstrumentId id, int64_t ms, int64_t local_delay_ms = 0) {
  return MakeEvent(kind, id, Timestamp(ms * kMs), Timestamp((ms + local_delay_ms) * kMs));
}

inline Event QuoteAt(InstrumentId id, int64_t ms, int64_t bid, int64_t ask, int64_t size = 5000) {
  Event e = At(EventKind::kQuote, id, ms);
  e.quote.bid = Price(bid);
  e.quote.bid_qty = Qty(size);
  e.quote.ask = Price(ask);
  e.quote.ask_qty = Qty(size);
  return e;
}

inline Event TradeAt(InstrumentId id, int64_t ms, int64_t price, int64_t qty, Side aggressor,
                     int64_t local_delay_ms = 0) {
  Event e = At(EventKind::kTrade, id, ms, local_delay_ms);
  e.trade.price = Price(price);
  e.trade.qty = Qty(qty);
  e.trade.aggressor = aggressor;
  return e;
}

inline Event LevelAt(InstrumentId id, int64_t ms, Side side, int64_t price, int64_t qty,
                     uint8_t flags = kBookEndOfMessage) {
  Event e = At(EventKind::kBookLevel, id, ms);
  e.level.side = side;
  e.level.price = Price(price);
  e.level.qty = Qty(qty);
  e.level.flags = flags;
  return e;
}

// Runs actions at given strategy-side times (through timers) and records every order update.
// Tests that watch more derive from it and call Scripted::OnOrderUpdate from their override.
class Scripted : public Strategy {
 public:
  struct Step {
    int64_t at_ms;
    std::function<void(Context&)> act;
  };
  explicit Scripted(std::vector<Step> steps) : steps_(std::move(steps)) {}
  void OnStart(Context& ctx) override {
    for (size_t i = 0; i < steps_.size(); ++i) ctx.SetTimer(Timestamp(steps_[i].at_ms * kMs), i);
  }
  void OnTimer(Context& ctx, uint64_t, uint64_t tag) override { steps_[tag].act(ctx); }
  void OnOrderUpdate(Context&, const Event& e) override { updates.push_back(e); }

  std::vector<Event> updates;
  std::vector<OrderId> ids;  // for the steps to keep the ids of what they sent

 private:
  std::vector<Step> steps_;
};

// The tape through one Engine (the source hands out batches of `batch`, by default two, to
// cross batch edges).
inline std::unique_ptr<Engine> RunEngine(const InstrumentTable& table, std::vector<Event> tape,
                                         Strategy& strategy, EngineConfig config = {},
                                         size_t batch = 2) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<VectorSource>(std::move(tape), batch));
  Merger merger(std::move(sources));
  EXPECT_THAT(merger.Init(), IsOk());
  auto engine = std::make_unique<Engine>(table, config);
  EXPECT_THAT(engine->Run(merger, strategy), IsOk());
  return engine;
}

// Trades on a random walk per instrument, due at once (local_ts = exchange_ts), with gaps of
// (0..gap_steps-1) x (0..max_gap_ns-1) ns: often 0 when gap_steps is small, so trades share time
// stamps. With `other_every` > 0, one trade in `other_every` on average is instrument 1's, the
// rest instrument 0's; with 0, all are instrument 0's. Trade ids count from 1.
inline std::vector<Event> RandomWalkTrades(uint64_t seed, int n, int64_t gap_steps,
                                           int64_t max_gap_ns, uint64_t other_every) {
  std::vector<Event> tape;
  SplitMix64 rng(seed);
  auto next = [&rng] { return rng.Next(); };
  int64_t t = 1'000'000'000;
  int64_t px[2] = {10'000, 20'000};
  for (int i = 0; i < n; ++i) {
    t += static_cast<int64_t>(next() % static_cast<uint64_t>(gap_steps)) *
         static_cast<int64_t>(next() % static_cast<uint64_t>(max_gap_ns));
    const uint16_t id = other_every > 0 && next() % other_every == 0 ? 1 : 0;
    px[id] += static_cast<int64_t>(next() % 5) - 2;
    const int64_t qty = static_cast<int64_t>(1 + next() % 50);
    tape.push_back(TradeAt(InstrumentId(id), 0, px[id], qty,
                           next() % 2 == 0 ? Side::kBuy : Side::kSell));
    tape.back().exchange_ts = tape.back().local_ts = t;
    tape.back().trade.trade_id = static_cast<uint64_t>(i) + 1;
  }
  return tape;
}

}  // namespace tapedeck::testing

#endif  // TAPEDECK_TESTS_CORE_ENGINE_TEST_UTIL_H_
