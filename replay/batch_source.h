// Base for readers that decode text into events: buffers a batch of events per NextBatch call so
// that the virtual call and the bookkeeping are paid once per batch, not per event.
#ifndef TAPEDECK_REPLAY_BATCH_SOURCE_H_
#define TAPEDECK_REPLAY_BATCH_SOURCE_H_

#include <span>
#include <vector>

#include "absl/status/status.h"
#include "core/source.h"

namespace tapedeck::replay {

class BatchSource : public EventSource {
 public:
  absl::StatusOr<std::span<const Event>> NextBatch() final {
    batch_.clear();
    while (!done_ && batch_.size() < kBatch) {
      absl::Status s = ReadMore(&batch_);
      if (!s.ok()) {
        done_ = true;
        return s;
      }
    }
    return std::span<const Event>(batch_.data(), batch_.size());
  }

 protected:
  static constexpr size_t kBatch = 1024;

  // Appends one or more events to *out (a record may expand into several: a depth update into
  // its levels), or calls Finish() at the end of the input. Errors name file:line and field.
  virtual absl::Status ReadMore(std::vector<Event>* out) = 0;
  void Finish() { done_ = true; }

 private:
  std::vector<Event> batch_;
  bool done_ = false;
};

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_BATCH_SOURCE_H_
