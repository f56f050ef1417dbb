// A FIFO ring buffer over one contiguous, power-of-two array that grows by doubling and never
// shrinks: after warm-up, pushes and pops allocate nothing (std::deque allocates a node every few
// pushes of a 128-byte element and frees one every few pops).
#ifndef TAPEDECK_CORE_RING_QUEUE_H_
#define TAPEDECK_CORE_RING_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tapedeck {

template <typename T>
class RingQueue {
 public:
  explicit RingQueue(size_t initial_capacity = 64) {
    size_t cap = 1;
    while (cap < initial_capacity) cap <<= 1;
    buf_.resize(cap);
    mask_ = cap - 1;
  }

  bool empty() const { return head_ == tail_; }
  size_t size() const { return static_cast<size_t>(tail_ - head_); }
  const T& front() const { return buf_[head_ & mask_]; }
  const T& back() const { return buf_[(tail_ - 1) & mask_]; }

  void push_back(const T& v) {
    if (size() == buf_.size()) Grow();
    buf_[tail_++ & mask_] = v;
  }
  void pop_front() { ++head_; }
  // Appends a slot and returns it for the caller to fill in place (no temporary T to copy: the
  // engine's 128-byte entries are written field by field). The slot holds a stale value.
  T& push_back_slot() {
    if (size() == buf_.size()) Grow();
    return buf_[tail_++ & mask_];
  }

  // Inserts `v` after every element not greater than it (stable), searching from the back: O(1)
  // when `v` belongs at the back, as it nearly always does.
  template <typename Less>
  void InsertSortedFromBack(const T& v, Less less) {
    if (size() == buf_.size()) Grow();
    uint64_t i = tail_;
    while (i > head_ && less(v, buf_[(i - 1) & mask_])) {
      buf_[i & mask_] = std::move(buf_[(i - 1) & mask_]);
      --i;
    }
    buf_[i & mask_] = v;
    ++tail_;
  }

 private:
  [[gnu::noinline]] void Grow() {
    std::vector<T> bigger(buf_.size() * 2);
    const size_t n = size();
    for (size_t i = 0; i < n; ++i) bigger[i] = std::move(buf_[(head_ + i) & mask_]);
    buf_ = std::move(bigger);
    mask_ = buf_.size() - 1;
    head_ = 0;
    tail_ = n;
  }

  std::vector<T> buf_;
  size_t mask_ = 0;
  uint64_t head_ = 0;  // index of the front, unbounded; the slot is head_ & mask_
  uint64_t tail_ = 0;  // one past the back
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_RING_QUEUE_H_
