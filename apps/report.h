// report.html: what a trader opens first. Built only from a run's output files (summary.json,
// equity.csv, prices.csv, fills.csv, round_trips.csv), so `tapedeck report DIR` rebuilds exactly
// what `tapedeck run` wrote, without rerunning.
//
// The page is self-contained: inline SVG drawn here, inline CSS, no script and no external URL,
// so it opens offline and loads with no console errors. Curves are downsampled to at most
// kMaxCurvePoints points keeping each bucket's minimum and maximum (a spike survives), and
// buy/sell markers are capped at kMaxMarkers (every k-th fill, said on the chart), so a run with
// 100,000 fills gives a page of a few hundred kilobytes. Deterministic: same files, same bytes.
#ifndef TAPEDECK_APPS_REPORT_H_
#define TAPEDECK_APPS_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tapedeck::apps {

inline constexpr size_t kMaxCurvePoints = 2000;
inline constexpr size_t kMaxMarkers = 600;
inline constexpr size_t kMaxTableRows = 1000;

// One of our CSV files. Our outputs never quote fields; a quoted field is still read (RFC 4180).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Index of `name` in the header, or -1.
  int Column(std::string_view name) const;
};
absl::StatusOr<CsvTable> ReadCsv(const std::string& path);

// One strategy's outputs, read back from DIR/<label>/.
struct RunData {
  std::string dir;
  nlohmann::json summary;
  CsvTable equity;
  CsvTable prices;       // empty when prices.csv is absent
  CsvTable fills;
  CsvTable round_trips;  // empty when round_trips.csv is absent
  // The label, made unique by the caller when several runs share one.
  std::string name;
};
absl::StatusOr<RunData> LoadRun(const std::string& dir);

// A run directory (summary.json with schema tapedeck.run/1) lists its strategies' directories;
// a strategy directory (tapedeck.summary/1) is itself. Errors name the file.
absl::StatusOr<std::vector<std::string>> StrategyDirs(const std::string& dir);

std::string RenderRunReport(const RunData& run);
// Several runs side by side: a metrics table and overlaid equity and drawdown curves. `links`
// (same size as `runs`, "" for none) are relative addresses of each run's own report.
std::string RenderCompare(const std::vector<RunData>& runs, const std::string& title,
                          const std::vector<std::string>& links);
// The metrics table as aligned text, one column per run.
std::string MetricsText(const std::vector<RunData>& runs);

// Writes report.html into every strategy directory of `dir` and, for a run directory, the index
// DIR/report.html. Appends the paths written to *written.
absl::Status WriteReports(const std::string& dir, std::vector<std::string>* written);

// Two-decimal money and percentage formatting shared with the terminal tables; "-" for null.
std::string FormatMetric(const nlohmann::json& v, std::string_view kind);

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_REPORT_H_
