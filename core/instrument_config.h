// Instruments as JSON: the "instruments" entries of run configs, fixsim configs, journals and
// tape headers all read and write through here.
//
//   {"symbol": "LTCUSDT", "kind": "spot|perpetual|future", "base": "LTC", "quote": "USDT",
//    "price_scale": 2, "qty_scale": 3, "tick_size": "0.01", "lot_size": "0.001",
//    "contract_multiplier": "1", "maker_fee": "0.0002", "taker_fee": "0.0005",
//    "expiry": "2026-03-27T08:00:00Z", "initial_margin": "0.1", "maintenance_margin": "0.05",
//    "liquidation_fee": "0.01"}
// Required: symbol, price_scale, qty_scale (and expiry for a future). Defaults: kind spot,
// tick and lot one unit of the last decimal, multiplier 1, fees 0, margin rates 0 (off; each
// within 0..1, maintenance at most initial when initial is set).
#ifndef TAPEDECK_CORE_INSTRUMENT_CONFIG_H_
#define TAPEDECK_CORE_INSTRUMENT_CONFIG_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/instrument.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

absl::StatusOr<Instrument> ParseInstrument(ConfigObject& o);
// Reads the array `key` of `parent` into a table (an absent key gives an empty table).
absl::StatusOr<InstrumentTable> ParseInstruments(ConfigObject& parent, std::string_view key);

nlohmann::json InstrumentToJson(const Instrument& in);
nlohmann::json InstrumentsToJson(const InstrumentTable& table);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_INSTRUMENT_CONFIG_H_
