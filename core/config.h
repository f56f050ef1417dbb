// Typed reading of JSON configuration. Every getter records its key as known; Finish() rejects
// any key that no getter asked for, naming its full path (`strategy.params.fast`) and the keys
// allowed there. Wrong types name the path and the expected type.
//
// Decimals are read exactly: from a JSON string ("0.0002"), or from a JSON number through the
// shortest spelling that reads back as its double. A config read by LoadConfigJson holds only
// numbers whose text that spelling recovers exactly (core/json_reader.h), so a decimal written
// as a number is read from its text, never rounded through double. Exponents are refused in
// decimals, as strings ("1e3") and as numbers.
#ifndef TAPEDECK_CORE_CONFIG_H_
#define TAPEDECK_CORE_CONFIG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

// Parses a duration: a number with a unit, "250ns", "10us", "1.5ms", "2s", "5m", "1h", "3d"; "0"
// alone needs none. A number without a unit ("5") is an error: 5 what?
absl::StatusOr<Duration> ParseDuration(std::string_view text);
// Parses an ISO-8601 UTC time "2026-02-05T00:00:00Z" (fractional seconds allowed) or integer ns.
absl::StatusOr<Timestamp> ParseTimestamp(std::string_view text);
// Formats as "2026-02-05T13:04:05.123456789Z" (trailing zero groups of the fraction dropped).
std::string FormatTimestamp(Timestamp t);

// Reads a config file (a run config, an instruments or grid file, scenario parameters) into
// *out under the config rules of core/json_reader.h: errors name the file and the byte offset
// (with line and column); duplicate keys, deep nesting, exponents and numbers a double cannot
// hold exactly are errors.
absl::Status LoadConfigJson(const std::string& path, nlohmann::json* out);
// Reads a JSON file that tapedeck wrote (summary.json and the like) with the same checks, except
// that numbers may carry exponents (nlohmann prints small doubles as 1e-05).
absl::Status LoadJsonFile(const std::string& path, nlohmann::json* out);

// Where a config document's relative input paths are read from, and which keys held them.
// Input paths (data files, recordings, certificates) are relative to the config file's folder,
// so a config runs the same from any working directory; output paths are not input paths and
// stay relative to the working directory.
struct ConfigInputs {
  std::string base_dir;  // "" for the working directory
  // Each input path read, in order: its key path ("sources[0].path") and the value as written.
  std::vector<std::pair<std::string, std::string>> read;
};

// `path` as read from a config whose input paths are relative to `base_dir` ("" or an absolute
// `path` leave it unchanged).
std::string ResolveInputPath(std::string_view base_dir, std::string_view path);
// The folder of a config file `path`, for ConfigInputs::base_dir ("" for a bare file name).
std::string ConfigDir(std::string_view path);

class ConfigObject {
 public:
  // `path` is the location of `json` in the whole document ("" for the root).
  ConfigObject(const nlohmann::json* json, std::string path);
  // An error unless `json` is an object.
  static absl::StatusOr<ConfigObject> Of(const nlohmann::json* json, std::string path);

  const std::string& path() const { return path_; }
  bool Has(std::string_view key) const;
  // The full path of `key`: "strategy.params.fast".
  std::string PathOf(std::string_view key) const;

  // Each reads `key` into *out. Optional keys leave *out as it is when absent.
  absl::Status String(std::string_view key, std::string* out, bool required = false);
  absl::Status Int(std::string_view key, int64_t* out, bool required = false);
  absl::Status Int(std::string_view key, int* out, bool required = false);
  absl::Status Bool(std::string_view key, bool* out, bool required = false);
  // A number, or a plain decimal string ("0.1234567890123456789": the config rules refuse a
  // number with more digits than a double holds, and say to write it as a string).
  absl::Status Double(std::string_view key, double* out, bool required = false);
  // A decimal at `scale` decimals, exactly (see above).
  absl::Status Decimal(std::string_view key, int scale, int64_t* out, bool required = false);
  absl::Status DurationValue(std::string_view key, Duration* out, bool required = false);
  absl::Status TimestampValue(std::string_view key, Timestamp* out, bool required = false);
  // A string that must be one of `allowed`.
  absl::Status Enum(std::string_view key, const std::vector<std::string>& allowed,
                    std::string* out, bool required = false);
  // A path to an input file: a string, resolved against the document's ConfigInputs (see
  // set_inputs) and recorded there; relative to the working directory without them.
  absl::Status InputPath(std::string_view key, std::string* out, bool required = false);
  // Input paths of this object and of the objects taken from it go through `inputs`, which must
  // outlive them.
  void set_inputs(ConfigInputs* inputs) { inputs_ = inputs; }
  ConfigInputs* inputs() const { return inputs_; }

  // A nested object; NotFound when absent and required, an empty object when absent otherwise.
  absl::StatusOr<ConfigObject> Object(std::string_view key, bool required = false);
  // The raw JSON of `key` (nullptr when absent), marked as known; its path for messages.
  const nlohmann::json* Raw(std::string_view key);
  // An array of objects, each with its path ("sources[2]").
  absl::StatusOr<std::vector<ConfigObject>> ObjectArray(std::string_view key, bool required = false);

  // An error naming every key that no getter asked for.
  absl::Status Finish() const;

  absl::Status Error(std::string_view key, std::string_view what) const;

 private:
  const nlohmann::json* Find(std::string_view key);
  absl::Status Missing(std::string_view key) const;

  const nlohmann::json* json_;
  std::string path_;
  std::vector<std::string> known_;
  ConfigInputs* inputs_ = nullptr;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_CONFIG_H_
