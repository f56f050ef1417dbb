// Reading JSON text into nlohmann::json without crashes and without surprises. nlohmann's own
// parse throws (parse_error, and out_of_range for a number beyond a double), accepts any depth
// (a deep document overflows the stack when copied) and keeps the last of duplicate keys. Here
// every document is read through nlohmann's SAX interface into a DOM of our own building:
//   - no exception escapes: every syntax error is a Status naming the origin (the file) and the
//     byte offset, with its line and column;
//   - nesting deeper than JsonReadOptions::max_depth is an error;
//   - a key that appears twice in one object is an error naming both places;
//   - under JsonNumbers::kConfig, a number must mean exactly what its text says: exponents are
//     refused (README: decimals are strings or JSON numbers without an exponent) and so is a
//     number whose text a double cannot hold (12345678.123456789 would come back as
//     12345678.12345679). Every number that passes is recovered exactly from its double by the
//     shortest round-trip spelling, which is how ConfigObject::Decimal reads numbers
//     (core/config.h): decimals in configs never go through double.
// Files that tapedeck writes itself (summary.json, journal metadata) are read under kData: a
// double there may be printed with an exponent.
#ifndef TAPEDECK_CORE_JSON_READER_H_
#define TAPEDECK_CORE_JSON_READER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

enum class JsonNumbers : uint8_t {
  kConfig,  // plain decimals whose text a double holds exactly (see above)
  kData,    // any JSON number within the range of a double
};

// Deep enough for any config, grid or summary (they nest 5 or 6 levels); a document nested
// deeper is malformed or hostile.
inline constexpr int kJsonMaxDepth = 64;

struct JsonReadOptions {
  JsonNumbers numbers = JsonNumbers::kConfig;
  int max_depth = kJsonMaxDepth;
};

// Parses `text` into *out. Errors read "<origin>: byte N (line L, column C): what is wrong".
absl::Status ParseJsonText(std::string_view text, std::string_view origin, nlohmann::json* out,
                           JsonReadOptions options = {});

// Reads the file at `path` and parses it as above; the origin is the path.
absl::Status ReadJsonFile(const std::string& path, nlohmann::json* out,
                          JsonReadOptions options = {});

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_JSON_READER_H_
