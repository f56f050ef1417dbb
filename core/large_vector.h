// A vector for what grows to many megabytes in a run: the Context's orders and the order, fill
// and account records a run collects (core/records.h; a backtest that trades every few
// milliseconds of data logs hundreds of thousands of orders).
//
// Below 2 MiB its storage is an ordinary heap block. From there on it is a mapping of its own,
// aligned to 2 MiB and advised for transparent huge pages (MADV_HUGEPAGE), so that writing it takes
// one page fault per 2 MiB instead of one per 4 KiB: on these VMs a fault costs microseconds, and
// with 4 KiB pages faulting in the logs took a third of a trades-only backtest of the SMA example
// (bench/README.md). Growing moves the mapping's pages into a larger one (mremap) instead of
// copying the elements into fresh memory: no copy, and no fresh pages for a second copy of what
// was written. Where the kernel gives no huge pages (THP "never", or none free), the advice does
// nothing and the mapping works as any other.
//
// Elements are trivially copyable: they move as bytes. The interface is the part of std::vector's
// that the Context, its readers and the tests use.
#ifndef TAPEDECK_CORE_LARGE_VECTOR_H_
#define TAPEDECK_CORE_LARGE_VECTOR_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include "core/huge_page.h"

namespace tapedeck {

namespace large_vector_internal {
// The largest storage taken from the heap; larger is a mapping. Small vectors, such as those of
// the many short backtests of a sweep, reuse freed heap blocks' pages.
inline constexpr size_t kHeapBytes = kHugePageSize - 1;
// Storage of `*capacity` bytes at `p` (nullptr with 0) resized to at least `bytes` (> *capacity),
// keeping the first `used` bytes; the new capacity goes to `*capacity`. Throws std::bad_alloc.
void* Grow(void* p, size_t used, size_t* capacity, size_t bytes);
void Free(void* p, size_t capacity) noexcept;
}  // namespace large_vector_internal

template <class T>
class LargeVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "LargeVector moves its elements as bytes");
  static_assert(alignof(T) <= alignof(std::max_align_t), "heap blocks are max_align_t aligned");

 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  LargeVector() noexcept = default;
  LargeVector(size_t n, const T& value) {
    reserve(n);
    end_ = std::fill_n(begin_, n, value);
  }
  LargeVector(const LargeVector& other) : LargeVector() { *this = other; }
  LargeVector(LargeVector&& other) noexcept { swap(other); }
  LargeVector& operator=(const LargeVector& other) {
    if (this == &other) return *this;
    end_ = begin_;
    reserve(other.size());
    if (!other.empty())
      std::memcpy(static_cast<void*>(begin_), other.begin_, other.size() * sizeof(T));
    end_ = begin_ + other.size();
    return *this;
  }
  LargeVector& operator=(LargeVector&& other) noexcept {
    LargeVector(std::move(other)).swap(*this);
    return *this;
  }
  ~LargeVector() { large_vector_internal::Free(begin_, bytes_); }

  void swap(LargeVector& other) noexcept {
    std::swap(begin_, other.begin_);
    std::swap(end_, other.end_);
    std::swap(limit_, other.limit_);
    std::swap(bytes_, other.bytes_);
  }

  void push_back(const T& value) {
    if (end_ == limit_) [[unlikely]]
      Grow(size() + 1);
    *end_++ = value;
  }
  void reserve(size_t n) {
    if (n > capacity()) Resize(n);
  }
  // Keeps the storage, as std::vector::clear does.
  void clear() noexcept { end_ = begin_; }

  T& operator[](size_t i) { return begin_[i]; }
  const T& operator[](size_t i) const { return begin_[i]; }
  T& front() { return *begin_; }
  const T& front() const { return *begin_; }
  T& back() { return end_[-1]; }
  const T& back() const { return end_[-1]; }
  T* data() { return begin_; }
  const T* data() const { return begin_; }
  size_t size() const { return static_cast<size_t>(end_ - begin_); }
  size_t capacity() const { return static_cast<size_t>(limit_ - begin_); }
  bool empty() const { return end_ == begin_; }
  T* begin() { return begin_; }
  T* end() { return end_; }
  const T* begin() const { return begin_; }
  const T* end() const { return end_; }

 private:
  [[gnu::noinline]] void Grow(size_t n) { Resize(std::max(n, 2 * capacity())); }
  void Resize(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const size_t used = size();
    begin_ = static_cast<T*>(
        large_vector_internal::Grow(begin_, used * sizeof(T), &bytes_, n * sizeof(T)));
    end_ = begin_ + used;
    limit_ = begin_ + bytes_ / sizeof(T);
  }

  T* begin_ = nullptr;
  T* end_ = nullptr;
  T* limit_ = nullptr;
  size_t bytes_ = 0;  // the storage's size, which a mapping rounds up past capacity()
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LARGE_VECTOR_H_
