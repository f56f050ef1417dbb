// Instruments from a config's "instruments" array, for the commands of adapters/ (fixsim, paper)
// and for journals, which carry their instruments so that a replay needs nothing else:
//   [{"symbol": "BTCUSDT", "kind": "spot" | "perpetual" | "dated_future", "base": "BTC",
//     "quote": "USDT", "price_scale": 2, "qty_scale": 3, "tick_size": "0.01",
//     "lot_size": "0.001", "maker_fee": "0.0002", "taker_fee": "0.0005"}]
#ifndef TAPEDECK_ADAPTERS_INSTRUMENT_CONFIG_H_
#define TAPEDECK_ADAPTERS_INSTRUMENT_CONFIG_H_

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/instrument.h"
#include "nlohmann/json.hpp"

namespace tapedeck::adapters {

// Reads `key` of `obj` (an array of instrument objects) into a table.
absl::StatusOr<InstrumentTable> ParseInstruments(ConfigObject& obj, std::string_view key);

// The same table back as JSON that ParseInstruments reads.
nlohmann::json InstrumentsToJson(const InstrumentTable& table);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_INSTRUMENT_CONFIG_H_
