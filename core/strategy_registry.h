// The table of strategies a run config can name. Each strategy registers itself in one statement
// beside its code, from a static initialiser:
//
//   [[maybe_unused]] const bool kRegistered = RegisterStrategy<SmaCrossover>(
//       "sma_crossover", "long when the fast SMA is above the slow one, flat otherwise",
//       kParams, {{"instrument", "BTC-PERP"}, {"fast", 5}, {"slow", 20}});
//
// There is no central list. Libraries of strategies must be linked whole, or the linker drops
// the objects that nothing references, and their registrations with them (strategies/
// CMakeLists.txt does so for the built-in ones). In a plugin (core/plugin.h) the same statement
// records the strategy, and the loader adds it to this table once it has checked the plugin.
#ifndef TAPEDECK_CORE_STRATEGY_REGISTRY_H_
#define TAPEDECK_CORE_STRATEGY_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/instrument.h"
#include "core/params.h"
#include "core/strategy.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

using StrategyFactory = std::function<absl::StatusOr<std::unique_ptr<Strategy>>(
    ConfigObject& params, const InstrumentTable& instruments)>;

struct StrategyInfo {
  std::string name;
  std::string description;
  std::vector<ParamDoc> params;  // in declaration order
  // Parameters that make the strategy trade on the built-in scenario (replay/scenario.h, its
  // instruments BTC-SPOT, BTC-PERP, BTC-FUT-NEAR...): the tests run every strategy with them.
  nlohmann::json example_params = nlohmann::json::object();
  // Reads the parameters (unknown keys are errors naming their path) and builds the strategy.
  StrategyFactory create;
};

// Adds a strategy to the table; AlreadyExists when the name is taken. Not thread-safe: call
// during static initialisation or before any run starts.
absl::Status AddStrategy(StrategyInfo info);

// Every registered strategy, in name order.
const std::vector<StrategyInfo>& Strategies();
// nullptr when no strategy has that name.
const StrategyInfo* FindStrategy(std::string_view name);

// Builds the strategy `name` from its parameters; an unknown name is an error listing the
// known ones.
absl::StatusOr<std::unique_ptr<Strategy>> CreateStrategy(std::string_view name,
                                                         ConfigObject& params,
                                                         const InstrumentTable& instruments);

#ifdef TAPEDECK_PLUGIN_BUILD
// In a plugin, where a strategy waits until the loader has checked the plugin (core/plugin.h);
// defined by the plugin's entry source, hidden so that every plugin has its own.
__attribute__((visibility("hidden"))) void DeferPluginStrategy(StrategyInfo info);
#endif

// Registers the strategy class S, built from the struct its parameter table reads (S(const P&),
// or S(const P&, const InstrumentTable&) when it needs the instruments). False when the name
// is taken (the registry test then fails: the table has one strategy less than the sources).
template <typename S, typename P>
bool RegisterStrategy(std::string name, std::string description, const ParamTable<P>& params,
                      nlohmann::json example_params) {
  static_assert(std::is_base_of_v<Strategy, S>);
  StrategyInfo info;
  info.name = std::move(name);
  info.description = std::move(description);
  info.params = params.Docs();
  info.example_params = std::move(example_params);
  info.create = [&params](ConfigObject& c, const InstrumentTable& instruments)
      -> absl::StatusOr<std::unique_ptr<Strategy>> {
    absl::StatusOr<P> p = params.Parse(c, instruments);
    if (!p.ok()) return p.status();
    if constexpr (std::is_constructible_v<S, const P&, const InstrumentTable&>) {
      return std::unique_ptr<Strategy>(new S(*p, instruments));
    } else {
      return std::unique_ptr<Strategy>(new S(*p));
    }
  };
#ifdef TAPEDECK_PLUGIN_BUILD
  DeferPluginStrategy(std::move(info));
  return true;
#else
  return AddStrategy(std::move(info)).ok();
#endif
}

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_STRATEGY_REGISTRY_H_
