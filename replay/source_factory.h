// Opens any supported input as an EventSource: by a named format, or detecting the format from
// the file's content. Every reader lives behind this one door; `run`, `convert` and `fixsim` all
// open their inputs here.
#ifndef TAPEDECK_REPLAY_SOURCE_FACTORY_H_
#define TAPEDECK_REPLAY_SOURCE_FACTORY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "nlohmann/json.hpp"

namespace tapedeck::replay {

struct SourceSpec {
  std::string path;
  std::string format;      // empty: detect from the content
  std::string instrument;  // symbol of the instrument, for formats that carry none
  nlohmann::json options = nlohmann::json::object();  // format-specific; each format checks its keys
  std::string where = "source";  // config path of this spec, for messages ("sources[1]")
  uint64_t seed = 0;             // the run's seed, for generated sources
};

struct FormatInfo {
  std::string_view name;
  std::string_view description;
  // True when the first lines of a file (decompressed) look like this format.
  bool (*detect)(const std::vector<std::string>& head);
  absl::StatusOr<std::unique_ptr<EventSource>> (*open)(const SourceSpec& spec,
                                                        const InstrumentTable& instruments);
  // For formats that carry their own instrument definitions (a tape, the scenario generator):
  // the instruments, so that a run config need not list them. nullptr for the others.
  absl::StatusOr<std::vector<Instrument>> (*instruments)(const SourceSpec& spec) = nullptr;
  // For binary formats that lines cannot show (a compressed stream): true when the file at
  // `path` is this format, from its first bytes. Asked before the line-based detectors.
  bool (*detect_file)(const std::string& path) = nullptr;
};

// Every format, in detection order (the most specific first).
const std::vector<FormatInfo>& Formats();

// The name of the format of `path`, from its first lines; an error listing the formats when
// none matches.
absl::StatusOr<std::string> DetectFormat(const std::string& path);

absl::StatusOr<std::unique_ptr<EventSource>> OpenSource(const SourceSpec& spec,
                                                        const InstrumentTable& instruments);

// The instruments a source defines itself (an empty list for formats that define none).
absl::StatusOr<std::vector<Instrument>> SourceInstruments(const SourceSpec& spec);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_SOURCE_FACTORY_H_
