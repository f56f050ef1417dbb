// The simulated venue's configuration (core/sim_venue.h) and the parser of the "venue" config
// section, which `run` and fixsim both call:
//   "venue": {
//     "entry_latency": "1ms",       strategy -> venue, every request model that inherits
//     "response_latency": "1ms",    venue -> strategy, every response model that inherits
//     "local_shift": "0ns",         a backtest's feed delay (an Engine setting; see below)
//     "queue_model": "risk_averse", with the model's own keys ("queue_power" for "power")
//     "latency": {"default": {...}, "submit": {...}, "cancel": {...}, "modify": {...},
//                 "ack": {...}, "fill": {...}, "cancel_ack": {...}, "reject": {...},
//                 "account": {...}, "vol_halflife": "1s"}
//   }
// Each latency object is one latency model (core/latency_model_registry.h); "default" applies to
// every message type and a named type overrides what it names. "account" is the model of the
// venue's account news (funding, settlement, liquidation); without it they take the ack's.
// Queue models: core/queue_model_registry.h. Errors name the key path ("venue.latency.fill.base").
#ifndef TAPEDECK_CORE_SIM_VENUE_CONFIG_H_
#define TAPEDECK_CORE_SIM_VENUE_CONFIG_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "core/latency_model.h"
#include "core/queue_model.h"
#include "core/types.h"

namespace tapedeck {

class ConfigObject;  // core/config.h

// Which latency model a message uses.
// kModify comes last so that the other streams keep their seeds (derived from the index).
enum class VenueMessage : uint8_t {
  kSubmit = 0, kCancel = 1, kAck = 2, kFill = 3, kCancelAck = 4, kReject = 5, kModify = 6,
};
inline constexpr int kVenueMessageCount = 7;

// Requests (strategy -> venue) take entry_latency as their default; responses response_latency.
constexpr bool IsEntry(VenueMessage m) {
  return m == VenueMessage::kSubmit || m == VenueMessage::kCancel || m == VenueMessage::kModify;
}

struct SimVenueConfig {
  // Defaults of every request (entry) and response model that inherits (LatencySpec::base < 0).
  Duration entry_latency = Duration::Millis(1);     // strategy -> venue, per request
  Duration response_latency = Duration::Millis(1);  // venue -> strategy, per response
  // Per message type, indexed by VenueMessage. Default: constant, inheriting the two above.
  LatencySpec latency[kVenueMessageCount];
  // Account news (funding, settlement, liquidation: kAccount responses); unset, the ack's model.
  std::optional<LatencySpec> account_latency;
  QueueModel queue;  // default: risk-averse
  uint64_t seed = 0;  // the run seed; each latency stream derives its own from it
  // Half-life of the volatility tracker that scales latency (core/exchange_side.h).
  Duration vol_halflife = Duration::Seconds(1);
  // The account's starting cash, for margin (the Engine sets it from its config).
  Money initial_cash;
};

// Reads the "venue" section into *out, which holds the defaults (kept for absent keys); the
// seed and the initial cash come from elsewhere in a config and are left as they are.
// "local_shift" is read into *local_shift; with local_shift == nullptr (fixsim: its market data
// goes out over the real network) the key is refused with a message that says so.
absl::Status ParseVenueConfig(ConfigObject& venue, SimVenueConfig* out, Duration* local_shift);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_SIM_VENUE_CONFIG_H_
