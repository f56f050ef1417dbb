#include "core/large_allocator.h"

#include <sys/mman.h>

#include <cstdint>

namespace tapedeck::large_allocator_internal {

void* MapHuge(size_t bytes) {
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

void UnmapHuge(void* p, size_t bytes) { ::munmap(p, bytes); }

}  // namespace tapedeck::large_allocator_internal
