// A fixsim config (`tapedeck fixsim --config FILE`): the run config's schema
// (runner/run_config.h), the sections that apply to the simulator read by the same readers, so
// that a key means what it means to `run`, plus "fix":
//
//   {
//     "seed": 20260205,                      // the scenario's and the venue's; default 0
//     "instruments": [ {instrument}, ... ],  // optional when the sources define them
//     "sources": [ {"path": "...", "format": "...", "instrument": "SYM", "options": {...}} ],
//     "venue": {"queue_model": "power", "queue_power": 2, "entry_latency": "0ns",
//               "response_latency": "0ns", "latency": {...}},  // latencies default to 0
//     "account": {"initial_cash": "100000"}, // the venue's account, for margin checks
//     "window": {"start": "...", "end": "..."},
//     "fix": {"host": "127.0.0.1", "port": 9878, "sessions": [...], ... (acceptor keys of
//             adapters/fix_session_config.h), "pace": "fast" | "realtime" | "<k>x",
//             "wait_for_sessions": 1, "linger": "1s"}
//   }
//
// The venue's latencies apply on venue time (adapters/fix_sim.h): an order reaches the venue
// after its entry latency, a report leaves after its response latency; they default to 0
// (the network between the sessions and fixsim is real). Refused, saying why: "strategies" and
// "output" (strategies trade through the FIX sessions) and the local shifts
// ("venue.local_shift", "sources[].local_shift": market data goes out as the venue sees it). "pace", "linger" and "wait_for_sessions" at the root (the older shape) are errors saying
// they moved into "fix".
#ifndef TAPEDECK_RUNNER_FIXSIM_CONFIG_H_
#define TAPEDECK_RUNNER_FIXSIM_CONFIG_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/fix_sim.h"
#include "nlohmann/json.hpp"
#include "runner/run_config.h"

namespace tapedeck::runner {

struct FixsimRunConfig {
  RunConfig run;             // seed, instruments, sources, venue, account, window, document
  adapters::FixSimConfig sim;  // instruments and venue copied from `run`
};

absl::StatusOr<FixsimRunConfig> ParseFixsimConfig(const nlohmann::json& doc,
                                                  const std::string& origin);
// Errors start with the file's path.
absl::StatusOr<FixsimRunConfig> LoadFixsimConfig(const std::string& path);

// Opens the sources (cut to the window) and builds the simulator; it listens when Run starts.
absl::StatusOr<std::unique_ptr<adapters::FixSim>> BuildFixSim(const FixsimRunConfig& config);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_FIXSIM_CONFIG_H_
