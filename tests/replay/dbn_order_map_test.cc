// DbnOrderMap against std::map under a long random mix of inserts, finds and erases (with
// tables small enough that probe runs wrap around their end).
#include "replay/dbn_order_map.h"

#include <algorithm>
#include <map>

#include "gtest/gtest.h"

namespace tapedeck::replay {
namespace {

TEST(DbnOrderMapTest, AgreesWithAnOrderedMapUnderChurn) {
  DbnOrderMap map;
  std::map<uint64_t, int64_t> want;
  uint64_t x = 0x2545F4914F6CDD1Dull;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int step = 0; step < 200'000; ++step) {
    // Ids from a small range, so that inserts collide with live ids and erases hit.
    const uint64_t id = next() % 3'000;
    const uint64_t op = next() % 10;
    if (op < 5) {
      const bool added = map.Insert(id, static_cast<int64_t>(id) * 3, step, Side::kSell);
      EXPECT_EQ(added, want.emplace(id, step).second) << step;
    } else if (op < 8) {
      DbnLiveOrder* o = map.Find(id);
      ASSERT_EQ(o != nullptr, want.count(id) == 1) << step;
      if (o != nullptr) {
        EXPECT_EQ(o->qty, want[id]);
        map.Erase(o);
        want.erase(id);
      }
    } else {
      DbnLiveOrder* o = map.Find(id);
      ASSERT_EQ(o != nullptr, want.count(id) == 1) << step;
      if (o != nullptr) {
        EXPECT_EQ(o->price, static_cast<int64_t>(id) * 3);
      }
    }
    ASSERT_EQ(map.size(), want.size());
  }
  auto all = map.All();
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  ASSERT_EQ(all.size(), want.size());
  size_t i = 0;
  for (const auto& [id, qty] : want) {
    EXPECT_EQ(all[i].id, id);
    EXPECT_EQ(all[i].qty, qty);
    ++i;
  }
  map.Clear();
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.Find(all.front().id), nullptr);
}

}  // namespace
}  // namespace tapedeck::replay
