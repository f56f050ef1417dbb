#include "runner/journal.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/journal.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/instrument_config.h"
#include "core/status.h"
#include "runner/run_config.h"

namespace tapedeck::runner {
namespace {

absl::Status HeaderError(const std::string& path, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(path, ": bad journal header: ", s.message()));
}

}  // namespace

absl::StatusOr<JournalReplayResult> ReplayJournal(const std::string& journal_path,
                                                  const std::string& out_dir) {
  TAPEDECK_ASSIGN_OR_RETURN(adapters::JournalContents j, adapters::ReadJournal(journal_path));
  const nlohmann::json& meta = j.meta;
  if (!meta.is_object() || !meta.contains("instruments") || !meta.contains("strategy") ||
      !meta.contains("initial_cash") || !meta["strategy"].is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(journal_path, ": journal header lacks instruments or strategy"));
  }
  const nlohmann::json& strategy_meta = meta["strategy"];
  if (!strategy_meta.value("name", nlohmann::json()).is_string() ||
      !strategy_meta.value("params", nlohmann::json::object()).is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        journal_path, ": bad journal header: strategy: expected a name and a params object"));
  }
  nlohmann::json holder = {{"instruments", meta["instruments"]}};
  ConfigObject obj(&holder, "journal");
  absl::StatusOr<InstrumentTable> instruments = ParseInstruments(obj, "instruments");
  if (!instruments.ok()) return HeaderError(journal_path, instruments.status());
  absl::StatusOr<int64_t> cash =
      meta["initial_cash"].is_string()
          ? ParseDecimal(meta["initial_cash"].get<std::string>(), Money::kScale)
          : absl::InvalidArgumentError("initial_cash: expected a decimal string");
  if (!cash.ok()) return HeaderError(journal_path, cash.status());

  StrategySpec spec;
  spec.name = strategy_meta["name"].get<std::string>();
  spec.label = spec.name;
  spec.params = strategy_meta.value("params", nlohmann::json::object());
  spec.where = "strategy";
  absl::StatusOr<std::unique_ptr<Strategy>> strategy = BuildStrategy(spec, *instruments);
  if (!strategy.ok()) {
    return absl::Status(strategy.status().code(),
                        absl::StrCat(journal_path, ": ", strategy.status().message()));
  }

  adapters::JournalReplay replay(*instruments, Money(*cash));
  TAPEDECK_RETURN_IF_ERROR(replay.Run(j, **strategy, journal_path));
  uint64_t market = 0;
  for (const Event& e : j.events) market += IsMarketData(e.kind) ? 1u : 0u;
  const RunFacts facts{spec.name, spec.label, 0, market, Timestamp(), replay.context().now()};
  const nlohmann::json config = {{"journal", journal_path}, {"strategy", meta["strategy"]}};
  JournalReplayResult r;
  TAPEDECK_ASSIGN_OR_RETURN(r.run, WriteFinishedRun(replay.host(), facts, **strategy,
                                                    config, out_dir, nlohmann::json::object()));
  r.run.spec = spec;
  r.events = j.events.size();
  r.torn = j.torn_bytes > 0;
  return r;
}

}  // namespace tapedeck::runner
