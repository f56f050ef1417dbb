// The queue-model table: what `"queue_model": NAME` means in the "venue" config section
// (core/sim_venue_config.h), and its parser.
//
// The built-in models (risk_averse, power, log; core/queue_model.h) are in the table from the
// start; RegisterQueueModel adds one at run time (from a plugin, say), which the venue then runs
// behind one virtual call (CustomQueue). A model's own keys sit in the venue section beside
// "queue_model" ("queue_power" for power). Every registered model's keys are allowed there (so
// the allowed-keys list of an error names them all), but a key of a model other than the one
// chosen is an error: "only for queue model 'power' (this one is 'log')".
#ifndef TAPEDECK_CORE_QUEUE_MODEL_REGISTRY_H_
#define TAPEDECK_CORE_QUEUE_MODEL_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/queue_model.h"

namespace tapedeck {

class ConfigObject;  // core/config.h

// One row of the table.
struct QueueModelEntry {
  std::string name;
  std::vector<std::string> keys;  // the model's own keys in the venue section
  std::function<QueueModel()> make_default;
  // Reads the model's keys of the venue section into *model (which holds make_default's).
  std::function<absl::Status(ConfigObject& venue, QueueModel* model)> parse;
};

// A registered model's parser: the model from its keys in the venue section (errors through
// venue.Error, naming the key path).
using QueueModelParser =
    std::function<absl::StatusOr<std::shared_ptr<const QueueModelImpl>>(ConfigObject& venue)>;

// Adds a model to the table under `name`, with `keys` the venue-section keys its parser reads.
// Fails when the name is taken (the built-ins' included) or empty, or a key is one the venue
// section has for itself. Thread-safe; models stay registered for the life of the process.
absl::Status RegisterQueueModel(std::string name, std::vector<std::string> keys,
                                QueueModelParser parse);

// The entry named `name`, or nullptr. Entries never move or go away.
const QueueModelEntry* FindQueueModel(std::string_view name);
// Every model's name, the built-ins first, then in registration order.
std::vector<std::string> QueueModelNames();

// "queue_model" and the models' keys of the venue section into *model, which holds the
// default (kept when the section names none).
absl::Status ParseQueueModel(ConfigObject& venue, QueueModel* model);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_QUEUE_MODEL_REGISTRY_H_
