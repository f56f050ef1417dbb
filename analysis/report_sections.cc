#include "analysis/report_sections.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/html.h"
#include "analysis/metric_format.h"
#include "analysis/performance.h"
#include "core/config.h"

namespace tapedeck::analysis {
namespace {

constexpr double kNsPerSec = 1e9;
// The plot is about 1,100 pixels wide (analysis/chart.cc): a position series with more changes
// than one per two pixels is summarised for the full view, over buckets of five or so pixels
// (narrower ones make the mean jump from bucket to bucket and read as noise).
constexpr size_t kPlotPixelPairs = 550;
constexpr size_t kOverviewBuckets = 200;
// Buy-and-hold lines: greys and muted colours, so that the run's own equity stands out.
const char* const kReferenceColors[] = {"#7f7f7f", "#bcbd22", "#17becf", "#8c564b"};
// Position changes drawn one by one when zoomed in, at most (a page stays a few MB).
constexpr size_t kMaxDetailPoints = 20000;

std::string Utc(double ns) {
  const std::string t = FormatTimestamp(Timestamp(static_cast<int64_t>(ns)));
  return t.size() >= 16 ? absl::StrCat(t.substr(0, 10), " ", t.substr(11, 5)) : t;
}

std::string Percent(double fraction) { return absl::StrFormat("%.2f%%", fraction * 100); }

// A heat-map cell's background: green for gains, red for losses, stronger for larger moves
// (relative to the largest of the table).
std::string HeatStyle(double ret, double largest) {
  if (!(largest > 0) || ret == 0) return "";
  const double a = 0.10 + 0.55 * std::min(1.0, std::fabs(ret) / largest);
  return absl::StrFormat(" style=\"background:rgba(%s,%.2f)\"",
                         ret > 0 ? "18,161,80" : "217,45,32", a);
}

}  // namespace

std::string FormatSpan(double ns) {
  const auto s = static_cast<int64_t>(std::llround(ns / kNsPerSec));
  if (s >= 86400) {
    return s % 86400 < 3600 ? absl::StrFormat("%dd", s / 86400)
                            : absl::StrFormat("%dd %dh", s / 86400, s / 3600 % 24);
  }
  if (s >= 3600) {
    return s % 3600 < 60 ? absl::StrFormat("%dh", s / 3600)
                         : absl::StrFormat("%dh %dm", s / 3600, s / 60 % 60);
  }
  if (s >= 60) return absl::StrFormat("%dm", s / 60);
  return absl::StrFormat("%ds", s);
}

std::string EquityAndDrawdown(const RunData& r, const std::vector<Pt>& eq,
                              const std::vector<InstrumentSeries>& ins, const Span& span) {
  Chart ce;
  ce.id = "equity";
  ce.title = "Equity (quote currency)";
  ce.lines.push_back(Line{"equity", "#1f6fb4", Downsample(eq, kMaxCurvePoints), false, false});
  // Buy and hold of each traded instrument: the initial cash in it at its first price.
  size_t k = 0;
  for (const InstrumentSeries& is : ins) {
    if (!is.traded || !is.has_price) continue;
    Line l{"hold " + is.symbol, kReferenceColors[k++ % std::size(kReferenceColors)],
           Downsample(BuyAndHold(is.price, InitialCash(r)), kMaxCurvePoints), false, false};
    l.dashed = true;
    ce.lines.push_back(l);
  }
  // The curve's full length: of a long equity.csv only every k-th row was read (LoadRun).
  ce.note = absl::StrCat(eq.size() + (r.equity_rows - r.equity.rows.size()), " samples");
  std::string b = "<h2>Equity and drawdown</h2>\n";
  if (k > 0) {
    absl::StrAppend(&b, "<p class=\"note\">Dashed: buy and hold, the initial cash put into each "
                        "traded instrument at its first price and held (no fees, funding or "
                        "margin), for comparison.</p>\n");
  }
  absl::StrAppend(&b, RenderChart(ce, span.x0, span.x1, 300));
  Chart cd;
  cd.id = "drawdown";
  cd.title = "Drawdown: % below the running peak";
  cd.unit = "%";
  cd.y_down = true;
  Line dl{"drawdown", "#d62728", Downsample(DrawdownPoints(eq, InitialCash(r)), kMaxCurvePoints),
          false, false};
  dl.fill = true;
  cd.lines.push_back(dl);
  const DrawdownInfo& dd = r.summary.figures.metrics.drawdown;
  if (dd.peak.has_value()) {
    cd.note = absl::StrCat(
        "max ", FormatMetricValue(r.summary.Value(MetricId::kMaxDrawdown), MetricUnit::kFraction),
        ": peak ", FormatTimestamp(*dd.peak), ", trough ",
        dd.trough.has_value() ? FormatTimestamp(*dd.trough) : "", ", ",
        dd.recovery.has_value() ? "recovered " + FormatTimestamp(*dd.recovery)
                                : std::string("not recovered"));
  }
  absl::StrAppend(&b, RenderChart(cd, span.x0, span.x1, 200));
  return b;
}

std::string WorstDrawdownsTable(const std::vector<Pt>& eq) {
  const std::vector<DrawdownPeriod> worst = WorstDrawdowns(eq, kWorstDrawdowns);
  std::string b = "<h2>Worst drawdowns</h2>\n";
  if (worst.empty()) return b + "<p class=\"note\">The equity never fell below a peak.</p>\n";
  absl::StrAppend(&b, "<p class=\"note\">The ", worst.size(),
                  " deepest falls from a running peak, deepest first; depth is the fall as a "
                  "share of the peak (positive, as max drawdown).</p>\n<table><tr><th>#</th>"
                  "<th>depth</th><th>peak (UTC)</th><th>trough (UTC)</th><th>recovered (UTC)</th>"
                  "<th>peak to trough</th><th>length</th></tr>\n");
  const double end = eq.empty() ? 0 : eq.back().x;
  for (size_t i = 0; i < worst.size(); ++i) {
    const DrawdownPeriod& d = worst[i];
    const std::string length =
        d.recovery_x.has_value() ? FormatSpan(*d.recovery_x - d.peak_x)
                                 : absl::StrCat(FormatSpan(end - d.peak_x), " so far");
    absl::StrAppend(&b, "<tr><td>", i + 1, "</td><td class=\"neg\">", Percent(d.depth),
                    "</td><td>", Utc(d.peak_x), "</td><td>", Utc(d.trough_x), "</td><td>",
                    d.recovery_x.has_value() ? Utc(*d.recovery_x) : "not recovered", "</td><td>",
                    FormatSpan(d.trough_x - d.peak_x), "</td><td>", length, "</td></tr>\n");
  }
  return b + "</table>\n";
}

std::string MonthlyReturnsTable(const std::vector<Pt>& eq) {
  const std::vector<MonthReturn> months = MonthlyReturns(eq);
  std::string b = "<h2>Monthly returns</h2>\n";
  if (months.empty()) return b + "<p class=\"note\">No equity samples.</p>\n";
  double largest = 0;
  std::map<int, std::map<int, double>> by_year;
  for (const MonthReturn& m : months) {
    by_year[m.year][m.month] = m.ret;
    largest = std::max(largest, std::fabs(m.ret));
  }
  absl::StrAppend(&b, "<p class=\"note\">Each calendar month (UTC): the equity at its last "
                      "sample over the last one before it. A month the run only partly covers "
                      "counts what it covers.</p>\n<table class=\"heat\"><tr><th>year</th>");
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (const char* m : kMonths) absl::StrAppend(&b, "<th>", m, "</th>");
  absl::StrAppend(&b, "<th>year</th></tr>\n");
  for (const auto& [year, rets] : by_year) {
    absl::StrAppend(&b, "<tr><td>", year, "</td>");
    double compound = 1;
    for (int m = 1; m <= 12; ++m) {
      auto it = rets.find(m);
      if (it == rets.end()) {
        absl::StrAppend(&b, "<td></td>");
        continue;
      }
      compound *= 1 + it->second;
      absl::StrAppend(&b, "<td", HeatStyle(it->second, largest), ">", Percent(it->second), "</td>");
    }
    absl::StrAppend(&b, "<td class=\"", SignClass(compound - 1), " best\">", Percent(compound - 1),
                    "</td></tr>\n");
  }
  return b + "</table>\n";
}

std::string RollingSharpeChart(const std::vector<Pt>& eq, const Span& span) {
  const double window = RollingSharpeWindow(span.x1 - span.x0);
  std::string b = "<h2>Rolling Sharpe</h2>\n";
  if (window <= 0) {
    return b + "<p class=\"note\">The run is too short for a rolling Sharpe (it needs four "
               "windows of at least an hour).</p>\n";
  }
  Chart c;
  c.id = "rolling-sharpe";
  c.title = absl::StrCat("Sharpe over the trailing ", FormatSpan(window), ", annualised");
  c.zero_line = true;
  c.lines.push_back(
      Line{"rolling Sharpe", "#9467bd", Downsample(RollingSharpe(eq, window), kMaxCurvePoints),
           false, false});
  const double days = (span.x1 - span.x0) / kNsPerSec / 86400;
  c.note = days < kMinAnnualisedSpanDays
               ? absl::StrFormat("from %.1f days of data: annualised figures are noisy", days)
               : "risk-free rate 0, periods per year from the sampling interval";
  return b + RenderChart(c, span.x0, span.x1, 220);
}

// The traded instruments' prices with their fills (else the first two priced ones), at most six.
std::string PricesAndFills(const RunData& r, const std::vector<InstrumentSeries>& ins,
                           const Span& span) {
  if (ins.empty()) {
    return "<p class=\"note\">No prices.csv in this run directory: no price, position or basis "
           "charts.</p>\n";
  }
  std::vector<size_t> shown;
  for (size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].traded && ins[i].has_price) shown.push_back(i);
  }
  if (shown.empty()) {
    for (size_t i = 0; i < ins.size() && shown.size() < 2; ++i) {
      if (ins[i].has_price) shown.push_back(i);
    }
  }
  std::string b = "<h2>Prices and fills</h2>\n";
  for (size_t k = 0; k < shown.size() && k < 6; ++k) {
    const InstrumentSeries& is = ins[shown[k]];
    Chart cp;
    cp.id = "price-" + is.symbol;
    cp.title = absl::StrCat(is.symbol, " price, buys \u25B2 and sells \u25BC");
    cp.lines.push_back(
        Line{is.symbol, ChartColor(k), Downsample(is.price, kMaxCurvePoints), false, false});
    cp.markers = FillMarkers(r, is.symbol, &cp.note);
    absl::StrAppend(&b, RenderChart(cp, span.x0, span.x1, 280));
  }
  return b;
}

// Each traded instrument's position as exact steps from its fills. A series too dense for the
// plot's width is drawn as the mean per 1/200 of the span with the band it moved in; zooming
// in far enough shows every change.
std::string Positions(const RunData& r, const std::vector<InstrumentSeries>& ins,
                      const Span& span) {
  Chart cq;
  cq.id = "position";
  cq.title = "Position (base units or contracts)";
  cq.zero_line = true;
  size_t k = 0;
  bool summarised = false;
  for (const InstrumentSeries& is : ins) {
    if (!is.traded) continue;
    const std::vector<Pt> steps = PositionSteps(r, is.symbol, span.x0);
    const std::string color = ChartColor(k++);
    Line raw{is.symbol, color, Downsample(steps, kMaxDetailPoints), true, false};
    if (steps.size() <= kPlotPixelPairs) {
      cq.lines.push_back(raw);
      continue;
    }
    summarised = true;
    const double zoom = std::ceil(static_cast<double>(steps.size()) / kPlotPixelPairs);
    const StepOverview o = SummariseSteps(steps, span.x0, span.x1, kOverviewBuckets);
    Line band{is.symbol + " range", color, o.high, true, false};
    band.band_low = o.low;
    band.hide_from_zoom = zoom;
    band.in_legend = false;
    Line mean{is.symbol, color, o.mean, true, false};
    mean.hide_from_zoom = zoom;
    raw.show_from_zoom = zoom;
    raw.in_legend = false;
    cq.lines.insert(cq.lines.end(), {band, mean, raw});
  }
  if (cq.lines.empty()) cq.note = "no fills";
  if (summarised) {
    // Short enough to fit beside the title (a chart's note is one line).
    cq.note = "mean per 1/200 of the span, shaded low to high; zoom in for every change";
  }
  return absl::StrCat("<h2>Position</h2>\n", RenderChart(cq, span.x0, span.x1, 220));
}

}  // namespace tapedeck::analysis
