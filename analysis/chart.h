// The chart module: time-series charts drawn as inline SVG, for the report and compare pages.
// The SVG is complete without a script; the page's inline script (analysis/html.h) zooms and
// pans the time axis of every chart together (the plot group is scaled, markers moved, time
// labels redrawn), reading the data-* attributes RenderChart writes.
//
// Curves are downsampled to at most kMaxCurvePoints points keeping each bucket's minimum and
// maximum (a spike survives); buy/sell markers are capped at kMaxMarkersPerSide per side by the
// caller (every k-th buy and every k-th sell, said on the chart), so a run with 100,000 fills
// gives a page of a few hundred kilobytes. Deterministic: same inputs, same bytes.
#ifndef TAPEDECK_ANALYSIS_CHART_H_
#define TAPEDECK_ANALYSIS_CHART_H_

#include <cstddef>
#include <string>
#include <vector>

namespace tapedeck::analysis {

inline constexpr size_t kMaxCurvePoints = 2000;
inline constexpr size_t kMaxMarkersPerSide = 1000;

struct Pt {
  double x;  // ns since the epoch
  double y;  // NaN breaks the line
};

struct Line {
  std::string name;
  std::string color;
  std::vector<Pt> pts;
  bool step = false;  // hold each value until the next point (positions)
  bool fill = false;  // shade down to zero
  bool dashed = false;  // a reference (buy and hold), not the run's own curve
  // Drawn only when the time axis is zoomed in at least this much (detail too dense to read at
  // full width); 0: always. A line with an overview partner sets the partner's hide_from_zoom.
  double show_from_zoom = 0;
  double hide_from_zoom = 0;  // hidden from this zoom on (0: never)
  bool in_legend = true;
  // When set (as many points as `pts`): no line, but the band between band_low and pts, shaded
  // (held as steps when `step`).
  std::vector<Pt> band_low = {};
};

// A fill: a triangle, up for buys (below the price), down for sells (above).
struct Marker {
  double x, y;
  bool buy;
  std::string title;  // the tooltip
};

struct Chart {
  std::string id;  // the <svg> id
  std::string title;
  std::string note;  // right-aligned in the title row
  std::string unit;  // appended to the y tick labels
  std::vector<Line> lines;
  std::vector<Marker> markers;
  bool zero_line = false;  // keep 0 in the y range
  bool y_down = false;     // values grow downward from the top (a drawdown's depth)
};

// The i-th colour of the palette (it repeats after eight).
std::string ChartColor(size_t i);

// At most `max_points`: the series is cut into max_points/2 buckets of equal count, and each
// bucket keeps its minimum and its maximum, in time order. NaN points (gaps) are kept.
std::vector<Pt> Downsample(const std::vector<Pt>& in, size_t max_points);

// The chart over the time range [x0, x1] (ns), `height` pixels high in a 1200-wide view box.
std::string RenderChart(const Chart& c, double x0, double x1, double height = 260);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_CHART_H_
