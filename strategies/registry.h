// The registry of built-in strategies, so that run configs name them.
#ifndef TAPEDECK_STRATEGIES_REGISTRY_H_
#define TAPEDECK_STRATEGIES_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/instrument.h"
#include "core/strategy.h"

namespace tapedeck::strategies {

struct StrategyInfo {
  std::string_view name;
  std::string_view description;
  // Reads the strategy's parameters from `params` (calling params.Finish() so that unknown keys
  // are errors) and builds it. Instruments are named by symbol in the parameters.
  absl::StatusOr<std::unique_ptr<Strategy>> (*create)(ConfigObject& params,
                                                      const InstrumentTable& instruments);
};

// Every built-in strategy, in name order.
const std::vector<StrategyInfo>& Registry();

// Builds the strategy `name`; an unknown name is an error listing the known ones.
absl::StatusOr<std::unique_ptr<Strategy>> CreateStrategy(std::string_view name,
                                                         ConfigObject& params,
                                                         const InstrumentTable& instruments);

}  // namespace tapedeck::strategies

#endif  // TAPEDECK_STRATEGIES_REGISTRY_H_
