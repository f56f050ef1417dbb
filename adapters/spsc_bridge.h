// The one door between QuickFIX's threads and the strategy thread: a fixed-capacity, lock-free
// single-producer/single-consumer ring of 64-byte events (boost::lockfree::spsc_queue).
//
// The producer is the QuickFIX thread that decodes messages. When the ring is full the producer
// spins (yielding) until the strategy thread makes room and counts every spin, so a slow
// strategy shows as back-pressure in the stats and never as a silently dropped fill.
#ifndef TAPEDECK_ADAPTERS_SPSC_BRIDGE_H_
#define TAPEDECK_ADAPTERS_SPSC_BRIDGE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>

#include "boost/lockfree/spsc_queue.hpp"
#include "core/event.h"

namespace tapedeck::adapters {

class SpscBridge {
 public:
  explicit SpscBridge(size_t capacity) : queue_(capacity) {}

  // Producer side. Blocks (spinning) while the ring is full; returns false only when `abort`
  // becomes true while waiting (shutdown), in which case the event was not queued.
  bool Push(const Event& e, const std::atomic<bool>* abort = nullptr) {
    if (queue_.push(e)) return true;
    uint64_t spins = 0;
    while (!queue_.push(e)) {
      if (abort != nullptr && abort->load(std::memory_order_relaxed)) {
        full_spins_.fetch_add(spins, std::memory_order_relaxed);
        return false;
      }
      ++spins;
      std::this_thread::yield();
    }
    full_spins_.fetch_add(spins, std::memory_order_relaxed);
    full_waits_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  // Consumer side: false when empty.
  bool Pop(Event* e) { return queue_.pop(*e); }

  // Times the producer found the ring full, and the spins it waited in total.
  uint64_t full_waits() const { return full_waits_.load(std::memory_order_relaxed); }
  uint64_t full_spins() const { return full_spins_.load(std::memory_order_relaxed); }

 private:
  boost::lockfree::spsc_queue<Event> queue_;
  std::atomic<uint64_t> full_waits_{0};
  std::atomic<uint64_t> full_spins_{0};
};

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_SPSC_BRIDGE_H_
