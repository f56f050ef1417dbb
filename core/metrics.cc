#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "core/config.h"
#include "core/decimal.h"

namespace tapedeck {
namespace {

constexpr double kNsPerSecond = 1e9;

double ToDouble(Money m) { return static_cast<double>(m.raw) / static_cast<double>(Money::kOne); }

double Seconds(Duration d) { return static_cast<double>(d.ns) / kNsPerSecond; }

// Position intervals: adds to *busy the time in [start, end] during which `pos` was non-zero,
// given the position changes (ts, new position) in time order.
struct Change {
  Timestamp ts;
  int64_t position;
};

}  // namespace

double RoundTrip::EntryPrice(const Instrument& in) const {
  if (qty.raw == 0) return 0;
  return static_cast<double>(entry_pq) / static_cast<double>(qty.raw) /
         static_cast<double>(Pow10(in.price_scale));
}

double RoundTrip::ExitPrice(const Instrument& in) const {
  if (exit_qty.raw == 0) return 0;
  return static_cast<double>(exit_pq) / static_cast<double>(exit_qty.raw) /
         static_cast<double>(Pow10(in.price_scale));
}

std::vector<RoundTrip> ComputeRoundTrips(const InstrumentTable& instruments,
                                         const std::vector<FillLogEntry>& fills,
                                         const std::vector<std::optional<Price>>& final_marks) {
  const size_t n = instruments.size();
  std::vector<int64_t> pos(n, 0);
  std::vector<std::optional<RoundTrip>> open(n);
  std::vector<RoundTrip> out;

  for (const FillLogEntry& f : fills) {
    const size_t i = f.instrument.value;
    if (i >= n || f.qty.raw <= 0) continue;
    const Instrument& in = instruments.at(f.instrument);
    const int64_t sign = SideSign(f.side);
    int64_t remaining = f.qty.raw;
    Money fee_left = f.fee;

    if (pos[i] != 0 && (pos[i] > 0) != (sign > 0)) {
      // Reducing: the part up to the open quantity closes the current cycle.
      RoundTrip& t = *open[i];
      const int64_t closing = std::min<int64_t>(remaining, pos[i] < 0 ? -pos[i] : pos[i]);
      const Money fee_part(closing == f.qty.raw ? f.fee.raw
                                                : MulDivRound(f.fee.raw, closing, f.qty.raw));
      fee_left -= fee_part;
      t.exit_qty = Qty(t.exit_qty.raw + closing);
      t.exit_pq += static_cast<Int128>(f.price.raw) * closing;
      t.cash_flow -= Money(sign * in.Notional(f.price, Qty(closing)).raw);
      t.fees += fee_part;
      t.fills += 1;
      t.close_ts = f.local_ts;
      pos[i] += sign * closing;
      remaining -= closing;
      if (pos[i] == 0) {
        t.closed = true;
        t.pnl = t.cash_flow - t.fees;
        out.push_back(t);
        open[i].reset();
      }
    }
    if (remaining > 0) {
      if (!open[i].has_value()) {
        RoundTrip t;
        t.instrument = f.instrument;
        t.long_side = sign > 0;
        t.open_ts = f.local_ts;
        t.group = f.group;
        open[i] = t;
      }
      RoundTrip& t = *open[i];
      t.qty = Qty(t.qty.raw + remaining);
      t.entry_pq += static_cast<Int128>(f.price.raw) * remaining;
      t.cash_flow -= Money(sign * in.Notional(f.price, Qty(remaining)).raw);
      t.fees += fee_left;
      t.fills += 1;
      t.close_ts = f.local_ts;
      pos[i] += sign * remaining;
    }
  }
  // Cycles still open: valued at the last price when there is one.
  for (size_t i = 0; i < n; ++i) {
    if (!open[i].has_value()) continue;
    RoundTrip t = *open[i];
    const Instrument& in = instruments.at(InstrumentId(static_cast<uint16_t>(i)));
    Money value;
    if (i < final_marks.size() && final_marks[i].has_value()) {
      const Money v = in.Notional(*final_marks[i], Qty(std::llabs(pos[i])));
      value = Money(pos[i] > 0 ? v.raw : -v.raw);
    }
    t.pnl = t.cash_flow + value - t.fees;
    out.push_back(t);
  }
  std::stable_sort(out.begin(), out.end(), [](const RoundTrip& a, const RoundTrip& b) {
    if (a.closed != b.closed) return a.closed;  // closed ones first
    if (a.close_ts != b.close_ts) return a.close_ts < b.close_ts;
    return a.instrument < b.instrument;
  });
  return out;
}

std::vector<Trade> GroupTrades(const std::vector<RoundTrip>& trips) {
  std::vector<Trade> out;
  absl::flat_hash_map<uint32_t, size_t> by_group;  // group value -> index in out
  for (const RoundTrip& t : trips) {
    if (t.group.valid()) {
      const auto [it, inserted] = by_group.try_emplace(t.group.value, out.size());
      if (!inserted) {
        Trade& g = out[it->second];
        g.pnl += t.pnl;
        g.close_ts = std::max(g.close_ts, t.close_ts);
        g.closed = g.closed && t.closed;
        ++g.legs;
        continue;
      }
    }
    out.push_back(Trade{t.group, t.close_ts, t.pnl, 1, t.closed});
  }
  return out;
}

DrawdownInfo ComputeDrawdown(const std::vector<std::pair<Timestamp, Money>>& series) {
  DrawdownInfo d;
  if (series.empty()) return d;
  Money peak = series[0].second;
  Timestamp peak_ts = series[0].first;
  // The deepest drawdown found so far, and whether we are still looking for its recovery.
  bool have = false;
  bool awaiting_recovery = false;
  for (const auto& [ts, e] : series) {
    if (e >= peak) {
      if (awaiting_recovery && !d.recovery.has_value()) {
        d.recovery = ts;
        awaiting_recovery = false;
      }
      peak = e;
      peak_ts = ts;
      continue;
    }
    const Money amount = peak - e;
    const double fraction = peak.raw > 0 ? static_cast<double>(amount.raw) /
                                               static_cast<double>(peak.raw)
                                         : 0.0;
    if (!have || fraction > d.fraction || (fraction == d.fraction && amount > d.amount)) {
      have = true;
      d.fraction = fraction;
      d.amount = amount;
      d.peak_equity = peak;
      d.trough_equity = e;
      d.peak = peak_ts;
      d.trough = ts;
      d.recovery.reset();
      awaiting_recovery = true;
    }
  }
  if (!have) {
    d.peak_equity = peak;
    d.trough_equity = peak;
  }
  return d;
}

namespace {

// Return, volatility, Sharpe and Sortino of the sampled equity series.
void AddReturnMetrics(const std::vector<std::pair<Timestamp, Money>>& series, double year_seconds,
                      Metrics* m) {
  // Returns of the sampled series.
  std::vector<double> r;
  r.reserve(series.size());
  for (size_t i = 1; i < series.size(); ++i) {
    if (series[i - 1].second.raw <= 0) continue;  // undefined after a wipe-out
    r.push_back(static_cast<double>(series[i].second.raw) /
                    static_cast<double>(series[i - 1].second.raw) -
                1.0);
  }
  m->returns = r.size();
  const Duration series_span = series.back().first - series.front().first;
  if (!r.empty() && series_span.ns > 0) {
    const double dt = Seconds(series_span) / static_cast<double>(series.size() - 1);
    m->mean_interval_seconds = dt;
    m->periods_per_year = year_seconds / dt;
  }
  if (r.size() >= 2 && m->periods_per_year.has_value()) {
    const double k = std::sqrt(*m->periods_per_year);
    double sum = 0;
    for (double x : r) sum += x;
    const double mean = sum / static_cast<double>(r.size());
    double ss = 0, down = 0;
    for (double x : r) {
      ss += (x - mean) * (x - mean);
      if (x < 0) down += x * x;
    }
    const double sd = std::sqrt(ss / static_cast<double>(r.size() - 1));
    const double dd = std::sqrt(down / static_cast<double>(r.size()));
    m->volatility = sd * k;
    if (sd > 0) m->sharpe = mean / sd * k;
    if (dd > 0) m->sortino = mean / dd * k;
  }

}

// Round trips, wins and losses, overall and per instrument (sizes m->instruments).
void AddTradeMetrics(const InstrumentTable& table, const MetricsInput& in, Metrics* m) {
  m->trips = ComputeRoundTrips(table, in.fills, in.final_marks);
  m->instruments.resize(table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    InstrumentMetrics& im = m->instruments[i];
    im.instrument = InstrumentId(static_cast<uint16_t>(i));
    im.symbol = table.at(im.instrument).symbol;
    im.qty_scale = table.at(im.instrument).qty_scale;
  }
  for (const RoundTrip& t : m->trips) {
    if (!t.closed) continue;
    InstrumentMetrics& im = m->instruments[t.instrument.value];
    ++im.round_trips;
    if (t.pnl.raw > 0) ++im.wins;
  }
  for (const Trade& t : GroupTrades(m->trips)) {
    if (!t.closed) {
      ++m->open_round_trips;
      continue;
    }
    ++m->round_trips;
    if (t.pnl.raw > 0) {
      ++m->wins;
      m->gross_profit += t.pnl;
    } else if (t.pnl.raw < 0) {
      ++m->losses;
      m->gross_loss += t.pnl;
    }
  }
  if (m->round_trips > 0) {
    m->win_rate = static_cast<double>(m->wins) / static_cast<double>(m->round_trips);
  }
  if (m->gross_loss.raw < 0) {
    m->profit_factor = ToDouble(m->gross_profit) / -ToDouble(m->gross_loss);
  }
  if (m->wins > 0) {
    m->average_win = Money(MulDivRound(m->gross_profit.raw, 1, static_cast<int64_t>(m->wins)));
  }
  if (m->losses > 0) {
    m->average_loss = Money(MulDivRound(m->gross_loss.raw, 1, static_cast<int64_t>(m->losses)));
  }

}

// Per instrument: cash flows, fees, funding, turnover and PnL; returns each instrument's
// position changes, in fill order, for the exposure.
std::vector<std::vector<Change>> AddInstrumentFlows(const InstrumentTable& table,
                                                   const MetricsInput& in, Metrics* m) {
  std::vector<int64_t> pos(table.size(), 0);
  std::vector<std::vector<Change>> changes(table.size());
  std::vector<Money> flow(table.size());
  for (const FillLogEntry& f : in.fills) {
    const size_t i = f.instrument.value;
    if (i >= table.size()) continue;
    const Instrument& inst = table.at(f.instrument);
    const Money notional = inst.Notional(f.price, f.qty);
    InstrumentMetrics& im = m->instruments[i];
    ++im.fills;
    im.fees += f.fee;
    im.traded_notional += notional;
    flow[i] -= Money(SideSign(f.side) * notional.raw);
    pos[i] += SideSign(f.side) * f.qty.raw;
    changes[i].push_back(Change{f.local_ts, pos[i]});
  }
  for (const FundingFlow& ff : in.funding) {
    if (ff.instrument.value >= table.size()) continue;
    m->instruments[ff.instrument.value].funding += ff.amount;
    if (ff.amount.raw > 0) m->funding_received += ff.amount;
    if (ff.amount.raw < 0) m->funding_paid -= ff.amount;
  }
  for (size_t i = 0; i < table.size(); ++i) {
    InstrumentMetrics& im = m->instruments[i];
    const Instrument& inst = table.at(im.instrument);
    im.final_position = Qty(pos[i]);
    Money value;
    if (pos[i] != 0 && i < in.final_marks.size() && in.final_marks[i].has_value()) {
      const Money v = inst.Notional(*in.final_marks[i], Qty(std::llabs(pos[i])));
      value = Money(pos[i] > 0 ? v.raw : -v.raw);
    }
    im.pnl = flow[i] - im.fees + im.funding + value;
    m->fees += im.fees;
    m->traded_notional += im.traded_notional;
  }
  if (in.initial_equity.raw > 0) {
    m->turnover = ToDouble(m->traded_notional) / ToDouble(in.initial_equity);
  }

  return changes;
}

// The share of [in.start, in.end] with a non-zero position, overall and per instrument.
void AddExposure(const std::vector<std::vector<Change>>& changes, const MetricsInput& in,
                 Duration span, Metrics* m) {
  // Merge every instrument's position changes in time order (stable across
  // instruments by id) and measure the time with any non-zero position.
  if (span.ns <= 0) return;
  struct Step {
    Timestamp ts;
    size_t instrument;
    int64_t position;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < changes.size(); ++i) {
    for (const Change& c : changes[i]) steps.push_back(Step{c.ts, i, c.position});
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.ts < b.ts; });
  std::vector<int64_t> cur(changes.size(), 0);
  std::vector<int64_t> busy_ns(changes.size(), 0);
  std::vector<Timestamp> since(changes.size());
  size_t nonzero = 0;
  Timestamp any_since;
  int64_t any_ns = 0;
  auto clamp = [&](Timestamp t) { return std::clamp(t, in.start, in.end); };
  for (const Step& s : steps) {
    const Timestamp t = clamp(s.ts);
    const bool was = cur[s.instrument] != 0;
    const bool is = s.position != 0;
    cur[s.instrument] = s.position;
    if (was == is) continue;
    if (is) {
      since[s.instrument] = t;
      if (nonzero++ == 0) any_since = t;
    } else {
      busy_ns[s.instrument] += (t - since[s.instrument]).ns;
      if (--nonzero == 0) any_ns += (t - any_since).ns;
    }
  }
  for (size_t i = 0; i < cur.size(); ++i) {
    if (cur[i] != 0) busy_ns[i] += (in.end - since[i]).ns;
    m->instruments[i].exposure =
        static_cast<double>(busy_ns[i]) / static_cast<double>(span.ns);
  }
  if (nonzero > 0) any_ns += (in.end - any_since).ns;
  m->exposure = static_cast<double>(any_ns) / static_cast<double>(span.ns);
}

}  // namespace

Metrics ComputeMetrics(const MetricsInput& in) {
  Metrics m;
  const InstrumentTable& table = *in.instruments;
  m.initial_equity = in.initial_equity;
  m.orders = in.orders;
  m.fills = in.fills.size();
  const Duration span = in.end - in.start;
  m.span_seconds = Seconds(span);

  // The series: the starting point, then the samples.
  std::vector<std::pair<Timestamp, Money>> series;
  const bool lent = !in.equity_series.empty();
  const size_t points = lent ? in.equity_series.size() : in.equity.size();
  series.reserve(points + 1);
  if (points == 0 ||
      in.start < (lent ? in.equity_series.front().first : in.equity.front().ts)) {
    series.emplace_back(in.start, in.initial_equity);
  }
  if (lent) {
    series.insert(series.end(), in.equity_series.begin(), in.equity_series.end());
  } else {
    for (const EquityPoint& p : in.equity) series.emplace_back(p.ts, p.equity);
  }
  m.final_equity = series.back().second;

  if (in.initial_equity.raw > 0) {
    const double growth = static_cast<double>(m.final_equity.raw) /
                          static_cast<double>(in.initial_equity.raw);
    m.total_return = growth - 1.0;
    if (span >= Duration::Days(1) && growth > 0) {
      m.cagr = std::pow(growth, in.year_seconds / m.span_seconds) - 1.0;
    }
  }

  AddReturnMetrics(series, in.year_seconds, &m);
  m.drawdown = ComputeDrawdown(series);
  if (m.cagr.has_value() && m.drawdown.fraction > 0) m.calmar = *m.cagr / m.drawdown.fraction;

  AddTradeMetrics(table, in, &m);
  const std::vector<std::vector<Change>> changes = AddInstrumentFlows(table, in, &m);
  AddExposure(changes, in, span, &m);
  return m;
}
}  // namespace tapedeck
