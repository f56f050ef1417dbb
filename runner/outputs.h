// The files a run writes, the same for `run` and `paper`:
//   summary.json  run facts, PnL, per-instrument results, the strategy's report, the config
//   orders.csv    every request the strategy sent, in order (new orders and cancels)
//   fills.csv     every fill the strategy learnt of, in order
//   equity.csv    the equity curve, sampled at output.equity_interval of strategy time
//   prices.csv    last price, quote mid and position of every instrument at the equity.csv
//                 timestamps (when the run recorded them: runner/series.h)
//   round_trips.csv  flat-to-flat position cycles per instrument (core/metrics.h)
//   account.csv   funding payments, settlements and liquidations made by the venue, in order
//   digest.txt    FNV-1a 64-bit digests of orders.csv and fills.csv (and account.csv when it has
//                 rows), and of them together
// Every file is written to a temporary name and renamed, so a crash never leaves a half-written
// result. Nothing here depends on the wall clock: same inputs, same bytes.
#ifndef TAPEDECK_RUNNER_OUTPUTS_H_
#define TAPEDECK_RUNNER_OUTPUTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "runner/series.h"
#include "core/engine.h"
#include "core/strategy.h"
#include "nlohmann/json.hpp"

namespace tapedeck::runner {

// Writes `content` to `path` through a temporary file in the same directory and a rename.
absl::Status WriteFileAtomically(const std::string& path, std::string_view content);

// FNV-1a, 64 bits: the digest of order and fill lists (not a cryptographic hash).
uint64_t Fnv1a64(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ULL);
std::string Hex64(uint64_t v);

struct RunOutputs {
  std::string orders_csv;
  std::string fills_csv;
  std::string equity_csv;
  std::string prices_csv;  // empty when no series was recorded: the file is not written
  std::string round_trips_csv;
  std::string account_csv;
  nlohmann::json summary;
  std::string digest;  // hex of the combined digest
  std::string digest_txt;
};

struct RunFacts {
  std::string strategy_name;
  std::string label;
  uint64_t seed = 0;
  uint64_t market_events = 0;
  Timestamp first_ts;
  Timestamp last_ts;
};

// Renders the outputs of one strategy's run from what its Context recorded. summary.json's
// "metrics" come from core/metrics.h (schema: docs/summary.schema.json); `series`, when given,
// becomes prices.csv.
RunOutputs RenderOutputs(const Context& ctx, const std::vector<EquityPoint>& equity,
                         const RunFacts& facts, const Strategy& strategy,
                         const nlohmann::json& config,
                         const std::vector<SeriesSample>* series = nullptr);

// Writes them into `dir` (created if needed).
absl::Status WriteOutputs(const std::string& dir, const RunOutputs& out);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_OUTPUTS_H_
