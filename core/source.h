// A source of market-data events: a file reader, a tape, a generator.
#ifndef TAPEDECK_CORE_SOURCE_H_
#define TAPEDECK_CORE_SOURCE_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "core/event.h"

namespace tapedeck {

// Sources hand out events in batches so that the per-event cost of the virtual call vanishes;
// a memory-mapped tape hands out spans of the mapping itself, with no copy.
class EventSource {
 public:
  virtual ~EventSource() = default;

  // The next events, in non-decreasing exchange_ts; an empty span at the end of the data.
  // The span stays valid until the next call. Errors name the file and line (or byte offset).
  virtual absl::StatusOr<std::span<const Event>> NextBatch() = 0;

  // What the source reads, for messages: usually the file path.
  virtual std::string Describe() const = 0;

  // Total number of events when known up front (a tape), else -1; for progress reporting.
  virtual int64_t SizeHint() const { return -1; }

  // Bytes of the input file consumed so far, as stored (compressed bytes of a gzip file), else
  // -1 (a generated source); for progress reporting against the file's size.
  virtual int64_t InputBytesRead() const { return -1; }
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_SOURCE_H_
