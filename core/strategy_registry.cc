#include "core/strategy_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tapedeck {
namespace {

// Built on first use: registrations run from static initialisers in other translation units,
// in an order nothing fixes.
std::vector<StrategyInfo>& Table() {
  static std::vector<StrategyInfo> table;
  return table;
}

}  // namespace

absl::Status AddStrategy(StrategyInfo info) {
  std::vector<StrategyInfo>& t = Table();
  auto it = std::lower_bound(
      t.begin(), t.end(), info.name,
      [](const StrategyInfo& s, const std::string& n) { return s.name < n; });
  if (it != t.end() && it->name == info.name) {
    return absl::AlreadyExistsError(
        absl::StrCat("a strategy named '", info.name, "' is already registered"));
  }
  t.insert(it, std::move(info));
  return absl::OkStatus();
}

const std::vector<StrategyInfo>& Strategies() { return Table(); }

const StrategyInfo* FindStrategy(std::string_view name) {
  for (const StrategyInfo& s : Table()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<Strategy>> CreateStrategy(std::string_view name,
                                                         ConfigObject& params,
                                                         const InstrumentTable& instruments) {
  if (const StrategyInfo* s = FindStrategy(name)) return s->create(params, instruments);
  std::vector<std::string> names;
  for (const StrategyInfo& s : Table()) names.push_back(s.name);
  return absl::InvalidArgumentError(absl::StrCat("unknown strategy '", std::string(name),
                                                 "' (known: ", absl::StrJoin(names, ", "), ")"));
}

}  // namespace tapedeck
