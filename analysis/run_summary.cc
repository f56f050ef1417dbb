#include "analysis/run_summary.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"

namespace tapedeck::analysis {
namespace {

constexpr char kSchema[] = "tapedeck.summary/1";

absl::Status ReadMoney(ConfigObject& o, std::string_view key, Money* out) {
  return o.Decimal(key, Money::kScale, &out->raw, /*required=*/true);
}

absl::Status Count(ConfigObject& o, std::string_view key, uint64_t* out) {
  const nlohmann::json* v = o.Raw(key);
  if (v == nullptr) return o.Error(key, "required key is missing");
  // In memory a count may be a signed integer; parsed from text, any integer >= 0 is unsigned.
  if (!v->is_number_integer() || (!v->is_number_unsigned() && v->get<int64_t>() < 0)) {
    return o.Error(key, "expected a count (an integer >= 0)");
  }
  *out = v->get<uint64_t>();
  return absl::OkStatus();
}

absl::Status ReadAccount(ConfigObject& root, AccountSummary* a) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o, root.Object("account", /*required=*/true));
  TAPEDECK_RETURN_IF_ERROR(Count(o, "events", &a->events));
  TAPEDECK_RETURN_IF_ERROR(Count(o, "funding_payments", &a->funding_payments));
  TAPEDECK_RETURN_IF_ERROR(Count(o, "settlements", &a->settlements));
  TAPEDECK_RETURN_IF_ERROR(Count(o, "liquidations", &a->liquidations));
  TAPEDECK_RETURN_IF_ERROR(ReadMoney(o, "settlement_pnl", &a->settlement_pnl));
  TAPEDECK_RETURN_IF_ERROR(ReadMoney(o, "liquidation_pnl", &a->liquidation_pnl));
  return ReadMoney(o, "liquidation_fees", &a->liquidation_fees);
}

absl::Status ReadPositions(ConfigObject& root, std::vector<PositionSummary>* out) {
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> list,
                            root.ObjectArray("instruments", /*required=*/true));
  for (ConfigObject& o : list) {
    PositionSummary p;
    TAPEDECK_RETURN_IF_ERROR(o.String("symbol", &p.symbol, true));
    TAPEDECK_RETURN_IF_ERROR(o.String("position", &p.position, true));
    TAPEDECK_RETURN_IF_ERROR(o.String("average_price", &p.average_price, true));
    TAPEDECK_RETURN_IF_ERROR(o.String("mark", &p.mark, true));
    TAPEDECK_RETURN_IF_ERROR(ReadMoney(o, "realized_pnl", &p.realized_pnl));
    TAPEDECK_RETURN_IF_ERROR(ReadMoney(o, "unrealized_pnl", &p.unrealized_pnl));
    TAPEDECK_RETURN_IF_ERROR(ReadMoney(o, "fees", &p.fees));
    TAPEDECK_RETURN_IF_ERROR(ReadMoney(o, "funding", &p.funding));
    TAPEDECK_RETURN_IF_ERROR(o.String("traded_qty", &p.traded_qty, true));
    out->push_back(std::move(p));
  }
  return absl::OkStatus();
}

absl::Status ReadDigests(ConfigObject& root, SummaryDigests* d) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o, root.Object("digest", /*required=*/true));
  TAPEDECK_RETURN_IF_ERROR(o.String("orders", &d->orders, true));
  TAPEDECK_RETURN_IF_ERROR(o.String("fills", &d->fills, true));
  TAPEDECK_RETURN_IF_ERROR(o.String("run", &d->run, true));
  return o.String("account", &d->account);
}

absl::StatusOr<SectionCell> ReadCell(const nlohmann::json& v, const std::string& path) {
  if (v.is_null()) return SectionCell();
  if (v.is_string()) return SectionCell(v.get<std::string>());
  if (v.is_number_unsigned() &&
      v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return SectionCell(v.get<double>());
  }
  if (v.is_number_integer()) return SectionCell(v.get<int64_t>());
  if (v.is_number()) return SectionCell(v.get<double>());
  return absl::InvalidArgumentError(absl::StrCat(path, ": expected a string, a number or null"));
}

absl::Status ReadStrings(ConfigObject& o, std::string_view key, std::vector<std::string>* out) {
  const nlohmann::json* v = o.Raw(key);
  if (v == nullptr) return o.Error(key, "required key is missing");
  if (!v->is_array()) return o.Error(key, "expected an array of strings");
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat(o.PathOf(key), "[", i, "]: expected a string"));
    }
    out->push_back((*v)[i].get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ReadSection(ConfigObject& o, StrategySection* s) {
  TAPEDECK_RETURN_IF_ERROR(o.String("title", &s->title, true));
  TAPEDECK_RETURN_IF_ERROR(o.String("note", &s->note));
  TAPEDECK_RETURN_IF_ERROR(ReadStrings(o, "columns", &s->columns));
  const nlohmann::json* rows = o.Raw("rows");
  if (rows == nullptr) return o.Error("rows", "required key is missing");
  if (!rows->is_array()) return o.Error("rows", "expected an array of rows");
  for (size_t r = 0; r < rows->size(); ++r) {
    const nlohmann::json& row = (*rows)[r];
    const std::string at = absl::StrCat(o.PathOf("rows"), "[", r, "]");
    if (!row.is_array() || row.size() != s->columns.size()) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": expected an array of ",
                                                     s->columns.size(), " cells (one per column)"));
    }
    std::vector<SectionCell>& cells = s->rows.emplace_back();
    for (size_t c = 0; c < row.size(); ++c) {
      TAPEDECK_ASSIGN_OR_RETURN(SectionCell cell, ReadCell(row[c], absl::StrCat(at, "[", c, "]")));
      cells.push_back(std::move(cell));
    }
  }
  return o.Finish();
}

absl::Status ReadChart(ConfigObject& o, StrategyChart* c) {
  std::string kind;
  const std::string spread(StrategyChartKindName(StrategyChartKind::kSpreadBps));
  TAPEDECK_RETURN_IF_ERROR(o.Enum("kind", {spread}, &kind, true));
  c->kind = StrategyChartKind::kSpreadBps;
  TAPEDECK_RETURN_IF_ERROR(o.String("title", &c->title, true));
  TAPEDECK_RETURN_IF_ERROR(ReadStrings(o, "instruments", &c->instruments));
  if (c->instruments.size() != 2) {
    return o.Error("instruments",
                   absl::StrCat(spread, " needs two instruments, got ", c->instruments.size()));
  }
  return o.Finish();
}

// "strategy_sections" and "strategy_charts": optional, absent in runs of strategies that report
// none (and in every run written before they existed).
absl::Status ReadStrategyParts(ConfigObject& root, RunSummary* s) {
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> sections,
                            root.ObjectArray("strategy_sections"));
  for (ConfigObject& o : sections) {
    TAPEDECK_RETURN_IF_ERROR(ReadSection(o, &s->sections.emplace_back()));
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> charts, root.ObjectArray("strategy_charts"));
  for (ConfigObject& o : charts) TAPEDECK_RETURN_IF_ERROR(ReadChart(o, &s->charts.emplace_back()));
  const nlohmann::json* report = root.Raw("strategy_report");
  if (report == nullptr || !report->is_object()) {
    return root.Error("strategy_report", "expected an object");
  }
  s->strategy_report = *report;
  return absl::OkStatus();
}

absl::Status ReadEnvelope(ConfigObject& root, RunSummary* s) {
  std::string schema;
  TAPEDECK_RETURN_IF_ERROR(root.String("schema", &schema, true));
  if (schema != kSchema) {
    return root.Error("schema",
                      absl::StrCat("expected \"", kSchema, "\" (one strategy's outputs)"));
  }
  TAPEDECK_RETURN_IF_ERROR(root.String("strategy", &s->strategy, true));
  TAPEDECK_RETURN_IF_ERROR(root.String("label", &s->label, true));
  TAPEDECK_RETURN_IF_ERROR(Count(root, "seed", &s->seed));
  TAPEDECK_RETURN_IF_ERROR(root.TimestampValue("start", &s->start, true));
  TAPEDECK_RETURN_IF_ERROR(root.TimestampValue("end", &s->end, true));
  TAPEDECK_RETURN_IF_ERROR(ReadAccount(root, &s->account));
  TAPEDECK_RETURN_IF_ERROR(ReadPositions(root, &s->positions));
  TAPEDECK_RETURN_IF_ERROR(ReadDigests(root, &s->digest));
  TAPEDECK_RETURN_IF_ERROR(ReadStrategyParts(root, s));
  if (const nlohmann::json* config = root.Raw("config"); config != nullptr) s->config = *config;
  return absl::OkStatus();
}

}  // namespace

std::string_view StrategyChartKindName(StrategyChartKind kind) {
  switch (kind) {
    case StrategyChartKind::kSpreadBps:
      return "spread_bps";
  }
  return "";
}

absl::StatusOr<RunSummary> RunSummaryFromJson(const nlohmann::json& j, const std::string& origin) {
  absl::StatusOr<ConfigObject> root = ConfigObject::Of(&j, "");
  RunSummary s;
  absl::Status st = root.ok() ? ReadEnvelope(*root, &s) : root.status();
  if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat(origin, ": ", st.message()));
  // The figures' errors carry the origin already.
  TAPEDECK_RETURN_IF_ERROR(ResultsFromJson(j, origin, &s.figures.totals, &s.figures.metrics));
  return s;
}

absl::StatusOr<RunSummary> LoadRunSummary(const std::string& dir) {
  const std::string path = dir + "/summary.json";
  nlohmann::json j;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(path, &j));
  return RunSummaryFromJson(j, path);
}

}  // namespace tapedeck::analysis
