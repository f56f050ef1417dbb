// Generic trades and quotes CSVs, for data from anywhere that a user has put into columns:
//   trades_csv: ts,price,qty,side         (side buy/sell is the aggressor) → kTrade
//   quotes_csv: ts,bid,bid_qty,ask,ask_qty                              → kQuote
// Columns may come in any order; the header is required and checked. `ts` is integer
// nanoseconds since the epoch or ISO-8601 UTC ("2026-02-05T00:00:00.25Z"). The data carries no
// receive time, so local_ts = exchange_ts. No options.
#ifndef TAPEDECK_REPLAY_GENERIC_CSV_H_
#define TAPEDECK_REPLAY_GENERIC_CSV_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

bool DetectTradesCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenTradesCsv(const SourceSpec& spec,
                                                           const InstrumentTable& instruments);

bool DetectQuotesCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenQuotesCsv(const SourceSpec& spec,
                                                           const InstrumentTable& instruments);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_GENERIC_CSV_H_
