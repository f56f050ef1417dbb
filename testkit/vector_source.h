// An EventSource over events made in code, handed out in batches of `batch` (small batches
// exercise the merger's and the engine's batch edges). The test kit runs a Market through it;
// the project's own tests use it for hand-made tapes.
#ifndef TAPEDECK_TESTKIT_VECTOR_SOURCE_H_
#define TAPEDECK_TESTKIT_VECTOR_SOURCE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/event.h"
#include "core/source.h"

namespace tapedeck::testkit {

class VectorSource : public EventSource {
 public:
  explicit VectorSource(std::vector<Event> events, size_t batch = 3, std::string name = "test")
      : events_(std::move(events)), batch_(batch), name_(std::move(name)) {}
  absl::StatusOr<std::span<const Event>> NextBatch() override {
    const size_t n = std::min(batch_, events_.size() - pos_);
    std::span<const Event> out(events_.data() + pos_, n);
    pos_ += n;
    return out;
  }
  std::string Describe() const override { return name_; }
  int64_t SizeHint() const override { return static_cast<int64_t>(events_.size()); }

 private:
  std::vector<Event> events_;
  size_t batch_;
  size_t pos_ = 0;
  std::string name_;
};

}  // namespace tapedeck::testkit

#endif  // TAPEDECK_TESTKIT_VECTOR_SOURCE_H_
