#include "core/large_allocator.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::VmFlagsOf;

constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

// A vector grows through small blocks into mapped ones and keeps its contents; a block of 2 MiB
// or more starts on a 2 MiB boundary and carries the huge-page advice.
TEST(LargeAllocatorTest, GrowsIntoAlignedHugePageAdvisedBlocks) {
  LargeVector<uint64_t> v;
  for (uint64_t i = 0; i < (uint64_t{6} << 20) / sizeof(uint64_t); ++i) v.push_back(i * 7 + 1);
  for (uint64_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 7 + 1) << i;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePage, 0u);
  if (::tapedeck::testing::HaveTransparentHugePages()) {
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
