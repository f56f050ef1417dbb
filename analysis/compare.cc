#include "analysis/compare.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/chart.h"
#include "analysis/html.h"
#include "analysis/metric_format.h"
#include "core/config.h"
#include "core/status.h"
#include "runner/output_writer.h"

namespace tapedeck::analysis {
namespace {

// A row of the table: a metric, or one of the max drawdown's times.
struct CompareRow {
  std::optional<MetricId> metric;
  const char* label = nullptr;  // for the times
  std::optional<Timestamp> DrawdownInfo::*time = nullptr;
  bool signed_colour = false;

  std::string Label() const {
    return metric.has_value() ? std::string(GetMetric(*metric).label) : label;
  }
  std::string Text(const RunSummary& s) const {
    if (metric.has_value()) {
      return FormatMetricForRun(*metric, s.Value(*metric), s.Value(MetricId::kSpanSeconds));
    }
    const std::optional<Timestamp>& t = s.figures.metrics.drawdown.*time;
    return t.has_value() ? FormatTimestamp(*t) : "-";
  }
};

const std::vector<CompareRow>& Rows() {
  using I = MetricId;
  static const std::vector<CompareRow> kRows = {
      {I::kTotalReturn, nullptr, nullptr, true},
      {I::kMaxDrawdown},
      {I::kSharpe},
      {I::kSortino},
      {I::kVolatility},
      {I::kCagr},
      {I::kCalmar},
      {I::kRoundTrips},
      {I::kWinRate},
      {I::kProfitFactor},
      {I::kAverageWin},
      {I::kAverageLoss},
      {I::kExposure},
      {I::kTurnover},
      {I::kPnl, nullptr, nullptr, true},
      {I::kFees},
      {I::kFundingPaid},
      {I::kFundingReceived},
      {I::kOrders},
      {I::kFills},
      {I::kFinalEquity},
      {std::nullopt, "drawdown peak", &DrawdownInfo::peak},
      {std::nullopt, "drawdown trough", &DrawdownInfo::trough},
      {std::nullopt, "recovered", &DrawdownInfo::recovery},
  };
  return kRows;
}

// The best value of a metric row over the runs, by the metric's better direction; none when
// the metric has no direction, fewer than two runs define it, or they all agree.
std::optional<double> Best(const std::vector<RunData>& runs, const CompareRow& row) {
  if (!row.metric.has_value()) return std::nullopt;
  const MetricBetter better = GetMetric(*row.metric).better;
  if (better == MetricBetter::kNeither) return std::nullopt;
  std::vector<double> values;
  for (const RunData& r : runs) {
    if (const std::optional<double> v = r.summary.Value(*row.metric).ToDouble()) {
      values.push_back(*v);
    }
  }
  if (values.size() < 2) return std::nullopt;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo == *hi) return std::nullopt;
  return better == MetricBetter::kHigher ? *hi : *lo;
}

std::string MetricsTable(const std::vector<RunData>& runs, const std::vector<std::string>& links) {
  std::string b = "<table><tr><th>metric</th>";
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string name = HtmlEscape(runs[i].name);
    absl::StrAppend(&b, "<th>",
                    i < links.size() && !links[i].empty()
                        ? absl::StrCat("<a href=\"", HtmlEscape(links[i]), "\">", name, "</a>")
                        : name,
                    "</th>");
  }
  absl::StrAppend(&b, "</tr>\n<tr><td>strategy</td>");
  for (const RunData& r : runs) {
    absl::StrAppend(&b, "<td>", HtmlEscape(r.summary.strategy), "</td>");
  }
  absl::StrAppend(&b, "</tr>\n");
  for (const CompareRow& row : Rows()) {
    absl::StrAppend(&b, "<tr><td>", HtmlEscape(row.Label()), "</td>");
    const std::optional<double> best = Best(runs, row);
    for (const RunData& r : runs) {
      const std::optional<double> v =
          row.metric.has_value() ? r.summary.Value(*row.metric).ToDouble() : std::nullopt;
      const bool is_best = best.has_value() && v == best;
      std::string cls;
      if (row.signed_colour) {
        cls = absl::StrCat(" class=\"", SignClass(v.value_or(std::nan(""))), is_best ? " best" : "",
                           "\"");
      } else if (is_best) {
        cls = " class=\"best\"";
      }
      absl::StrAppend(&b, "<td", cls, ">", HtmlEscape(row.Text(r.summary)), "</td>");
    }
    absl::StrAppend(&b, "</tr>\n");
  }
  absl::StrAppend(&b, "</table>\n");
  return b;
}

// The short-span footnote when any run's annualised figures are flagged (the shortest run's).
std::string ShortSpanNotes(const std::vector<RunData>& runs) {
  const RunSummary* shortest = nullptr;
  for (const RunData& r : runs) {
    const MetricValue span = r.summary.Value(MetricId::kSpanSeconds);
    if (!FlaggedAsShortSpan(MetricId::kSharpe, span)) continue;
    if (shortest == nullptr ||
        span.ToDouble() < shortest->Value(MetricId::kSpanSeconds).ToDouble()) {
      shortest = &r.summary;
    }
  }
  if (shortest == nullptr) return "";
  std::string note = ShortSpanNote(shortest->Value(MetricId::kSpanSeconds));
  if (runs.size() > 1) note += " (the shortest run; each flagged run is under the minimum)";
  return note;
}

Chart OverlayChart(std::string id, std::string title, std::string unit, bool zero_line) {
  Chart c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.unit = std::move(unit);
  c.zero_line = zero_line;
  return c;
}

// The equity, return and drawdown curves of every run over their common time range.
std::string Curves(const std::vector<RunData>& runs) {
  double x0 = INFINITY, x1 = -INFINITY;
  Chart ce = OverlayChart("equity", "Equity (quote currency)", "", false);
  Chart cr = OverlayChart("return", "Return since start", "%", true);
  Chart cd = OverlayChart("drawdown", "Drawdown: % below the running peak", "%", false);
  cd.y_down = true;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunData& r = runs[i];
    const std::vector<Pt> samples = EquityPoints(r);
    const Span sp = TimeSpan(r, samples);
    x0 = std::min(x0, sp.x0);
    x1 = std::max(x1, sp.x1);
    const double initial = InitialCash(r);
    const std::vector<Pt> eq = EquityFromStart(r, samples, sp);
    std::vector<Pt> ret;
    for (const Pt& p : eq) {
      ret.push_back(Pt{p.x, initial > 0 ? (p.y / initial - 1) * 100 : std::nan("")});
    }
    ce.lines.push_back(Line{r.name, ChartColor(i), Downsample(eq, kMaxCurvePoints), false, false});
    cr.lines.push_back(Line{r.name, ChartColor(i), Downsample(ret, kMaxCurvePoints), false, false});
    cd.lines.push_back(Line{r.name, ChartColor(i),
                            Downsample(DrawdownPoints(eq, initial), kMaxCurvePoints), false,
                            false});
  }
  if (!(x1 > x0)) {
    x0 = 0;
    x1 = 1;
  }
  return absl::StrCat("<h2>Curves</h2>\n", RenderChart(cr, x0, x1, 300),
                      RenderChart(ce, x0, x1, 300), RenderChart(cd, x0, x1, 220));
}

}  // namespace

std::string RenderCompare(const std::vector<RunData>& runs, const std::string& title,
                          const std::vector<std::string>& links) {
  std::string b = absl::StrCat("<h1>", HtmlEscape(title), "</h1>\n<p class=\"sub\">", runs.size(),
                               " runs side by side</p>\n");
  absl::StrAppend(&b, MetricsTable(runs, links));
  if (const std::string note = ShortSpanNotes(runs); !note.empty()) {
    absl::StrAppend(&b, "<p class=\"note\">", HtmlEscape(note), "</p>\n");
  }
  absl::StrAppend(&b, Curves(runs));
  absl::StrAppend(&b, "<p class=\"note\">Directories:</p><ul>");
  for (const RunData& r : runs) {
    absl::StrAppend(&b, "<li><code>", HtmlEscape(r.dir), "</code></li>");
  }
  absl::StrAppend(&b, "</ul>\n");
  return HtmlPage(title, b);
}

std::string MetricsText(const std::vector<RunData>& runs) {
  std::vector<std::vector<std::string>> cols;
  std::vector<std::string> names = {"metric", "strategy"};
  for (const CompareRow& row : Rows()) names.push_back(row.Label());
  cols.push_back(names);
  for (const RunData& r : runs) {
    std::vector<std::string> c = {r.name, r.summary.strategy};
    for (const CompareRow& row : Rows()) c.push_back(row.Text(r.summary));
    cols.push_back(c);
  }
  std::vector<size_t> w(cols.size(), 0);
  for (size_t i = 0; i < cols.size(); ++i) {
    for (const std::string& v : cols[i]) w[i] = std::max(w[i], v.size());
  }
  std::string out;
  for (size_t row = 0; row < names.size(); ++row) {
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i == 0) {
        absl::StrAppend(&out, absl::StrFormat("%-*s", static_cast<int>(w[i]), cols[i][row]));
      } else {
        absl::StrAppend(&out, "  ", absl::StrFormat("%*s", static_cast<int>(w[i]), cols[i][row]));
      }
    }
    absl::StrAppend(&out, "\n");
  }
  if (const std::string note = ShortSpanNotes(runs); !note.empty()) absl::StrAppend(&out, note, "\n");
  return out;
}

absl::StatusOr<std::string> CompareRuns(const std::vector<std::string>& dirs,
                                        const std::string& out_file) {
  std::vector<RunData> runs;
  for (const std::string& dir : dirs) {
    TAPEDECK_ASSIGN_OR_RETURN(const std::vector<std::string> sub, StrategyDirs(dir));
    for (const std::string& d : sub) {
      TAPEDECK_ASSIGN_OR_RETURN(RunData r, LoadRun(d));
      runs.push_back(std::move(r));
    }
  }
  std::map<std::string, int> seen;
  for (const RunData& r : runs) ++seen[r.name];
  std::vector<std::string> links;
  namespace fs = std::filesystem;
  const fs::path out_dir = fs::absolute(out_file).parent_path();
  for (RunData& r : runs) {
    if (seen[r.name] > 1) {
      r.name = absl::StrCat(r.name, " (", fs::path(r.dir).parent_path().filename().string(), ")");
    }
    std::string link;
    if (fs::exists(r.dir + "/report.html")) {
      link = fs::relative(fs::absolute(r.dir + "/report.html"), out_dir).string();
    }
    links.push_back(link);
  }
  TAPEDECK_RETURN_IF_ERROR(
      runner::WriteFileAtomically(out_file, RenderCompare(runs, "tapedeck compare", links)));
  return MetricsText(runs);
}

}  // namespace tapedeck::analysis
