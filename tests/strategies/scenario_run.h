// Runs a strategy on the deleveraging scenario with core::Engine + core::Merger, for the strategy
// tests and the stress family.
#ifndef TAPEDECK_TESTS_STRATEGIES_SCENARIO_RUN_H_
#define TAPEDECK_TESTS_STRATEGIES_SCENARIO_RUN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/merger.h"
#include "replay/scenario.h"
#include "core/strategy_registry.h"

namespace tapedeck::testing {

struct ScenarioRun {
  InstrumentTable instruments;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Strategy> strategy;
};

struct ScenarioRunOptions {
  Money initial_cash = Money(1'000'000 * Money::kOne);
  bool trade_runs = true;  // EngineConfig::trade_runs
};

// Builds `name` from `params` and runs it on the scenario `p` with `seed`.
inline absl::Status RunOnScenario(const replay::ScenarioParams& p, uint64_t seed,
                                  const std::string& name, const nlohmann::json& params,
                                  ScenarioRun* run, ScenarioRunOptions options = {}) {
  for (Instrument& in : replay::ScenarioInstruments(p)) {
    absl::Status s = run->instruments.Add(in);
    if (!s.ok()) return s;
  }
  ConfigObject c(&params, "params");
  absl::StatusOr<std::unique_ptr<Strategy>> st =
      CreateStrategy(name, c, run->instruments);
  if (!st.ok()) return st.status();
  run->strategy = std::move(*st);
  absl::StatusOr<std::unique_ptr<replay::ScenarioSource>> src =
      replay::ScenarioSource::Create(p, seed, run->instruments);
  if (!src.ok()) return src.status();
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::move(*src));
  Merger merger(std::move(sources));
  absl::Status s = merger.Init();
  if (!s.ok()) return s;
  EngineConfig config;
  config.initial_cash = options.initial_cash;
  config.trade_runs = options.trade_runs;
  run->engine = std::make_unique<Engine>(run->instruments, config);
  return run->engine->Run(merger, *run->strategy);
}

}  // namespace tapedeck::testing

#endif  // TAPEDECK_TESTS_STRATEGIES_SCENARIO_RUN_H_
