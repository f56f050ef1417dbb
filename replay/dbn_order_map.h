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

// A live order, as the map's slot holds it: 32 bytes, two to a cache line.
struct DbnLiveOrder {
  int64_t price;  // at the instrument's scale
  int64_t qty;    // raw, what is left
  uint64_t id;    // the map's key
  uint32_t home;  // the map's: Home(id), which an erase's backward shift reads for every move
  Side side;
  bool used;  // the map's: the slot holds an order
};
static_assert(sizeof(DbnLiveOrder) == 32, "two slots a cache line");

class DbnOrderMap {
 public:
  DbnOrderMap() { Rehash(kMinBits); }

  // The live order `id`, or nullptr. Valid until the next Insert or Erase.
  DbnLiveOrder* Find(uint64_t id) {
    for (size_t i = Home(id);; i = (i + 1) & mask_) {
      DbnLiveOrder& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.id == id) return &s;
    }
  }

  // Starts loading the slot where `id` begins its probe: a reader that knows the order ids it
  // will look up a few records ahead hides the cache miss of a book larger than the cache.
  void Prefetch(uint64_t id) const { __builtin_prefetch(&slots_[Home(id)]); }

  // Adds the order `id`; false (and no change) when `id` is live.
  bool Insert(uint64_t id, int64_t price, int64_t qty, Side side) {
    // At most half full: probe runs stay short, and so does the backward shift of an erase.
    if (2 * (size_ + 1) > slots_.size()) Rehash(bits_ + 1);
    const size_t home = Home(id);
    size_t i = home;
    for (; slots_[i].used; i = (i + 1) & mask_) {
      if (slots_[i].id == id) return false;
    }
    slots_[i] = DbnLiveOrder{price, qty, id, static_cast<uint32_t>(home), side, true};
    ++size_;
    return true;
  }

  // Removes the order `at` points to (from Find).
  void Erase(DbnLiveOrder* at) {
    size_t i = static_cast<size_t>(at - slots_.data());
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

  // Every live order, in table order (callers sort what they show).
  std::vector<DbnLiveOrder> All() const {
    std::vector<DbnLiveOrder> out;
    out.reserve(size_);
    for (const DbnLiveOrder& s : slots_) {
      if (s.used) out.push_back(s);
    }
    return out;
  }

 private:
  static constexpr int kMinBits = 6;

  // Fibonacci hashing: order ids are often consecutive, and the golden-ratio multiply spreads
  // them over the table's top bits.
  size_t Home(uint64_t id) const {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> (64 - bits_));
  }

  void Rehash(int bits) {
    std::vector<DbnLiveOrder> old = std::move(slots_);
    const bool keep = size_ > 0;
    bits_ = bits;
    slots_.assign(size_t{1} << bits, DbnLiveOrder{0, 0, 0, 0, Side::kBuy, false});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const DbnLiveOrder& s : old) {
      if (!keep || !s.used) continue;
      const size_t home = Home(s.id);
      size_t i = home;
      while (slots_[i].used) i = (i + 1) & mask_;
      slots_[i] = s;
      slots_[i].home = static_cast<uint32_t>(home);
      ++size_;
    }
  }

  std::vector<DbnLiveOrder> slots_;
  size_t mask_ = 0;
  int bits_ = 0;
  size_t size_ = 0;
};

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_ORDER_MAP_H_
