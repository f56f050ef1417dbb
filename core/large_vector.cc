#include "core/large_vector.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace tapedeck::large_vector_internal {
namespace {

size_t Rounded(size_t bytes) { return (bytes + kHugePageSize - 1) / kHugePageSize * kHugePageSize; }

// Maps `bytes` (a multiple of kHugePageSize) at a kHugePageSize boundary, advised for huge pages
// before anything touches it: a 2 MiB range with a 4 KiB page in it takes no huge page.
void* MapAligned(size_t bytes) {
  // Map one huge page more than asked and cut the mapping down to a huge-page boundary: a
  // mapping that does not start on one cannot take huge pages at its start.
  const size_t span = bytes + kHugePageSize;
  void* const raw =
      ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePageSize - 1) & ~(uintptr_t{kHugePageSize} - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t tail = aligned + bytes;
  const uintptr_t end = start + span;
  if (end > tail) ::munmap(reinterpret_cast<void*>(tail), end - tail);
  void* const p = reinterpret_cast<void*>(aligned);
  (void)::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: without THP, 4 KiB pages
  return p;
}

}  // namespace

void* Grow(void* p, size_t used, size_t* capacity, size_t bytes) {
  if (bytes <= kHeapBytes) {
    void* const q = std::realloc(p, bytes);
    if (q == nullptr) throw std::bad_alloc();
    *capacity = bytes;
    return q;
  }
  const size_t size = Rounded(bytes);
  void* q;
  if (*capacity <= kHeapBytes) {
    // From the heap block into the first mapping: the one copy a vector's life makes.
    q = MapAligned(size);
    if (used != 0) std::memcpy(q, p, used);
    std::free(p);
  } else {
    // The pages move to an aligned range reserved for them (MREMAP_FIXED replaces the
    // reservation): page-table entries change places, the data does not, and 2 MiB pages stay
    // whole because both ends are aligned. The moved mapping keeps its advice.
    void* const target = MapAligned(size);
    q = ::mremap(p, *capacity, size, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    if (q == MAP_FAILED) {
      ::munmap(target, size);
      throw std::bad_alloc();
    }
  }
  *capacity = size;
  return q;
}

void Free(void* p, size_t capacity) noexcept {
  if (capacity <= kHeapBytes) {
    std::free(p);
  } else {
    ::munmap(p, capacity);
  }
}

}  // namespace tapedeck::large_vector_internal
