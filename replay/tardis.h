// Tardis.dev CSV datasets (https://docs.tardis.dev/downloadable-csv-files), every file starting
// exchange,symbol,timestamp,local_timestamp with times in µs since the epoch: exchange_ts from
// `timestamp`, local_ts from `local_timestamp` (when the Tardis collector received it).
//   tardis_trades               id,side,price,amount                           → kTrade
//   tardis_liquidations         id,side,price,amount (side of the forced order) → kLiquidation
//   tardis_incremental_book_l2  is_snapshot,side,price,amount                  → kBookLevel
//   tardis_book_snapshot        asks[i].price,asks[i].amount,bids[i]... (5/25) → kBookLevel + kQuote
//   tardis_quotes               ask_amount,ask_price,bid_price,bid_amount      → kQuote
//   tardis_derivative_ticker    funding_timestamp,funding_rate,predicted_funding_rate,
//                               open_interest,last_price,index_price,mark_price
//                               → kIndexPrice, kMarkPrice, kFundingRate, kOpenInterest as present
// The symbol column is looked up in the run's instruments (an unknown symbol is an error), unless
// the source names `instrument`: then only that symbol's rows are read and the others skipped.
// Empty fields mean absent (a quote side, a derivative-ticker value). Options:
//   unknown_side (tardis_trades): "error" (default) or "skip": a trade whose side is "unknown".
//   round_funding_rate (tardis_derivative_ticker): false (default: a rate with more than 8
//     decimals is an error) or true (rounded half away from zero to 10^-8, exactly).
#ifndef TAPEDECK_REPLAY_TARDIS_H_
#define TAPEDECK_REPLAY_TARDIS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

bool DetectTardisTrades(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisTrades(const SourceSpec& spec,
                                                              const InstrumentTable& instruments);

// Liquidations have the trades' header, so they are never detected: name the format.
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisLiquidations(
    const SourceSpec& spec, const InstrumentTable& instruments);

// A row with is_snapshot=true after a row without starts a snapshot: its level carries
// kBookSnapshotBegin (the receiver clears that instrument's book). The last row of each message
// (rows with the same timestamps and symbol) carries kBookEndOfMessage.
bool DetectTardisIncrementalBookL2(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisIncrementalBookL2(
    const SourceSpec& spec, const InstrumentTable& instruments);

// Each row is a whole top-N book: bids then asks as kBookLevel (kBookSnapshotBegin on the first,
// kBookEndOfMessage on the last), then one kQuote from level 0.
bool DetectTardisBookSnapshot(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisBookSnapshot(
    const SourceSpec& spec, const InstrumentTable& instruments);

bool DetectTardisQuotes(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisQuotes(const SourceSpec& spec,
                                                              const InstrumentTable& instruments);

bool DetectTardisDerivativeTicker(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenTardisDerivativeTicker(
    const SourceSpec& spec, const InstrumentTable& instruments);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_TARDIS_H_
