#include "analysis/sweep_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"

namespace tapedeck::analysis {
namespace {

constexpr char kSchema[] = "tapedeck.sweep/1";

// The key metrics every row carries, besides the objective and the constraints' metrics.
constexpr MetricId kKeyMetrics[] = {
    MetricId::kPnl,        MetricId::kTotalReturn, MetricId::kMaxDrawdown, MetricId::kSharpe,
    MetricId::kRoundTrips, MetricId::kWinRate,     MetricId::kOrders,      MetricId::kFills};

std::vector<MetricId> RowMetricIds(const SweepGrid& grid) {
  std::vector<MetricId> ids(std::begin(kKeyMetrics), std::end(kKeyMetrics));
  for (const SweepConstraint& c : grid.constraints) ids.push_back(c.metric);
  ids.push_back(grid.objective);
  auto by_name = [](MetricId a, MetricId b) { return GetMetric(a).name < GetMetric(b).name; };
  std::sort(ids.begin(), ids.end(), by_name);
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

nlohmann::json OptJson(const std::optional<double>& v) {
  return v.has_value() ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json RowJson(const SweepRow& row, const std::vector<std::string>& paths) {
  nlohmann::json params = nlohmann::json::object();
  for (size_t i = 0; i < paths.size() && i < row.params.size(); ++i) {
    params[paths[i]] = row.params[i];
  }
  return {{"index", row.index},
          {"params", params},
          {"feasible", row.feasible},
          {"objective", OptJson(row.objective)},
          {"metrics", RowMetricsJson(row.metrics)},
          {"digest", row.digest}};
}

absl::Status Count(ConfigObject& o, std::string_view key, uint64_t* out) {
  const nlohmann::json* v = o.Raw(key);
  if (v == nullptr || !v->is_number_unsigned()) return o.Error(key, "expected a count");
  *out = v->get<uint64_t>();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<double>> OptNumber(ConfigObject& o, std::string_view key) {
  const nlohmann::json* v = o.Raw(key);
  if (v == nullptr || !(v->is_null() || v->is_number())) {
    return o.Error(key, "expected a number or null");
  }
  return v->is_null() ? std::optional<double>() : std::optional<double>(v->get<double>());
}

absl::StatusOr<MetricId> MetricNamed(ConfigObject& o, std::string_view key,
                                     const std::string& name) {
  const Metric* m = FindMetric(name);
  if (m == nullptr) return o.Error(key, absl::StrCat("unknown metric '", name, "'"));
  return m->id;
}

absl::StatusOr<SweepRow> ReadRow(ConfigObject& o, const std::vector<std::string>& paths) {
  SweepRow row;
  TAPEDECK_RETURN_IF_ERROR(Count(o, "index", &row.index));
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject params, o.Object("params", true));
  for (const std::string& p : paths) {
    const nlohmann::json* v = params.Raw(p);
    if (v == nullptr) return params.Error(p, "missing");
    row.params.push_back(*v);
  }
  TAPEDECK_RETURN_IF_ERROR(o.Bool("feasible", &row.feasible, true));
  TAPEDECK_ASSIGN_OR_RETURN(row.objective, OptNumber(o, "objective"));
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject metrics, o.Object("metrics", true));
  const nlohmann::json* all = o.Raw("metrics");
  for (auto it = all->begin(); it != all->end(); ++it) {
    TAPEDECK_ASSIGN_OR_RETURN(const MetricId id, MetricNamed(metrics, it.key(), it.key()));
    TAPEDECK_ASSIGN_OR_RETURN(std::optional<double> v, OptNumber(metrics, it.key()));
    row.metrics.push_back(RowMetric{id, v});
  }
  TAPEDECK_RETURN_IF_ERROR(o.String("digest", &row.digest, true));
  return row;
}

absl::Status ReadHeader(ConfigObject& root, SweepTable* t) {
  TAPEDECK_RETURN_IF_ERROR(root.String("grid_digest", &t->grid_digest, true));
  TAPEDECK_RETURN_IF_ERROR(Count(root, "points", &t->points));
  std::string name, goal;
  TAPEDECK_RETURN_IF_ERROR(root.String("objective", &name, true));
  TAPEDECK_ASSIGN_OR_RETURN(t->objective, MetricNamed(root, "objective", name));
  TAPEDECK_RETURN_IF_ERROR(root.Enum("goal", {"max", "min"}, &goal, true));
  t->goal = goal == "max" ? SweepGoal::kMax : SweepGoal::kMin;
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> cs, root.ObjectArray("constraints", true));
  for (ConfigObject& c : cs) {
    SweepConstraint k;
    std::string op;
    TAPEDECK_RETURN_IF_ERROR(c.String("metric", &name, true));
    TAPEDECK_ASSIGN_OR_RETURN(k.metric, MetricNamed(c, "metric", name));
    TAPEDECK_RETURN_IF_ERROR(c.String("op", &op, true));
    const std::optional<CompareOp> parsed = ParseCompareOp(op);
    if (!parsed.has_value()) return c.Error("op", absl::StrCat("unknown operator '", op, "'"));
    k.op = *parsed;
    TAPEDECK_RETURN_IF_ERROR(c.Double("value", &k.value, true));
    t->constraints.push_back(k);
  }
  const nlohmann::json* params = root.Raw("params");
  if (params == nullptr || !params->is_array()) return root.Error("params", "expected an array");
  for (const nlohmann::json& p : *params) {
    if (!p.is_string()) return root.Error("params", "expected an array of paths");
    t->params.push_back(p.get<std::string>());
  }
  return root.String("shard", &t->shard);
}

absl::Status ReadTable(const nlohmann::json& j, SweepTable* t) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject root, ConfigObject::Of(&j, ""));
  TAPEDECK_RETURN_IF_ERROR(ReadHeader(root, t));
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> rows, root.ObjectArray("rows", true));
  for (ConfigObject& r : rows) {
    TAPEDECK_ASSIGN_OR_RETURN(SweepRow row, ReadRow(r, t->params));
    t->rows.push_back(std::move(row));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<RowMetric> RowMetricsOf(const SweepGrid& grid, const RunFigures& figures) {
  std::vector<RowMetric> out;
  for (MetricId id : RowMetricIds(grid)) out.push_back(RowMetric{id, figures.Value(id).ToDouble()});
  return out;
}

std::optional<double> RowMetricValue(const std::vector<RowMetric>& metrics, MetricId id) {
  for (const RowMetric& m : metrics) {
    if (m.id == id) return m.value;
  }
  return std::nullopt;
}

nlohmann::json RowMetricsJson(const std::vector<RowMetric>& metrics) {
  nlohmann::json j = nlohmann::json::object();
  for (const RowMetric& m : metrics) j[std::string(GetMetric(m.id).name)] = OptJson(m.value);
  return j;
}

SweepRow MakeSweepRow(const SweepGrid& grid, uint64_t index, const RunFigures& figures,
                      const std::string& digest) {
  SweepRow row;
  row.index = index;
  row.params = SweepPointValues(grid, index);
  for (const SweepConstraint& c : grid.constraints) {
    row.feasible = row.feasible && c.HoldsFor(figures.Value(c.metric).ToDouble());
  }
  row.objective = figures.Value(grid.objective).ToDouble();
  row.metrics = RowMetricsOf(grid, figures);
  row.digest = digest;
  return row;
}

void SortSweepRows(SweepGoal goal, std::vector<SweepRow>* rows) {
  std::sort(rows->begin(), rows->end(), [goal](const SweepRow& a, const SweepRow& b) {
    if (a.feasible != b.feasible) return a.feasible;
    if (a.objective.has_value() != b.objective.has_value()) return a.objective.has_value();
    if (a.objective.has_value() && *a.objective != *b.objective) {
      return goal == SweepGoal::kMax ? *a.objective > *b.objective : *a.objective < *b.objective;
    }
    return a.index < b.index;
  });
}

SweepTable SweepTableFor(const SweepGrid& grid, const std::string& grid_digest, uint64_t points) {
  SweepTable t;
  t.grid_digest = grid_digest;
  t.points = points;
  t.objective = grid.objective;
  t.goal = grid.goal;
  t.constraints = grid.constraints;
  for (const SweepParam& p : grid.params) t.params.push_back(p.path);
  return t;
}

nlohmann::json SweepHeaderJson(const SweepTable& table) {
  nlohmann::json cs = nlohmann::json::array();
  for (const SweepConstraint& c : table.constraints) {
    cs.push_back({{"metric", std::string(GetMetric(c.metric).name)},
                  {"op", std::string(CompareOpText(c.op))},
                  {"value", c.value}});
  }
  nlohmann::json t = {{"schema", kSchema},
                      {"grid_digest", table.grid_digest},
                      {"points", table.points},
                      {"objective", std::string(GetMetric(table.objective).name)},
                      {"goal", table.goal == SweepGoal::kMax ? "max" : "min"},
                      {"constraints", cs},
                      {"params", table.params}};
  if (!table.shard.empty()) t["shard"] = table.shard;
  return t;
}

nlohmann::json SweepTableJson(const SweepTable& table) {
  nlohmann::json t = SweepHeaderJson(table);
  nlohmann::json rows = nlohmann::json::array();
  for (const SweepRow& row : table.rows) rows.push_back(RowJson(row, table.params));
  t["rows"] = rows;
  return t;
}

nlohmann::json SweepRowJson(const SweepRow& row, const std::vector<std::string>& params) {
  return RowJson(row, params);
}

absl::StatusOr<SweepRow> SweepRowFromJson(const nlohmann::json& j,
                                          const std::vector<std::string>& params,
                                          const std::string& origin) {
  absl::StatusOr<ConfigObject> o = ConfigObject::Of(&j, "");
  absl::StatusOr<SweepRow> row = o.ok() ? ReadRow(*o, params) : o.status();
  if (!row.ok()) return absl::InvalidArgumentError(absl::StrCat(origin, ": ", row.status().message()));
  return row;
}

absl::StatusOr<SweepTable> SweepTableFromJson(const nlohmann::json& j, const std::string& origin) {
  if (!j.is_object() || j.value("schema", "") != kSchema || !j.contains("rows")) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": not a sweep results.json"));
  }
  SweepTable t;
  if (absl::Status s = ReadTable(j, &t); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": ", s.message()));
  }
  return t;
}

std::string CsvField(const nlohmann::json& v) {
  if (v.is_null()) return "";
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string SweepTableCsv(const SweepTable& table) {
  std::string out = "rank,index";
  for (const std::string& p : table.params) absl::StrAppend(&out, ",", CsvField(p));
  absl::StrAppend(&out, ",feasible,objective");
  // The metric columns are the first row's (every row of one sweep has the same).
  std::vector<MetricId> columns;
  if (!table.rows.empty()) {
    for (const RowMetric& m : table.rows[0].metrics) {
      columns.push_back(m.id);
      absl::StrAppend(&out, ",", std::string(GetMetric(m.id).name));
    }
  }
  absl::StrAppend(&out, ",digest\n");
  uint64_t rank = 1;
  for (const SweepRow& row : table.rows) {
    absl::StrAppend(&out, rank++, ",", row.index);
    for (size_t i = 0; i < table.params.size(); ++i) {
      absl::StrAppend(&out, ",", i < row.params.size() ? CsvField(row.params[i]) : "");
    }
    absl::StrAppend(&out, ",", row.feasible ? "true" : "false", ",",
                    CsvField(OptJson(row.objective)));
    for (MetricId id : columns) {
      absl::StrAppend(&out, ",", CsvField(OptJson(RowMetricValue(row.metrics, id))));
    }
    absl::StrAppend(&out, ",", row.digest, "\n");
  }
  return out;
}

}  // namespace tapedeck::analysis
