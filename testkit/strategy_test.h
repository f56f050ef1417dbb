// The strategy test kit (tapedeck::testing when installed): build a small market in code, run a
// strategy through the backtest engine and the simulated venue (the same BasicEngine<SimVenue>
// a `tapedeck run` drives, with its latency, queue and fee models), and assert on what it did
// with readable helpers. No mock anywhere: what passes here trades the same in a backtest.
//
//   testkit::Market m;
//   m.Perpetual("BTC-PERP")                       // tick 0.01, lot 0.001
//       .Trade("BTC-PERP", Millis(0), "100.00", "2")
//       .Quote("BTC-PERP", Millis(5), "99.99", "1", "100.01", "1")
//       .Trade("BTC-PERP", Millis(10), "100.50", "1", Side::kSell);
//   absl::StatusOr<testkit::Outcome> r = testkit::Backtest(m, "my_strategy", {{"qty", "1"}});
//   EXPECT_THAT(r->Orders(), ElementsAre("new buy market 1 BTC-PERP"));
//   EXPECT_EQ(r->Position("BTC-PERP"), "1");
//   EXPECT_EQ(r->RealizedPnl(), "0");
//
// Times are offsets from Market::start() (2026-01-01T00:00:00Z unless set); prices and
// quantities are decimal text at the instrument's scales, parsed exactly (core/decimal.h). A
// mistake building the market (an unknown symbol, too many decimals) is kept and returned by
// Backtest, naming the event and the field.
#ifndef TAPEDECK_TESTKIT_STRATEGY_TEST_H_
#define TAPEDECK_TESTKIT_STRATEGY_TEST_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/engine.h"
#include "core/event.h"
#include "core/instrument.h"
#include "core/source.h"
#include "core/strategy.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck::testkit {

inline Duration Millis(int64_t ms) { return Duration::Millis(ms); }
inline Duration Seconds(int64_t s) { return Duration::Seconds(s); }

// Instruments and market-data events, made in code.
class Market {
 public:
  Market& Start(Timestamp start);
  // Every event is seen by the strategy `d` after the venue (local_ts = exchange_ts + d).
  Market& FeedLatency(Duration d);

  // Instruments, with their tick and lot as decimal text (the scales follow from them).
  Market& Spot(std::string symbol, std::string_view tick = "0.01", std::string_view lot = "0.001");
  Market& Perpetual(std::string symbol, std::string_view tick = "0.01",
                    std::string_view lot = "0.001");
  // Any instrument (fees, margin, a dated future): its id is given by the table.
  Market& Add(Instrument instrument);

  // A trade print; `aggressor` is the side that took liquidity.
  Market& Trade(std::string_view symbol, Duration at, std::string_view price,
                std::string_view qty, Side aggressor = Side::kBuy);
  // The best bid and ask (a top-of-book quote).
  Market& Quote(std::string_view symbol, Duration at, std::string_view bid,
                std::string_view bid_qty, std::string_view ask, std::string_view ask_qty);
  // One level of the L2 book set to `qty` (0 removes it), ending its message.
  Market& Level(std::string_view symbol, Duration at, Side side, std::string_view price,
                std::string_view qty);
  // A funding rate (a decimal fraction, "0.0001") for the interval paid at `paid_at`.
  Market& Funding(std::string_view symbol, Duration at, std::string_view rate, Duration paid_at);
  // The venue's mark price.
  Market& Mark(std::string_view symbol, Duration at, std::string_view price);
  // An event built by hand (its timestamps as given, the feed latency not applied).
  Market& Add(const Event& e);

  Timestamp start() const { return start_; }
  const InstrumentTable& instruments() const { return instruments_; }
  // The events in the order added (the merger puts them in the total order).
  const std::vector<Event>& events() const { return events_; }
  // OK, or the first mistake made building the market.
  const absl::Status& status() const { return status_; }

 private:
  Market& Listed(std::string symbol, InstrumentKind kind, std::string_view tick,
                 std::string_view lot);
  // A new event of `kind` for `symbol` at start + at (feed latency added on the local side),
  // or nullptr after recording why not.
  Event* Append(EventKind kind, std::string_view symbol, Duration at, std::string_view what);
  // `text` at `scale` decimals into *out; false after recording the error (naming where_).
  bool Parse(std::string_view text, int scale, std::string_view field, int64_t* out);
  void Fail(absl::Status s);

  Timestamp start_ = Timestamp(1'767'225'600'000'000'000);  // 2026-01-01T00:00:00Z
  Duration feed_latency_;
  InstrumentTable instruments_;
  std::vector<Event> events_;
  absl::Status status_;
  std::string where_;  // what is being built, for errors: "event 3 (trade)"
};

// What a run did, with the engine that ran it.
class Outcome {
 public:
  // Every request, one line each: "new buy market 1 BTC-PERP", "new sell limit 0.5 BTC-PERP @
  // 101.5 ioc", "cancel #3 BTC-PERP", "modify #3 BTC-PERP @ 101 qty 2".
  std::vector<std::string> Orders() const;
  // Every fill: "buy 1 BTC-PERP @ 100.01 taker fee 0.05" (fee in quote money, no trailing
  // zeros).
  std::vector<std::string> Fills() const;
  // The position in the instrument's units ("1.5", "-2", "0").
  std::string Position(std::string_view symbol) const;
  // Quote money, as decimals without trailing zeros.
  std::string RealizedPnl() const;
  std::string UnrealizedPnl() const;
  std::string Fees() const;
  std::string Funding() const;
  // Equity minus the initial cash.
  std::string Pnl() const;

  const CollectingSink& records() const { return engine_->records(); }
  const Portfolio& portfolio() const { return engine_->context().portfolio(); }
  const Engine& engine() const { return *engine_; }
  const InstrumentTable& instruments() const { return *instruments_; }
  // The strategy run (owned here when Backtest built it by name).
  const Strategy& strategy() const { return *strategy_; }
  template <typename S>
  const S* strategy_as() const {
    return dynamic_cast<const S*>(strategy_);
  }

 private:
  friend absl::StatusOr<Outcome> Backtest(std::unique_ptr<InstrumentTable>, EventSource&,
                                          Strategy&, const EngineConfig&,
                                          std::unique_ptr<Strategy>);
  std::string Symbol(InstrumentId id) const;

  std::unique_ptr<InstrumentTable> instruments_;  // before engine_, which points at it
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Strategy> owned_;
  const Strategy* strategy_ = nullptr;
};

// Runs `strategy` on the market through Engine (SimVenue) with `config` (latencies, queue
// model, initial cash: core/engine.h). The engine's default latencies are zero.
absl::StatusOr<Outcome> Backtest(const Market& market, Strategy& strategy,
                            const EngineConfig& config = {});
// Builds the registered strategy `name` from `params` (as a config's "params", read by the
// strategy's parameter table against the market's instruments) and runs it.
absl::StatusOr<Outcome> Backtest(const Market& market, std::string_view name,
                            const nlohmann::json& params, const EngineConfig& config = {});
// Any source (a tape or a data file opened by the caller, events of the caller's own):
// `instruments` must be the table the source was opened with.
absl::StatusOr<Outcome> Backtest(const InstrumentTable& instruments,
                            std::unique_ptr<EventSource> source, Strategy& strategy,
                            const EngineConfig& config = {});
// What the overloads above share: runs `source` with the table moved into the Outcome, keeping
// `owned` (the strategy, when built here) alive with it.
absl::StatusOr<Outcome> Backtest(std::unique_ptr<InstrumentTable> instruments,
                                 EventSource& source, Strategy& strategy,
                                 const EngineConfig& config, std::unique_ptr<Strategy> owned);

}  // namespace tapedeck::testkit

#endif  // TAPEDECK_TESTKIT_STRATEGY_TEST_H_
