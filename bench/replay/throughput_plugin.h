// bench_throughput --plugin: the SMA example built from a plugin (tests/plugin builds
// strategies/sma_crossover.cc as libsma_plugin.so, registered as "sma_crossover_plugin"), so
// that engine_sma_plugin runs the same code as engine_sma, only loaded at run time.
#ifndef TAPEDECK_BENCH_REPLAY_THROUGHPUT_PLUGIN_H_
#define TAPEDECK_BENCH_REPLAY_THROUGHPUT_PLUGIN_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/instrument.h"
#include "core/plugin_loader.h"
#include "core/strategy.h"
#include "core/strategy_registry.h"
#include "nlohmann/json.hpp"

namespace tapedeck::bench {

// Loads `plugin` and builds its strategy `name` with the SMA example's parameters on the
// table's first instrument.
inline absl::StatusOr<std::unique_ptr<Strategy>> PluginSma(const std::string& plugin,
                                                           const std::string& name,
                                                           const InstrumentTable& table, int fast,
                                                           int slow, int64_t qty_raw) {
  if (absl::Status s = LoadPlugin(plugin); !s.ok()) return s;
  const Instrument& in = table.at(InstrumentId(0));
  const nlohmann::json params = {{"instrument", in.symbol},
                                 {"fast", fast},
                                 {"slow", slow},
                                 {"qty", FormatDecimal(qty_raw, in.qty_scale)}};
  absl::StatusOr<ConfigObject> o = ConfigObject::Of(&params, "params");
  if (!o.ok()) return o.status();
  return CreateStrategy(name, *o, table);
}

}  // namespace tapedeck::bench

#endif  // TAPEDECK_BENCH_REPLAY_THROUGHPUT_PLUGIN_H_
