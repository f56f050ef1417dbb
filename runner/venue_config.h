// The simulated venue's models in a config's "venue" section: "queue_model", "queue_power" and
// "latency" (per message type; see the README, "Venue model"). One reader for `run` and
// `fixsim`, so that a key means the same to both.
#ifndef TAPEDECK_RUNNER_VENUE_CONFIG_H_
#define TAPEDECK_RUNNER_VENUE_CONFIG_H_

#include "absl/status/status.h"
#include "core/config.h"
#include "core/sim_venue.h"

namespace tapedeck::runner {

// Reads those keys of `venue` into *v (leaving what they do not name as it is); errors name the
// key's path. Does not call venue.Finish(): the section has other keys.
absl::Status ParseVenueModels(ConfigObject& venue, SimVenueConfig* v);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_VENUE_CONFIG_H_
