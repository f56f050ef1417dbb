#include "core/strategy_report.h"

#include "core/config.h"

namespace tapedeck {
namespace {

nlohmann::json CellToJson(const ReportCell& c) {
  struct Visit {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(int64_t v) const { return v; }
    nlohmann::json operator()(double v) const { return v; }
    nlohmann::json operator()(const std::string& v) const { return v; }
    nlohmann::json operator()(Timestamp t) const { return FormatTimestamp(t); }
  };
  return std::visit(Visit{}, c);
}

}  // namespace

std::string_view ChartKindName(ChartKind k) {
  switch (k) {
    case ChartKind::kSpreadBps: return "spread_bps";
  }
  return "unknown";
}

nlohmann::json SectionsToJson(const std::vector<ReportSection>& sections) {
  nlohmann::json out = nlohmann::json::array();
  for (const ReportSection& s : sections) {
    nlohmann::json rows = nlohmann::json::array();
    for (const std::vector<ReportCell>& row : s.rows) {
      nlohmann::json cells = nlohmann::json::array();
      for (const ReportCell& c : row) cells.push_back(CellToJson(c));
      rows.push_back(std::move(cells));
    }
    out.push_back({{"title", s.title}, {"note", s.note}, {"columns", s.columns}, {"rows", rows}});
  }
  return out;
}

nlohmann::json ChartsToJson(const std::vector<ReportChart>& charts,
                            const InstrumentTable& instruments) {
  nlohmann::json out = nlohmann::json::array();
  for (const ReportChart& c : charts) {
    nlohmann::json symbols = nlohmann::json::array();
    for (InstrumentId id : c.instruments) {
      symbols.push_back(id.value < instruments.size() ? instruments.at(id).symbol : "");
    }
    out.push_back({{"kind", std::string(ChartKindName(c.kind))},
                   {"title", c.title},
                   {"instruments", symbols}});
  }
  return out;
}

}  // namespace tapedeck
