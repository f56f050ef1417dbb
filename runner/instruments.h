// The instrument table of a run, a fixsim venue or a tape, gathered from every place that
// defines instruments: a config's "instruments", an instruments file, the sources that carry
// their own (a tape, the scenario generator). Merged here only, so that `run`, `convert` and
// `fixsim` agree on what happens when two places define the same symbol.
#ifndef TAPEDECK_RUNNER_INSTRUMENTS_H_
#define TAPEDECK_RUNNER_INSTRUMENTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/instrument.h"

namespace tapedeck::runner {

// Adds definitions in the order they are given; the first definition of a symbol wins (a
// config's instruments come first, so its fees apply to a tape's symbols). A later definition
// with other price or qty scales is an error naming both places: the data would be read at
// one scale and traded at another.
class InstrumentMerger {
 public:
  // `where` names the place for messages: a config key ("instruments", "sources[1]") or a file.
  absl::Status Add(const std::string& where, std::vector<Instrument> instruments);

  const InstrumentTable& table() const { return table_; }
  InstrumentTable Take() { return std::move(table_); }

 private:
  InstrumentTable table_;
  std::vector<std::string> origin_;  // where each instrument was defined, by id
};

// Reads a JSON file holding either an array of instrument objects or an object with an
// "instruments" array (a run config); each entry is read by ParseInstrument
// (core/instrument_config.h). Errors name the file and the entry.
absl::StatusOr<std::vector<Instrument>> LoadInstrumentsFile(const std::string& path);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_INSTRUMENTS_H_
