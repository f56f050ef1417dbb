#include "analysis/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/html.h"

namespace tapedeck::analysis {
namespace {

constexpr double kNsPerSec = 1e9;
// The view box: 1200 wide; the plot sits inside these paddings (pixels).
constexpr double kW = 1200, kPadL = 86, kPadR = 18, kPadT = 34, kPadB = 30;

const char* const kPalette[] = {"#1f6fb4", "#d62728", "#2ca02c", "#9467bd",
                                "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

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

// An x-axis label: the date over spans of days, seconds over short spans, else hours:minutes.
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

// A round step (1, 2 or 5 times a power of ten) giving about `target` ticks over `range`.
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

// The plot's value ranges and the mapping from values to pixels.
struct Frame {
  double x0, x1, y0, y1;
  double height;
  bool empty;  // no finite value: "no data"
  double pw() const { return kW - kPadL - kPadR; }
  double ph() const { return height - kPadT - kPadB; }
  bool down = false;  // y0 at the top
  double X(double x) const { return kPadL + (x - x0) / (x1 - x0) * pw(); }
  double Y(double y) const {
    return kPadT + (down ? (y - y0) : (y1 - y)) / (y1 - y0) * ph();
  }
};

// The y range of the lines and markers, padded by 5 % (an exact 0 stays the edge), with 0 in
// it for zero-line and filled charts; a flat series gets a small range around its value.
Frame MakeFrame(const Chart& c, double x0, double x1, double height) {
  Frame f{x0, x1, INFINITY, -INFINITY, height, false, c.y_down};
  for (const Line& l : c.lines) {
    for (const std::vector<Pt>* v : {&l.pts, &l.band_low}) {
      for (const Pt& p : *v) {
        if (std::isnan(p.y)) continue;
        f.y0 = std::min(f.y0, p.y);
        f.y1 = std::max(f.y1, p.y);
      }
    }
  }
  for (const Marker& m : c.markers) {
    f.y0 = std::min(f.y0, m.y);
    f.y1 = std::max(f.y1, m.y);
  }
  f.empty = !(f.y0 <= f.y1);
  if (f.empty) {
    f.y0 = 0;
    f.y1 = 1;
  }
  if (c.zero_line ||
      std::any_of(c.lines.begin(), c.lines.end(), [](const Line& l) { return l.fill; })) {
    f.y0 = std::min(f.y0, 0.0);
    f.y1 = std::max(f.y1, 0.0);
  }
  if (f.y1 - f.y0 < 1e-12 * std::max(1.0, std::fabs(f.y1))) {
    const double pad = std::max(1e-9, std::fabs(f.y1) * 0.01 + (f.y1 == 0 ? 1 : 0));
    f.y0 -= pad;
    f.y1 += pad;
  } else {
    const double pad = (f.y1 - f.y0) * 0.05;
    f.y0 = f.y0 == 0 ? 0 : f.y0 - pad;
    f.y1 = f.y1 == 0 ? 0 : f.y1 + pad;
  }
  if (!(f.x1 > f.x0)) f.x1 = f.x0 + 1;
  return f;
}

// The x tick step: the first round duration that gives at most 9 ticks.
double TimeStep(double span) {
  static const double kSteps[] = {1,      5,      15,      30,      60,      300,   900,
                                  1800,   3600,   7200,    10800,   21600,   43200, 86400,
                                  172800, 604800, 2592000, 7776000, 31536000};
  for (double st : kSteps) {
    if (span / (st * kNsPerSec) <= 9) return st * kNsPerSec;
  }
  return kSteps[std::size(kSteps) - 1] * kNsPerSec;
}

// The time axis: vertical grid lines and their labels, in a group of their own that the page
// script redraws for a zoomed range.
std::string RenderTimeTicks(const Frame& f) {
  std::string s = "<g class=\"grid xt\">";
  const double span = f.x1 - f.x0;
  const double xstep = TimeStep(span);
  for (double v = std::ceil(f.x0 / xstep) * xstep; v <= f.x1; v += xstep) {
    absl::StrAppend(&s, absl::StrFormat("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                                        f.X(v), f.X(v), kPadT, kPadT + f.ph()));
    absl::StrAppend(
        &s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", f.X(v),
                            f.height - 10, TimeLabel(v, span)));
  }
  return s + "</g>\n";
}

// Grid lines with their labels, the zero line and the frame.
std::string RenderGrid(const Chart& c, const Frame& f) {
  std::string s = "<g class=\"grid\">";
  const double ystep = NiceStep(f.y1 - f.y0, 5);
  for (double v = std::ceil(f.y0 / ystep) * ystep; v <= f.y1 + ystep * 1e-9; v += ystep) {
    absl::StrAppend(&s, absl::StrFormat("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                                        kPadL, kW - kPadR, f.Y(v), f.Y(v)));
    absl::StrAppend(
        &s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s%s</text>",
                            kPadL - 6, f.Y(v) + 4, TickLabel(v, ystep), HtmlEscape(c.unit)));
  }
  absl::StrAppend(&s, "</g>\n");
  absl::StrAppend(&s, RenderTimeTicks(f));
  if (f.y0 < 0 && f.y1 > 0) {
    absl::StrAppend(&s, absl::StrFormat("<line class=\"zero\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                                        "y2=\"%.1f\"/>\n",
                                        kPadL, kW - kPadR, f.Y(0), f.Y(0)));
  }
  absl::StrAppend(&s, absl::StrFormat("<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                      "height=\"%.1f\"/>\n",
                                      kPadL, kPadT, f.pw(), f.ph()));
  return s;
}

// The zoom range an element is drawn in, for the page script; hidden at first when it shows
// only from some zoom on.
std::string ZoomAttributes(const Line& l) {
  std::string a;
  if (l.show_from_zoom > 0) {
    absl::StrAppend(&a, absl::StrFormat(" data-zin=\"%g\" style=\"display:none\"", l.show_from_zoom));
  }
  if (l.hide_from_zoom > 0) absl::StrAppend(&a, absl::StrFormat(" data-zout=\"%g\"", l.hide_from_zoom));
  return a;
}

// A shaded band from band_low up to pts: along the top forward, back along the bottom.
std::string RenderBand(const Line& l, const Frame& f) {
  std::string d;
  const size_t n = std::min(l.pts.size(), l.band_low.size());
  for (size_t i = 0; i < n; ++i) {
    const Pt& p = l.pts[i];
    if (std::isnan(p.y) || std::isnan(l.band_low[i].y)) continue;
    if (d.empty()) {
      absl::StrAppend(&d, absl::StrFormat("M%.1f %.1f", f.X(p.x), f.Y(p.y)));
    } else if (l.step) {
      absl::StrAppend(&d, absl::StrFormat("H%.1fV%.1f", f.X(p.x), f.Y(p.y)));
    } else {
      absl::StrAppend(&d, absl::StrFormat("L%.1f %.1f", f.X(p.x), f.Y(p.y)));
    }
  }
  for (size_t i = n; i-- > 0;) {
    const Pt& p = l.band_low[i];
    if (std::isnan(p.y) || std::isnan(l.pts[i].y)) continue;
    absl::StrAppend(&d, l.step ? absl::StrFormat("V%.1fH%.1f", f.Y(p.y), f.X(p.x))
                               : absl::StrFormat("L%.1f %.1f", f.X(p.x), f.Y(p.y)));
  }
  if (d.empty()) return "";
  return absl::StrFormat("<path class=\"band\" fill=\"%s\"%s d=\"%sZ\"><title>%s</title></path>\n",
                         l.color, ZoomAttributes(l), d, HtmlEscape(l.name));
}

// One line as a path (and its shaded area when filled); "" when it has no finite point.
std::string RenderLine(const Line& l, const Frame& f) {
  if (!l.band_low.empty()) return RenderBand(l, f);
  std::string d;
  bool pen = false;
  double first_x = 0;
  for (const Pt& p : l.pts) {
    if (std::isnan(p.y) || std::isnan(p.x)) {
      pen = false;
      continue;
    }
    const double px = f.X(p.x), py = f.Y(p.y);
    if (!pen) {
      if (d.empty()) first_x = px;
      absl::StrAppend(&d, absl::StrFormat("M%.1f %.1f", px, py));
      pen = true;
    } else if (l.step) {
      absl::StrAppend(&d, absl::StrFormat("H%.1fV%.1f", px, py));
    } else {
      absl::StrAppend(&d, absl::StrFormat("L%.1f %.1f", px, py));
    }
  }
  if (d.empty()) return "";
  const std::string zoom = ZoomAttributes(l);
  std::string s;
  if (l.fill) {
    const double zy = f.Y(std::clamp(0.0, f.y0, f.y1));
    absl::StrAppend(&s, absl::StrFormat("<path class=\"area\" fill=\"%s\"%s d=\"%sV%.1fH%.1fZ\"/>\n",
                                        l.color, zoom, d, zy, first_x));
  }
  absl::StrAppend(&s, absl::StrFormat("<path class=\"line%s\" stroke=\"%s\"%s d=\"%s\"><title>%s</title>"
                                      "</path>\n",
                                      l.dashed ? " ref" : "", l.color, zoom, d, HtmlEscape(l.name)));
  return s;
}

std::string RenderMarkers(const Chart& c, const Frame& f) {
  if (c.markers.empty()) return "";
  std::string s = "<g class=\"markers\">";
  for (const Marker& m : c.markers) {
    const double px = f.X(m.x), py = f.Y(m.y);
    const std::string d = m.buy ? absl::StrFormat("M%.1f %.1fl-5 9h10z", px, py + 2)
                                : absl::StrFormat("M%.1f %.1fl-5 -9h10z", px, py - 2);
    absl::StrAppend(&s, absl::StrFormat("<path class=\"%s\" d=\"%s\"><title>%s</title></path>",
                                        m.buy ? "buy" : "sell", d, HtmlEscape(m.title)));
  }
  absl::StrAppend(&s, "</g>\n");
  return s;
}

// In the title row, after the title (never over the curves); only with several lines.
std::string RenderLegend(const Chart& c) {
  const size_t shown = static_cast<size_t>(
      std::count_if(c.lines.begin(), c.lines.end(), [](const Line& l) { return l.in_legend; }));
  if (shown <= 1) return "";
  double lx = kPadL + 8.6 * static_cast<double>(c.title.size()) + 24;
  std::string legend;
  for (const Line& l : c.lines) {
    if (!l.in_legend) continue;
    absl::StrAppend(
        &legend,
        absl::StrFormat(
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"15\" y2=\"15\" stroke=\"%s\" stroke-width=\"3\"%s/>"
            "<text x=\"%.1f\" y=\"20\">%s</text>",
            lx, lx + 14, l.color, l.dashed ? " stroke-dasharray=\"4 3\"" : "", lx + 18,
            HtmlEscape(l.name)));
    lx += 7.0 * static_cast<double>(l.name.size()) + 34;
  }
  return absl::StrCat("<g class=\"legend\">", legend, "</g>\n");
}

}  // namespace

std::string ChartColor(size_t i) { return kPalette[i % std::size(kPalette)]; }

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

std::string RenderChart(const Chart& c, double x0, double x1, double height) {
  const Frame f = MakeFrame(c, x0, x1, height);
  // data-x0/x1: the time range (ns) the plot spans; data-pl/pw/ph/pt: the plot's box. The page
  // script zooms with them.
  std::string s = absl::StrFormat(
      "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %.0f %.0f\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"%s\" "
      "data-x0=\"%.0f\" data-x1=\"%.0f\" data-pl=\"%.0f\" data-pw=\"%.0f\" data-pt=\"%.0f\" "
      "data-ph=\"%.0f\">\n",
      HtmlEscape(c.id), kW, height, HtmlEscape(c.title), f.x0, f.x1, kPadL, f.pw(), kPadT, f.ph());
  absl::StrAppend(&s, absl::StrFormat("<text class=\"ct\" x=\"%.0f\" y=\"20\">%s</text>", kPadL,
                                      HtmlEscape(c.title)));
  if (!c.note.empty()) {
    absl::StrAppend(&s, absl::StrFormat("<text class=\"cn\" x=\"%.0f\" y=\"20\" "
                                        "text-anchor=\"end\">%s</text>",
                                        kW - kPadR, HtmlEscape(c.note)));
  }
  absl::StrAppend(&s, RenderGrid(c, f));
  // The curves and markers, clipped to the plot so that a zoomed view stays inside it.
  const std::string clip = "clip-" + HtmlEscape(c.id);
  absl::StrAppend(&s, absl::StrFormat("<clipPath id=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" "
                                      "width=\"%.1f\" height=\"%.1f\"/></clipPath>\n",
                                      clip, kPadL, kPadT - 12, f.pw(), f.ph() + 24));
  absl::StrAppend(&s, "<g clip-path=\"url(#", clip, ")\"><g class=\"plot\">\n");
  for (const Line& l : c.lines) absl::StrAppend(&s, RenderLine(l, f));
  absl::StrAppend(&s, "</g>\n", RenderMarkers(c, f), "</g>\n", RenderLegend(c));
  if (f.empty) {
    absl::StrAppend(&s, absl::StrFormat("<text class=\"cn\" x=\"%.1f\" y=\"%.1f\" "
                                        "text-anchor=\"middle\">no data</text>",
                                        kPadL + f.pw() / 2, kPadT + f.ph() / 2));
  }
  absl::StrAppend(&s, "</svg>\n");
  return s;
}

}  // namespace tapedeck::analysis
