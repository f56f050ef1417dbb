#include "runner/run_config.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/instrument_config.h"
#include "core/json_reader.h"
#include "core/plugin_loader.h"
#include "core/sim_venue_config.h"
#include "core/status.h"
#include "core/strategy_registry.h"
#include "runner/instruments.h"
#include "runner/sources.h"

namespace tapedeck::runner {

absl::StatusOr<std::unique_ptr<Strategy>> BuildStrategy(const StrategySpec& spec,
                                                        const InstrumentTable& instruments) {
  ConfigObject params(&spec.params, spec.where + ".params");
  absl::StatusOr<std::unique_ptr<Strategy>> s =
      CreateStrategy(spec.name, params, instruments);
  if (s.ok()) return s;
  // Parameter errors name their path already; the others (an unknown name, an instrument the
  // table lacks) get the strategy's.
  const std::string message(s.status().message());
  if (message.rfind(spec.where, 0) == 0) return s.status();
  const bool known = FindStrategy(spec.name) != nullptr;
  return absl::Status(s.status().code(), absl::StrCat(spec.where, known ? ".params: " : ".name: ",
                                                      message));
}

absl::Status RefuseKey(const ConfigObject& o, std::string_view key, std::string_view mode,
                       std::string_view why) {
  if (!o.Has(key)) return absl::OkStatus();
  return o.Error(key, "does not apply to " + std::string(mode) + ": " + std::string(why));
}

absl::Status MovedKey(const ConfigObject& o, std::string_view key, std::string_view now) {
  if (!o.Has(key)) return absl::OkStatus();
  return o.Error(key, "moved to " + std::string(now));
}

namespace {

// Options that name files (LOBSTER's "orderbook") are input paths like "path".
absl::Status ResolveOptionPaths(ConfigObject& source, nlohmann::json* options) {
  static constexpr const char* kFileOptions[] = {"orderbook"};
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o, source.Object("options"));
  for (const char* key : kFileOptions) {
    if (!o.Has(key)) continue;
    std::string path;
    TAPEDECK_RETURN_IF_ERROR(o.InputPath(key, &path));
    (*options)[key] = path;
  }
  return absl::OkStatus();
}

// Latencies and shifts are added to timestamps (up to 2262 in int64 ns) and to each other; a
// year keeps every such sum far inside int64 and is beyond any real latency.
constexpr Duration kMaxShift = Duration::Days(365);
// The equity sampling interval is added to the time of the last sample.
constexpr Duration kMaxEquityInterval = Duration::Days(36'500);

absl::Status CheckShift(const ConfigObject& o, std::string_view key, Duration d, bool signed_ok) {
  if (!signed_ok && d.ns < 0) return o.Error(key, "must be >= 0");
  if (d > kMaxShift || d < Duration(-kMaxShift.ns)) {
    return o.Error(key, signed_ok ? "must be within -365d..365d" : "must be at most 365d");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WithOrigin(const RunConfig& config, const absl::Status& status) {
  const std::string message(status.message());
  if (status.ok() || config.origin.empty() ||
      message.substr(0, config.origin.size()) == config.origin) {
    return status;
  }
  return absl::Status(status.code(), absl::StrCat(config.origin, ": ", message));
}

std::string InputBaseDir(const std::string& origin) {
  if (origin.empty() || origin.front() == '<') return "";
  return ConfigDir(origin);
}

nlohmann::json DocumentSavedIn(const RunConfig& config, const std::string& dir) {
  nlohmann::json doc = config.document;
  const std::filesystem::path to = std::filesystem::absolute(dir).lexically_normal();
  for (const auto& [key, written] : config.inputs.read) {
    if (written.empty() || written.front() == '/') continue;
    const std::filesystem::path file =
        std::filesystem::absolute(ResolveInputPath(config.inputs.base_dir, written))
            .lexically_normal();
    // "sources[0].path" -> "/sources/0/path"
    std::string pointer = "/" + key;
    for (char& c : pointer) {
      if (c == '.' || c == '[') c = '/';
    }
    pointer.erase(std::remove(pointer.begin(), pointer.end(), ']'), pointer.end());
    const nlohmann::json::json_pointer at(pointer);
    // Relative when the two share a folder below the root (a checkout and its out/), else
    // absolute: a path up to / and down again says nothing a reader can use.
    auto top = [](const std::filesystem::path& p) {
      return std::distance(p.begin(), p.end()) > 1 ? *std::next(p.begin()) : p;
    };
    const bool shared = top(file) == top(to);
    if (doc.contains(at)) doc[at] = shared ? file.lexically_relative(to).string() : file.string();
  }
  return doc;
}

namespace section {

absl::Status Plugins(ConfigObject& root, RunConfig* rc) {
  const nlohmann::json* plugins = root.Raw("plugins");
  if (plugins == nullptr) return absl::OkStatus();
  if (!plugins->is_array()) return root.Error("plugins", "expected an array of file paths");
  for (size_t i = 0; i < plugins->size(); ++i) {
    const std::string key = absl::StrCat("plugins[", i, "]");
    const nlohmann::json& p = (*plugins)[i];
    if (!p.is_string() || p.get<std::string>().empty()) {
      return root.Error(key, "expected a file path (a string)");
    }
    const std::string written = p.get<std::string>();
    rc->inputs.read.emplace_back(key, written);
    if (absl::Status s = LoadPlugin(ResolveInputPath(rc->inputs.base_dir, written)); !s.ok()) {
      return root.Error(key, std::string(s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status Seed(ConfigObject& root, std::optional<uint64_t> seed_override, RunConfig* rc) {
  if (root.Has("seed")) {
    int64_t seed = 0;
    TAPEDECK_RETURN_IF_ERROR(root.Int("seed", &seed));
    if (seed < 0) return root.Error("seed", "must be >= 0");
    rc->seed = static_cast<uint64_t>(seed);
  } else {
    (void)root.Raw("seed");
  }
  if (seed_override.has_value()) rc->seed = seed_override;
  return absl::OkStatus();
}

absl::Status Sources(ConfigObject& root, RunConfig* rc) {
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> sources,
                            root.ObjectArray("sources", /*required=*/true));
  if (sources.empty()) return root.Error("sources", "needs at least one source");
  for (ConfigObject& s : sources) {
    replay::SourceSpec spec;
    spec.where = s.path();
    TAPEDECK_RETURN_IF_ERROR(s.InputPath("path", &spec.path));
    TAPEDECK_RETURN_IF_ERROR(s.String("format", &spec.format));
    TAPEDECK_RETURN_IF_ERROR(s.String("instrument", &spec.instrument));
    // Added to this source's local_ts on top of venue.local_shift (core/engine.h).
    Duration shift;
    TAPEDECK_RETURN_IF_ERROR(s.DurationValue("local_shift", &shift));
    TAPEDECK_RETURN_IF_ERROR(CheckShift(s, "local_shift", shift, /*signed_ok=*/true));
    rc->engine.source_shift.push_back(shift);
    if (const nlohmann::json* opts = s.Raw("options"); opts != nullptr) {
      if (!opts->is_object()) return s.Error("options", "expected an object");
      spec.options = *opts;
      TAPEDECK_RETURN_IF_ERROR(ResolveOptionPaths(s, &spec.options));
    }
    TAPEDECK_RETURN_IF_ERROR(s.Finish());
    if (spec.path.empty() && spec.format.empty()) {
      return s.Error("path", "a source needs a path (or a format that needs none, like \"scenario\")");
    }
    spec.seed = rc->seed.value_or(0);
    rc->sources.push_back(std::move(spec));
  }
  return absl::OkStatus();
}

absl::Status Instruments(ConfigObject& root, RunConfig* rc) {
  InstrumentMerger merger;
  TAPEDECK_ASSIGN_OR_RETURN(InstrumentTable listed, ParseInstruments(root, "instruments"));
  TAPEDECK_RETURN_IF_ERROR(merger.Add("instruments", listed.all()));
  for (const replay::SourceSpec& spec : rc->sources) {
    absl::StatusOr<std::vector<Instrument>> own = replay::SourceInstruments(spec);
    if (!own.ok()) return SourceError(spec, own.status());
    TAPEDECK_RETURN_IF_ERROR(merger.Add(spec.where, *std::move(own)));
  }
  rc->instruments = merger.Take();
  if (rc->instruments.size() == 0) {
    return root.Error("instruments", rc->sources.empty()
                                         ? "must list the instruments to trade"
                                         : "no instruments: list them, or use a source that "
                                           "defines them");
  }
  return absl::OkStatus();
}

absl::Status Venue(ConfigObject& root, RunConfig* rc) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject venue, root.Object("venue"));
  TAPEDECK_RETURN_IF_ERROR(ParseVenueConfig(venue, &rc->engine.venue, &rc->engine.local_shift));
  rc->engine.venue.seed = rc->seed.value_or(0);
  // Bounds that keep sums with timestamps inside int64 (ParseVenueConfig checked the signs).
  TAPEDECK_RETURN_IF_ERROR(CheckShift(venue, "entry_latency", rc->engine.venue.entry_latency, false));
  TAPEDECK_RETURN_IF_ERROR(
      CheckShift(venue, "response_latency", rc->engine.venue.response_latency, false));
  TAPEDECK_RETURN_IF_ERROR(CheckShift(venue, "local_shift", rc->engine.local_shift, true));
  return absl::OkStatus();
}

absl::Status Account(ConfigObject& root, RunConfig* rc) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject account, root.Object("account"));
  TAPEDECK_RETURN_IF_ERROR(
      account.Decimal("initial_cash", Money::kScale, &rc->engine.initial_cash.raw));
  return account.Finish();
}

absl::Status Strategies(ConfigObject& root, RunConfig* rc) {
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
    for (const StrategySpec& other : rc->strategies) {
      if (other.label == spec.label) {
        return s.Error("label", absl::StrCat("'", spec.label,
                                             "' is used twice; give each strategy its own label"));
      }
    }
    rc->strategies.push_back(std::move(spec));
  }
  // Each strategy is built once now and dropped: its parameters are checked before any run.
  for (const StrategySpec& spec : rc->strategies) {
    TAPEDECK_RETURN_IF_ERROR(BuildStrategy(spec, rc->instruments).status());
  }
  return absl::OkStatus();
}

absl::Status Output(ConfigObject& root, RunConfig* rc) {
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject output, root.Object("output"));
  TAPEDECK_RETURN_IF_ERROR(output.String("dir", &rc->out_dir));
  TAPEDECK_RETURN_IF_ERROR(output.DurationValue("equity_interval", &rc->engine.equity_interval));
  TAPEDECK_RETURN_IF_ERROR(output.Finish());
  if (rc->engine.equity_interval.ns <= 0) return output.Error("equity_interval", "must be > 0");
  if (rc->engine.equity_interval > kMaxEquityInterval) {
    return output.Error("equity_interval", "must be at most 36500d");
  }
  return absl::OkStatus();
}

absl::Status Window(ConfigObject& root, RunConfig* rc) {
  if (!root.Has("window")) {
    (void)root.Raw("window");
    return absl::OkStatus();
  }
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject window, root.Object("window"));
  RunWindow w;
  TAPEDECK_RETURN_IF_ERROR(window.TimestampValue("start", &w.start));
  TAPEDECK_RETURN_IF_ERROR(window.TimestampValue("end", &w.end));
  TAPEDECK_RETURN_IF_ERROR(window.Finish());
  if (w.end <= w.start) return window.Error("end", "must be after start");
  rc->window = w;
  return absl::OkStatus();
}

}  // namespace section

absl::StatusOr<RunConfig> ParseRunConfig(const nlohmann::json& doc, const std::string& origin,
                                         std::optional<uint64_t> seed_override) {
  RunConfig rc;
  rc.document = doc;
  rc.origin = origin;
  rc.inputs.base_dir = InputBaseDir(origin);
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject root, ConfigObject::Of(&doc, ""));
  root.set_inputs(&rc.inputs);
  TAPEDECK_RETURN_IF_ERROR(section::Plugins(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Seed(root, seed_override, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Sources(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Instruments(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Venue(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Account(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Strategies(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Output(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Window(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(root.Finish());
  return rc;
}

absl::StatusOr<RunConfig> LoadRunConfig(const std::string& path,
                                        std::optional<uint64_t> seed_override) {
  return LoadConfigFile<RunConfig>(path, [&](const nlohmann::json& doc) {
    return ParseRunConfig(doc, path, seed_override);
  });
}

absl::StatusOr<RunConfig> ParseRunConfigText(std::string_view text, const std::string& origin,
                                             std::optional<uint64_t> seed_override) {
  nlohmann::json doc;
  if (absl::Status s = ParseJsonText(text, origin, &doc); !s.ok()) return s;
  absl::StatusOr<RunConfig> config = ParseRunConfig(doc, origin, seed_override);
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(origin, ": ", config.status().message()));
  }
  return config;
}

}  // namespace tapedeck::runner
