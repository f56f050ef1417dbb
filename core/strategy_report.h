// A strategy's own part of the run report, typed (Strategy::Sections): tables of facts and charts
// of series the run already records. summary.json carries them as "strategy_sections" and
// "strategy_charts" (docs/outputs.md), and report code renders them without knowing the strategy.
#ifndef TAPEDECK_CORE_STRATEGY_REPORT_H_
#define TAPEDECK_CORE_STRATEGY_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/instrument.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

// One cell: empty (JSON null), an integer, a number, text, or a time (written as UTC text,
// "2026-02-05T16:48:00Z").
using ReportCell = std::variant<std::monostate, int64_t, double, std::string, Timestamp>;

// A table with a title and a one-line note (units, how to read it). Every row has one cell per
// column.
struct ReportSection {
  std::string title;
  std::string note;
  std::vector<std::string> columns;
  std::vector<std::vector<ReportCell>> rows;
};

enum class ChartKind : uint8_t {
  // The spread between two instruments' quote mids over the run, in bps of the first:
  // (mid[1] - mid[0]) / mid[0] x 10^4, from the run's price series (prices.csv).
  kSpreadBps = 0,
};
std::string_view ChartKindName(ChartKind k);  // "spread_bps"

struct ReportChart {
  ChartKind kind = ChartKind::kSpreadBps;
  std::string title;
  std::vector<InstrumentId> instruments;  // kSpreadBps: two
};

struct StrategySections {
  std::vector<ReportSection> sections;
  std::vector<ReportChart> charts;
};

// [{"title", "note", "columns": [...], "rows": [[cell, ...], ...]}, ...]
nlohmann::json SectionsToJson(const std::vector<ReportSection>& sections);
// [{"kind": "spread_bps", "title", "instruments": [symbol, ...]}, ...]
nlohmann::json ChartsToJson(const std::vector<ReportChart>& charts,
                            const InstrumentTable& instruments);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_STRATEGY_REPORT_H_
