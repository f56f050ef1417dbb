// What report and compare read: one strategy's output files (summary.json typed as a
// RunSummary, and the CSV files), and the curves drawn from them.
#ifndef TAPEDECK_ANALYSIS_REPORT_DATA_H_
#define TAPEDECK_ANALYSIS_REPORT_DATA_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/chart.h"
#include "analysis/run_summary.h"

namespace tapedeck::analysis {

// One of our CSV files. Our outputs never quote fields; a quoted field is still read (RFC 4180).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Index of `name` in the header, or -1.
  int Column(std::string_view name) const;
};
// Whether to keep data row `index` (0-based, the header not counted) of a CSV being read.
using RowFilter = std::function<bool(uint64_t index, const std::vector<std::string>& row)>;
// Reads `path` in chunks; with `keep`, only the rows it accepts are held.
absl::StatusOr<CsvTable> ReadCsv(const std::string& path, const RowFilter& keep = {});
// The data rows of `path` (lines after the header), counted without holding them.
absl::StatusOr<uint64_t> CountCsvRows(const std::string& path);

// The most equity.csv timestamps a report or compare reads (and the prices.csv rows at them):
// two and a half times the points a chart draws (the lowest and highest row of each bucket), so
// a long run at a fine equity interval costs no more memory than a short one.
inline constexpr uint64_t kMaxLoadedSamples = 5'000;

// One strategy's outputs, read back from DIR/<label>/.
struct RunData {
  std::string dir;
  RunSummary summary;
  CsvTable equity;    // bucket extremes when equity.csv has more than kMaxLoadedSamples
  uint64_t equity_rows = 0;  // rows of equity.csv
  CsvTable prices;  // empty when prices.csv is absent
  CsvTable fills;
  CsvTable round_trips;  // empty when round_trips.csv is absent
  CsvTable account;      // empty when account.csv is absent
  // The label, made unique by the caller when several runs share one.
  std::string name;
};
absl::StatusOr<RunData> LoadRun(const std::string& dir);

// A run directory (summary.json with schema tapedeck.run/1) lists its strategies' directories;
// a strategy directory (tapedeck.summary/1) is itself. Errors name the file.
absl::StatusOr<std::vector<std::string>> StrategyDirs(const std::string& dir);

// Whether `dir` is a run directory (its summary.json has schema tapedeck.run/1).
absl::StatusOr<bool> IsRunDir(const std::string& dir);

// ---- Curves ----

// The time range the charts show (ns): the run's start to end, else the equity curve's.
struct Span {
  double x0 = 0, x1 = 1;
};
Span TimeSpan(const RunData& r, const std::vector<Pt>& equity);

// equity.csv as (ts, equity).
std::vector<Pt> EquityPoints(const RunData& r);
// The run's initial cash (NaN when undefined).
double InitialCash(const RunData& r);
// The equity curve with the starting point (span start, initial cash) in front when the first
// sample is later.
std::vector<Pt> EquityFromStart(const RunData& r, const std::vector<Pt>& equity, const Span& span);
// Percent below the running peak (which starts at `initial`), >= 0: a drawdown is shown as a
// positive depth everywhere (summary.json, tables, charts drawn downward).
std::vector<Pt> DrawdownPoints(const std::vector<Pt>& eq, double initial);

// One instrument's columns of prices.csv.
struct InstrumentSeries {
  std::string symbol;
  std::vector<Pt> price;  // last trade, else mid
  std::vector<Pt> mid;    // quote mid, else last trade (a spread: no bid/ask bounce)
  std::vector<Pt> position;
  bool has_price = false;
  bool traded = false;  // it has fills
};
// In order of first appearance in prices.csv; none without prices.csv.
std::vector<InstrumentSeries> PriceSeries(const RunData& r);

// The fills of `symbol` as markers. Buys and sells are thinned separately, every k-th of a side
// with more than kMaxMarkersPerSide, so both sides stay visible however they alternate; *note
// says what is shown. None when fills.csv lacks a column.
std::vector<Marker> FillMarkers(const RunData& r, const std::string& symbol, std::string* note);

// The position of `symbol` as steps: 0 at `x0`, then the signed sum of its fills at each fill's
// local_ts, and back to 0 where the venue closed it (a settlement or liquidation in
// account.csv). Exact, where prices.csv samples it only at the equity curve's times.
std::vector<Pt> PositionSteps(const RunData& r, const std::string& symbol, double x0);

// "1st", "2nd", "3rd", "4th", ..., "11th", "12th", "13th", "21st".
std::string Ordinal(size_t n);

}  // namespace tapedeck::analysis

#endif  // TAPEDECK_ANALYSIS_REPORT_DATA_H_
