// The chart module: time-series charts drawn as inline SVG (no script), for the report and
// compare pages.
//
// Curves are downsampled to at most kMaxCurvePoints points keeping each bucket's minimum and
// maximum (a spike survives); buy/sell markers are capped at kMaxMarkers by the caller (every
// k-th fill, said on the chart), so a run with 100,000 fills gives a page of a few hundred
// kilobytes. Deterministic: same inputs, same bytes.
#ifndef TAPEDECK_ANALYSIS_CHART_H_
#define TAPEDECK_ANALYSIS_CHART_H_

#include <cstddef>
#include <string>
#include <vector>

namespace tapedeck::analysis {

inline constexpr size_t kMaxCurvePoints = 2000;
inline constexpr size_t kMaxMarkers = 600;

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
