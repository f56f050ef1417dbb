// Stable sorting of events. Do not call std::stable_sort on Event ranges: libstdc++'s temporary
// buffer ignores Event's 64-byte alignment (UBSan: misaligned reference). This sorts indices and
// permutes through a properly aligned vector instead; the resulting order is the same.
#ifndef TAPEDECK_CORE_EVENT_SORT_H_
#define TAPEDECK_CORE_EVENT_SORT_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/event.h"

namespace tapedeck {

template <typename Less>
void StableSortEvents(Event* first, Event* last, Less less) {
  const size_t n = static_cast<size_t>(last - first);
  if (n < 2) return;
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return less(first[a], first[b]); });
  std::vector<Event> sorted(n);  // std::vector honours alignas(64) (C++17 aligned new)
  for (size_t i = 0; i < n; ++i) sorted[i] = first[order[i]];
  std::copy(sorted.begin(), sorted.end(), first);
}

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_EVENT_SORT_H_
