#include "core/sim_venue_config.h"

#include "core/config.h"
#include "core/latency_model_registry.h"
#include "core/queue_model_registry.h"
#include "core/status.h"

namespace tapedeck {
namespace {

// "latency": {"default", one object per message type, "account", "vol_halflife"}.
absl::Status ParseLatencies(ConfigObject& venue, SimVenueConfig* v) {
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
  // The half-life of the volatility that models with "vol_scale" read (core/exchange_side.h).
  TAPEDECK_RETURN_IF_ERROR(lat.DurationValue("vol_halflife", &v->vol_halflife));
  if (v->vol_halflife.ns <= 0) return lat.Error("vol_halflife", "must be > 0");
  return lat.Finish();
}

}  // namespace

absl::Status ParseVenueConfig(ConfigObject& venue, SimVenueConfig* out, Duration* local_shift) {
  TAPEDECK_RETURN_IF_ERROR(venue.DurationValue("entry_latency", &out->entry_latency));
  TAPEDECK_RETURN_IF_ERROR(venue.DurationValue("response_latency", &out->response_latency));
  if (local_shift != nullptr) {
    TAPEDECK_RETURN_IF_ERROR(venue.DurationValue("local_shift", local_shift));
  } else if (venue.Has("local_shift")) {
    (void)venue.Raw("local_shift");
    return venue.Error("local_shift",
                       "delays a backtest's market data to the strategy; here market data goes "
                       "out over the network as it is replayed, so it does not apply");
  }
  TAPEDECK_RETURN_IF_ERROR(ParseQueueModel(venue, &out->queue));
  TAPEDECK_RETURN_IF_ERROR(ParseLatencies(venue, out));
  TAPEDECK_RETURN_IF_ERROR(venue.Finish());
  if (out->entry_latency.ns < 0) return venue.Error("entry_latency", "must be >= 0");
  if (out->response_latency.ns < 0) return venue.Error("response_latency", "must be >= 0");
  return absl::OkStatus();
}

}  // namespace tapedeck
