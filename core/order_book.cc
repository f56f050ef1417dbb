#include "core/order_book.h"

#include <algorithm>
#include <utility>

#include "core/check.h"

namespace tapedeck {

std::string_view BookResultName(BookResult r) {
  switch (r) {
    case BookResult::kOk: return "ok";
    case BookResult::kCrossed: return "crossed book (best bid >= best ask)";
    case BookResult::kNegativeQty: return "negative size";
    case BookResult::kOffTick: return "price is not a multiple of the tick size";
    case BookResult::kPriceOutOfRange: return "price out of range";
  }
  return "unknown";
}

OrderBook::OrderBook(Price tick_size) : tick_(tick_size.raw) {
  TAPEDECK_CHECK(tick_ > 0, "Invariant: an order book needs a positive tick size");
  bids_.is_bid = true;
  asks_.is_bid = false;
}

void OrderBook::Clear() {
  for (SideBook* s : {&bids_, &asks_}) {
    if (s->window_count > 0) std::fill(s->qty.begin(), s->qty.end(), 0);
    s->window_count = 0;
    s->count = 0;
    s->best = 0;
    s->far.clear();
  }
}

BookTop OrderBook::Top() const {
  BookTop t;
  if (has_bid()) {
    t.has_bid = true;
    t.bid = best_bid();
    t.bid_qty = best_bid_qty();
  }
  if (has_ask()) {
    t.has_ask = true;
    t.ask = best_ask();
    t.ask_qty = best_ask_qty();
  }
  return t;
}

int64_t OrderBook::QtyAtTicks(const SideBook& s, int64_t ticks) {
  const int64_t i = ticks - s.base;
  if (i >= 0 && i < s.size) return s.qty[static_cast<size_t>(i)];
  auto it = s.far.find(ticks);
  return it == s.far.end() ? 0 : it->second;
}

Qty OrderBook::QtyAt(Side side, Price price) const {
  if (price.raw % tick_ != 0) return Qty(0);
  const int64_t ticks = price.raw / tick_;
  if (ticks <= -kTickLimit || ticks >= kTickLimit) return Qty(0);
  return Qty(QtyAtTicks(side == Side::kBuy ? bids_ : asks_, ticks));
}

size_t OrderBook::Levels(Side side, std::span<BookLevel> out) const {
  size_t n = 0;
  if (out.empty()) return 0;
  ForEachLevel(side, [&](BookLevel l) {
    out[n++] = l;
    return n < out.size();
  });
  return n;
}

int64_t OrderBook::FindBestAfter(const SideBook& s, int64_t ticks) const {
  const int64_t lo = s.base;
  const int64_t hi = s.base + s.size;  // exclusive
  bool found = false;
  int64_t best = 0;
  if (s.window_count > 0) {
    if (s.is_bid) {
      for (int64_t t = std::min(ticks - 1, hi - 1); t >= lo; --t) {
        if (s.qty[static_cast<size_t>(t - lo)] != 0) {
          found = true;
          best = t;
          break;
        }
      }
    } else {
      for (int64_t t = std::max(ticks + 1, lo); t < hi; ++t) {
        if (s.qty[static_cast<size_t>(t - lo)] != 0) {
          found = true;
          best = t;
          break;
        }
      }
    }
  }
  if (!s.far.empty()) {
    if (s.is_bid) {
      auto it = s.far.lower_bound(ticks);  // first >= ticks; the one before is < ticks
      if (it != s.far.begin()) {
        --it;
        if (!found || it->first > best) best = it->first, found = true;
      }
    } else {
      auto it = s.far.upper_bound(ticks);
      if (it != s.far.end() && (!found || it->first < best)) best = it->first, found = true;
    }
  }
  TAPEDECK_DCHECK(found, "Invariant: a non-empty side has a best level");
  return best;
}

void OrderBook::Rebuild(SideBook& s, int64_t new_base, int64_t new_size) {
  std::vector<std::pair<int64_t, int64_t>> levels;
  levels.reserve(s.window_count);
  for (int64_t i = 0; i < s.size && levels.size() < s.window_count; ++i) {
    const int64_t q = s.qty[static_cast<size_t>(i)];
    if (q != 0) levels.emplace_back(s.base + i, q);
  }
  std::vector<int64_t> fresh(static_cast<size_t>(new_size), 0);
  std::map<int64_t, int64_t> far;
  size_t window_count = 0;
  auto place = [&](int64_t t, int64_t q) {
    if (t >= new_base && t < new_base + new_size) {
      fresh[static_cast<size_t>(t - new_base)] = q;
      ++window_count;
    } else {
      far.emplace(t, q);
    }
  };
  for (const auto& [t, q] : levels) place(t, q);
  for (const auto& [t, q] : s.far) place(t, q);
  s.qty = std::move(fresh);
  s.base = new_base;
  s.size = new_size;
  s.window_count = window_count;
  s.far = std::move(far);
}

bool OrderBook::Cover(SideBook& s, int64_t ticks, bool recentre) {
  if (s.window_count == 0) {
    // Nothing in the window to keep: centre it on the new price.
    const int64_t size = std::max(s.size, kInitialWindowTicks);
    Rebuild(s, ticks - size / 2, size);
    return true;
  }
  const int64_t lo = std::min(s.base, ticks);
  const int64_t hi = std::max(s.base + s.size, ticks + 1);
  const int64_t need = hi - lo;
  if (need <= kMaxWindowTicks) {
    int64_t size = s.size * 2;
    while (size < need + need / 2 && size < kMaxWindowTicks) size *= 2;
    size = std::min(size, kMaxWindowTicks);
    Rebuild(s, lo - (size - need) / 2, size);
    return true;
  }
  if (recentre) {
    Rebuild(s, ticks - kMaxWindowTicks / 2, kMaxWindowTicks);
    return true;
  }
  return false;
}

void OrderBook::SetOutside(SideBook& s, int64_t ticks, int64_t q) {
  if (q != 0) {
    const bool touch = s.count == 0 || !Better(s, s.best, ticks);
    if (Cover(s, ticks, touch)) {
      SetInWindow(s, ticks - s.base, ticks, q);
      return;
    }
  }
  auto it = s.far.find(ticks);
  if (q == 0) {
    if (it == s.far.end()) return;
    s.far.erase(it);
    --s.count;
    if (ticks == s.best && s.count > 0) s.best = FindBestAfter(s, ticks);
    return;
  }
  if (it != s.far.end()) {
    it->second = q;
    return;
  }
  s.far.emplace(ticks, q);
  ++s.count;
  if (s.count == 1 || Better(s, ticks, s.best)) s.best = ticks;
}

}  // namespace tapedeck
