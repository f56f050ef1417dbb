#include "apps/sweep.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/metrics.h"
#include "core/status.h"

namespace tapedeck::apps {
namespace {

absl::Status GridError(const std::string& origin, const std::string& key, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(origin, ": ", key, ": ", what));
}

// "strategies[0].params.drawdown_bps" -> strategies, [0], params, drawdown_bps.
bool ParsePath(const std::string& path, SweepParam* p) {
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string::npos || close == i + 1) return false;
      const std::string digits = path.substr(i + 1, close - i - 1);
      if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
      p->tokens.push_back(digits);
      p->is_index.push_back(true);
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
    } else {
      size_t end = path.find_first_of(".[", i);
      if (end == std::string::npos) end = path.size();
      if (end == i) return false;
      p->tokens.push_back(path.substr(i, end - i));
      p->is_index.push_back(false);
      i = end;
      if (i < path.size() && path[i] == '.') ++i;
    }
  }
  return !p->tokens.empty();
}

const nlohmann::json* Resolve(const SweepParam& p, const nlohmann::json& doc) {
  const nlohmann::json* cur = &doc;
  for (size_t i = 0; i < p.tokens.size(); ++i) {
    if (p.is_index[i]) {
      if (!cur->is_array()) return nullptr;
      const size_t k = std::strtoull(p.tokens[i].c_str(), nullptr, 10);
      if (k >= cur->size()) return nullptr;
      cur = &(*cur)[k];
    } else {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(p.tokens[i]);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
  }
  return cur;
}

nlohmann::json* ResolveMutable(const SweepParam& p, nlohmann::json& doc) {
  return const_cast<nlohmann::json*>(Resolve(p, doc));
}

const char* TypeName(const nlohmann::json& v) {
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a bool";
  return "not a number, string or bool";
}

bool SameType(const nlohmann::json& base, const nlohmann::json& v) {
  if (base.is_number_integer()) return v.is_number_integer();
  if (base.is_number()) return v.is_number();
  if (base.is_string()) return v.is_string();
  if (base.is_boolean()) return v.is_boolean();
  return false;
}

// splitmix64: a fixed, portable generator (std distributions differ between libraries).
uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

const std::vector<std::string>& TopLevelMetrics() {
  static const std::vector<std::string> k = {
      "events", "orders", "requests", "fills", "initial_cash", "final_equity", "pnl",
      "realized_pnl", "unrealized_pnl", "fees", "funding"};
  return k;
}
const std::vector<std::string>& InnerMetrics() {
  static const std::vector<std::string> k = {
      "initial_equity", "span_seconds", "total_return", "cagr", "volatility", "sharpe", "sortino",
      "max_drawdown", "calmar", "round_trips", "open_round_trips", "wins", "losses", "win_rate",
      "profit_factor", "gross_profit", "gross_loss", "average_win", "average_loss", "exposure",
      "traded_notional", "turnover", "funding_paid", "funding_received"};
  return k;
}

std::optional<double> AsDouble(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() && *end == '\0') return d;
  }
  if (v.is_object()) {
    auto it = v.find("fraction");
    if (it != v.end()) return AsDouble(*it);
  }
  return std::nullopt;
}

// Key metrics every row carries (besides the objective and constraint metrics).
const std::vector<std::string>& RowMetrics() {
  static const std::vector<std::string> k = {"pnl", "total_return", "max_drawdown", "sharpe",
                                             "round_trips", "win_rate", "orders", "fills"};
  return k;
}

// The key metrics, the constraint metrics and the objective of a summary.json, by name.
nlohmann::json RowMetricsJson(const SweepGrid& grid, const nlohmann::json& summary) {
  nlohmann::json metrics = nlohmann::json::object();
  std::vector<std::string> names = RowMetrics();
  for (const SweepConstraint& c : grid.constraints) names.push_back(c.metric);
  names.push_back(grid.objective);
  for (const std::string& n : names) {
    const std::optional<double> v = SweepMetric(summary, n);
    metrics[n] = v.has_value() ? nlohmann::json(*v) : nlohmann::json(nullptr);
  }
  return metrics;
}

std::string CsvField(const nlohmann::json& v) {
  if (v.is_null()) return "";
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  }
  return s;
}

}  // namespace

bool IsKnownSweepMetric(const std::string& name) {
  const auto& a = TopLevelMetrics();
  const auto& b = InnerMetrics();
  return std::find(a.begin(), a.end(), name) != a.end() ||
         std::find(b.begin(), b.end(), name) != b.end();
}

std::optional<double> SweepMetric(const nlohmann::json& summary, const std::string& name) {
  const auto& a = TopLevelMetrics();
  if (std::find(a.begin(), a.end(), name) != a.end()) {
    auto it = summary.find(name);
    return it == summary.end() ? std::nullopt : AsDouble(*it);
  }
  auto m = summary.find("metrics");
  if (m == summary.end() || !m->is_object()) return std::nullopt;
  auto it = m->find(name);
  return it == m->end() ? std::nullopt : AsDouble(*it);
}

absl::StatusOr<SweepGrid> ParseSweepGrid(const nlohmann::json& grid, const std::string& origin,
                                         const nlohmann::json& base_config) {
  if (!grid.is_object()) return GridError(origin, "(root)", "expected an object");
  for (auto it = grid.begin(); it != grid.end(); ++it) {
    static const std::vector<std::string> kKeys = {"mode", "samples", "seed", "params",
                                                   "objective", "constraints"};
    if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end()) {
      return GridError(origin, it.key(),
                       "unknown key (allowed: mode, samples, seed, params, objective, constraints)");
    }
  }
  SweepGrid g;
  if (auto it = grid.find("mode"); it != grid.end()) {
    if (!it->is_string() || (*it != "grid" && *it != "random")) {
      return GridError(origin, "mode", "expected \"grid\" or \"random\"");
    }
    g.random = *it == "random";
  }
  if (g.random) {
    auto s = grid.find("samples");
    if (s == grid.end() || !s->is_number_unsigned() || s->get<uint64_t>() == 0) {
      return GridError(origin, "samples", "random mode needs a positive integer");
    }
    g.samples = s->get<uint64_t>();
    auto seed = grid.find("seed");
    if (seed == grid.end() || !seed->is_number_unsigned()) {
      return GridError(origin, "seed", "random mode needs a non-negative integer seed");
    }
    g.seed = seed->get<uint64_t>();
  } else if (grid.contains("samples") || grid.contains("seed")) {
    return GridError(origin, grid.contains("samples") ? "samples" : "seed",
                     "only for \"mode\": \"random\"");
  }
  auto params = grid.find("params");
  if (params == grid.end() || !params->is_array() || params->empty()) {
    return GridError(origin, "params", "expected a non-empty array");
  }
  for (size_t i = 0; i < params->size(); ++i) {
    const nlohmann::json& pj = (*params)[i];
    const std::string where = absl::StrCat("params[", i, "]");
    if (!pj.is_object()) return GridError(origin, where, "expected an object");
    SweepParam p;
    auto path = pj.find("path");
    if (path == pj.end() || !path->is_string()) {
      return GridError(origin, where + ".path", "expected a string");
    }
    p.path = path->get<std::string>();
    if (!ParsePath(p.path, &p)) {
      return GridError(origin, where + ".path", absl::StrCat("'", p.path, "' is not a valid path"));
    }
    const nlohmann::json* base = Resolve(p, base_config);
    if (base == nullptr) {
      return GridError(origin, where + ".path",
                       absl::StrCat("unknown parameter path '", p.path, "' (not in the config)"));
    }
    if (!base->is_number() && !base->is_string() && !base->is_boolean()) {
      return GridError(origin, where + ".path",
                       absl::StrCat("'", p.path, "' is ", TypeName(*base), ", not a parameter"));
    }
    const bool has_values = pj.contains("values");
    const bool has_range = pj.contains("range");
    for (auto it = pj.begin(); it != pj.end(); ++it) {
      if (it.key() != "path" && it.key() != "values" && it.key() != "range") {
        return GridError(origin, absl::StrCat(where, ".", it.key()),
                         "unknown key (allowed: path, values, range)");
      }
    }
    if (has_values == has_range) {
      return GridError(origin, where, absl::StrCat(p.path, ": give exactly one of values, range"));
    }
    if (has_values) {
      const nlohmann::json& v = pj["values"];
      if (!v.is_array() || v.empty()) {
        return GridError(origin, where + ".values", absl::StrCat(p.path, ": empty or not an array"));
      }
      for (size_t k = 0; k < v.size(); ++k) {
        if (!SameType(*base, v[k])) {
          return GridError(origin, absl::StrCat(where, ".values[", k, "]"),
                           absl::StrCat(p.path, ": wrong type: the config has ", TypeName(*base),
                                        ", this is ", TypeName(v[k])));
        }
        p.values.push_back(v[k]);
      }
    } else {
      const nlohmann::json& r = pj["range"];
      if (!r.is_object() || !r.contains("from") || !r.contains("to") || !r.contains("step")) {
        return GridError(origin, where + ".range",
                         absl::StrCat(p.path, ": expected {\"from\", \"to\", \"step\"}"));
      }
      if (!base->is_number()) {
        return GridError(origin, where + ".range",
                         absl::StrCat(p.path, ": wrong type: a range needs a number, the config has ",
                                      TypeName(*base)));
      }
      for (const char* k : {"from", "to", "step"}) {
        if (!SameType(*base, r[k])) {
          return GridError(origin, absl::StrCat(where, ".range.", k),
                           absl::StrCat(p.path, ": wrong type: the config has ", TypeName(*base),
                                        ", this is ", TypeName(r[k])));
        }
      }
      if (base->is_number_integer()) {
        const int64_t from = r["from"].get<int64_t>(), to = r["to"].get<int64_t>(),
                      step = r["step"].get<int64_t>();
        if (step <= 0 || to < from) {
          return GridError(origin, where + ".range",
                           absl::StrCat(p.path, ": empty range (needs from <= to, step > 0)"));
        }
        for (int64_t x = from; x <= to; x += step) p.values.push_back(x);
      } else {
        const double from = r["from"].get<double>(), to = r["to"].get<double>(),
                     step = r["step"].get<double>();
        if (!(step > 0) || to < from) {
          return GridError(origin, where + ".range",
                           absl::StrCat(p.path, ": empty range (needs from <= to, step > 0)"));
        }
        // Values from + k*step (not accumulated), k up to a tolerance of a millionth of a step.
        for (int64_t k = 0;; ++k) {
          const double x = from + static_cast<double>(k) * step;
          if (x > to + step * 1e-6) break;
          p.values.push_back(x);
        }
      }
    }
    g.params.push_back(std::move(p));
  }
  if (auto o = grid.find("objective"); o != grid.end()) {
    if (!o->is_object() || !o->contains("metric") || !(*o)["metric"].is_string()) {
      return GridError(origin, "objective", "expected {\"metric\": NAME, \"goal\": \"max\"|\"min\"}");
    }
    g.objective = (*o)["metric"].get<std::string>();
    if (o->contains("goal")) {
      const nlohmann::json& goal = (*o)["goal"];
      if (goal != "max" && goal != "min") {
        return GridError(origin, "objective.goal", "expected \"max\" or \"min\"");
      }
      g.maximize = goal == "max";
    }
  }
  if (!IsKnownSweepMetric(g.objective)) {
    return GridError(origin, "objective.metric", absl::StrCat("unknown metric '", g.objective, "'"));
  }
  if (auto cs = grid.find("constraints"); cs != grid.end()) {
    if (!cs->is_array()) return GridError(origin, "constraints", "expected an array");
    for (size_t i = 0; i < cs->size(); ++i) {
      const nlohmann::json& c = (*cs)[i];
      const std::string where = absl::StrCat("constraints[", i, "]");
      if (!c.is_object() || !c.contains("metric") || !c["metric"].is_string() ||
          !c.contains("op") || !c["op"].is_string() || !c.contains("value") ||
          !c["value"].is_number()) {
        return GridError(origin, where,
                         "expected {\"metric\": NAME, \"op\": \"<=\", \"value\": NUMBER}");
      }
      SweepConstraint k{c["metric"].get<std::string>(), c["op"].get<std::string>(),
                        c["value"].get<double>()};
      if (!IsKnownSweepMetric(k.metric)) {
        return GridError(origin, where + ".metric", absl::StrCat("unknown metric '", k.metric, "'"));
      }
      static const std::vector<std::string> kOps = {"<", "<=", ">", ">=", "==", "!="};
      if (std::find(kOps.begin(), kOps.end(), k.op) == kOps.end()) {
        return GridError(origin, where + ".op", absl::StrCat("unknown operator '", k.op, "'"));
      }
      g.constraints.push_back(std::move(k));
    }
  }
  return g;
}

uint64_t SweepPointCount(const SweepGrid& grid) {
  if (grid.random) return grid.samples;
  uint64_t n = 1;
  for (const SweepParam& p : grid.params) n *= p.values.size();
  return n;
}

std::vector<nlohmann::json> SweepPointValues(const SweepGrid& grid, uint64_t index) {
  std::vector<nlohmann::json> out(grid.params.size());
  if (grid.random) {
    // Point i draws from its own stream: any subset (a shard) gives the same values.
    uint64_t state = grid.seed ^ (index * 0xd1b54a32d192ed03ULL);
    for (size_t i = 0; i < grid.params.size(); ++i) {
      const auto& vals = grid.params[i].values;
      out[i] = vals[SplitMix(&state) % vals.size()];
    }
    return out;
  }
  for (size_t i = grid.params.size(); i-- > 0;) {
    const auto& vals = grid.params[i].values;
    out[i] = vals[index % vals.size()];
    index /= vals.size();
  }
  return out;
}

nlohmann::json SweepPointConfig(const SweepGrid& grid, const nlohmann::json& base, uint64_t index) {
  nlohmann::json doc = base;
  const std::vector<nlohmann::json> values = SweepPointValues(grid, index);
  for (size_t i = 0; i < grid.params.size(); ++i) *ResolveMutable(grid.params[i], doc) = values[i];
  return doc;
}

nlohmann::json SweepRow(const SweepGrid& grid, uint64_t index, const nlohmann::json& summary,
                        const std::string& digest) {
  nlohmann::json row = nlohmann::json::object();
  row["index"] = index;
  nlohmann::json params = nlohmann::json::object();
  const std::vector<nlohmann::json> values = SweepPointValues(grid, index);
  for (size_t i = 0; i < grid.params.size(); ++i) params[grid.params[i].path] = values[i];
  row["params"] = params;
  bool feasible = true;
  for (const SweepConstraint& c : grid.constraints) {
    const std::optional<double> v = SweepMetric(summary, c.metric);
    bool ok = false;
    if (v.has_value()) {
      const double x = *v;
      ok = c.op == "<"    ? x < c.value
           : c.op == "<=" ? x <= c.value
           : c.op == ">"  ? x > c.value
           : c.op == ">=" ? x >= c.value
           : c.op == "==" ? x == c.value
                          : x != c.value;
    }
    feasible = feasible && ok;
  }
  row["feasible"] = feasible;
  const std::optional<double> obj = SweepMetric(summary, grid.objective);
  row["objective"] = obj.has_value() ? nlohmann::json(*obj) : nlohmann::json(nullptr);
  row["metrics"] = RowMetricsJson(grid, summary);
  row["digest"] = digest;
  return row;
}

void SortSweepRows(const SweepGrid& grid, std::vector<nlohmann::json>* rows) {
  std::sort(rows->begin(), rows->end(), [&](const nlohmann::json& a, const nlohmann::json& b) {
    const bool fa = a["feasible"].get<bool>(), fb = b["feasible"].get<bool>();
    if (fa != fb) return fa;
    const bool na = a["objective"].is_null(), nb = b["objective"].is_null();
    if (na != nb) return nb;
    if (!na) {
      const double x = a["objective"].get<double>(), y = b["objective"].get<double>();
      if (x != y) return grid.maximize ? x > y : x < y;
    }
    return a["index"].get<uint64_t>() < b["index"].get<uint64_t>();
  });
}

nlohmann::json SweepTableJson(const SweepGrid& grid, const std::string& grid_digest, uint64_t points,
                              const std::vector<nlohmann::json>& rows, const std::string& shard) {
  nlohmann::json t = nlohmann::json::object();
  t["schema"] = "tapedeck.sweep/1";
  t["grid_digest"] = grid_digest;
  t["points"] = points;
  t["objective"] = grid.objective;
  t["goal"] = grid.maximize ? "max" : "min";
  nlohmann::json cs = nlohmann::json::array();
  for (const SweepConstraint& c : grid.constraints) {
    cs.push_back({{"metric", c.metric}, {"op", c.op}, {"value", c.value}});
  }
  t["constraints"] = cs;
  nlohmann::json ps = nlohmann::json::array();
  for (const SweepParam& p : grid.params) ps.push_back(p.path);
  t["params"] = ps;
  if (!shard.empty()) t["shard"] = shard;
  t["rows"] = rows;
  return t;
}

std::string SweepTableCsv(const nlohmann::json& table) {
  std::string out = "rank,index";
  for (const auto& p : table["params"]) absl::StrAppend(&out, ",", CsvField(p));
  absl::StrAppend(&out, ",feasible,objective");
  std::vector<std::string> metric_names;
  if (!table["rows"].empty()) {
    for (auto it = table["rows"][0]["metrics"].begin(); it != table["rows"][0]["metrics"].end(); ++it) {
      metric_names.push_back(it.key());
      absl::StrAppend(&out, ",", it.key());
    }
  }
  absl::StrAppend(&out, ",digest\n");
  uint64_t rank = 1;
  for (const auto& row : table["rows"]) {
    absl::StrAppend(&out, rank++, ",", row["index"].get<uint64_t>());
    for (const auto& p : table["params"]) {
      absl::StrAppend(&out, ",", CsvField(row["params"][p.get<std::string>()]));
    }
    absl::StrAppend(&out, ",", row["feasible"].get<bool>() ? "true" : "false", ",",
                    CsvField(row["objective"]));
    for (const std::string& n : metric_names) absl::StrAppend(&out, ",", CsvField(row["metrics"][n]));
    absl::StrAppend(&out, ",", row["digest"].get<std::string>(), "\n");
  }
  return out;
}

// ---- Walk-forward ----

absl::StatusOr<std::vector<WalkWindow>> WalkForwardWindows(Timestamp start, Timestamp end,
                                                           const WalkForwardSpec& spec) {
  if (spec.train.ns <= 0) return absl::InvalidArgumentError("--train: must be positive");
  if (spec.test.ns <= 0) return absl::InvalidArgumentError("--test: must be positive");
  const Duration step = spec.step.ns == 0 ? spec.test : spec.step;
  if (step.ns < spec.test.ns) {
    return absl::InvalidArgumentError(
        "--step: must be at least --test (test periods would overlap in the stitched curve)");
  }
  if (end <= start) return absl::InvalidArgumentError("walk-forward: the data span is empty");
  std::vector<WalkWindow> out;
  for (int64_t k = 0;; ++k) {
    // In Int128 so a huge step cannot overflow before the end test.
    const Int128 train_end = static_cast<Int128>(start.ns) + spec.train.ns +
                               static_cast<Int128>(k) * step.ns;
    if (train_end >= end.ns) break;
    WalkWindow w;
    w.train_end = Timestamp(static_cast<int64_t>(train_end));
    w.train_start = spec.anchored ? start : Timestamp(w.train_end.ns - spec.train.ns);
    w.test_start = w.train_end;
    w.test_end = Timestamp(static_cast<int64_t>(
        std::min<Int128>(train_end + spec.test.ns, static_cast<Int128>(end.ns))));
    out.push_back(w);
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--train: the data span ", FormatTimestamp(start), " .. ", FormatTimestamp(end),
        " is not longer than one train period: no test period is left"));
  }
  return out;
}

nlohmann::json WithWindow(const nlohmann::json& config, Timestamp start, Timestamp end) {
  nlohmann::json doc = config;
  doc["window"] = {{"start", FormatTimestamp(start)}, {"end", FormatTimestamp(end)}};
  return doc;
}

std::vector<StitchedPoint> StitchEquity(const std::vector<WalkWindowResult>& windows,
                                        Money initial_cash) {
  std::vector<StitchedPoint> out;
  Money carried = initial_cash;
  for (size_t k = 0; k < windows.size(); ++k) {
    const WalkWindowResult& w = windows[k];
    // Stamped at the test start, or at the previous point when that one lies later (the last
    // sample of a window is at strategy time, which may trail its exchange-time end).
    Timestamp at = w.window.test_start;
    if (!out.empty() && out.back().ts > at) at = out.back().ts;
    out.push_back({at, k, carried});
    const Money offset(carried.raw - initial_cash.raw);
    for (const EquityPoint& p : w.test_equity) {
      if (p.ts < at) continue;
      out.push_back({p.ts, k, Money(p.equity.raw + offset.raw)});
    }
    if (w.test_equity.empty()) {
      // Flat: a closing point at the test end keeps the curve's time axis whole.
      out.push_back({std::max(at, w.window.test_end), k, carried});
    }
    carried = out.back().equity;
  }
  return out;
}

namespace {

std::string MoneyString(Money m) { return FormatDecimal(m.raw, Money::kScale); }

// "6h", "90m", "30s", "250ms", or nanoseconds: the largest unit that divides the duration.
std::string DurationText(Duration d) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {3'600'000'000'000LL, "h"}, {60'000'000'000LL, "m"}, {1'000'000'000LL, "s"},
      {1'000'000LL, "ms"},        {1'000LL, "us"}};
  for (const auto& [ns, unit] : kUnits) {
    if (d.ns != 0 && d.ns % ns == 0) return absl::StrCat(d.ns / ns, unit);
  }
  return absl::StrCat(d.ns, "ns");
}

nlohmann::json Bounds(Timestamp a, Timestamp b) {
  return {{"start", FormatTimestamp(a)}, {"end", FormatTimestamp(b)}};
}

nlohmann::json MeanOrNull(const std::vector<double>& v) {
  if (v.empty()) return nullptr;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

}  // namespace

nlohmann::json WalkForwardJson(const SweepGrid& grid, const std::string& grid_digest,
                               const WalkForwardSpec& spec, Timestamp span_start,
                               Timestamp span_end, const std::vector<WalkWindowResult>& windows,
                               Money initial_cash) {
  nlohmann::json t = SweepTableJson(grid, grid_digest, 0, {}, "");
  t.erase("rows");
  t.erase("points");
  t["schema"] = "tapedeck.walkforward/1";
  t["points"] = SweepPointCount(grid);
  t["mode"] = spec.anchored ? "anchored" : "rolling";
  t["train"] = DurationText(spec.train);
  t["test"] = DurationText(spec.test);
  t["step"] = DurationText(spec.step.ns == 0 ? spec.test : spec.step);
  t["span"] = Bounds(span_start, span_end);
  nlohmann::json rows = nlohmann::json::array();
  std::vector<double> is_obj, oos_obj;
  uint64_t orders = 0, fills = 0, trips = 0, traded = 0;
  for (size_t k = 0; k < windows.size(); ++k) {
    const WalkWindowResult& w = windows[k];
    nlohmann::json row = nlohmann::json::object();
    row["window"] = k;
    row["train"] = Bounds(w.window.train_start, w.window.train_end);
    row["test"] = Bounds(w.window.test_start, w.window.test_end);
    if (w.train_best.is_null()) {
      row["index"] = nullptr;
      row["params"] = nullptr;
      row["in_sample"] = nullptr;
      row["out_of_sample"] = nullptr;
      rows.push_back(row);
      continue;
    }
    ++traded;
    row["index"] = w.train_best["index"];
    row["params"] = w.train_best["params"];
    row["in_sample"] = {{"feasible", w.train_best["feasible"]},
                        {"objective", w.train_best["objective"]},
                        {"metrics", w.train_best["metrics"]},
                        {"digest", w.train_best["digest"]}};
    if (w.train_best["objective"].is_number()) is_obj.push_back(w.train_best["objective"].get<double>());
    const std::optional<double> o = SweepMetric(w.test_summary, grid.objective);
    if (o.has_value()) oos_obj.push_back(*o);
    row["out_of_sample"] = {{"objective", o.has_value() ? nlohmann::json(*o) : nlohmann::json()},
                            {"metrics", RowMetricsJson(grid, w.test_summary)},
                            {"digest", w.test_digest}};
    orders += static_cast<uint64_t>(SweepMetric(w.test_summary, "orders").value_or(0));
    fills += static_cast<uint64_t>(SweepMetric(w.test_summary, "fills").value_or(0));
    trips += static_cast<uint64_t>(SweepMetric(w.test_summary, "round_trips").value_or(0));
    rows.push_back(row);
  }
  t["windows"] = rows;
  t["in_sample"] = {{"mean_objective", MeanOrNull(is_obj)}};
  const std::vector<StitchedPoint> curve = StitchEquity(windows, initial_cash);
  std::vector<std::pair<Timestamp, Money>> series;
  for (const StitchedPoint& p : curve) series.emplace_back(p.ts, p.equity);
  const Money final_equity = curve.empty() ? initial_cash : curve.back().equity;
  const Money pnl(final_equity.raw - initial_cash.raw);
  t["out_of_sample"] = {
      {"mean_objective", MeanOrNull(oos_obj)},
      {"initial_equity", MoneyString(initial_cash)},
      {"final_equity", MoneyString(final_equity)},
      {"pnl", MoneyString(pnl)},
      {"total_return", initial_cash.raw > 0 ? static_cast<double>(pnl.raw) /
                                                  static_cast<double>(initial_cash.raw)
                                            : 0.0},
      {"max_drawdown", ComputeDrawdown(series).fraction},
      {"orders", orders},
      {"fills", fills},
      {"round_trips", trips},
      {"windows_traded", traded}};
  return t;
}

std::string WalkForwardCsv(const nlohmann::json& table) {
  static const std::vector<std::string> kMetrics = {"pnl",         "total_return", "max_drawdown",
                                                    "sharpe",      "round_trips",  "orders",
                                                    "fills"};
  std::string out = "window,train_start,train_end,test_start,test_end,index";
  for (const auto& p : table["params"]) absl::StrAppend(&out, ",", CsvField(p));
  absl::StrAppend(&out, ",is_feasible,is_objective");
  for (const std::string& m : kMetrics) absl::StrAppend(&out, ",is_", m);
  absl::StrAppend(&out, ",oos_objective");
  for (const std::string& m : kMetrics) absl::StrAppend(&out, ",oos_", m);
  absl::StrAppend(&out, ",is_digest,oos_digest\n");
  for (const auto& row : table["windows"]) {
    absl::StrAppend(&out, row["window"].get<uint64_t>(), ",",
                    row["train"]["start"].get<std::string>(), ",",
                    row["train"]["end"].get<std::string>(), ",",
                    row["test"]["start"].get<std::string>(), ",",
                    row["test"]["end"].get<std::string>(), ",", CsvField(row["index"]));
    const bool chosen = !row["index"].is_null();
    for (const auto& p : table["params"]) {
      absl::StrAppend(&out, ",", chosen ? CsvField(row["params"][p.get<std::string>()]) : "");
    }
    const nlohmann::json none = nlohmann::json::object();
    const nlohmann::json& is = chosen ? row["in_sample"] : none;
    const nlohmann::json& oos = chosen ? row["out_of_sample"] : none;
    absl::StrAppend(&out, ",", chosen ? (is["feasible"].get<bool>() ? "true" : "false") : "",
                    ",", chosen ? CsvField(is["objective"]) : "");
    for (const std::string& m : kMetrics) {
      absl::StrAppend(&out, ",", chosen ? CsvField(is["metrics"].value(m, nlohmann::json())) : "");
    }
    absl::StrAppend(&out, ",", chosen ? CsvField(oos["objective"]) : "");
    for (const std::string& m : kMetrics) {
      absl::StrAppend(&out, ",", chosen ? CsvField(oos["metrics"].value(m, nlohmann::json())) : "");
    }
    absl::StrAppend(&out, ",", chosen ? CsvField(is["digest"]) : "", ",",
                    chosen ? CsvField(oos["digest"]) : "", "\n");
  }
  return out;
}

std::string StitchedEquityCsv(const std::vector<StitchedPoint>& curve) {
  std::string out = "ts,ts_utc,window,equity\n";
  for (const StitchedPoint& p : curve) {
    absl::StrAppend(&out, p.ts.ns, ",", FormatTimestamp(p.ts), ",", p.window, ",",
                    MoneyString(p.equity), "\n");
  }
  return out;
}

}  // namespace tapedeck::apps
