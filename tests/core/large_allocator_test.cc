#include "core/large_allocator.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace tapedeck {
namespace {

constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

// The VmFlags line of the mapping that holds `p`, from /proc/self/smaps ("" if not found).
std::string VmFlagsOf(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const uintptr_t at = reinterpret_cast<uintptr_t>(p);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= at && at < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

// A vector grows through small blocks into mapped ones and keeps its contents; a block of 2 MiB
// or more starts on a 2 MiB boundary and carries the huge-page advice.
TEST(LargeAllocatorTest, GrowsIntoAlignedHugePageAdvisedBlocks) {
  LargeVector<uint64_t> v;
  for (uint64_t i = 0; i < (uint64_t{6} << 20) / sizeof(uint64_t); ++i) v.push_back(i * 7 + 1);
  for (uint64_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 7 + 1) << i;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePage, 0u);
  if (std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").good()) {
    // "hg": MADV_HUGEPAGE on the mapping (the kernel records it whatever the THP mode).
    EXPECT_NE(VmFlagsOf(v.data()).find(" hg"), std::string::npos) << VmFlagsOf(v.data());
  }
  // Copies and small vectors work as with std::allocator.
  LargeVector<uint64_t> copy = v;
  EXPECT_EQ(copy, v);
  LargeVector<uint64_t> small(10, 3);
  EXPECT_EQ(small.back(), 3u);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 0u);
}

}  // namespace
}  // namespace tapedeck
