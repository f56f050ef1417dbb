#include "runner/series.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"

namespace tapedeck::runner {

SeriesRecorder::SeriesRecorder(Strategy& inner, const InstrumentTable& instruments,
                               Duration interval)
    : inner_(&inner), interval_(interval),
      state_(instruments.size()) {}

void SeriesRecorder::Sample(Timestamp upto) {
  // The same rule as Engine::SampleEquity.
  const int64_t step = interval_.ns;
  if (step <= 0) return;
  if (next_sample_ == Timestamp::Min()) {
    next_sample_ = Timestamp((upto.ns / step) * step + step);
    return;
  }
  if (upto < next_sample_) return;
  samples_.push_back(SeriesSample{next_sample_, state_});
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
  if (samples_.empty() || samples_.back().ts < ctx.now()) {
    samples_.push_back(SeriesSample{ctx.now(), state_});
  }
}

std::string RenderPricesCsv(const InstrumentTable& instruments,
                            const std::vector<SeriesSample>& samples) {
  std::string out = "ts,ts_utc,symbol,last_price,mid_price,position\n";
  for (const SeriesSample& s : samples) {
    const std::string utc = FormatTimestamp(s.ts);
    for (size_t i = 0; i < s.instruments.size() && i < instruments.size(); ++i) {
      const Instrument& in = instruments.at(InstrumentId(static_cast<uint16_t>(i)));
      const InstrumentState& st = s.instruments[i];
      absl::StrAppend(&out, s.ts.ns, ",", utc, ",", in.symbol, ",",
                      st.has_last ? FormatDecimal(st.last.raw, in.price_scale) : "", ",",
                      st.has_mid ? FormatDecimal(st.mid.raw, in.price_scale) : "", ",",
                      FormatDecimal(st.position.raw, in.qty_scale), "\n");
    }
  }
  return out;
}

namespace {

// sum(price x qty) / sum(qty) with 4 extra decimals, rounded half away from zero.
std::string AveragePrice(Int128 pq, Qty qty, int price_scale) {
  if (qty.raw == 0) return "";
  const int extra = std::min(4, kMaxDecimalScale - price_scale);
  const Int128 n = pq * Pow10(extra);
  Int128 q = n / qty.raw;
  const Int128 r = n % qty.raw;
  if (2 * (r < 0 ? -r : r) >= qty.raw) q += r < 0 ? -1 : 1;
  return FormatDecimal(static_cast<int64_t>(q), price_scale + extra);
}

}  // namespace

std::string RenderRoundTripsCsv(const InstrumentTable& instruments,
                                const std::vector<RoundTrip>& trips) {
  std::string out =
      "symbol,side,status,open_ts,open_utc,close_ts,close_utc,qty,entry_price,exit_price,fills,"
      "fees,pnl\n";
  for (const RoundTrip& t : trips) {
    const Instrument& in = instruments.at(t.instrument);
    absl::StrAppend(&out, in.symbol, ",", t.long_side ? "long" : "short", ",",
                    t.closed ? "closed" : "open", ",", t.open_ts.ns, ",",
                    FormatTimestamp(t.open_ts), ",", t.close_ts.ns, ",",
                    FormatTimestamp(t.close_ts), ",", FormatDecimal(t.qty.raw, in.qty_scale), ",",
                    AveragePrice(t.entry_pq, t.qty, in.price_scale), ",",
                    AveragePrice(t.exit_pq, t.exit_qty, in.price_scale), ",", t.fills, ",",
                    FormatDecimal(t.fees.raw, Money::kScale), ",",
                    FormatDecimal(t.pnl.raw, Money::kScale), "\n");
  }
  return out;
}

}  // namespace tapedeck::runner
