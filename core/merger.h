// Merges N event sources into the one venue-side stream of the total order in event_order.h.
#ifndef TAPEDECK_CORE_MERGER_H_
#define TAPEDECK_CORE_MERGER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "core/event.h"
#include "core/event_order.h"
#include "core/source.h"

namespace tapedeck {

class Merger {
 public:
  // Source i gets source index i; the merger stamps it into each event.
  explicit Merger(std::vector<std::unique_ptr<EventSource>> sources);

  // Reads the first batch of every source. Must be called once before Next.
  absl::Status Init();

  // Sets *out to the next event in total order and returns true; returns false at the end of all
  // sources or on error (check status()). A source whose exchange_ts goes backwards is an error.
  bool Next(Event* out);

  const absl::Status& status() const { return status_; }
  size_t source_count() const { return heads_.size(); }
  // Events delivered so far.
  uint64_t delivered() const { return delivered_; }
  // Sum of known source sizes, or -1 when any is unknown.
  int64_t SizeHint() const;

 private:
  struct Head {
    std::span<const Event> batch;
    size_t pos = 0;
    uint64_t sequence = 0;  // position of batch[pos] in its source
    int64_t last_ts = INT64_MIN;
    bool done = false;
  };

  bool Refill(uint16_t index);
  EventKey KeyOf(uint16_t index) const;
  void SiftDown(size_t i);

  std::vector<std::unique_ptr<EventSource>> sources_;
  std::vector<Head> heads_;
  std::vector<uint16_t> heap_;  // indices of live sources, min-heap by KeyOf
  absl::Status status_;
  uint64_t delivered_ = 0;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_MERGER_H_
