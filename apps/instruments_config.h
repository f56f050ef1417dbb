// Instruments for `tapedeck convert`: from a JSON file in the shape of a run config's
// "instruments" entries, or, for a Binance websocket capture given without one, defaults derived
// from the capture itself.
#ifndef TAPEDECK_APPS_INSTRUMENTS_CONFIG_H_
#define TAPEDECK_APPS_INSTRUMENTS_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"

namespace tapedeck::apps {

// Reads a JSON file holding either an array of instrument objects or an object with an
// "instruments" array (a run config); each entry is read by ParseInstrument (core/instrument_config.h).
absl::StatusOr<std::vector<Instrument>> LoadInstrumentsFile(const std::string& path);

// For a Binance websocket capture (`<local_ns> <json>` lines, as in
// shared/data/binance_capture_20240808): one instrument per symbol found, kind and multiplier from
// the market (spot; USD-M perpetual; COIN-M perpetual with 100 USD contracts for BTC and 10 USD
// for the others), and price/qty scales equal to the most decimals that any price or quantity of
// that symbol carries in the whole file once trailing zeros are dropped, so that every value
// converts exactly. Tick and lot sizes are one unit at those scales; fees are Binance's regular
// tier (spot 0.1%/0.1%, futures 0.02% maker, 0.05% taker). An empty list when `path` is not a
// Binance capture.
absl::StatusOr<std::vector<Instrument>> BinanceCaptureInstruments(const std::string& path);

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_INSTRUMENTS_CONFIG_H_
