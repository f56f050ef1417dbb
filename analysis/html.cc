#include "analysis/html.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace tapedeck::analysis {
namespace {

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
.pos{color:#137333}.neg{color:#b42318}.best{font-weight:700}
svg.chart{width:100%;height:auto;display:block;margin:6px 0 10px;background:#fff}
svg .ct{font-size:14px;font-weight:600;fill:var(--fg)}svg .cn{font-size:12px;fill:var(--mute)}
svg .grid line{stroke:#eceff3;stroke-width:1}svg .grid text{font-size:11px;fill:var(--mute)}
svg .frame{fill:none;stroke:var(--line)}svg .zero{stroke:#98a2b3;stroke-dasharray:4 3}
svg .line{fill:none;stroke-width:1.6;stroke-linejoin:round}svg .area{opacity:.18;stroke:none}
svg .legend text{font-size:12px;fill:var(--fg)}
svg .line,svg .band,svg .area{vector-effect:non-scaling-stroke}svg .line.ref{stroke-dasharray:5 4;stroke-width:1.3;opacity:.85}
svg .band{opacity:.22;stroke:none}svg .brush{fill:#1f6fb4;opacity:.15}svg.chart{cursor:crosshair;user-select:none}
table.heat td{min-width:58px}
svg .buy{fill:#12a150;stroke:#0b5d2e;stroke-width:.6}svg .sell{fill:#d92d20;stroke:#7a1a12;stroke-width:.6}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:var(--card);position:sticky;top:0}
.scroll{max-height:480px;overflow:auto;border:1px solid var(--line);border-radius:6px}
pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:520px;font-size:12px}
a{color:#1f6fb4}.note{color:var(--mute);font-size:12px}
)css";

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlPage(const std::string& title, const std::string& body) {
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
                      "<title>", HtmlEscape(title), "</title>\n<style>", kCss,
                      "</style>\n</head>\n<body>\n<main>\n", body, "</main>\n<script>",
                      ZoomScript(), "</script>\n</body>\n</html>\n");
}

std::string SignClass(double v) {
  if (std::isnan(v) || v == 0) return "";
  return v > 0 ? " pos" : " neg";
}

}  // namespace tapedeck::analysis
