#include "apps/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runner/output_writer.h"
#include "core/config.h"
#include "core/status.h"

namespace tapedeck::apps {

using runner::WriteFileAtomically;
namespace {

// ---------------------------------------------------------------- text helpers

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

double ToD(std::string_view s) {
  if (s.empty()) return std::nan("");
  const std::string t(s);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  return end == t.c_str() ? std::nan("") : v;
}

template <typename Path>
const nlohmann::json& GetPath(const nlohmann::json& j, const Path& path) {
  static const nlohmann::json kNull;
  const nlohmann::json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object()) return kNull;
    auto it = cur->find(k);
    if (it == cur->end()) return kNull;
    cur = &*it;
  }
  return *cur;
}

const nlohmann::json& Get(const nlohmann::json& j, std::initializer_list<const char*> path) {
  return GetPath(j, path);
}

double JD(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return ToD(v.get<std::string>());
  return std::nan("");
}

std::string Str(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian).
void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

constexpr double kNsPerSec = 1e9;

std::string TimeLabel(double ns, double span_ns) {
  const int64_t s = static_cast<int64_t>(std::floor(ns / kNsPerSec));
  const int64_t day = (s >= 0 ? s : s - 86399) / 86400;
  const int64_t sod = s - day * 86400;
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  if (span_ns > 4 * 86400 * kNsPerSec) return absl::StrFormat("%02d-%02d", m, d);
  if (span_ns < 600 * kNsPerSec) {
    return absl::StrFormat("%02d:%02d:%02d", sod / 3600, sod / 60 % 60, sod % 60);
  }
  if (sod == 0) return absl::StrFormat("%02d-%02d", m, d);
  return absl::StrFormat("%02d:%02d", sod / 3600, sod / 60 % 60);
}

// ---------------------------------------------------------------- charts

struct Pt {
  double x;  // ns since the epoch
  double y;
};

struct Line {
  std::string name;
  std::string color;
  std::vector<Pt> pts;  // NaN y breaks the line
  bool step = false;
  bool fill = false;  // shade down to zero
};

struct Marker {
  double x, y;
  bool buy;
  std::string title;
};

struct Chart {
  std::string id;
  std::string title;
  std::string note;
  std::string unit;  // appended to the y tick labels
  std::vector<Line> lines;
  std::vector<Marker> markers;
  bool zero_line = false;
};

const char* const kPalette[] = {"#1f6fb4", "#d62728", "#2ca02c", "#9467bd",
                                "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
std::string Color(size_t i) { return kPalette[i % (sizeof(kPalette) / sizeof(kPalette[0]))]; }

// At most `max_points`: the series is cut into max_points/2 buckets of equal count, and each
// bucket keeps its minimum and its maximum, in time order. NaN points (gaps) are kept.
std::vector<Pt> Downsample(const std::vector<Pt>& in, size_t max_points) {
  if (in.size() <= max_points || max_points < 4) return in;
  const size_t buckets = max_points / 2;
  const size_t per = (in.size() + buckets - 1) / buckets;
  std::vector<Pt> out;
  out.reserve(max_points + 2);
  for (size_t b = 0; b < in.size(); b += per) {
    const size_t e = std::min(in.size(), b + per);
    size_t lo = b, hi = b;
    bool gap = false;
    for (size_t i = b; i < e; ++i) {
      if (std::isnan(in[i].y)) {
        gap = true;
        continue;
      }
      if (std::isnan(in[lo].y) || in[i].y < in[lo].y) lo = i;
      if (std::isnan(in[hi].y) || in[i].y > in[hi].y) hi = i;
    }
    if (gap && std::isnan(in[lo].y)) {
      out.push_back(in[b]);
      continue;
    }
    if (lo == hi) {
      out.push_back(in[lo]);
    } else {
      out.push_back(in[std::min(lo, hi)]);
      out.push_back(in[std::max(lo, hi)]);
    }
    if (gap) out.push_back(Pt{in[e - 1].x, std::nan("")});
  }
  return out;
}

double NiceStep(double range, int target) {
  if (!(range > 0)) return 1;
  const double raw = range / target;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / p;
  const double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * p;
}

std::string TickLabel(double v, double step) {
  const int decimals = step >= 1 ? 0 : std::min(8, static_cast<int>(std::ceil(-std::log10(step))));
  if (std::fabs(v) < step * 1e-9) v = 0;
  return absl::StrFormat("%.*f", decimals, v);
}

constexpr double kW = 1200, kPadL = 86, kPadR = 18, kPadT = 34, kPadB = 30;

std::string RenderChart(const Chart& c, double x0, double x1, double height = 260) {
  double y0 = INFINITY, y1 = -INFINITY;
  for (const Line& l : c.lines) {
    for (const Pt& p : l.pts) {
      if (std::isnan(p.y)) continue;
      y0 = std::min(y0, p.y);
      y1 = std::max(y1, p.y);
    }
  }
  for (const Marker& m : c.markers) {
    y0 = std::min(y0, m.y);
    y1 = std::max(y1, m.y);
  }
  const bool empty = !(y0 <= y1);
  if (empty) {
    y0 = 0;
    y1 = 1;
  }
  if (c.zero_line || std::any_of(c.lines.begin(), c.lines.end(), [](const Line& l) { return l.fill; })) {
    y0 = std::min(y0, 0.0);
    y1 = std::max(y1, 0.0);
  }
  if (y1 - y0 < 1e-12 * std::max(1.0, std::fabs(y1))) {
    const double pad = std::max(1e-9, std::fabs(y1) * 0.01 + (y1 == 0 ? 1 : 0));
    y0 -= pad;
    y1 += pad;
  } else {
    const double pad = (y1 - y0) * 0.05;
    y0 = y0 == 0 ? 0 : y0 - pad;
    y1 = y1 == 0 ? 0 : y1 + pad;
  }
  if (!(x1 > x0)) x1 = x0 + 1;
  const double pw = kW - kPadL - kPadR, ph = height - kPadT - kPadB;
  auto X = [&](double x) { return kPadL + (x - x0) / (x1 - x0) * pw; };
  auto Y = [&](double y) { return kPadT + (y1 - y) / (y1 - y0) * ph; };

  std::string s = absl::StrFormat(
      "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %.0f %.0f\" xmlns=\"http://www.w3.org/2000/svg\" "
      "role=\"img\" aria-label=\"%s\">\n",
      Esc(c.id), kW, height, Esc(c.title));
  absl::StrAppend(&s, absl::StrFormat("<text class=\"ct\" x=\"%.0f\" y=\"20\">%s</text>", kPadL,
                                      Esc(c.title)));
  if (!c.note.empty()) {
    absl::StrAppend(&s, absl::StrFormat("<text class=\"cn\" x=\"%.0f\" y=\"20\" text-anchor=\"end\">%s</text>",
                                        kW - kPadR, Esc(c.note)));
  }
  // Grid and axes.
  const double ystep = NiceStep(y1 - y0, 5);
  absl::StrAppend(&s, "<g class=\"grid\">");
  for (double v = std::ceil(y0 / ystep) * ystep; v <= y1 + ystep * 1e-9; v += ystep) {
    absl::StrAppend(&s, absl::StrFormat("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                                        kPadL, kW - kPadR, Y(v), Y(v)));
    absl::StrAppend(&s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s%s</text>",
                                        kPadL - 6, Y(v) + 4, TickLabel(v, ystep), Esc(c.unit)));
  }
  static const double kSteps[] = {1,     5,     15,    30,     60,     300,    900,
                                  1800,  3600,  7200,  10800,  21600,  43200,  86400,
                                  172800, 604800, 2592000, 7776000, 31536000};
  const double span = x1 - x0;
  double xstep = kSteps[sizeof(kSteps) / sizeof(kSteps[0]) - 1] * kNsPerSec;
  for (double st : kSteps) {
    if (span / (st * kNsPerSec) <= 9) {
      xstep = st * kNsPerSec;
      break;
    }
  }
  for (double v = std::ceil(x0 / xstep) * xstep; v <= x1; v += xstep) {
    absl::StrAppend(&s, absl::StrFormat("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                                        X(v), X(v), kPadT, kPadT + ph));
    absl::StrAppend(&s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                                        X(v), height - 10, TimeLabel(v, span)));
  }
  absl::StrAppend(&s, "</g>\n");
  if (y0 < 0 && y1 > 0) {
    absl::StrAppend(&s, absl::StrFormat("<line class=\"zero\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n",
                                        kPadL, kW - kPadR, Y(0), Y(0)));
  }
  absl::StrAppend(&s, absl::StrFormat("<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                                      kPadL, kPadT, pw, ph));
  // Lines.
  for (const Line& l : c.lines) {
    std::string d;
    bool pen = false;
    double last_y = 0;
    double first_x = 0, last_x = 0;
    for (const Pt& p : l.pts) {
      if (std::isnan(p.y) || std::isnan(p.x)) {
        pen = false;
        continue;
      }
      const double px = X(p.x), py = Y(p.y);
      if (!pen) {
        if (d.empty()) first_x = px;
        absl::StrAppend(&d, absl::StrFormat("M%.1f %.1f", px, py));
        pen = true;
      } else if (l.step) {
        absl::StrAppend(&d, absl::StrFormat("H%.1fV%.1f", px, py));
      } else {
        absl::StrAppend(&d, absl::StrFormat("L%.1f %.1f", px, py));
      }
      last_y = py;
      last_x = px;
    }
    (void)last_y;
    if (d.empty()) continue;
    if (l.fill) {
      const double zy = Y(std::clamp(0.0, y0, y1));
      absl::StrAppend(&s, absl::StrFormat("<path class=\"area\" fill=\"%s\" d=\"%sV%.1fH%.1fZ\"/>\n",
                                          l.color, d, zy, first_x));
    }
    (void)last_x;
    absl::StrAppend(&s, absl::StrFormat("<path class=\"line\" stroke=\"%s\" d=\"%s\"><title>%s</title></path>\n",
                                        l.color, d, Esc(l.name)));
  }
  // Markers: triangles, up for buys (below the price), down for sells (above).
  if (!c.markers.empty()) {
    absl::StrAppend(&s, "<g class=\"markers\">");
    for (const Marker& m : c.markers) {
      const double px = X(m.x), py = Y(m.y);
      const std::string d =
          m.buy ? absl::StrFormat("M%.1f %.1fl-5 9h10z", px, py + 2)
                : absl::StrFormat("M%.1f %.1fl-5 -9h10z", px, py - 2);
      absl::StrAppend(&s, absl::StrFormat("<path class=\"%s\" d=\"%s\"><title>%s</title></path>",
                                          m.buy ? "buy" : "sell", d, Esc(m.title)));
    }
    absl::StrAppend(&s, "</g>\n");
  }
  // Legend: in the title row, after the title (never over the curves).
  double lx = kPadL + 8.6 * static_cast<double>(c.title.size()) + 24;
  std::string legend;
  for (const Line& l : c.lines) {
    absl::StrAppend(&legend, absl::StrFormat(
        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"15\" y2=\"15\" stroke=\"%s\" stroke-width=\"3\"/>"
        "<text x=\"%.1f\" y=\"20\">%s</text>",
        lx, lx + 14, l.color, lx + 18, Esc(l.name)));
    lx += 7.0 * static_cast<double>(l.name.size()) + 34;
  }
  if (c.lines.size() > 1) absl::StrAppend(&s, "<g class=\"legend\">", legend, "</g>\n");
  if (empty) {
    absl::StrAppend(&s, absl::StrFormat("<text class=\"cn\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no data</text>",
                                        kPadL + pw / 2, kPadT + ph / 2));
  }
  absl::StrAppend(&s, "</svg>\n");
  return s;
}

// ---------------------------------------------------------------- data extraction

struct Span {
  double x0 = 0, x1 = 1;
};

std::vector<Pt> EquityPoints(const RunData& r) {
  std::vector<Pt> pts;
  const int ts = r.equity.Column("ts"), eq = r.equity.Column("equity");
  if (ts < 0 || eq < 0) return pts;
  pts.reserve(r.equity.rows.size() + 1);
  for (const auto& row : r.equity.rows) {
    if (row.size() <= static_cast<size_t>(std::max(ts, eq))) continue;
    pts.push_back(Pt{ToD(row[static_cast<size_t>(ts)]), ToD(row[static_cast<size_t>(eq)])});
  }
  return pts;
}

std::vector<Pt> DrawdownPoints(const std::vector<Pt>& eq, double initial) {
  std::vector<Pt> out;
  out.reserve(eq.size());
  double peak = std::isnan(initial) ? -INFINITY : initial;
  for (const Pt& p : eq) {
    if (std::isnan(p.y)) continue;
    peak = std::max(peak, p.y);
    out.push_back(Pt{p.x, peak > 0 ? (p.y / peak - 1.0) * 100.0 : 0.0});
  }
  return out;
}

Span TimeSpan(const RunData& r, const std::vector<Pt>& eq) {
  Span s;
  const std::string start = Str(Get(r.summary, {"start"}));
  const std::string end = Str(Get(r.summary, {"end"}));
  absl::StatusOr<Timestamp> a = ParseTimestamp(start), b = ParseTimestamp(end);
  if (a.ok() && b.ok() && b->ns > a->ns) {
    s.x0 = static_cast<double>(a->ns);
    s.x1 = static_cast<double>(b->ns);
  } else if (!eq.empty()) {
    s.x0 = eq.front().x;
    s.x1 = eq.back().x;
  }
  if (!(s.x1 > s.x0)) s.x1 = s.x0 + kNsPerSec;
  return s;
}

struct InstrumentSeries {
  std::string symbol;
  std::vector<Pt> price;     // last trade, else mid
  std::vector<Pt> mid;       // quote mid, else last trade (the basis: no bid/ask bounce)
  std::vector<Pt> position;
  bool has_price = false;
  bool traded = false;
};

std::vector<InstrumentSeries> PriceSeries(const RunData& r) {
  std::vector<InstrumentSeries> out;
  const CsvTable& t = r.prices;
  const int ts = t.Column("ts"), sym = t.Column("symbol"), last = t.Column("last_price"),
            mid = t.Column("mid_price"), pos = t.Column("position");
  if (ts < 0 || sym < 0 || last < 0 || mid < 0 || pos < 0) return out;
  std::map<std::string, size_t> index;
  for (const auto& row : t.rows) {
    if (row.size() < t.header.size()) continue;
    const std::string& s = row[static_cast<size_t>(sym)];
    auto [it, added] = index.emplace(s, out.size());
    if (added) {
      out.push_back(InstrumentSeries{});
      out.back().symbol = s;
    }
    InstrumentSeries& is = out[it->second];
    const double x = ToD(row[static_cast<size_t>(ts)]);
    double p = ToD(row[static_cast<size_t>(last)]);
    if (std::isnan(p)) p = ToD(row[static_cast<size_t>(mid)]);
    is.has_price = is.has_price || !std::isnan(p);
    is.price.push_back(Pt{x, p});
    double m = ToD(row[static_cast<size_t>(mid)]);
    if (std::isnan(m)) m = ToD(row[static_cast<size_t>(last)]);
    is.mid.push_back(Pt{x, m});
    const double q = ToD(row[static_cast<size_t>(pos)]);
    is.position.push_back(Pt{x, q});
  }
  const int fsym = r.fills.Column("symbol");
  if (fsym >= 0) {
    for (const auto& row : r.fills.rows) {
      if (row.size() <= static_cast<size_t>(fsym)) continue;
      auto it = index.find(row[static_cast<size_t>(fsym)]);
      if (it != index.end()) out[it->second].traded = true;
    }
  }
  return out;
}

// The pair whose basis the report shows: the strategy's "spot"/"future" parameters when present,
// else the two traded instruments, else the only two instruments with prices.
std::pair<int, int> BasisPair(const RunData& r, const std::vector<InstrumentSeries>& ins) {
  auto find = [&](const std::string& s) -> int {
    for (size_t i = 0; i < ins.size(); ++i) {
      if (ins[i].symbol == s && ins[i].has_price) return static_cast<int>(i);
    }
    return -1;
  };
  const nlohmann::json& strategies = Get(r.summary, {"config", "strategies"});
  if (strategies.is_array()) {
    for (const nlohmann::json& s : strategies) {
      if (!s.is_object()) continue;
      const nlohmann::json& label = s.contains("label") ? s["label"] : Get(s, {"name"});
      if (Str(label) != r.summary.value("label", "") && Str(Get(s, {"name"})) != r.summary.value("label", "")) {
        continue;
      }
      const std::string spot = Str(Get(s, {"params", "spot"}));
      const std::string fut = Str(Get(s, {"params", "future"}));
      if (!spot.empty() && !fut.empty() && find(spot) >= 0 && find(fut) >= 0) {
        return {find(spot), find(fut)};
      }
    }
  }
  std::vector<int> traded, priced;
  for (size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].traded && ins[i].has_price) traded.push_back(static_cast<int>(i));
    if (ins[i].has_price) priced.push_back(static_cast<int>(i));
  }
  if (traded.size() == 2) return {traded[0], traded[1]};
  if (priced.size() == 2) return {priced[0], priced[1]};
  return {-1, -1};
}

// ---------------------------------------------------------------- tables

struct MetricRow {
  const char* label;
  std::vector<const char*> path;
  const char* kind;  // pct, num, money, int, ts
};

const std::vector<MetricRow>& MetricRows() {
  static const std::vector<MetricRow> kRows = {
      {"return", {"metrics", "total_return"}, "pct"},
      {"max drawdown", {"metrics", "max_drawdown", "fraction"}, "pct"},
      {"sharpe", {"metrics", "sharpe"}, "num"},
      {"sortino", {"metrics", "sortino"}, "num"},
      {"volatility (ann.)", {"metrics", "volatility"}, "pct"},
      {"CAGR", {"metrics", "cagr"}, "pct"},
      {"calmar", {"metrics", "calmar"}, "num"},
      {"round trips", {"metrics", "round_trips"}, "int"},
      {"win rate", {"metrics", "win_rate"}, "pct"},
      {"profit factor", {"metrics", "profit_factor"}, "num"},
      {"average win", {"metrics", "average_win"}, "money"},
      {"average loss", {"metrics", "average_loss"}, "money"},
      {"exposure", {"metrics", "exposure"}, "pct"},
      {"turnover", {"metrics", "turnover"}, "num"},
      {"pnl", {"pnl"}, "money"},
      {"fees", {"metrics", "fees"}, "money"},
      {"funding paid", {"metrics", "funding_paid"}, "money"},
      {"funding received", {"metrics", "funding_received"}, "money"},
      {"orders", {"metrics", "orders"}, "int"},
      {"fills", {"metrics", "fills"}, "int"},
      {"final equity", {"final_equity"}, "money"},
      {"drawdown peak", {"metrics", "max_drawdown", "peak"}, "ts"},
      {"drawdown trough", {"metrics", "max_drawdown", "trough"}, "ts"},
      {"recovered", {"metrics", "max_drawdown", "recovery"}, "ts"},
  };
  return kRows;
}

constexpr char kCss[] = R"css(
:root{--fg:#1d2430;--mute:#667085;--line:#d0d5dd;--bg:#ffffff;--card:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:1240px;margin:0 auto;padding:18px 20px 40px}
h1{font-size:22px;margin:4px 0 2px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.sub{color:var(--mute);margin:0 0 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:12px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.card .k{color:var(--mute);font-size:12px}.card .v{font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
.pos{color:#137333}.neg{color:#b42318}
svg.chart{width:100%;height:auto;display:block;margin:6px 0 10px;background:#fff}
svg .ct{font-size:14px;font-weight:600;fill:var(--fg)}svg .cn{font-size:12px;fill:var(--mute)}
svg .grid line{stroke:#eceff3;stroke-width:1}svg .grid text{font-size:11px;fill:var(--mute)}
svg .frame{fill:none;stroke:var(--line)}svg .zero{stroke:#98a2b3;stroke-dasharray:4 3}
svg .line{fill:none;stroke-width:1.6;stroke-linejoin:round}svg .area{opacity:.18;stroke:none}
svg .legend text{font-size:12px;fill:var(--fg)}
svg .buy{fill:#12a150;stroke:#0b5d2e;stroke-width:.6}svg .sell{fill:#d92d20;stroke:#7a1a12;stroke-width:.6}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:var(--card);position:sticky;top:0}
.scroll{max-height:480px;overflow:auto;border:1px solid var(--line);border-radius:6px}
pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:520px;font-size:12px}
a{color:#1f6fb4}.note{color:var(--mute);font-size:12px}
)css";

std::string Page(const std::string& title, const std::string& body) {
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
                      "<title>", Esc(title), "</title>\n<style>", kCss, "</style>\n</head>\n<body>\n<main>\n",
                      body, "</main>\n</body>\n</html>\n");
}

std::string SignClass(double v) {
  if (std::isnan(v) || v == 0) return "";
  return v > 0 ? " pos" : " neg";
}

}  // namespace

// ---------------------------------------------------------------- public

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<CsvTable> ReadCsv(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  CsvTable t;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  size_t line = 1;
  auto end_row = [&]() {
    row.push_back(std::move(field));
    field.clear();
    if (t.header.empty()) {
      t.header = std::move(row);
    } else {
      t.rows.push_back(std::move(row));
    }
    row.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      end_row();
      ++line;
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (quoted) return absl::DataLossError(absl::StrCat(path, ":", line, ": unterminated quote"));
  if (any || !field.empty()) end_row();
  if (t.header.empty()) return absl::DataLossError(absl::StrCat(path, ": empty file (no header)"));
  return t;
}

absl::StatusOr<RunData> LoadRun(const std::string& dir) {
  RunData r;
  r.dir = dir;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(dir + "/summary.json", &r.summary));
  if (Str(Get(r.summary, {"schema"})) != "tapedeck.summary/1") {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/summary.json: schema: expected \"tapedeck.summary/1\" (one strategy's outputs)"));
  }
  r.name = Str(Get(r.summary, {"label"}));
  TAPEDECK_ASSIGN_OR_RETURN(r.equity, ReadCsv(dir + "/equity.csv"));
  TAPEDECK_ASSIGN_OR_RETURN(r.fills, ReadCsv(dir + "/fills.csv"));
  if (std::filesystem::exists(dir + "/prices.csv")) {
    TAPEDECK_ASSIGN_OR_RETURN(r.prices, ReadCsv(dir + "/prices.csv"));
  }
  if (std::filesystem::exists(dir + "/round_trips.csv")) {
    TAPEDECK_ASSIGN_OR_RETURN(r.round_trips, ReadCsv(dir + "/round_trips.csv"));
  }
  return r;
}

absl::StatusOr<std::vector<std::string>> StrategyDirs(const std::string& dir) {
  nlohmann::json s;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(dir + "/summary.json", &s));
  const std::string schema = Str(Get(s, {"schema"}));
  if (schema == "tapedeck.summary/1") return std::vector<std::string>{dir};
  if (schema != "tapedeck.run/1") {
    return absl::InvalidArgumentError(absl::StrCat(
        dir, "/summary.json: schema: '", schema,
        "' is neither tapedeck.run/1 (a run directory) nor tapedeck.summary/1 (a strategy's)"));
  }
  std::vector<std::string> out;
  const nlohmann::json& list = Get(s, {"strategies"});
  if (!list.is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(dir, "/summary.json: strategies: expected an array"));
  }
  for (const nlohmann::json& one : list) {
    const std::string label = Str(Get(one, {"label"}));
    if (label.empty() || label.find('/') != std::string::npos || label == "..") {
      return absl::InvalidArgumentError(absl::StrCat(dir, "/summary.json: strategies: bad label '", label, "'"));
    }
    out.push_back(dir + "/" + label);
  }
  return out;
}

std::string FormatMetric(const nlohmann::json& v, std::string_view kind) {
  if (v.is_null()) return "-";
  if (kind == "ts") return Str(v);
  if (kind == "int") return v.is_number() ? absl::StrCat(v.get<int64_t>()) : Str(v);
  const double d = JD(v);
  if (std::isnan(d)) return Str(v);
  if (kind == "pct") return absl::StrFormat("%.2f%%", d * 100);
  if (kind == "money") {
    // Two decimals from the exact text, without a double round trip.
    std::string t = Str(v);
    const size_t dot = t.find('.');
    return dot == std::string::npos ? t : t.substr(0, std::min(t.size(), dot + 3));
  }
  return absl::StrFormat("%.2f", d);
}

std::string RenderRunReport(const RunData& r) {
  const nlohmann::json& s = r.summary;
  const std::vector<Pt> eq = EquityPoints(r);
  const Span span = TimeSpan(r, eq);
  const double initial = JD(Get(s, {"initial_cash"}));
  std::vector<Pt> eq_full;
  eq_full.reserve(eq.size() + 1);
  if (!std::isnan(initial) && (eq.empty() || eq.front().x > span.x0)) eq_full.push_back(Pt{span.x0, initial});
  eq_full.insert(eq_full.end(), eq.begin(), eq.end());

  std::string b;
  const std::string label = Str(Get(s, {"label"}));
  absl::StrAppend(&b, "<h1>", Esc(label), " <span class=\"note\">(", Esc(Str(Get(s, {"strategy"}))),
                  ")</span></h1>\n");
  absl::StrAppend(&b, "<p class=\"sub\">", Esc(Str(Get(s, {"start"}))), " &rarr; ", Esc(Str(Get(s, {"end"}))),
                  " &middot; ", Esc(Str(Get(s, {"events"}))), " events &middot; seed ",
                  Esc(Str(Get(s, {"seed"}))), " &middot; digest <code>", Esc(Str(Get(s, {"digest", "run"}))),
                  "</code></p>\n");

  // Key figures.
  struct Card {
    const char* k;
    std::vector<const char*> path;
    const char* kind;
    bool signed_color;
  };
  static const std::vector<Card> kCards = {
      {"PnL", {"pnl"}, "money", true},
      {"Return", {"metrics", "total_return"}, "pct", true},
      {"Max drawdown", {"metrics", "max_drawdown", "fraction"}, "pct", false},
      {"Sharpe", {"metrics", "sharpe"}, "num", true},
      {"Sortino", {"metrics", "sortino"}, "num", true},
      {"Volatility (ann.)", {"metrics", "volatility"}, "pct", false},
      {"CAGR", {"metrics", "cagr"}, "pct", true},
      {"Calmar", {"metrics", "calmar"}, "num", true},
      {"Round trips", {"metrics", "round_trips"}, "int", false},
      {"Win rate", {"metrics", "win_rate"}, "pct", false},
      {"Profit factor", {"metrics", "profit_factor"}, "num", false},
      {"Avg win / loss", {"metrics", "average_win"}, "money", false},
      {"Exposure", {"metrics", "exposure"}, "pct", false},
      {"Turnover", {"metrics", "turnover"}, "num", false},
      {"Fees", {"metrics", "fees"}, "money", false},
      {"Funding paid / recv.", {"metrics", "funding_paid"}, "money", false},
      {"Orders / fills", {"metrics", "orders"}, "int", false},
      {"Final equity", {"final_equity"}, "money", false},
  };
  absl::StrAppend(&b, "<div class=\"cards\">\n");
  for (const Card& c : kCards) {
    const nlohmann::json& v = GetPath(s, c.path);
    std::string text = FormatMetric(v, c.kind);
    const std::string k = c.k;
    if (k == "Avg win / loss") text += " / " + FormatMetric(Get(s, {"metrics", "average_loss"}), "money");
    if (k == "Funding paid / recv.") text += " / " + FormatMetric(Get(s, {"metrics", "funding_received"}), "money");
    if (k == "Orders / fills") text += " / " + FormatMetric(Get(s, {"metrics", "fills"}), "int");
    if (k == "Max drawdown" && !v.is_null()) text = "-" + text;
    absl::StrAppend(&b, "<div class=\"card\"><div class=\"k\">", Esc(c.k), "</div><div class=\"v",
                    c.signed_color ? SignClass(JD(v)) : std::string(), "\">", Esc(text), "</div></div>\n");
  }
  absl::StrAppend(&b, "</div>\n");

  // Equity and drawdown.
  Chart ce;
  ce.id = "equity";
  ce.title = "Equity (quote currency)";
  ce.note = absl::StrCat(eq.size(), " samples");
  ce.lines.push_back(Line{"equity", "#1f6fb4", Downsample(eq_full, kMaxCurvePoints), false, false});
  absl::StrAppend(&b, "<h2>Equity and drawdown</h2>\n", RenderChart(ce, span.x0, span.x1, 300));
  Chart cd;
  cd.id = "drawdown";
  cd.title = "Drawdown from the running peak";
  cd.unit = "%";
  Line dl{"drawdown", "#d62728", Downsample(DrawdownPoints(eq_full, initial), kMaxCurvePoints), false, false};
  dl.fill = true;
  cd.lines.push_back(dl);
  const nlohmann::json& dd = Get(s, {"metrics", "max_drawdown"});
  if (!Get(dd, {"peak"}).is_null()) {
    cd.note = absl::StrCat("max ", FormatMetric(Get(dd, {"fraction"}), "pct"), ": peak ", Str(Get(dd, {"peak"})),
                           ", trough ", Str(Get(dd, {"trough"})), ", ",
                           Get(dd, {"recovery"}).is_null() ? std::string("not recovered")
                                                           : "recovered " + Str(Get(dd, {"recovery"})));
  }
  absl::StrAppend(&b, RenderChart(cd, span.x0, span.x1, 200));

  // Prices with fills, positions, basis.
  const std::vector<InstrumentSeries> ins = PriceSeries(r);
  std::vector<size_t> shown;
  for (size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].traded && ins[i].has_price) shown.push_back(i);
  }
  if (shown.empty()) {
    for (size_t i = 0; i < ins.size() && shown.size() < 2; ++i) {
      if (ins[i].has_price) shown.push_back(i);
    }
  }
  if (!ins.empty()) absl::StrAppend(&b, "<h2>Prices and fills</h2>\n");
  if (ins.empty()) {
    absl::StrAppend(&b, "<p class=\"note\">No prices.csv in this run directory: no price, position or basis charts.</p>\n");
  }
  const int fts = r.fills.Column("local_ts"), fsym = r.fills.Column("symbol"), fside = r.fills.Column("side"),
            fpx = r.fills.Column("price"), fqty = r.fills.Column("qty");
  for (size_t k = 0; k < shown.size() && k < 6; ++k) {
    const InstrumentSeries& is = ins[shown[k]];
    Chart cp;
    cp.id = "price-" + is.symbol;
    cp.title = absl::StrCat(is.symbol, " price, buys \u25B2 and sells \u25BC");
    cp.lines.push_back(Line{is.symbol, Color(k), Downsample(is.price, kMaxCurvePoints), false, false});
    if (fts >= 0 && fsym >= 0 && fside >= 0 && fpx >= 0 && fqty >= 0) {
      std::vector<const std::vector<std::string>*> mine;
      for (const auto& row : r.fills.rows) {
        if (row.size() >= r.fills.header.size() && row[static_cast<size_t>(fsym)] == is.symbol) {
          mine.push_back(&row);
        }
      }
      const size_t every = (mine.size() + kMaxMarkers - 1) / kMaxMarkers;
      for (size_t i = 0; i < mine.size(); i += std::max<size_t>(every, 1)) {
        const auto& row = *mine[i];
        const bool buy = row[static_cast<size_t>(fside)] == "buy";
        cp.markers.push_back(Marker{ToD(row[static_cast<size_t>(fts)]), ToD(row[static_cast<size_t>(fpx)]), buy,
                                    absl::StrCat(buy ? "buy " : "sell ", row[static_cast<size_t>(fqty)], " @ ",
                                                 row[static_cast<size_t>(fpx)], "  ",
                                                 FormatTimestamp(Timestamp(static_cast<int64_t>(
                                                     ToD(row[static_cast<size_t>(fts)])))))});
      }
      cp.note = every > 1 ? absl::StrCat("every ", every, "th of ", mine.size(), " fills shown")
                          : absl::StrCat(mine.size(), " fills");
    }
    absl::StrAppend(&b, RenderChart(cp, span.x0, span.x1, 280));
  }
  if (!ins.empty()) {
    Chart cq;
    cq.id = "position";
    cq.title = "Position (base units or contracts)";
    cq.zero_line = true;
    size_t k = 0;
    for (const InstrumentSeries& is : ins) {
      if (!is.traded) continue;
      Line l{is.symbol, Color(k++), Downsample(is.position, kMaxCurvePoints), false, false};
      l.step = true;
      cq.lines.push_back(l);
    }
    if (cq.lines.empty()) cq.note = "no fills";
    absl::StrAppend(&b, "<h2>Position</h2>\n", RenderChart(cq, span.x0, span.x1, 220));

    const auto [a, c] = BasisPair(r, ins);
    if (a >= 0 && c >= 0) {
      const InstrumentSeries& A = ins[static_cast<size_t>(a)];
      const InstrumentSeries& C = ins[static_cast<size_t>(c)];
      std::vector<Pt> basis;
      for (size_t i = 0; i < A.mid.size() && i < C.mid.size(); ++i) {
        const double pa = A.mid[i].y, pc = C.mid[i].y;
        basis.push_back(Pt{A.mid[i].x, pa > 0 && !std::isnan(pc) ? (pc - pa) / pa * 1e4 : std::nan("")});
      }
      Chart cb;
      cb.id = "basis";
      cb.title = absl::StrCat("Basis ", C.symbol, " \u2212 ", A.symbol, " (mids, bps of ", A.symbol, ", not annualised)");
      cb.zero_line = true;
      cb.lines.push_back(Line{"basis", "#9467bd", Downsample(basis, kMaxCurvePoints), false, false});
      absl::StrAppend(&b, "<h2>Basis</h2>\n", RenderChart(cb, span.x0, span.x1, 220));
    }
  }

  // Per instrument.
  const nlohmann::json& per = Get(s, {"metrics", "instruments"});
  if (per.is_array() && !per.empty()) {
    absl::StrAppend(&b, "<h2>Instruments</h2>\n<table><tr><th>symbol</th><th>pnl</th><th>fees</th><th>funding</th>"
                        "<th>traded notional</th><th>final position</th><th>fills</th><th>round trips</th>"
                        "<th>wins</th><th>exposure</th></tr>\n");
    for (const nlohmann::json& i : per) {
      absl::StrAppend(&b, "<tr><td>", Esc(Str(Get(i, {"symbol"}))), "</td><td class=\"", SignClass(JD(Get(i, {"pnl"}))),
                      "\">", FormatMetric(Get(i, {"pnl"}), "money"), "</td><td>", FormatMetric(Get(i, {"fees"}), "money"),
                      "</td><td>", FormatMetric(Get(i, {"funding"}), "money"), "</td><td>",
                      FormatMetric(Get(i, {"traded_notional"}), "money"), "</td><td>",
                      Esc(Str(Get(i, {"final_position"}))), "</td><td>", FormatMetric(Get(i, {"fills"}), "int"),
                      "</td><td>", FormatMetric(Get(i, {"round_trips"}), "int"), "</td><td>",
                      FormatMetric(Get(i, {"wins"}), "int"), "</td><td>", FormatMetric(Get(i, {"exposure"}), "pct"),
                      "</td></tr>\n");
    }
    absl::StrAppend(&b, "</table>\n");
  }

  // Spread.
  const nlohmann::json& spread = Get(s, {"metrics", "spread"});
  if (spread.is_object()) {
    absl::StrAppend(&b, "<h2>Spread: basis at entry and exit</h2>\n<p class=\"sub\">captured ",
                    Esc(Str(Get(spread, {"captured_basis_bps_total"}))), " bps (annualised basis, as the strategy reports it) over ",
                    Esc(Str(Get(spread, {"closed_rounds"}))), " closed of ", Esc(Str(Get(spread, {"rounds"}))),
                    " rounds</p>\n<table><tr><th>entry</th><th>entry basis (bps)</th><th>exit</th>"
                    "<th>exit basis (bps)</th><th>captured (bps)</th><th>exit reason</th></tr>\n");
    const nlohmann::json& entries = Get(spread, {"entries"});
    if (entries.is_array()) {
      for (const nlohmann::json& e : entries) {
        absl::StrAppend(&b, "<tr><td>", Esc(Str(Get(e, {"entry_time"}))), "</td><td>",
                        Esc(FormatMetric(Get(e, {"entry_basis_bps"}), "int")), "</td><td>",
                        Esc(Str(Get(e, {"exit_time"}))), "</td><td>", Esc(FormatMetric(Get(e, {"exit_basis_bps"}), "int")),
                        "</td><td>", Esc(FormatMetric(Get(e, {"captured_basis_bps"}), "int")), "</td><td>",
                        Esc(Str(Get(e, {"exit_reason"}))), "</td></tr>\n");
      }
    }
    absl::StrAppend(&b, "</table>\n");
  }

  // Round trips.
  absl::StrAppend(&b, "<h2>Round trips</h2>\n");
  if (r.round_trips.rows.empty()) {
    absl::StrAppend(&b, "<p class=\"note\">No round trips.</p>\n");
  } else {
    const size_t n = r.round_trips.rows.size();
    absl::StrAppend(&b, "<p class=\"note\">Flat-to-flat position cycles per instrument",
                    n > kMaxTableRows ? absl::StrCat("; the first ", kMaxTableRows, " of ", n, " (all in round_trips.csv)")
                                      : std::string(),
                    ". Prices are volume-weighted; PnL is net of fees.</p>\n<div class=\"scroll\"><table><tr>");
    static const char* const kCols[] = {"symbol", "side", "status", "open_utc", "close_utc", "qty",
                                        "entry_price", "exit_price", "fills", "fees", "pnl"};
    static const char* const kHeads[] = {"symbol", "side", "status", "opened (UTC)", "closed (UTC)", "qty",
                                         "entry price", "exit price", "fills", "fees", "pnl"};
    for (const char* h : kHeads) absl::StrAppend(&b, "<th>", h, "</th>");
    absl::StrAppend(&b, "</tr>\n");
    const int pnl_col = r.round_trips.Column("pnl");
    for (size_t i = 0; i < n && i < kMaxTableRows; ++i) {
      const auto& row = r.round_trips.rows[i];
      absl::StrAppend(&b, "<tr>");
      for (const char* c : kCols) {
        const int col = r.round_trips.Column(c);
        const std::string v = col >= 0 && static_cast<size_t>(col) < row.size() ? row[static_cast<size_t>(col)] : "";
        const bool money = std::string_view(c) == "fees" || std::string_view(c) == "pnl";
        const bool time = std::string_view(c) == "open_utc" || std::string_view(c) == "close_utc";
        // Times to the second for the table ("2026-02-05 16:48:20"); the CSV keeps nanoseconds.
        const std::string cell = money ? FormatMetric(nlohmann::json(v), "money")
                                  : time && v.size() >= 19 ? absl::StrCat(v.substr(0, 10), " ", v.substr(11, 8))
                                                           : v;
        absl::StrAppend(&b, "<td", col == pnl_col ? absl::StrCat(" class=\"", SignClass(ToD(v)), "\"") : "", ">",
                        Esc(cell), "</td>");
      }
      absl::StrAppend(&b, "</tr>\n");
    }
    absl::StrAppend(&b, "</table></div>\n");
  }

  // The strategy's own report and the config.
  const nlohmann::json& sr = Get(s, {"strategy_report"});
  if (sr.is_object() && !sr.empty()) {
    absl::StrAppend(&b, "<h2>Strategy report</h2>\n<details><summary>strategy_report (summary.json)</summary><pre>",
                    Esc(sr.dump(2)), "</pre></details>\n");
  }
  absl::StrAppend(&b, "<h2>Config</h2>\n<p class=\"note\">The run config that produced these results.</p><pre>",
                  Esc(Get(s, {"config"}).dump(2)), "</pre>\n");
  absl::StrAppend(&b, "<p class=\"note\">Files: summary.json, equity.csv, prices.csv, fills.csv, orders.csv, "
                      "round_trips.csv, digest.txt. Rebuild this page with <code>tapedeck report DIR</code>.</p>\n");
  return Page(absl::StrCat(label, ": tapedeck report"), b);
}

std::string RenderCompare(const std::vector<RunData>& runs, const std::string& title,
                          const std::vector<std::string>& links) {
  std::string b;
  absl::StrAppend(&b, "<h1>", Esc(title), "</h1>\n<p class=\"sub\">", runs.size(), " runs side by side</p>\n");
  absl::StrAppend(&b, "<table><tr><th>metric</th>");
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string name = Esc(runs[i].name);
    absl::StrAppend(&b, "<th>", i < links.size() && !links[i].empty()
                                   ? absl::StrCat("<a href=\"", Esc(links[i]), "\">", name, "</a>")
                                   : name,
                    "</th>");
  }
  absl::StrAppend(&b, "</tr>\n<tr><td>strategy</td>");
  for (const RunData& r : runs) absl::StrAppend(&b, "<td>", Esc(Str(Get(r.summary, {"strategy"}))), "</td>");
  absl::StrAppend(&b, "</tr>\n");
  for (const MetricRow& m : MetricRows()) {
    absl::StrAppend(&b, "<tr><td>", m.label, "</td>");
    for (const RunData& r : runs) {
      const nlohmann::json& v = GetPath(r.summary, m.path);
      const bool colored = std::string_view(m.label) == "return" || std::string_view(m.label) == "pnl";
      absl::StrAppend(&b, "<td", colored ? absl::StrCat(" class=\"", SignClass(JD(v)), "\"") : "", ">",
                      Esc(FormatMetric(v, m.kind)), "</td>");
    }
    absl::StrAppend(&b, "</tr>\n");
  }
  absl::StrAppend(&b, "</table>\n");

  double x0 = INFINITY, x1 = -INFINITY;
  Chart ce, cr, cd;
  ce.id = "equity";
  ce.title = "Equity (quote currency)";
  cr.id = "return";
  cr.title = "Return since start";
  cr.unit = "%";
  cr.zero_line = true;
  cd.id = "drawdown";
  cd.title = "Drawdown from the running peak";
  cd.unit = "%";
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunData& r = runs[i];
    std::vector<Pt> eq = EquityPoints(r);
    const Span sp = TimeSpan(r, eq);
    x0 = std::min(x0, sp.x0);
    x1 = std::max(x1, sp.x1);
    const double initial = JD(Get(r.summary, {"initial_cash"}));
    if (!std::isnan(initial) && (eq.empty() || eq.front().x > sp.x0)) eq.insert(eq.begin(), Pt{sp.x0, initial});
    std::vector<Pt> ret;
    for (const Pt& p : eq) ret.push_back(Pt{p.x, initial > 0 ? (p.y / initial - 1) * 100 : std::nan("")});
    ce.lines.push_back(Line{r.name, Color(i), Downsample(eq, kMaxCurvePoints), false, false});
    cr.lines.push_back(Line{r.name, Color(i), Downsample(ret, kMaxCurvePoints), false, false});
    cd.lines.push_back(Line{r.name, Color(i), Downsample(DrawdownPoints(eq, initial), kMaxCurvePoints), false, false});
  }
  if (!(x1 > x0)) {
    x0 = 0;
    x1 = 1;
  }
  absl::StrAppend(&b, "<h2>Curves</h2>\n", RenderChart(cr, x0, x1, 300), RenderChart(ce, x0, x1, 300),
                  RenderChart(cd, x0, x1, 220));
  absl::StrAppend(&b, "<p class=\"note\">Directories:</p><ul>");
  for (const RunData& r : runs) absl::StrAppend(&b, "<li><code>", Esc(r.dir), "</code></li>");
  absl::StrAppend(&b, "</ul>\n");
  return Page(title, b);
}

std::string MetricsText(const std::vector<RunData>& runs) {
  std::vector<std::vector<std::string>> cols;
  std::vector<std::string> names = {"metric", "strategy"};
  for (const MetricRow& m : MetricRows()) names.push_back(m.label);
  cols.push_back(names);
  for (const RunData& r : runs) {
    std::vector<std::string> c = {r.name, Str(Get(r.summary, {"strategy"}))};
    for (const MetricRow& m : MetricRows()) c.push_back(FormatMetric(GetPath(r.summary, m.path), m.kind));
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
  return out;
}

absl::Status WriteReports(const std::string& dir, std::vector<std::string>* written) {
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<std::string> dirs, StrategyDirs(dir));
  nlohmann::json top;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(dir + "/summary.json", &top));
  const bool is_run = Str(Get(top, {"schema"})) == "tapedeck.run/1";
  std::vector<RunData> runs;
  std::vector<std::string> links;
  for (const std::string& d : dirs) {
    TAPEDECK_ASSIGN_OR_RETURN(RunData r, LoadRun(d));
    const std::string path = d + "/report.html";
    TAPEDECK_RETURN_IF_ERROR(WriteFileAtomically(path, RenderRunReport(r)));
    written->push_back(path);
    links.push_back(absl::StrCat(std::filesystem::path(d).filename().string(), "/report.html"));
    runs.push_back(std::move(r));
  }
  if (is_run) {
    const std::string path = dir + "/report.html";
    TAPEDECK_RETURN_IF_ERROR(WriteFileAtomically(
        path, RenderCompare(runs, absl::StrCat("Run ", std::filesystem::path(dir).filename().string()), links)));
    written->push_back(path);
  }
  return absl::OkStatus();
}

}  // namespace tapedeck::apps
