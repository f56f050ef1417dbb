#include "analysis/report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "analysis/chart.h"
#include "analysis/compare.h"
#include "analysis/html.h"
#include "analysis/metric_format.h"
#include "analysis/report_sections.h"
#include "analysis/strategy_parts.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"
#include "runner/output_writer.h"

namespace tapedeck::analysis {
namespace {

// A key figure: one metric, or two shown as "a / b".
struct Card {
  MetricId metric;
  std::optional<MetricId> second;
  const char* title = nullptr;  // nullptr: the metric's label, capitalised
  bool signed_colour = false;   // green when positive, red when negative
};

const std::vector<Card>& Cards() {
  using I = MetricId;
  static const std::vector<Card> kCards = {
      {I::kPnl, std::nullopt, "PnL", true},
      {I::kTotalReturn, std::nullopt, nullptr, true},
      {I::kMaxDrawdown, std::nullopt, nullptr, false},
      {I::kSharpe, std::nullopt, nullptr, true},
      {I::kSortino, std::nullopt, nullptr, true},
      {I::kVolatility, std::nullopt, nullptr, false},
      {I::kCagr, std::nullopt, nullptr, true},
      {I::kCalmar, std::nullopt, nullptr, true},
      {I::kRoundTrips, std::nullopt, nullptr, false},
      {I::kWinRate, std::nullopt, nullptr, false},
      {I::kProfitFactor, std::nullopt, nullptr, false},
      {I::kAverageWin, I::kAverageLoss, "Avg win / loss", false},
      {I::kExposure, std::nullopt, nullptr, false},
      {I::kTurnover, std::nullopt, nullptr, false},
      {I::kFees, std::nullopt, nullptr, false},
      {I::kFundingPaid, I::kFundingReceived, "Funding paid / recv.", false},
      {I::kOrders, I::kFills, "Orders / fills", false},
      {I::kFinalEquity, std::nullopt, nullptr, false},
  };
  return kCards;
}

std::string Header(const RunSummary& s) {
  return absl::StrCat("<h1>", HtmlEscape(s.label), " <span class=\"note\">(",
                      HtmlEscape(s.strategy), ")</span></h1>\n<p class=\"sub\">",
                      HtmlEscape(FormatTimestamp(s.start)), " &rarr; ",
                      HtmlEscape(FormatTimestamp(s.end)), " &middot; ",
                      s.Value(MetricId::kEvents).count(), " events &middot; seed ", s.seed,
                      " &middot; digest <code>", HtmlEscape(s.digest.run), "</code></p>\n");
}

std::string KeyFigures(const RunSummary& s) {
  const MetricValue span = s.Value(MetricId::kSpanSeconds);
  std::string b = "<div class=\"cards\">\n";
  bool flagged = false;
  for (const Card& c : Cards()) {
    const MetricValue v = s.Value(c.metric);
    std::string text = FormatMetricForRun(c.metric, v, span);
    if (c.second.has_value()) {
      text += " / " + FormatMetricForRun(*c.second, s.Value(*c.second), span);
    }
    flagged = flagged || (v.has_value() && FlaggedAsShortSpan(c.metric, span));
    std::string title = c.title != nullptr ? c.title : std::string(GetMetric(c.metric).label);
    if (!title.empty()) {
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    }
    absl::StrAppend(&b, "<div class=\"card\"><div class=\"k\">", HtmlEscape(title),
                    "</div><div class=\"v",
                    c.signed_colour ? SignClass(v.ToDouble().value_or(std::nan(""))) : "", "\">",
                    HtmlEscape(text), "</div></div>\n");
  }
  absl::StrAppend(&b, "</div>\n");
  if (flagged) absl::StrAppend(&b, "<p class=\"note\">", HtmlEscape(ShortSpanNote(span)), "</p>\n");
  return b;
}

// The instruments the run touched (fills, a position or funding); the others are only counted.
std::string InstrumentsTable(const RunSummary& s) {
  std::vector<const InstrumentMetrics*> per;
  for (const InstrumentMetrics& i : s.figures.metrics.instruments) {
    if (i.fills > 0 || i.final_position.raw != 0 || i.funding.raw != 0) per.push_back(&i);
  }
  const size_t hidden = s.figures.metrics.instruments.size() - per.size();
  if (per.empty() && hidden == 0) return "";
  std::string b = "<h2>Instruments</h2>\n";
  if (hidden > 0) {
    absl::StrAppend(&b, "<p class=\"note\">", hidden, " instrument", hidden == 1 ? "" : "s",
                    " without fills, position or funding ", hidden == 1 ? "is" : "are",
                    " not shown.</p>\n");
  }
  if (per.empty()) return b;
  absl::StrAppend(&b,
      "<table><tr><th>symbol</th><th>pnl</th><th>fees</th><th>funding</th>"
      "<th>traded notional</th><th>final position</th><th>fills</th><th>round trips</th>"
      "<th>wins</th><th>exposure</th></tr>\n");
  for (const InstrumentMetrics* ip : per) {
    const InstrumentMetrics& i = *ip;
    const MetricValue pnl = MetricValue::Of(i.pnl);
    absl::StrAppend(
        &b, "<tr><td>", HtmlEscape(i.symbol), "</td><td class=\"", SignClass(*pnl.ToDouble()),
        "\">", FormatMoney2(i.pnl), "</td><td>", FormatMoney2(i.fees), "</td><td>",
        FormatMoney2(i.funding), "</td><td>", FormatMoney2(i.traded_notional), "</td><td>",
        HtmlEscape(FormatDecimal(i.final_position.raw, i.qty_scale)), "</td><td>", i.fills,
        "</td><td>", i.round_trips, "</td><td>", i.wins, "</td><td>",
        FormatMetricValue(MetricValue::Of(i.exposure), MetricUnit::kFraction), "</td></tr>\n");
  }
  absl::StrAppend(&b, "</table>\n");
  return b;
}

double CsvNumber(const std::string& v) {
  if (v.empty()) return std::nan("");
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  return end == v.c_str() ? std::nan("") : d;
}

// A round_trips.csv cell as the table shows it: money with two decimals, times to the second
// ("2026-02-05 16:48:20"; the CSV keeps nanoseconds), the rest as written.
std::string RoundTripCell(const std::string& column, const std::string& v) {
  if (column == "fees" || column == "pnl") {
    if (std::isnan(CsvNumber(v))) return v;
    const size_t dot = v.find('.');
    return dot == std::string::npos ? v : v.substr(0, std::min(v.size(), dot + 3));
  }
  if ((column == "open_utc" || column == "close_utc") && v.size() >= 19) {
    return absl::StrCat(v.substr(0, 10), " ", v.substr(11, 8));
  }
  return v;
}

// Whether any round trip carries a trade group (round_trips.csv's `group` column; older runs
// have none), and how many trades the rows make: a group counts once.
struct GroupCount {
  bool grouped = false;
  size_t trades = 0;
};
GroupCount CountTrades(const CsvTable& t) {
  GroupCount c;
  const int col = t.Column("group");
  absl::flat_hash_set<std::string> groups;
  for (const auto& row : t.rows) {
    const bool has = col >= 0 && static_cast<size_t>(col) < row.size() &&
                     !row[static_cast<size_t>(col)].empty();
    if (!has) {
      ++c.trades;
    } else if (groups.insert(row[static_cast<size_t>(col)]).second) {
      ++c.trades;
      c.grouped = true;
    }
  }
  return c;
}

std::string RoundTrips(const CsvTable& t) {
  std::string b = "<h2>Round trips</h2>\n";
  if (t.rows.empty()) return b + "<p class=\"note\">No round trips.</p>\n";
  const size_t n = t.rows.size();
  const GroupCount g = CountTrades(t);
  absl::StrAppend(&b, "<p class=\"note\">Flat-to-flat position cycles per instrument",
                  n > kMaxTableRows ? absl::StrCat("; the first ", kMaxTableRows, " of ", n,
                                                   " (all in round_trips.csv)")
                                    : std::string(),
                  ". Prices are volume-weighted; PnL is net of fees.",
                  g.grouped ? absl::StrCat(" Round trips of one group are one trade (its PnL the "
                                           "sum of theirs): ", n, " round trips make ", g.trades,
                                           g.trades == 1 ? " trade." : " trades.")
                            : std::string(),
                  "</p>\n<div class=\"scroll\"><table><tr>");
  std::vector<const char*> cols = {"symbol",    "side", "status",      "open_utc",
                                   "close_utc", "qty",  "entry_price", "exit_price",
                                   "fills",     "fees", "pnl"};
  std::vector<const char*> heads = {"symbol",       "side", "status",      "opened (UTC)",
                                    "closed (UTC)", "qty",  "entry price", "exit price",
                                    "fills",        "fees", "pnl"};
  if (g.grouped) {
    cols.insert(cols.begin(), "group");
    heads.insert(heads.begin(), "trade");
  }
  for (const char* h : heads) absl::StrAppend(&b, "<th>", h, "</th>");
  absl::StrAppend(&b, "</tr>\n");
  const int pnl_col = t.Column("pnl");
  for (size_t i = 0; i < n && i < kMaxTableRows; ++i) {
    const auto& row = t.rows[i];
    absl::StrAppend(&b, "<tr>");
    for (const char* c : cols) {
      const int col = t.Column(c);
      const std::string v =
          col >= 0 && static_cast<size_t>(col) < row.size() ? row[static_cast<size_t>(col)] : "";
      absl::StrAppend(
          &b, "<td", col == pnl_col ? absl::StrCat(" class=\"", SignClass(CsvNumber(v)), "\"") : "",
          ">", HtmlEscape(RoundTripCell(c, v)), "</td>");
    }
    absl::StrAppend(&b, "</tr>\n");
  }
  absl::StrAppend(&b, "</table></div>\n");
  return b;
}

std::string ReportAndConfig(const RunSummary& s) {
  std::string b;
  if (!s.strategy_report.empty()) {
    absl::StrAppend(&b,
                    "<h2>Strategy report</h2>\n<details><summary>strategy_report (summary.json)"
                    "</summary><pre>",
                    HtmlEscape(s.strategy_report.dump(2)), "</pre></details>\n");
  }
  absl::StrAppend(&b,
                  "<h2>Config</h2>\n<p class=\"note\">The run config that produced these "
                  "results.</p><pre>",
                  HtmlEscape(s.config.dump(2)), "</pre>\n");
  absl::StrAppend(&b,
                  "<p class=\"note\">Files: summary.json, equity.csv, prices.csv, fills.csv, "
                  "orders.csv, round_trips.csv, digest.txt. Rebuild this page with "
                  "<code>tapedeck report DIR</code>.</p>\n");
  return b;
}

}  // namespace

std::string RenderRunReport(const RunData& run) {
  const std::vector<Pt> samples = EquityPoints(run);
  const Span span = TimeSpan(run, samples);
  const std::vector<Pt> eq = EquityFromStart(run, samples, span);
  const std::vector<InstrumentSeries> ins = PriceSeries(run);
  const RunSummary& s = run.summary;
  std::string b = absl::StrCat(Header(s), KeyFigures(s), EquityAndDrawdown(run, eq, ins, span),
                               WorstDrawdownsTable(eq), MonthlyReturnsTable(eq),
                               RollingSharpeChart(eq, span), PricesAndFills(run, ins, span));
  if (!ins.empty()) {
    absl::StrAppend(&b, Positions(run, ins, span), RenderStrategyCharts(s.charts, ins, span));
  }
  absl::StrAppend(&b, InstrumentsTable(s), RenderStrategySections(s.sections),
                  RoundTrips(run.round_trips), ReportAndConfig(s));
  return HtmlPage(absl::StrCat(s.label, ": tapedeck report"), b);
}

absl::Status WriteReports(const std::string& dir, std::vector<std::string>* written) {
  TAPEDECK_ASSIGN_OR_RETURN(const std::vector<std::string> dirs, StrategyDirs(dir));
  TAPEDECK_ASSIGN_OR_RETURN(const bool is_run, IsRunDir(dir));
  std::vector<RunData> runs;
  std::vector<std::string> links;
  for (const std::string& d : dirs) {
    TAPEDECK_ASSIGN_OR_RETURN(RunData r, LoadRun(d));
    const std::string path = d + "/report.html";
    TAPEDECK_RETURN_IF_ERROR(runner::WriteFileAtomically(path, RenderRunReport(r)));
    written->push_back(path);
    links.push_back(absl::StrCat(std::filesystem::path(d).filename().string(), "/report.html"));
    runs.push_back(std::move(r));
  }
  if (is_run) {
    const std::string path = dir + "/report.html";
    const std::string title = absl::StrCat("Run ", std::filesystem::path(dir).filename().string());
    TAPEDECK_RETURN_IF_ERROR(runner::WriteFileAtomically(path, RenderCompare(runs, title, links)));
    written->push_back(path);
  }
  return absl::OkStatus();
}

}  // namespace tapedeck::analysis
