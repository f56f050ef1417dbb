// Memory for containers that grow to many megabytes in a run: the Context's orders and its order,
// fill and account logs (a backtest that trades every few milliseconds of data logs hundreds of
// thousands of orders).
//
// A block of 2 MiB or more is mapped on its own, aligned to 2 MiB and advised for transparent
// huge pages (MADV_HUGEPAGE), so that writing it takes one page fault per 2 MiB instead of one per
// 4 KiB. On these VMs a fault costs microseconds: with 4 KiB pages, faulting in the logs took a
// third of a trades-only backtest of the SMA example (bench/README.md). Where the kernel gives no
// huge pages (THP "never", or none free), the advice does nothing and the block works as any
// mapping. Smaller blocks come from operator new as usual.
#ifndef TAPEDECK_CORE_LARGE_ALLOCATOR_H_
#define TAPEDECK_CORE_LARGE_ALLOCATOR_H_

#include <cstddef>
#include <new>
#include <vector>

namespace tapedeck {

// The transparent huge page of x86-64 (one page-table entry at the PMD level), also the page-cache
// folio that a file mapping takes with one fault (replay::TapeWriter writes tapes in these).
inline constexpr size_t kHugePageSize = size_t{2} << 20;

namespace large_allocator_internal {
// Maps `bytes` (a multiple of kHugePageSize) at a kHugePageSize boundary; throws std::bad_alloc.
void* MapHuge(size_t bytes);
void UnmapHuge(void* p, size_t bytes);
}  // namespace large_allocator_internal

template <class T>
class LargeAllocator {
 public:
  using value_type = T;

  LargeAllocator() noexcept = default;
  template <class U>
  LargeAllocator(const LargeAllocator<U>&) noexcept {}  // NOLINT: converting, as allocators are

  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageSize) {
      return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    }
    return static_cast<T*>(large_allocator_internal::MapHuge(Rounded(bytes)));
  }
  void deallocate(T* p, size_t n) noexcept {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageSize) {
      ::operator delete(p, std::align_val_t{alignof(T)});
      return;
    }
    large_allocator_internal::UnmapHuge(p, Rounded(bytes));
  }

  template <class U>
  friend bool operator==(const LargeAllocator&, const LargeAllocator<U>&) noexcept {
    return true;  // stateless: any one frees what another allocated
  }

 private:
  static size_t Rounded(size_t bytes) {
    const size_t page = kHugePageSize;
    return (bytes + page - 1) / page * page;
  }
};

// A vector that may grow to many megabytes (see above).
template <class T>
using LargeVector = std::vector<T, LargeAllocator<T>>;

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_LARGE_ALLOCATOR_H_
