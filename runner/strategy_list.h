// `tapedeck strategies`: every registered strategy (built-in, or loaded from a plugin into the
// same table) with its parameters, as text for a person or as JSON for a program. Both are
// made from the registration itself (core/strategy_registry.h StrategyInfo, its ParamDoc
// table and example parameters), so there is no second list to keep in step. The JSON shape is
// docs/strategies.schema.json (schema "tapedeck.strategies/1").
#ifndef TAPEDECK_RUNNER_STRATEGY_LIST_H_
#define TAPEDECK_RUNNER_STRATEGY_LIST_H_

#include <string>
#include <vector>

#include "core/strategy_registry.h"
#include "nlohmann/json.hpp"

namespace tapedeck::runner {

// {"schema": "tapedeck.strategies/1", "strategies": [{"name", "description", "params": [{"name",
// "type", "default", "required", "description"}...], "example_params"}...]}, in the order given.
nlohmann::json StrategiesJson(const std::vector<StrategyInfo>& strategies);

// One block per strategy: its name and description, a table of its parameters (name, type,
// default or "required", description), and its example parameters as a config would write them.
std::string StrategiesText(const std::vector<StrategyInfo>& strategies);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_STRATEGY_LIST_H_
