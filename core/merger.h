// Merges N event sources into the one venue-side stream of the total order in event_order.h:
// (exchange_ts, kind rank, source index, sequence).
//
// Sources deliver events in non-decreasing exchange_ts. Within one source, events that share a
// timestamp may come in any kind order (a trade line before a depth line stamped the same
// millisecond); the merger puts each such run in kind-rank order, stably, so the rule holds
// inside a source as well as across sources. Runs already in order are served straight from the
// source's batch (zero copy, as a tape's mapping); only out-of-order runs, and the last run of
// each batch (which may continue in the next one), are copied and sorted.
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

  // The next run of events, all from one source, that precede every other source's next event
  // in the total order; empty at the end or on error (check status()). The span points into the
  // source's batch (zero copy) and stays valid until the next call; *source is its index. The
  // events' `source` field is NOT stamped: callers that need it set it from *source.
  std::span<const Event> NextRun(uint16_t* source);

  const absl::Status& status() const { return status_; }
  size_t source_count() const { return cursors_.size(); }
  // Events delivered so far.
  uint64_t delivered() const { return delivered_; }
  // Sum of known source sizes, or -1 when any is unknown.
  int64_t SizeHint() const;
  // Sum of the sources' EventSource::InputBytesRead, or -1 when any is unknown.
  int64_t InputBytesRead() const;

 private:
  // One source's events in (exchange_ts, kind rank) order.
  struct Cursor {
    std::span<const Event> batch;  // the source's current batch
    size_t batch_pos = 0;          // first event of `batch` not yet moved to `ready`
    std::span<const Event> ready;  // events in order, served next (into `batch` or `staged`)
    size_t ready_pos = 0;
    std::vector<Event> staged;     // a sorted run copied out of the batches
    uint64_t sequence = 0;         // events of this source delivered so far
    int64_t last_ts = INT64_MIN;
    bool source_done = false;      // the source returned its empty batch
  };

  // Makes `ready` non-empty, or marks the cursor finished; false on a source error.
  bool Prepare(uint16_t index);
  bool FetchBatch(uint16_t index);
  bool live(uint16_t index) const { return cursors_[index].ready_pos < cursors_[index].ready.size(); }
  EventKey KeyOf(uint16_t index) const;
  void SiftDown(size_t i);
  // Refills the head cursor after NextRun emptied it, and restores the heap.
  bool Settle();

  std::vector<std::unique_ptr<EventSource>> sources_;
  std::vector<Cursor> cursors_;
  std::vector<uint16_t> heap_;  // indices of live sources, min-heap by KeyOf
  absl::Status status_;
  uint64_t delivered_ = 0;
  bool unsettled_ = false;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_MERGER_H_
