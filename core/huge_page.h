// The page size that the project's large memory is laid out for.
#ifndef TAPEDECK_CORE_HUGE_PAGE_H_
#define TAPEDECK_CORE_HUGE_PAGE_H_

#include <cstddef>

namespace tapedeck {

// The transparent huge page of x86-64 (one page-table entry at the PMD level), also the page-cache
// folio that a file mapping takes with one fault. LargeVector maps its storage in these, and
// replay::TapeWriter writes tapes in them.
inline constexpr size_t kHugePageSize = size_t{2} << 20;

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_HUGE_PAGE_H_
