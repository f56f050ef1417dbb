#include "analysis/strategy_parts.h"

#include <cctype>
#include <cmath>
#include <set>
#include <variant>

#include "absl/strings/str_cat.h"
#include "analysis/chart.h"
#include "analysis/html.h"
#include "nlohmann/json.hpp"

namespace tapedeck::analysis {
namespace {

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// An id from a title: lower-case letters and digits, other runs of characters as one '-'.
std::string Slug(const std::string& title) {
  std::string out;
  for (char c : title) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "chart" : out;
}

// Integers as written; other numbers in their shortest exact form; empty cells as "-".
std::string CellText(const SectionCell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) return "-";
  if (const auto* i = std::get_if<int64_t>(&cell)) return absl::StrCat(*i);
  if (const auto* d = std::get_if<double>(&cell)) return nlohmann::json(*d).dump();
  return std::get<std::string>(cell);
}

std::string RenderSection(const StrategySection& s) {
  std::string b = absl::StrCat("<h2>", HtmlEscape(s.title), "</h2>\n");
  std::string note = s.note;
  if (s.rows.size() > kMaxTableRows) {
    absl::StrAppend(&note, note.empty() ? "" : "; ", "the first ", kMaxTableRows, " of ",
                    s.rows.size(), " rows (all in summary.json)");
  }
  if (!note.empty()) absl::StrAppend(&b, "<p class=\"sub\">", HtmlEscape(note), "</p>\n");
  absl::StrAppend(&b, "<table><tr>");
  for (const std::string& c : s.columns) absl::StrAppend(&b, "<th>", HtmlEscape(c), "</th>");
  absl::StrAppend(&b, "</tr>\n");
  for (size_t r = 0; r < s.rows.size() && r < kMaxTableRows; ++r) {
    absl::StrAppend(&b, "<tr>");
    for (const SectionCell& cell : s.rows[r]) {
      absl::StrAppend(&b, "<td>", HtmlEscape(CellText(cell)), "</td>");
    }
    absl::StrAppend(&b, "</tr>\n");
  }
  absl::StrAppend(&b, "</table>\n");
  return b;
}

const InstrumentSeries* Priced(const std::vector<InstrumentSeries>& series,
                               const std::string& symbol) {
  for (const InstrumentSeries& s : series) {
    if (s.symbol == symbol && s.has_price) return &s;
  }
  return nullptr;
}

std::string RenderSpreadChart(const StrategyChart& c, const std::string& id,
                              const std::vector<InstrumentSeries>& series, const Span& span) {
  std::string b = absl::StrCat("<h2>", HtmlEscape(Capitalized(c.title)), "</h2>\n");
  const InstrumentSeries* a = Priced(series, c.instruments[0]);
  const InstrumentSeries* o = Priced(series, c.instruments[1]);
  if (a == nullptr || o == nullptr) {
    absl::StrAppend(&b, "<p class=\"note\">No prices for ",
                    HtmlEscape(a == nullptr ? c.instruments[0] : c.instruments[1]),
                    " in prices.csv: no chart.</p>\n");
    return b;
  }
  std::vector<Pt> spread;
  for (size_t i = 0; i < a->mid.size() && i < o->mid.size(); ++i) {
    const double pa = a->mid[i].y, pc = o->mid[i].y;
    spread.push_back(
        Pt{a->mid[i].x, pa > 0 && !std::isnan(pc) ? (pc - pa) / pa * 1e4 : std::nan("")});
  }
  Chart chart;
  chart.id = id;
  chart.title = absl::StrCat(Capitalized(c.title), " ", o->symbol, " \u2212 ", a->symbol,
                             " (mids, bps of ", a->symbol, ", not annualised)");
  chart.zero_line = true;
  chart.lines.push_back(
      Line{c.title, "#9467bd", Downsample(spread, kMaxCurvePoints), false, false});
  absl::StrAppend(&b, RenderChart(chart, span.x0, span.x1, 220));
  return b;
}

}  // namespace

std::string RenderStrategySections(const std::vector<StrategySection>& sections) {
  std::string b;
  for (const StrategySection& s : sections) absl::StrAppend(&b, RenderSection(s));
  return b;
}

std::string RenderStrategyCharts(const std::vector<StrategyChart>& charts,
                                 const std::vector<InstrumentSeries>& series, const Span& span) {
  std::string b;
  std::set<std::string> ids;
  for (const StrategyChart& c : charts) {
    std::string id = Slug(c.title);
    for (int k = 2; !ids.insert(id).second; ++k) id = absl::StrCat(Slug(c.title), "-", k);
    switch (c.kind) {
      case StrategyChartKind::kSpreadBps:
        absl::StrAppend(&b, RenderSpreadChart(c, id, series, span));
        break;
    }
  }
  return b;
}

}  // namespace tapedeck::analysis
