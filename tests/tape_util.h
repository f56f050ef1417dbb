// Rewrites the checksums of a tape image in memory, so that tests (and the tape fuzz target) can
// hand Tape::Open a file whose bytes were edited and still pass the checksum pass: what is then
// refused is refused for what the records hold, not for a checksum. Layout: replay/tape.h.
#ifndef TAPEDECK_TESTS_TAPE_UTIL_H_
#define TAPEDECK_TESTS_TAPE_UTIL_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/event.h"
#include "replay/tape.h"

namespace tapedeck::testing {

// Recomputes the block checksum table, the records checksum and the header checksum of `tape`
// from its header's record count. Does nothing to an image too short for its header or records.
inline void ResealTape(std::string* tape) {
  constexpr size_t kHeaderSizeAt = 16, kCountAt = 32, kRecordsSumAt = 72, kHeaderSumAt = 80;
  if (tape->size() < replay::kTapeFixedHeaderSize) return;
  auto load32 = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, tape->data() + at, 4);
    return v;
  };
  uint64_t count;
  std::memcpy(&count, tape->data() + kCountAt, 8);
  const uint64_t header = load32(kHeaderSizeAt);
  if (header < replay::kTapeFixedHeaderSize || header % 64 != 0 || header > tape->size() ||
      count > (tape->size() - header) / sizeof(Event)) {
    return;
  }
  const uint64_t blocks = (count + replay::kTapeBlockRecords - 1) / replay::kTapeBlockRecords;
  const uint64_t table = header + count * sizeof(Event);
  if (table + blocks * 8 > tape->size()) return;
  std::vector<uint64_t> sums(blocks);
  for (uint64_t b = 0; b < blocks; ++b) {
    const uint64_t first = b * replay::kTapeBlockRecords;
    const uint64_t n = std::min<uint64_t>(replay::kTapeBlockRecords, count - first);
    sums[b] = replay::TapeHash(tape->data() + header + first * sizeof(Event), n * sizeof(Event));
    std::memcpy(tape->data() + table + b * 8, &sums[b], 8);
  }
  const uint64_t records_sum = replay::TapeHash(sums.data(), sums.size() * 8);
  std::memcpy(tape->data() + kRecordsSumAt, &records_sum, 8);
  std::string head = tape->substr(0, header);
  std::memset(head.data() + kHeaderSumAt, 0, 8);
  const uint64_t header_sum = replay::TapeHash(head.data(), head.size());
  std::memcpy(tape->data() + kHeaderSumAt, &header_sum, 8);
}

}  // namespace tapedeck::testing

#endif  // TAPEDECK_TESTS_TAPE_UTIL_H_
