#include "apps/run_config.h"

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/instrument_config.h"
#include "core/status.h"

namespace tapedeck::apps {

absl::StatusOr<RunConfig> ParseRunConfig(const nlohmann::json& doc, const std::string& origin,
                                         std::optional<uint64_t> seed_override) {
  RunConfig rc;
  rc.document = doc;
  rc.origin = origin;
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject root, ConfigObject::Of(&doc, ""));

  if (root.Has("seed")) {
    int64_t seed = 0;
    TAPEDECK_RETURN_IF_ERROR(root.Int("seed", &seed));
    if (seed < 0) return root.Error("seed", "must be >= 0");
    rc.seed = static_cast<uint64_t>(seed);
  } else {
    (void)root.Raw("seed");
  }
  if (seed_override.has_value()) rc.seed = seed_override;

  // Sources first: instruments may come from them.
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> sources,
                            root.ObjectArray("sources", /*required=*/true));
  if (sources.empty()) return root.Error("sources", "needs at least one source");
  for (ConfigObject& s : sources) {
    replay::SourceSpec spec;
    spec.where = s.path();
    TAPEDECK_RETURN_IF_ERROR(s.String("path", &spec.path));
    TAPEDECK_RETURN_IF_ERROR(s.String("format", &spec.format));
    TAPEDECK_RETURN_IF_ERROR(s.String("instrument", &spec.instrument));
    if (const nlohmann::json* opts = s.Raw("options"); opts != nullptr) {
      if (!opts->is_object()) return s.Error("options", "expected an object");
      spec.options = *opts;
    }
    TAPEDECK_RETURN_IF_ERROR(s.Finish());
    if (spec.path.empty() && spec.format.empty()) {
      return s.Error("path", "a source needs a path (or a format that needs none, like \"scenario\")");
    }
    spec.seed = rc.seed.value_or(0);
    rc.sources.push_back(std::move(spec));
  }

  TAPEDECK_ASSIGN_OR_RETURN(rc.instruments, ParseInstruments(root, "instruments"));
  for (const replay::SourceSpec& spec : rc.sources) {
    TAPEDECK_ASSIGN_OR_RETURN(std::vector<Instrument> own, replay::SourceInstruments(spec));
    for (Instrument& in : own) {
      absl::StatusOr<InstrumentId> existing = rc.instruments.Find(in.symbol);
      if (existing.ok()) {
        const Instrument& e = rc.instruments.at(*existing);
        if (e.price_scale != in.price_scale || e.qty_scale != in.qty_scale) {
          return absl::InvalidArgumentError(absl::StrCat(
              spec.where, ": instrument ", in.symbol, " has price/qty scales ", in.price_scale, "/",
              in.qty_scale, " in the source but ", e.price_scale, "/", e.qty_scale,
              " in \"instruments\""));
        }
        continue;
      }
      TAPEDECK_RETURN_IF_ERROR(rc.instruments.Add(std::move(in)));
    }
  }
  if (rc.instruments.size() == 0) {
    return root.Error("instruments", "no instruments: list them, or use a source that defines them");
  }

  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject venue, root.Object("venue"));
  TAPEDECK_RETURN_IF_ERROR(venue.DurationValue("entry_latency", &rc.engine.venue.entry_latency));
  TAPEDECK_RETURN_IF_ERROR(venue.DurationValue("response_latency", &rc.engine.venue.response_latency));
  TAPEDECK_RETURN_IF_ERROR(venue.DurationValue("local_shift", &rc.engine.local_shift));
  TAPEDECK_RETURN_IF_ERROR(venue.Finish());
  if (rc.engine.venue.entry_latency.ns < 0) return venue.Error("entry_latency", "must be >= 0");
  if (rc.engine.venue.response_latency.ns < 0) return venue.Error("response_latency", "must be >= 0");

  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject account, root.Object("account"));
  TAPEDECK_RETURN_IF_ERROR(account.Decimal("initial_cash", Money::kScale, &rc.engine.initial_cash.raw));
  TAPEDECK_RETURN_IF_ERROR(account.Finish());

  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> strategies,
                            root.ObjectArray("strategies", /*required=*/true));
  if (strategies.empty()) return root.Error("strategies", "needs at least one strategy");
  for (ConfigObject& s : strategies) {
    StrategySpec spec;
    spec.where = s.path();
    TAPEDECK_RETURN_IF_ERROR(s.String("name", &spec.name, /*required=*/true));
    spec.label = spec.name;
    TAPEDECK_RETURN_IF_ERROR(s.String("label", &spec.label));
    if (const nlohmann::json* params = s.Raw("params"); params != nullptr) {
      if (!params->is_object()) return s.Error("params", "expected an object");
      spec.params = *params;
    }
    TAPEDECK_RETURN_IF_ERROR(s.Finish());
    if (spec.label.empty() || spec.label.find_first_of("/\\. ") != std::string::npos) {
      return s.Error("label", "must be a non-empty name without '/', '\\\\', '.' or spaces");
    }
    for (const StrategySpec& other : rc.strategies) {
      if (other.label == spec.label) {
        return s.Error("label", absl::StrCat("'", spec.label,
                                             "' is used twice; give each strategy its own label"));
      }
    }
    rc.strategies.push_back(std::move(spec));
  }

  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject output, root.Object("output"));
  TAPEDECK_RETURN_IF_ERROR(output.String("dir", &rc.out_dir));
  TAPEDECK_RETURN_IF_ERROR(output.DurationValue("equity_interval", &rc.engine.equity_interval));
  TAPEDECK_RETURN_IF_ERROR(output.Finish());
  if (rc.engine.equity_interval.ns <= 0) return output.Error("equity_interval", "must be > 0");

  TAPEDECK_RETURN_IF_ERROR(root.Finish());
  return rc;
}

absl::StatusOr<RunConfig> LoadRunConfig(const std::string& path,
                                        std::optional<uint64_t> seed_override) {
  nlohmann::json doc;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(path, &doc));
  absl::StatusOr<RunConfig> rc = ParseRunConfig(doc, path, seed_override);
  if (!rc.ok()) {
    return absl::Status(rc.status().code(), absl::StrCat(path, ": ", rc.status().message()));
  }
  return rc;
}

}  // namespace tapedeck::apps
