#include "core/large_vector.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::VmFlagsOf;

bool Holds(const LargeVector<uint64_t>& v, uint64_t n) {
  if (v.size() != n) return false;
  for (uint64_t i = 0; i < n; ++i) {
    if (v[i] != i * 7 + 1) return false;
  }
  return true;
}

// A vector grows through heap blocks into mappings and keeps its contents; every mapping starts
// on a 2 MiB boundary and carries the huge-page advice, including those its pages moved into.
TEST(LargeVectorTest, GrowsIntoAlignedHugePageAdvisedMappings) {
  LargeVector<uint64_t> v;
  size_t mappings = 0;
  size_t last_capacity = 0;
  for (uint64_t i = 0; i < (uint64_t{40} << 20) / sizeof(uint64_t); ++i) {
    v.push_back(i * 7 + 1);
    if (v.capacity() == last_capacity) continue;
    last_capacity = v.capacity();
    if (v.capacity() * sizeof(uint64_t) < kHugePageSize) continue;
    ++mappings;
    ASSERT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageSize, 0u) << v.capacity();
    ASSERT_EQ(v.capacity() * sizeof(uint64_t) % kHugePageSize, 0u) << v.capacity();
    ASSERT_TRUE(Holds(v, i + 1)) << "after growing to " << v.capacity();
    if (::tapedeck::testing::HaveTransparentHugePages()) {
      // "hg": MADV_HUGEPAGE on the mapping (the kernel records it whatever the THP mode).
      EXPECT_NE(VmFlagsOf(v.data()).find(" hg"), std::string::npos) << VmFlagsOf(v.data());
    }
  }
  EXPECT_GE(mappings, 5u);  // from 2 or 4 MiB to 64 MiB: the pages moved four times at least
  EXPECT_TRUE(Holds(v, (uint64_t{40} << 20) / sizeof(uint64_t)));
}

// Whether any mapping of the process holds an address in [lo, hi).
bool AnyMapped(uintptr_t lo, uintptr_t hi) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    const size_t dash = line.find('-');
    const size_t space = line.find(' ');
    const uintptr_t start = std::stoull(line.substr(0, dash), nullptr, 16);
    const uintptr_t end = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
    if (start < hi && lo < end) return true;
  }
  return false;
}

// An element whose size does not divide 2 MiB: a mapping holds a few bytes more than its
// elements, and growing and freeing unmap the whole of each mapping the vector held. Each range
// is checked at once, before anything else could map into it.
TEST(LargeVectorTest, ElementsThatDoNotDivideTheHugePageLeaveNoMappingBehind) {
  struct Record {
    uint64_t words[12];  // 96 bytes
  };
  static_assert(kHugePageSize % sizeof(Record) != 0);
  uintptr_t lo = 0, hi = 0;  // the vector's mapping
  int moves = 0;
  {
    LargeVector<Record> v;
    for (uint64_t i = 0; i < 200'000; ++i) {
      v.push_back(Record{{i, i * 3}});
      const uintptr_t now = reinterpret_cast<uintptr_t>(v.data());
      if (v.capacity() * sizeof(Record) < kHugePageSize || now == lo) continue;
      if (lo != 0) {
        ++moves;
        ASSERT_FALSE(AnyMapped(lo, hi)) << "the mapping at " << std::hex << lo << " stayed";
      }
      lo = now;
      const size_t bytes = v.capacity() * sizeof(Record);
      hi = lo + (bytes + kHugePageSize - 1) / kHugePageSize * kHugePageSize;
      ASSERT_EQ(lo % kHugePageSize, 0u);
    }
    for (uint64_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i].words[1], i * 3) << i;
  }
  EXPECT_FALSE(AnyMapped(lo, hi)) << "the last mapping, at " << std::hex << lo << ", stayed";
  EXPECT_GE(moves, 2);
}

TEST(LargeVectorTest, CopiesMovesAndClearsAsAVector) {
  LargeVector<uint64_t> big;
  for (uint64_t i = 0; i < (uint64_t{3} << 20) / sizeof(uint64_t); ++i) big.push_back(i * 7 + 1);
  const uint64_t n = big.size();

  LargeVector<uint64_t> copy = big;  // a mapping's copy
  EXPECT_TRUE(Holds(copy, n));
  EXPECT_NE(copy.data(), big.data());
  LargeVector<uint64_t> small(10, 3);  // a heap block's
  EXPECT_EQ(small.size(), 10u);
  EXPECT_EQ(small.back(), 3u);
  small = big;
  EXPECT_TRUE(Holds(small, n));
  big = LargeVector<uint64_t>(4, 9);  // a mapping replaced by a heap block
  EXPECT_EQ(big.size(), 4u);
  EXPECT_EQ(big[3], 9u);

  const uint64_t* const storage = copy.data();
  LargeVector<uint64_t> moved = std::move(copy);
  EXPECT_EQ(moved.data(), storage);  // the storage changed hands
  EXPECT_TRUE(Holds(moved, n));
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  copy.push_back(1);
  EXPECT_EQ(copy.size(), 1u);

  const size_t capacity = moved.capacity();
  moved.clear();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.capacity(), capacity);  // clear keeps the storage
  moved.push_back(5);
  EXPECT_EQ(moved[0], 5u);
  uint64_t sum = 0;
  for (uint64_t x : small) sum += x;
  EXPECT_EQ(sum, 7 * (n * (n - 1) / 2) + n);
}

}  // namespace
}  // namespace tapedeck
