// Per-instrument series sampled like the equity curve, for prices.csv and the report's charts.
//
// SeriesRecorder wraps the run's strategy and forwards every callback unchanged (a run of trades
// goes on to the strategy's OnTrades, ended before the next sample boundary). Before each
// callback it applies the engine's equity sampling rule (core/engine.cc SampleEquity): when the
// strategy-side time reaches the next boundary of `interval`, it records the state BEFORE the
// event being delivered, stamped at that boundary, and the next boundary becomes the first one
// after the event's time. At the stop it records the closing state at the run's end, as the
// engine does. So prices.csv has exactly the timestamps of equity.csv.
//
// The recorded state is its own copy, updated after the sample from the event itself: the last
// trade price (or bar close), the last quote mid, and the position from fills. Copying O(1) per
// event; nothing allocates except the appended samples.
#ifndef TAPEDECK_RUNNER_SERIES_H_
#define TAPEDECK_RUNNER_SERIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "core/strategy.h"

namespace tapedeck::runner {

struct InstrumentState {
  Price last;  // last trade price (or bar close)
  Price mid;   // last quote mid, rounded down to the price scale
  Qty position;
  bool has_last = false;
  bool has_mid = false;
};

struct SeriesSample {
  Timestamp ts;
  std::vector<InstrumentState> instruments;  // by InstrumentId
};

class SeriesRecorder final : public Strategy {
 public:
  SeriesRecorder(Strategy& inner, const InstrumentTable& instruments, Duration interval);

  void OnStart(Context& ctx) override;
  void OnTrade(Context& ctx, const Event& e) override;
  // Hands the run on to the inner strategy's OnTrades, ended before the next sample boundary.
  void OnTrades(Context& ctx, TradeRun& run) override;
  void OnQuote(Context& ctx, const Event& e) override;
  void OnBookLevel(Context& ctx, const Event& e) override;
  void OnBar(Context& ctx, const Event& e) override;
  void OnReference(Context& ctx, const Event& e) override;
  void OnOrderUpdate(Context& ctx, const Event& e) override;
  void OnTimer(Context& ctx, uint64_t timer_id, uint64_t tag) override;
  void OnStop(Context& ctx) override;
  nlohmann::json Report() const override { return inner_->Report(); }

  const std::vector<SeriesSample>& samples() const { return samples_; }

 private:
  void Sample(Timestamp upto);
  // The last traded price of e's instrument.
  void NoteTrade(const Event& e);

  Strategy* inner_;
  Duration interval_;
  std::vector<InstrumentState> state_;
  std::vector<SeriesSample> samples_;
  Timestamp next_sample_ = Timestamp::Min();
};

// prices.csv: one row per sample and instrument:
//   ts,ts_utc,symbol,last_price,mid_price,position
// prices empty until the instrument has one.
std::string RenderPricesCsv(const InstrumentTable& instruments,
                            const std::vector<SeriesSample>& samples);

// round_trips.csv: one row per round trip (core/metrics.h), closed ones first by close time:
//   symbol,side,status,open_ts,open_utc,close_ts,close_utc,qty,entry_price,exit_price,fills,fees,pnl
// side long|short; status closed|open (close_ts is then the last fill's); prices are volume-
// weighted averages with 4 more decimals than the instrument's price scale; money 8 decimals.
std::string RenderRoundTripsCsv(const InstrumentTable& instruments,
                                const std::vector<RoundTrip>& trips);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_SERIES_H_
