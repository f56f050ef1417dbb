#include "runner/strategy_list.h"

#include <algorithm>
#include <cstddef>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tapedeck::runner {

nlohmann::json StrategiesJson(const std::vector<StrategyInfo>& strategies) {
  nlohmann::json list = nlohmann::json::array();
  for (const StrategyInfo& s : strategies) {
    nlohmann::json params = nlohmann::json::array();
    for (const ParamDoc& p : s.params) {
      params.push_back({{"name", p.name},
                        {"type", p.type},
                        {"default", p.default_value},
                        {"required", p.required},
                        {"description", p.description}});
    }
    list.push_back({{"name", s.name},
                    {"description", s.description},
                    {"params", std::move(params)},
                    {"example_params", s.example_params}});
  }
  return {{"schema", "tapedeck.strategies/1"}, {"strategies", std::move(list)}};
}

namespace {

// "required", the default as a config writes it, or "-" when there is none.
std::string DefaultText(const ParamDoc& p) {
  if (p.required) return "required";
  return p.default_value.empty() ? "-" : p.default_value;
}

void AppendParams(const StrategyInfo& s, std::string* out) {
  if (s.params.empty()) {
    absl::StrAppend(out, "  parameters: none\n");
    return;
  }
  // Columns as wide as their widest cell, so the table reads in a terminal.
  size_t name_w = 4, type_w = 4, default_w = 7;
  for (const ParamDoc& p : s.params) {
    name_w = std::max(name_w, p.name.size());
    type_w = std::max(type_w, p.type.size());
    default_w = std::max(default_w, DefaultText(p).size());
  }
  absl::StrAppend(out, "  parameters:\n");
  const auto row = [&](const std::string& n, const std::string& t, const std::string& d,
                       const std::string& what) {
    absl::StrAppend(out, absl::StrFormat("    %-*s  %-*s  %-*s  %s\n", static_cast<int>(name_w),
                                         n, static_cast<int>(type_w), t,
                                         static_cast<int>(default_w), d, what));
  };
  row("name", "type", "default", "description");
  for (const ParamDoc& p : s.params) row(p.name, p.type, DefaultText(p), p.description);
}

}  // namespace

std::string StrategiesText(const std::vector<StrategyInfo>& strategies) {
  std::string out;
  for (const StrategyInfo& s : strategies) {
    if (!out.empty()) out += '\n';
    absl::StrAppend(&out, s.name, ": ", s.description, "\n");
    AppendParams(s, &out);
    absl::StrAppend(&out, "  example: {\"name\": \"", s.name,
                    "\", \"params\": ", s.example_params.dump(), "}\n");
  }
  return out;
}

}  // namespace tapedeck::runner
