// Views of a run's equity curve for the report, each computed from the curve alone: returns by
// calendar month, the worst drawdown periods, a rolling Sharpe ratio, buy-and-hold references,
// and a position series summarised for a chart's width. Inputs are (ns since the epoch, value)
// points in time order (analysis/chart.h), the equity curve starting at the run's start with
// the initial cash (EquityFromStart). Deterministic: fixed summation order.
#ifndef TAPEDECK_ANALYSIS_PERFORMANCE_H_
#define TAPEDECK_ANALYSIS_PERFORMANCE_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "analysis/chart.h"

namespace tapedeck::analysis {

// One calendar month (UTC): the equity at its last point over the equity at the last point
// before it (the first point of the curve for the first month), minus 1.
struct MonthReturn {
  int year = 0;
  int month = 0;  // 1..12
  double ret = 0;
};
std::vector<MonthReturn> MonthlyReturns(const std::vector<Pt>& equity);

// A fall from a running peak until the equity is back at it (or the curve ends).
struct DrawdownPeriod {
  double peak_x = 0;    // the last time at the peak (ns)
  double trough_x = 0;  // the lowest point (ns)
  std::optional<double> recovery_x;  // the first point back at or above the peak (ns)
  double peak = 0, trough = 0;
  double depth = 0;  // (peak - trough) / peak: a positive fraction, as max_drawdown
};
// The `n` deepest drawdown periods, deepest first (ties: the earlier first). The first one is
// the run's max drawdown (core/metrics.h computes it on the same curve).
std::vector<DrawdownPeriod> WorstDrawdowns(const std::vector<Pt>& equity, size_t n);

// The trailing window rolling Sharpe uses for a run of `span_ns`: the longest of 90, 30 and 7
// days, 1 day, 6 hours and 1 hour that fits four times into the span; 0 when none does.
double RollingSharpeWindow(double span_ns);
// Sharpe over the simple returns of the samples in the trailing `window_ns`, annualised as the
// run's Sharpe is (mean / stdev × √periods per year, with the periods from the window's mean
// sampling interval; risk-free rate 0). One point per sample once a whole window is behind it
// and it holds at least 3 returns; NaN where the returns do not vary.
std::vector<Pt> RollingSharpe(const std::vector<Pt>& equity, double window_ns);

// `initial` put into an instrument at its first price and held: initial × price / first price
// at every priced sample (NaN before the first price). A reference line, without fees, funding
// or margin.
std::vector<Pt> BuyAndHold(const std::vector<Pt>& price, double initial);

// A step series (positions) over [x0, x1] cut into `buckets` equal time buckets: per bucket the
// time-weighted mean (a step line that reads at any density) and the lowest and highest value
// taken (the band around it). Points are at bucket starts; the last bucket closes at x1.
struct StepOverview {
  std::vector<Pt> mean, low, high;
};
StepOverview SummariseSteps(const std::vector<Pt>& steps, double x0, double x1, size_t buckets);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_PERFORMANCE_H_
