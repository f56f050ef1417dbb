// Per-instrument series sampled like the equity curve, for prices.csv and the report's charts.
//
// SeriesRecorder wraps the run's strategy and forwards every callback unchanged (a run of trades
// goes on to the strategy's OnTrades, ended before the next sample boundary; a wrapper must
// forward every Strategy callback, or the strategy never hears of it). Before each
// callback it applies the engine's equity sampling rule (core/engine.cc SampleEquity): when the
// strategy-side time reaches the next boundary of `interval`, it records the state BEFORE the
// event being delivered, stamped at that boundary, and the next boundary becomes the first one
// after the event's time. At the stop it records the closing state at the run's end, as the
// engine does. So prices.csv has exactly the timestamps of equity.csv.
//
// The recorded state is its own copy, updated after the sample from the event itself: the last
// trade price (or bar close), the last quote mid, and the position from fills. Copying O(1) per
// event; nothing allocates except the samples. Samples are kept (samples()), or handed to a
// sink as they are taken (prices.csv is written as the run goes: runner/output_writer.h).
#ifndef TAPEDECK_RUNNER_SERIES_H_
#define TAPEDECK_RUNNER_SERIES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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
  using SampleSink = std::function<void(const SeriesSample&)>;
  // With `sink`, each sample goes there and none is kept.
  SeriesRecorder(Strategy& inner, const InstrumentTable& instruments, Duration interval,
                 SampleSink sink = {});

  void OnStart(Context& ctx) override;
  void OnTrade(Context& ctx, const Event& e) override;
  // Hands the run on to the inner strategy's OnTrades, ended before the next sample boundary.
  void OnTrades(Context& ctx, TradeRun& run) override;
  void OnQuote(Context& ctx, const Event& e) override;
  void OnBookLevel(Context& ctx, const Event& e) override;
  void OnBar(Context& ctx, const Event& e) override;
  void OnReference(Context& ctx, const Event& e) override;
  void OnOrderUpdate(Context& ctx, const Event& e) override;
  // Forwarded without a sample and without touching the recorded state: prices.csv keeps the
  // instants and positions it has always had (a settlement's close shows in equity.csv only).
  void OnAccount(Context& ctx, const Event& e) override { inner_->OnAccount(ctx, e); }
  void OnTimer(Context& ctx, uint64_t timer_id, uint64_t tag) override;
  // Forwarded without a sample: status is no market data.
  void OnVenueStatus(Context& ctx, VenueStatus status) override {
    inner_->OnVenueStatus(ctx, status);
  }
  void OnStop(Context& ctx) override;
  nlohmann::json Report() const override { return inner_->Report(); }
  StrategySections Sections() const override { return inner_->Sections(); }

  const std::vector<SeriesSample>& samples() const { return samples_; }

 private:
  void Sample(Timestamp upto);
  void Emit(Timestamp ts);
  // The last traded price of e's instrument.
  void NoteTrade(const Event& e);

  Strategy* inner_;
  Duration interval_;
  std::vector<InstrumentState> state_;
  SampleSink sink_;
  std::vector<SeriesSample> samples_;
  SeriesSample scratch_;  // the sample being handed to sink_
  Timestamp last_sample_ = Timestamp::Min();
  Timestamp next_sample_ = Timestamp::Min();
};

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_SERIES_H_
