// The run config: one schema for what `tapedeck run` (and `sweep`), `paper` and `fixsim` read.
// Parsed once into typed structs; unknown keys and wrong types are errors naming the key's path.
//
//   {
//     "seed": 7,                                   // required for generated sources; --seed overrides
//     "instruments": [ {instrument}, ... ],        // optional when every source defines its own
//     "sources": [ {"path": "...", "format": "...", "instrument": "SYM", "local_shift": "0ns",
//                   "options": {...}} ],
//     "venue": {"entry_latency": "1ms", "response_latency": "1ms", "local_shift": "0ns",
//               "queue_model": "risk_averse", "queue_power": 2, "latency": {...}},
//     "account": {"initial_cash": "100000"},
//     "strategies": [ {"name": "sma_crossover", "label": "sma", "params": {...}} ],
//     "output": {"dir": "out/run", "equity_interval": "1m"},
//     "window": {"start": "2026-02-05T00:00:00Z", "end": "2026-02-06T00:00:00Z"}  // optional
//   }
//
// "window" replays only the events whose exchange time is in [start, end) (either bound may be
// left out). There is no warm-up: the strategy starts cold at the first event of the window, as
// if the data began there (sweep walk-forward windows use this).
//
// A paper config (runner/paper_config.h) and a fixsim config (runner/fixsim_config.h) are this
// schema plus a "fix" section: each reads the sections that apply to it with the readers below,
// so a key means the same everywhere, and refuses the others, saying why.
//
// Every strategy is built once while the config is read, so that a bad parameter of any
// strategy is reported before anything runs. Instruments are read by core/instrument_config.h.
#ifndef TAPEDECK_RUNNER_RUN_CONFIG_H_
#define TAPEDECK_RUNNER_RUN_CONFIG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/instrument.h"
#include "core/strategy.h"
#include "nlohmann/json.hpp"
#include "replay/source_factory.h"

namespace tapedeck::runner {

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
  EngineConfig engine;  // venue, local shifts, initial cash, equity interval
  std::vector<StrategySpec> strategies;
  std::string out_dir = "out/run";
  std::optional<RunWindow> window;  // "window": replay only this part of the data
  nlohmann::json document;  // the config as read, echoed into summary.json
  std::string origin;       // file path, or "<built-in default>"
  // The folder relative input paths were read from (the config file's) and the input paths the
  // config named (core/config.h); output.dir is not one of them.
  ConfigInputs inputs;
};

// The folder a config's relative input paths are read from: the folder of `origin` when it is a
// file's path, the working directory ("") for a name in angle brackets ("<built-in default>").
std::string InputBaseDir(const std::string& origin);

// `config.document` with its relative input paths rewritten so that a copy saved in the folder
// `dir` reads the same files (sweeps save each point's config in DIR/configs/).
nlohmann::json DocumentSavedIn(const RunConfig& config, const std::string& dir);

// Parses a run config. Instruments that the config does not list are taken from the sources that
// define their own (a tape, the scenario). `seed_override` (from --seed) replaces "seed".
// Relative input paths are read from InputBaseDir(origin).
absl::StatusOr<RunConfig> ParseRunConfig(const nlohmann::json& doc, const std::string& origin,
                                         std::optional<uint64_t> seed_override);

// Reads and parses a run config file; errors start with the file's path.
absl::StatusOr<RunConfig> LoadRunConfig(const std::string& path,
                                        std::optional<uint64_t> seed_override);

// Parses a run config given as JSON text (the built-in default) under the name `origin`, which
// every error starts with ("<built-in default>: seed: ...").
absl::StatusOr<RunConfig> ParseRunConfigText(std::string_view text, const std::string& origin,
                                             std::optional<uint64_t> seed_override);

// Builds the strategy `spec` names (core/strategy_registry.h) with its parameters; errors name the
// key's path ("strategies[1].params.fast: ...").
absl::StatusOr<std::unique_ptr<Strategy>> BuildStrategy(const StrategySpec& spec,
                                                        const InstrumentTable& instruments);

// The sections of the schema, each read from `root` into *rc (leaving it as it is when the
// section is absent) without finishing `root`. Order matters where one section needs another:
// seed before sources (a generated source takes the seed), sources before instruments (sources
// may define them), instruments before strategies (their parameters name instruments).
namespace section {
// "plugins": plugin files (core/plugin_loader.h), relative to the config's folder, loaded before
// any other section is read (their latency and queue models and strategies are named there).
absl::Status Plugins(ConfigObject& root, RunConfig* rc);
absl::Status Seed(ConfigObject& root, std::optional<uint64_t> seed_override, RunConfig* rc);
absl::Status Sources(ConfigObject& root, RunConfig* rc);
absl::Status Instruments(ConfigObject& root, RunConfig* rc);
absl::Status Venue(ConfigObject& root, RunConfig* rc);
absl::Status Account(ConfigObject& root, RunConfig* rc);
absl::Status Strategies(ConfigObject& root, RunConfig* rc);
absl::Status Output(ConfigObject& root, RunConfig* rc);
absl::Status Window(ConfigObject& root, RunConfig* rc);
}  // namespace section

// "<key>: does not apply to <mode>: <why>" when `o` has `key` (a key of the schema that this
// kind of config cannot honour); OK otherwise.
absl::Status RefuseKey(const ConfigObject& o, std::string_view key, std::string_view mode,
                       std::string_view why);
// "<key>: moved to <now>" when `o` has `key` (a key of an older shape of this config).
absl::Status MovedKey(const ConfigObject& o, std::string_view key, std::string_view now);

// `status` (an error about the config found after it was read: a source that cannot be opened)
// prefixed with the config's origin, unless it starts with it already.
absl::Status WithOrigin(const RunConfig& config, const absl::Status& status);

// Reads a JSON config file and parses it with `parse`; errors start with the file's path
// ("configs/x.json: sources[0].path: ...").
template <typename Config, typename Parse>
absl::StatusOr<Config> LoadConfigFile(const std::string& path, Parse parse) {
  nlohmann::json doc;
  if (absl::Status s = LoadConfigJson(path, &doc); !s.ok()) return s;
  absl::StatusOr<Config> c = parse(doc);
  if (!c.ok()) return absl::Status(c.status().code(), path + ": " + std::string(c.status().message()));
  return c;
}

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_RUN_CONFIG_H_
