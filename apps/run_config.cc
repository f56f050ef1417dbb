#include "apps/run_config.h"

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/instrument_config.h"
#include "core/latency_model.h"
#include "core/queue_model.h"
#include "core/sim_venue.h"
#include "core/status.h"

namespace tapedeck::apps {

namespace {

// One latency model: {"model": "constant"|"lognormal"|"recorded", "base": "3ms", "sigma": "0.5",
// "spike_probability": "0.01", "spike": "50ms", "file": "configs/latency/x.csv",
// "align": "start"|"absolute", "feed_scale_pct": 50, "vol_scale": "2", "vol_reference_bp": "1"}.
// A named message type starts from "default" and overrides what it names.
absl::Status ParseLatencySpec(ConfigObject& o, LatencySpec* out) {
  std::string model = std::string(LatencyKindName(out->kind));
  TAPEDECK_RETURN_IF_ERROR(o.String("model", &model));
  absl::StatusOr<LatencyKind> kind = ParseLatencyKind(model);
  if (!kind.ok()) return o.Error("model", std::string(kind.status().message()));
  out->kind = *kind;
  const bool has_base = o.Has("base");
  TAPEDECK_RETURN_IF_ERROR(o.DurationValue("base", &out->base));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("sigma", 3, &out->sigma_milli));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("spike_probability", 6, &out->spike_ppm));
  TAPEDECK_RETURN_IF_ERROR(o.DurationValue("spike", &out->spike));
  std::string file;
  TAPEDECK_RETURN_IF_ERROR(o.String("file", &file));
  std::string align = out->align == LatencyAlign::kAbsolute ? "absolute" : "start";
  TAPEDECK_RETURN_IF_ERROR(o.String("align", &align));
  TAPEDECK_RETURN_IF_ERROR(o.Int("feed_scale_pct", &out->feed_scale_pct));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("vol_scale", 3, &out->vol_k_milli));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("vol_reference_bp", 3, &out->vol_reference_mbp));
  TAPEDECK_RETURN_IF_ERROR(o.Finish());
  if (has_base && out->base.ns < 0) return o.Error("base", "must be >= 0");
  if (out->kind != LatencyKind::kRecorded && out->base.ns < 0) {
    return o.Error("base", absl::StrCat("required for model '", model, "'"));
  }
  if (out->sigma_milli < 0) return o.Error("sigma", "must be >= 0");
  if (out->spike_ppm < 0 || out->spike_ppm > 1'000'000) {
    return o.Error("spike_probability", "must be in [0, 1]");
  }
  if (out->spike.ns < 0) return o.Error("spike", "must be >= 0");
  if (out->feed_scale_pct < 0) return o.Error("feed_scale_pct", "must be >= 0");
  // k <= 1000 keeps latency x k x vol inside 128 bits (core/latency_model.cc).
  if (out->vol_k_milli < 0 || out->vol_k_milli > 1'000'000) {
    return o.Error("vol_scale", "must be in [0, 1000]");
  }
  if (out->vol_reference_mbp <= 0) return o.Error("vol_reference_bp", "must be > 0");
  absl::StatusOr<LatencyAlign> a = ParseLatencyAlign(align);
  if (!a.ok()) return o.Error("align", std::string(a.status().message()));
  out->align = *a;
  if (!file.empty()) {
    if (out->kind != LatencyKind::kRecorded) {
      return o.Error("file", absl::StrCat("only for model 'recorded' (this one is '", model, "')"));
    }
    // Read once here; the venue only interpolates. Relative paths are from the working
    // directory, like sources.
    absl::StatusOr<std::shared_ptr<const LatencyRecording>> rec = LoadLatencyRecording(file);
    if (!rec.ok()) return o.Error("file", std::string(rec.status().message()));
    out->recording = *std::move(rec);
  }
  if (out->kind == LatencyKind::kRecorded && out->recording == nullptr) {
    return o.Error("file",
                   "required for model 'recorded' (a CSV request_ns,exchange_ns,response_ns)");
  }
  return absl::OkStatus();
}

// "queue_model", "queue_power" and "latency" of the venue section (see README, "Venue model").
absl::Status ParseVenueModels(ConfigObject& venue, SimVenueConfig* v) {
  std::string queue = std::string(QueueModelName(v->queue.kind));
  TAPEDECK_RETURN_IF_ERROR(venue.String("queue_model", &queue));
  absl::StatusOr<QueueModelKind> kind = ParseQueueModelKind(queue);
  if (!kind.ok()) return venue.Error("queue_model", std::string(kind.status().message()));
  v->queue.kind = *kind;
  TAPEDECK_RETURN_IF_ERROR(venue.Int("queue_power", &v->queue.power));
  if (v->queue.power < 1 || v->queue.power > 3) return venue.Error("queue_power", "must be 1, 2 or 3");
  if (!venue.Has("latency")) {
    (void)venue.Raw("latency");
    return absl::OkStatus();
  }
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject lat, venue.Object("latency"));
  // "default" applies to every message type; a named type overrides it.
  static constexpr const char* kNames[kVenueMessageCount] = {
      "submit", "cancel", "ack", "fill", "cancel_ack", "reject", "modify"};
  if (lat.Has("default")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject d, lat.Object("default"));
    LatencySpec spec;
    TAPEDECK_RETURN_IF_ERROR(ParseLatencySpec(d, &spec));
    for (LatencySpec& l : v->latency) l = spec;
  } else {
    (void)lat.Raw("default");
  }
  for (int i = 0; i < kVenueMessageCount; ++i) {
    if (!lat.Has(kNames[i])) {
      (void)lat.Raw(kNames[i]);
      continue;
    }
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject m, lat.Object(kNames[i]));
    TAPEDECK_RETURN_IF_ERROR(ParseLatencySpec(m, &v->latency[i]));
  }
  // Account news (funding, settlement, liquidation); without the key, the ack's model.
  if (lat.Has("account")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject m, lat.Object("account"));
    LatencySpec spec;
    TAPEDECK_RETURN_IF_ERROR(ParseLatencySpec(m, &spec));
    v->account_latency = spec;
  } else {
    (void)lat.Raw("account");
  }
  // The half-life of the volatility that models with "vol_scale" read (core/sim_venue.h).
  TAPEDECK_RETURN_IF_ERROR(lat.DurationValue("vol_halflife", &v->vol_halflife));
  if (v->vol_halflife.ns <= 0) return lat.Error("vol_halflife", "must be > 0");
  return lat.Finish();
}

}  // namespace

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
    // Added to this source's local_ts on top of venue.local_shift (core/engine.h).
    Duration shift;
    TAPEDECK_RETURN_IF_ERROR(s.DurationValue("local_shift", &shift));
    rc.engine.source_shift.push_back(shift);
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
  TAPEDECK_RETURN_IF_ERROR(ParseVenueModels(venue, &rc.engine.venue));
  rc.engine.venue.seed = rc.seed.value_or(0);
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

  // "window": only the data in [start, end) of exchange time is replayed (apps/run_one.h).
  if (root.Has("window")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject window, root.Object("window"));
    RunWindow w;
    TAPEDECK_RETURN_IF_ERROR(window.TimestampValue("start", &w.start));
    TAPEDECK_RETURN_IF_ERROR(window.TimestampValue("end", &w.end));
    TAPEDECK_RETURN_IF_ERROR(window.Finish());
    if (w.end <= w.start) return window.Error("end", "must be after start");
    rc.window = w;
  }

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
