// Helpers the Binance capture reader's two files share (replay/binance_ws.cc reads lines and
// dispatches streams, replay/binance_ws_records.cc turns each stream's record into events).
// Not an API.
#ifndef TAPEDECK_REPLAY_BINANCE_WS_INTERNAL_H_
#define TAPEDECK_REPLAY_BINANCE_WS_INTERNAL_H_

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "simdjson.h"

namespace tapedeck::replay::binance_ws_internal {

inline std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// The first key that appears twice in `o` (simdjson keeps both, and a lookup finds the first:
// {"p": "1", "p": "2"} must not read as either). Keys are mostly one letter: those are checked
// against a bitmap, the longer ones pairwise.
inline bool DuplicateKey(const simdjson::dom::object& o, std::string_view* dup) {
  uint64_t seen[2] = {0, 0};
  size_t long_keys = 0;
  for (const auto field : o) {
    const std::string_view k = field.key;
    if (k.size() == 1 && static_cast<unsigned char>(k[0]) < 128) {
      const unsigned c = static_cast<unsigned char>(k[0]);
      const uint64_t bit = uint64_t{1} << (c % 64);
      if ((seen[c / 64] & bit) != 0) {
        *dup = k;
        return true;
      }
      seen[c / 64] |= bit;
    } else {
      ++long_keys;
    }
  }
  if (long_keys < 2) return false;
  for (auto a = o.begin(); a != o.end(); ++a) {
    if ((*a).key.size() == 1 && static_cast<unsigned char>((*a).key[0]) < 128) continue;
    auto b = a;
    for (++b; b != o.end(); ++b) {
      if ((*a).key == (*b).key) {
        *dup = (*a).key;
        return true;
      }
    }
  }
  return false;
}

}  // namespace tapedeck::replay::binance_ws_internal

#endif  // TAPEDECK_REPLAY_BINANCE_WS_INTERNAL_H_
