#include "runner/series.h"

#include <utility>


namespace tapedeck::runner {

SeriesRecorder::SeriesRecorder(Strategy& inner, const InstrumentTable& instruments,
                               Duration interval, SampleSink sink)
    : inner_(&inner), interval_(interval), state_(instruments.size()), sink_(std::move(sink)) {}

void SeriesRecorder::Emit(Timestamp ts) {
  last_sample_ = ts;
  if (!sink_) {
    samples_.push_back(SeriesSample{ts, state_});
    return;
  }
  scratch_.ts = ts;
  scratch_.instruments.assign(state_.begin(), state_.end());
  sink_(scratch_);
}

void SeriesRecorder::Sample(Timestamp upto) {
  // The same rule as Engine::SampleEquity.
  const int64_t step = interval_.ns;
  if (step <= 0) return;
  if (next_sample_ == Timestamp::Min()) {
    next_sample_ = Timestamp((upto.ns / step) * step + step);
    return;
  }
  if (upto < next_sample_) return;
  Emit(next_sample_);
  next_sample_ = Timestamp((upto.ns / step) * step + step);
}

void SeriesRecorder::OnStart(Context& ctx) { inner_->OnStart(ctx); }

void SeriesRecorder::OnTrade(Context& ctx, const Event& e) {
  Sample(ctx.now());
  NoteTrade(e);
  inner_->OnTrade(ctx, e);
}

void SeriesRecorder::OnTrades(Context& ctx, TradeRun& run) {
  // The first trade samples as OnTrade would. The run then ends before the next boundary, so
  // that no sample falls between trades the inner strategy takes in one call (those after it
  // come one by one, through OnTrade), and only the last trade taken sets the last price.
  const Event* first = run.Peek();
  if (first == nullptr) return;
  Sample(first->local_time());
  if (interval_.ns > 0) run.EndBefore(next_sample_.ns);
  inner_->OnTrades(ctx, run);
  if (const Event* last = run.last()) NoteTrade(*last);
}

void SeriesRecorder::NoteTrade(const Event& e) {
  if (e.instrument.value >= state_.size()) return;
  state_[e.instrument.value].last = e.trade.price;
  state_[e.instrument.value].has_last = true;
}

void SeriesRecorder::OnQuote(Context& ctx, const Event& e) {
  Sample(ctx.now());
  if (e.instrument.value < state_.size() && e.quote.bid_qty.raw > 0 && e.quote.ask_qty.raw > 0) {
    InstrumentState& s = state_[e.instrument.value];
    s.mid = Price(e.quote.bid.raw + (e.quote.ask.raw - e.quote.bid.raw) / 2);
    s.has_mid = true;
  }
  inner_->OnQuote(ctx, e);
}

void SeriesRecorder::OnBookLevel(Context& ctx, const Event& e) {
  Sample(ctx.now());
  inner_->OnBookLevel(ctx, e);
}

void SeriesRecorder::OnBar(Context& ctx, const Event& e) {
  Sample(ctx.now());
  if (e.instrument.value < state_.size()) {
    state_[e.instrument.value].last = e.bar.close;
    state_[e.instrument.value].has_last = true;
  }
  inner_->OnBar(ctx, e);
}

void SeriesRecorder::OnReference(Context& ctx, const Event& e) {
  Sample(ctx.now());
  inner_->OnReference(ctx, e);
}

void SeriesRecorder::OnOrderUpdate(Context& ctx, const Event& e) {
  Sample(ctx.now());
  if (e.kind == EventKind::kOrderFill && e.instrument.value < state_.size()) {
    InstrumentState& s = state_[e.instrument.value];
    s.position = Qty(s.position.raw + SideSign(e.order.side) * e.order.qty.raw);
  }
  inner_->OnOrderUpdate(ctx, e);
}

void SeriesRecorder::OnTimer(Context& ctx, uint64_t timer_id, uint64_t tag) {
  Sample(ctx.now());
  inner_->OnTimer(ctx, timer_id, tag);
}

void SeriesRecorder::OnStop(Context& ctx) {
  inner_->OnStop(ctx);
  // The engine's closing point: at the end, after everything.
  if (last_sample_ < ctx.now()) Emit(ctx.now());
}

}  // namespace tapedeck::runner
