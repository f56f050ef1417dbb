#include "runner/venue_config.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/latency_model.h"
#include "core/queue_model.h"
#include "core/status.h"

namespace tapedeck::runner {
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

}  // namespace

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


}  // namespace tapedeck::runner
