#include "analysis/sweep_grid.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace tapedeck::analysis {
namespace {

absl::Status GridError(const std::string& origin, const std::string& key, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(origin, ": ", key, ": ", what));
}

// "strategies[0].params.drawdown_bps" -> strategies, [0], params, drawdown_bps.
bool ParsePath(const std::string& path, std::vector<PathStep>* steps) {
  size_t i = 0;
  while (i < path.size()) {
    PathStep step;
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string::npos || close == i + 1) return false;
      const std::string digits = path.substr(i + 1, close - i - 1);
      if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
      step.is_index = true;
      step.index = std::strtoull(digits.c_str(), nullptr, 10);  // saturates: then out of range
      i = close + 1;
    } else {
      size_t end = path.find_first_of(".[", i);
      if (end == std::string::npos) end = path.size();
      if (end == i) return false;
      step.key = path.substr(i, end - i);
      i = end;
    }
    steps->push_back(std::move(step));
    if (i < path.size() && path[i] == '.') ++i;
  }
  return !steps->empty();
}

const nlohmann::json* Resolve(const std::vector<PathStep>& steps, const nlohmann::json& doc) {
  const nlohmann::json* cur = &doc;
  for (const PathStep& s : steps) {
    if (s.is_index) {
      if (!cur->is_array() || s.index >= cur->size()) return nullptr;
      cur = &(*cur)[s.index];
    } else {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(s.key);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
  }
  return cur;
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

absl::Status CheckKeys(const nlohmann::json& grid, const std::string& origin) {
  if (!grid.is_object()) return GridError(origin, "(root)", "expected an object");
  static const std::vector<std::string> kKeys = {"mode",   "samples",   "seed",
                                                 "params", "objective", "constraints"};
  for (auto it = grid.begin(); it != grid.end(); ++it) {
    if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end()) {
      return GridError(
          origin, it.key(),
          "unknown key (allowed: mode, samples, seed, params, objective, constraints)");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseMode(const nlohmann::json& grid, const std::string& origin, SweepGrid* g) {
  if (auto it = grid.find("mode"); it != grid.end()) {
    if (!it->is_string() || (*it != "grid" && *it != "random")) {
      return GridError(origin, "mode", "expected \"grid\" or \"random\"");
    }
    g->random = *it == "random";
  }
  if (!g->random) {
    if (grid.contains("samples") || grid.contains("seed")) {
      return GridError(origin, grid.contains("samples") ? "samples" : "seed",
                       "only for \"mode\": \"random\"");
    }
    return absl::OkStatus();
  }
  auto s = grid.find("samples");
  if (s == grid.end() || !s->is_number_unsigned() || s->get<uint64_t>() == 0) {
    return GridError(origin, "samples", "random mode needs a positive integer");
  }
  g->samples = s->get<uint64_t>();
  auto seed = grid.find("seed");
  if (seed == grid.end() || !seed->is_number_unsigned()) {
    return GridError(origin, "seed", "random mode needs a non-negative integer seed");
  }
  g->seed = seed->get<uint64_t>();
  return absl::OkStatus();
}

absl::Status ParseValues(const nlohmann::json& v, const nlohmann::json& base,
                         const std::string& origin, const std::string& where, SweepParam* p) {
  if (!v.is_array() || v.empty()) {
    return GridError(origin, where + ".values", absl::StrCat(p->path, ": empty or not an array"));
  }
  for (size_t k = 0; k < v.size(); ++k) {
    if (!SameType(base, v[k])) {
      return GridError(origin, absl::StrCat(where, ".values[", k, "]"),
                       absl::StrCat(p->path, ": wrong type: the config has ", TypeName(base),
                                    ", this is ", TypeName(v[k])));
    }
    p->values.push_back(v[k]);
  }
  return absl::OkStatus();
}

absl::Status ParseRange(const nlohmann::json& r, const nlohmann::json& base,
                        const std::string& origin, const std::string& where, SweepParam* p) {
  const std::string at = where + ".range";
  if (!r.is_object() || !r.contains("from") || !r.contains("to") || !r.contains("step")) {
    return GridError(origin, at, absl::StrCat(p->path, ": expected {\"from\", \"to\", \"step\"}"));
  }
  if (!base.is_number()) {
    return GridError(origin, at,
                     absl::StrCat(p->path, ": wrong type: a range needs a number, the config has ",
                                  TypeName(base)));
  }
  for (const char* k : {"from", "to", "step"}) {
    if (!SameType(base, r[k])) {
      return GridError(origin, absl::StrCat(at, ".", k),
                       absl::StrCat(p->path, ": wrong type: the config has ", TypeName(base),
                                    ", this is ", TypeName(r[k])));
    }
  }
  const std::string empty = absl::StrCat(p->path, ": empty range (needs from <= to, step > 0)");
  if (base.is_number_integer()) {
    const int64_t from = r["from"].get<int64_t>(), to = r["to"].get<int64_t>(),
                  step = r["step"].get<int64_t>();
    if (step <= 0 || to < from) return GridError(origin, at, empty);
    for (int64_t x = from; x <= to; x += step) p->values.push_back(x);
    return absl::OkStatus();
  }
  const double from = r["from"].get<double>(), to = r["to"].get<double>(),
               step = r["step"].get<double>();
  if (!(step > 0) || to < from) return GridError(origin, at, empty);
  // Values from + k*step (not accumulated), k up to a tolerance of a millionth of a step.
  for (int64_t k = 0;; ++k) {
    const double x = from + static_cast<double>(k) * step;
    if (x > to + step * 1e-6) break;
    p->values.push_back(x);
  }
  return absl::OkStatus();
}

absl::StatusOr<SweepParam> ParseParam(const nlohmann::json& pj, const std::string& origin,
                                      const std::string& where, const nlohmann::json& config) {
  if (!pj.is_object()) return GridError(origin, where, "expected an object");
  SweepParam p;
  auto path = pj.find("path");
  if (path == pj.end() || !path->is_string()) {
    return GridError(origin, where + ".path", "expected a string");
  }
  p.path = path->get<std::string>();
  if (!ParsePath(p.path, &p.steps)) {
    return GridError(origin, where + ".path", absl::StrCat("'", p.path, "' is not a valid path"));
  }
  const nlohmann::json* base = Resolve(p.steps, config);
  if (base == nullptr) {
    return GridError(origin, where + ".path",
                     absl::StrCat("unknown parameter path '", p.path, "' (not in the config)"));
  }
  if (!base->is_number() && !base->is_string() && !base->is_boolean()) {
    return GridError(origin, where + ".path",
                     absl::StrCat("'", p.path, "' is ", TypeName(*base), ", not a parameter"));
  }
  for (auto it = pj.begin(); it != pj.end(); ++it) {
    if (it.key() != "path" && it.key() != "values" && it.key() != "range") {
      return GridError(origin, absl::StrCat(where, ".", it.key()),
                       "unknown key (allowed: path, values, range)");
    }
  }
  const bool has_values = pj.contains("values");
  if (has_values == pj.contains("range")) {
    return GridError(origin, where, absl::StrCat(p.path, ": give exactly one of values, range"));
  }
  TAPEDECK_RETURN_IF_ERROR(has_values ? ParseValues(pj["values"], *base, origin, where, &p)
                                      : ParseRange(pj["range"], *base, origin, where, &p));
  return p;
}

absl::Status ParseParams(const nlohmann::json& grid, const std::string& origin,
                         const nlohmann::json& config, SweepGrid* g) {
  auto params = grid.find("params");
  if (params == grid.end() || !params->is_array() || params->empty()) {
    return GridError(origin, "params", "expected a non-empty array");
  }
  for (size_t i = 0; i < params->size(); ++i) {
    const std::string where = absl::StrCat("params[", i, "]");
    TAPEDECK_ASSIGN_OR_RETURN(SweepParam p, ParseParam((*params)[i], origin, where, config));
    for (size_t k = 0; k < g->params.size(); ++k) {
      if (g->params[k].path == p.path) {
        return GridError(origin, where + ".path",
                         absl::StrCat("'", p.path, "' is already params[", k, "]"));
      }
    }
    g->params.push_back(std::move(p));
  }
  return absl::OkStatus();
}

absl::StatusOr<MetricId> ParseMetric(const nlohmann::json& name, const std::string& origin,
                                     const std::string& key) {
  const Metric* m = FindMetric(name.get<std::string>());
  if (m == nullptr) {
    return GridError(origin, key, absl::StrCat("unknown metric '", name.get<std::string>(), "'"));
  }
  return m->id;
}

absl::Status ParseObjective(const nlohmann::json& grid, const std::string& origin, SweepGrid* g) {
  auto o = grid.find("objective");
  if (o == grid.end()) return absl::OkStatus();
  if (!o->is_object() || !o->contains("metric") || !(*o)["metric"].is_string()) {
    return GridError(origin, "objective", "expected {\"metric\": NAME, \"goal\": \"max\"|\"min\"}");
  }
  if (o->contains("goal")) {
    const nlohmann::json& goal = (*o)["goal"];
    if (goal != "max" && goal != "min") {
      return GridError(origin, "objective.goal", "expected \"max\" or \"min\"");
    }
    g->goal = goal == "max" ? SweepGoal::kMax : SweepGoal::kMin;
  }
  TAPEDECK_ASSIGN_OR_RETURN(g->objective, ParseMetric((*o)["metric"], origin, "objective.metric"));
  return absl::OkStatus();
}

absl::Status ParseConstraints(const nlohmann::json& grid, const std::string& origin, SweepGrid* g) {
  auto cs = grid.find("constraints");
  if (cs == grid.end()) return absl::OkStatus();
  if (!cs->is_array()) return GridError(origin, "constraints", "expected an array");
  for (size_t i = 0; i < cs->size(); ++i) {
    const nlohmann::json& c = (*cs)[i];
    const std::string where = absl::StrCat("constraints[", i, "]");
    if (!c.is_object() || !c.contains("metric") || !c["metric"].is_string() || !c.contains("op") ||
        !c["op"].is_string() || !c.contains("value") || !c["value"].is_number()) {
      return GridError(origin, where,
                       "expected {\"metric\": NAME, \"op\": \"<=\", \"value\": NUMBER}");
    }
    SweepConstraint k;
    TAPEDECK_ASSIGN_OR_RETURN(k.metric, ParseMetric(c["metric"], origin, where + ".metric"));
    const std::optional<CompareOp> op = ParseCompareOp(c["op"].get<std::string>());
    if (!op.has_value()) {
      return GridError(origin, where + ".op",
                       absl::StrCat("unknown operator '", c["op"].get<std::string>(), "'"));
    }
    k.op = *op;
    k.value = c["value"].get<double>();
    g->constraints.push_back(k);
  }
  return absl::OkStatus();
}

constexpr std::pair<CompareOp, std::string_view> kOps[] = {
    {CompareOp::kLess, "<"},          {CompareOp::kLessEqual, "<="}, {CompareOp::kGreater, ">"},
    {CompareOp::kGreaterEqual, ">="}, {CompareOp::kEqual, "=="},     {CompareOp::kNotEqual, "!="}};

}  // namespace

std::string_view CompareOpText(CompareOp op) {
  for (const auto& [o, text] : kOps) {
    if (o == op) return text;
  }
  return "";
}

std::optional<CompareOp> ParseCompareOp(std::string_view text) {
  for (const auto& [o, t] : kOps) {
    if (t == text) return o;
  }
  return std::nullopt;
}

bool SweepConstraint::HoldsFor(const std::optional<double>& x) const {
  if (!x.has_value()) return false;
  switch (op) {
    case CompareOp::kLess:
      return *x < value;
    case CompareOp::kLessEqual:
      return *x <= value;
    case CompareOp::kGreater:
      return *x > value;
    case CompareOp::kGreaterEqual:
      return *x >= value;
    case CompareOp::kEqual:
      return *x == value;
    case CompareOp::kNotEqual:
      return *x != value;
  }
  return false;
}

absl::StatusOr<SweepGrid> ParseSweepGrid(const nlohmann::json& grid, const std::string& origin,
                                         const nlohmann::json& base_config) {
  TAPEDECK_RETURN_IF_ERROR(CheckKeys(grid, origin));
  SweepGrid g;
  TAPEDECK_RETURN_IF_ERROR(ParseMode(grid, origin, &g));
  TAPEDECK_RETURN_IF_ERROR(ParseParams(grid, origin, base_config, &g));
  TAPEDECK_RETURN_IF_ERROR(ParseObjective(grid, origin, &g));
  TAPEDECK_RETURN_IF_ERROR(ParseConstraints(grid, origin, &g));
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
  for (size_t i = 0; i < grid.params.size(); ++i) {
    // Parsing checked that every path resolves in the base config, which `doc` copies.
    *const_cast<nlohmann::json*>(Resolve(grid.params[i].steps, doc)) = values[i];
  }
  return doc;
}

}  // namespace tapedeck::analysis
