// The latency-model table: what `"model": NAME` means in a latency object of the "venue"
// config section (core/sim_venue_config.h), and the parser of one latency object.
//
// The built-in models (constant, lognormal, recorded; core/latency_model.h) are in the table
// from the start; RegisterLatencyModel adds one at run time (from a plugin, say), which the
// venue then runs behind one virtual call per draw (CustomLatency). A latency object holds
//   "model"  the model's name (default: the one it inherits, else "constant"),
//   "base"   the nominal latency (required when the model's entry says so),
//   "feed_scale_pct", "vol_scale", "vol_reference_bp"   the scaling (LatencyScaling),
// and the model's own keys. Every registered model's keys are allowed in every latency object
// (so the allowed-keys list of an error names them all), but a key of a model other than the
// one chosen is an error: "only for model 'recorded' (this one is 'constant')".
#ifndef TAPEDECK_CORE_LATENCY_MODEL_REGISTRY_H_
#define TAPEDECK_CORE_LATENCY_MODEL_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/latency_model.h"

namespace tapedeck {

class ConfigObject;  // core/config.h

// One row of the table.
struct LatencyModelEntry {
  std::string name;
  std::vector<std::string> keys;  // the model's own keys (not model, base or the scaling keys)
  bool needs_base = true;         // "base" is required (the recorded model reads a file instead)
  // The model's spec before its keys are read (when it does not inherit one of the same model).
  std::function<LatencyModelSpec()> make_default;
  // Reads the model's keys of `o` into *spec, which holds this model's spec: the one inherited
  // from "default" when that names the same model, else make_default's.
  std::function<absl::Status(ConfigObject& o, LatencyModelSpec* spec)> parse;
};

// A registered model's parser: its parameters from the latency object `o` (errors through
// o.Error, naming the key path); `inherited` is the parameters of the "default" object when it
// names the same model (a named message type overrides what it names), else nullptr.
using LatencyParamsParser = std::function<absl::StatusOr<std::shared_ptr<const LatencyModelParams>>(
    ConfigObject& o, const LatencyModelParams* inherited)>;

// Adds a model to the table under `name`, with `keys` the keys its parser reads. Fails when the
// name is taken (the built-ins' included) or empty, or a key is one of the common keys.
// Registration is thread-safe; models stay registered for the life of the process.
absl::Status RegisterLatencyModel(std::string name, std::vector<std::string> keys,
                                  LatencyParamsParser parse, bool needs_base = true);

// The entry named `name`, or nullptr. Entries never move or go away.
const LatencyModelEntry* FindLatencyModel(std::string_view name);
// Every model's name, the built-ins first, then in registration order.
std::vector<std::string> LatencyModelNames();

// Reads one latency object into *spec, which holds what it inherits (the "default" object's
// spec, or LatencySpec{}): the object's keys override it.
absl::Status ParseLatencySpec(ConfigObject& o, LatencySpec* spec);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LATENCY_MODEL_REGISTRY_H_
