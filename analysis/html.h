// The page module's basics: a self-contained HTML page (inline CSS and one inline script, no
// external URL, so it opens offline and loads with no console errors), escaping, and the sign
// colours of values.
#ifndef TAPEDECK_ANALYSIS_HTML_H_
#define TAPEDECK_ANALYSIS_HTML_H_

#include <string>
#include <string_view>

namespace tapedeck::analysis {

// Escapes &, <, > and " for HTML text and attribute values.
std::string HtmlEscape(std::string_view s);

// A whole page: `body` (HTML) inside <main>, with the report's style sheet and ZoomScript.
std::string HtmlPage(const std::string& title, const std::string& body);

// The page script (analysis/zoom_script.cc): drag across a chart to zoom the time axis of every
// chart (analysis/chart.h's data-* attributes), shift-drag to pan, ctrl-scroll to zoom,
// double-click to reset. It changes only the view; the SVG is whole without it.
const char* ZoomScript();

// " pos" for a positive value, " neg" for a negative one, "" for zero or NaN: the classes that
// colour a cell or card green or red.
std::string SignClass(double v);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_HTML_H_
