// The live orders of one instrument by order id, for the DBN reader's MBO handling: open
// addressing with linear probing, deletion by backward shift. A book adds and removes orders
// all day with a near-constant count; a table with tombstones (absl's) spends a good part of
// an MBO file's decoding rehashing them away, this one leaves none.
#ifndef TAPEDECK_REPLAY_DBN_ORDER_MAP_H_
#define TAPEDECK_REPLAY_DBN_ORDER_MAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/types.h"

namespace tapedeck::replay {

struct DbnLiveOrder {
  int64_t price;  // at the instrument's scale
  int64_t qty;    // raw, what is left
  Side side;
};

class DbnOrderMap {
 public:
  DbnOrderMap() { Rehash(kMinBits); }

  // The live order `id`, or nullptr. Valid until the next Insert or Erase.
  DbnLiveOrder* Find(uint64_t id) {
    for (size_t i = Home(id);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.id == id) return &s.order;
    }
  }

  // Starts loading the slot where `id` begins its probe: a reader that knows the order ids it
  // will look up a few records ahead hides the cache miss of a book larger than the cache.
  void Prefetch(uint64_t id) const { __builtin_prefetch(&slots_[Home(id)]); }

  // Adds `order` as `id`; false (and no change) when `id` is live.
  bool Insert(uint64_t id, const DbnLiveOrder& order) {
    // At most half full: probe runs stay short, and so does the backward shift of an erase.
    if (2 * (size_ + 1) > slots_.size()) Rehash(bits_ + 1);
    const size_t home = Home(id);
    size_t i = home;
    for (; slots_[i].used; i = (i + 1) & mask_) {
      if (slots_[i].id == id) return false;
    }
    slots_[i] = Slot{order, id, static_cast<uint32_t>(home), true};
    ++size_;
    return true;
  }

  // Removes the order `at` points to (from Find).
  void Erase(DbnLiveOrder* at) {
    // `order` is a Slot's first member: a pointer to it is a pointer to its Slot.
    size_t i = static_cast<size_t>(reinterpret_cast<Slot*>(at) - slots_.data());
    // Pull back each entry of the probe run after i that may sit at i (its home is not in the
    // cyclic interval (i, j]), so that no search stops early at the hole.
    for (size_t j = (i + 1) & mask_; slots_[j].used; j = (j + 1) & mask_) {
      const size_t home = slots_[j].home;
      const bool stays = i < j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i].used = false;
    --size_;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void Clear() {
    size_ = 0;
    Rehash(kMinBits);
  }

  // Every live order as (id, order), in table order (callers sort what they show).
  std::vector<std::pair<uint64_t, DbnLiveOrder>> All() const {
    std::vector<std::pair<uint64_t, DbnLiveOrder>> out;
    out.reserve(size_);
    for (const Slot& s : slots_) {
      if (s.used) out.emplace_back(s.id, s.order);
    }
    return out;
  }

 private:
  static constexpr int kMinBits = 6;
  struct Slot {
    DbnLiveOrder order;  // first: Erase maps a pointer to it back to its Slot
    uint64_t id;
    uint32_t home;  // Home(id), kept: an erase's backward shift reads it for every move
    bool used;
  };

  // Fibonacci hashing: order ids are often consecutive, and the golden-ratio multiply spreads
  // them over the table's top bits.
  size_t Home(uint64_t id) const {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> (64 - bits_));
  }

  void Rehash(int bits) {
    std::vector<Slot> old = std::move(slots_);
    const bool keep = size_ > 0;
    bits_ = bits;
    slots_.assign(size_t{1} << bits, Slot{DbnLiveOrder{0, 0, Side::kBuy}, 0, 0, false});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old) {
      if (!keep || !s.used) continue;
      const size_t home = Home(s.id);
      size_t i = home;
      while (slots_[i].used) i = (i + 1) & mask_;
      slots_[i] = s;
      slots_[i].home = static_cast<uint32_t>(home);
      ++size_;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int bits_ = 0;
  size_t size_ = 0;
};

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_ORDER_MAP_H_
