// The run config: what `tapedeck run` (and `paper`, `sweep`) read. Parsed once into typed
// structs; unknown keys and wrong types are errors naming the key's path.
//
//   {
//     "seed": 7,                                   // required for generated sources; --seed overrides
//     "instruments": [ {instrument}, ... ],        // optional when every source defines its own
//     "sources": [ {"path": "...", "format": "...", "instrument": "SYM", "options": {...}} ],
//     "venue": {"entry_latency": "1ms", "response_latency": "1ms", "local_shift": "0ns"},
//     "account": {"initial_cash": "100000"},
//     "strategies": [ {"name": "sma_crossover", "label": "sma", "params": {...}} ],
//     "output": {"dir": "out/run", "equity_interval": "1m"},
//     "window": {"start": "2026-02-05T00:00:00Z", "end": "2026-02-06T00:00:00Z"}  // optional
//   }
//
// "window" replays only the events whose exchange time is in [start, end) (either bound may be
// left out). There is no warm-up: the strategy starts cold at the first event of the window, as
// if the data began there (sweep walk-forward windows use this; apps/sweep.h).
//
// Instruments are read by core/instrument_config.h.
#ifndef TAPEDECK_APPS_RUN_CONFIG_H_
#define TAPEDECK_APPS_RUN_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/instrument.h"
#include "nlohmann/json.hpp"
#include "replay/source_factory.h"

namespace tapedeck::apps {

struct StrategySpec {
  std::string name;
  std::string label;  // unique within the run; names its output folder
  nlohmann::json params = nlohmann::json::object();
  std::string where;  // config path, for messages
};

// A time window of the data, exchange time, [start, end).
struct RunWindow {
  Timestamp start = Timestamp::Min();
  Timestamp end = Timestamp::Max();
};

struct RunConfig {
  std::optional<uint64_t> seed;
  InstrumentTable instruments;
  std::vector<replay::SourceSpec> sources;
  EngineConfig engine;
  std::vector<StrategySpec> strategies;
  std::string out_dir = "out/run";
  std::optional<RunWindow> window;  // "window": replay only this part of the data
  nlohmann::json document;  // the config as read, echoed into summary.json
  std::string origin;       // file path, or "<built-in default>"
};

// Parses a run config. Instruments that the config does not list are taken from the sources that
// define their own (a tape, the scenario). `seed_override` (from --seed) replaces "seed".
absl::StatusOr<RunConfig> ParseRunConfig(const nlohmann::json& doc, const std::string& origin,
                                         std::optional<uint64_t> seed_override);

// Reads and parses a run config file.
absl::StatusOr<RunConfig> LoadRunConfig(const std::string& path,
                                        std::optional<uint64_t> seed_override);

// The embedded default (configs/default.json, compiled in): the 2026-02-05 deleveraging
// scenario with both seed strategies.
const char* DefaultConfigJson();

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_RUN_CONFIG_H_
