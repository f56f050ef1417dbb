// The page module's basics: a self-contained HTML page (inline CSS, no script, no external URL,
// so it opens offline and loads with no console errors), escaping, and the sign colours of
// values.
#ifndef TAPEDECK_ANALYSIS_HTML_H_
#define TAPEDECK_ANALYSIS_HTML_H_

#include <string>
#include <string_view>

namespace tapedeck::analysis {

// Escapes &, <, > and " for HTML text and attribute values.
std::string HtmlEscape(std::string_view s);

// A whole page: `body` (HTML) inside <main>, with the report's style sheet.
std::string HtmlPage(const std::string& title, const std::string& body);

// " pos" for a positive value, " neg" for a negative one, "" for zero or NaN: the classes that
// colour a cell or card green or red.
std::string SignClass(double v);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_HTML_H_
