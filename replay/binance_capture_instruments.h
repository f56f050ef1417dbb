// Instruments inferred from a Binance websocket capture itself, for `tapedeck convert` when no
// instruments file is given (a capture carries no instrument definitions).
#ifndef TAPEDECK_REPLAY_BINANCE_CAPTURE_INSTRUMENTS_H_
#define TAPEDECK_REPLAY_BINANCE_CAPTURE_INSTRUMENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"

namespace tapedeck::replay {

// For a Binance websocket capture (`<local_ns> <json>` lines, as in
// shared/data/binance_capture_20240808): one instrument per symbol found, kind and multiplier from
// the market (spot; USD-M perpetual; COIN-M perpetual with 100 USD contracts for BTC and 10 USD
// for the others), and price/qty scales equal to the most decimals that any price or quantity of
// that symbol carries in the whole file once trailing zeros are dropped, so that every value
// converts exactly. Tick and lot sizes are one unit at those scales; fees are Binance's regular
// tier (spot 0.1%/0.1%, futures 0.02% maker, 0.05% taker). An empty list when `path` is not a
// Binance capture.
absl::StatusOr<std::vector<Instrument>> BinanceCaptureInstruments(const std::string& path);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_BINANCE_CAPTURE_INSTRUMENTS_H_
