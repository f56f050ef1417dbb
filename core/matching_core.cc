// The matching core on level (L2) data, quotes, trades and bars, and the handling of own
// orders; order-level data is in matching_core_l3.cc.
#include "core/matching_core.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace tapedeck {
namespace {

// A resting order of `side` at `limit` is beaten by an opposite price strictly beyond it.
bool Through(Side side, Price limit, Price opposite) {
  return side == Side::kBuy ? opposite < limit : opposite > limit;
}

}  // namespace

MatchingCore::MatchingCore(const InstrumentTable& instruments, QueueModel queue,
                           VenueAccount* account, ExchangeSide* exchange)
    : instruments_(&instruments), queue_(std::move(queue)), account_(account),
      exchange_(exchange) {
  state_.reserve(instruments.size());
  for (const Instrument& in : instruments.all()) {
    BookState s;
    s.book = OrderBook(in.tick_size.raw > 0 ? in.tick_size : Price(1));
    state_.push_back(std::move(s));
  }
}

// ---- Queries ----

size_t MatchingCore::resting_orders() const {
  size_t n = 0;
  for (const BookState& s : state_) n += s.resting.size();
  return n;
}

int64_t MatchingCore::QueueAhead(OrderId id, InstrumentId instrument) const {
  if (instrument.value >= state_.size()) return -1;
  for (const RestingOrder& r : state_[instrument.value].resting) {
    if (r.request.id == id) return r.ahead;
  }
  return -1;
}

OpenQty MatchingCore::OpenOrders(InstrumentId instrument) const {
  OpenQty q;
  for (const RestingOrder& o : state_[instrument.value].resting) {
    (o.request.side == Side::kBuy ? q.buys : q.sells) += o.remaining.raw;
  }
  return q;
}

int64_t MatchingCore::LevelQty(const BookState& s, Side side, Price price) const {
  if (s.has_book) return s.book.QtyAt(side, price).raw;
  if (side == Side::kBuy) return s.has_bid && s.bid == price ? s.bid_qty.raw : 0;
  return s.has_ask && s.ask == price ? s.ask_qty.raw : 0;
}

int64_t MatchingCore::Available(const BookState& s, const OrderRequest& r, int64_t cap) const {
  const bool buy = r.side == Side::kBuy;
  const bool market = r.type == OrderType::kMarket;
  if (!s.has_book) {
    // Without a book the touch is taken as deep enough (the first version's rule); callers
    // have checked that the order crosses it.
    return (buy ? s.has_ask : s.has_bid) ? cap : 0;
  }
  int64_t total = 0;
  s.book.ForEachLevel(buy ? Side::kSell : Side::kBuy, [&](const BookLevel& l) {
    if (!market && (buy ? l.price > r.price : l.price < r.price)) return false;
    total += l.qty.raw;
    return total < cap;
  });
  return std::min(total, cap);
}

int64_t MatchingCore::Take(BookState& s, const OrderRequest& r, Timestamp at, int64_t want) {
  const bool buy = r.side == Side::kBuy;
  const bool market = r.type == OrderType::kMarket;
  if (!s.has_book) {
    if (Available(s, r, want) == 0) return 0;
    Fill(r, at, buy ? s.ask : s.bid, Qty(want), Liquidity::kTaker);
    return want;
  }
  int64_t filled = 0;
  s.book.ForEachLevel(buy ? Side::kSell : Side::kBuy, [&](const BookLevel& l) {
    if (!market && (buy ? l.price > r.price : l.price < r.price)) return false;
    const int64_t q = std::min(l.qty.raw, want - filled);
    Fill(r, at, l.price, Qty(q), Liquidity::kTaker);
    filled += q;
    return filled < want;
  });
  return filled;
}

// ---- Orders ----

RestingOrder* MatchingCore::FindResting(InstrumentId instrument, OrderId id) {
  if (instrument.value >= state_.size()) return nullptr;
  for (RestingOrder& r : state_[instrument.value].resting) {
    if (r.request.id == id) return &r;
  }
  return nullptr;
}

void MatchingCore::Remove(InstrumentId instrument, const RestingOrder* o) {
  std::vector<RestingOrder>& v = state_[instrument.value].resting;
  v.erase(v.begin() + (o - v.data()));
}

void MatchingCore::Replace(RestingOrder* o, const OrderRequest& now, int64_t left, bool crosses,
                           Timestamp at) {
  BookState& s = state_[now.instrument.value];
  if (now.price == o->request.price && now.qty <= o->request.qty) {
    // Same price, smaller (or equal) size: the order keeps its place in the queue.
    o->request = now;
    o->remaining = Qty(left);
    return;
  }
  // Priority lost: out of the queue, then like a new order at the new price.
  RestingOrder moved = *o;
  Remove(now.instrument, o);
  moved.request = now;
  if (crosses) {
    left -= Take(s, now, at, left);
    if (left == 0) return;
  }
  moved.remaining = Qty(left);
  moved.ahead = now.type == OrderType::kLimit ? LevelQty(s, now.side, now.price) : 0;
  moved.l3_priority = kL3Unplaced;  // L3 data: placed behind every real order at the next event
  s.resting.push_back(moved);
}

void MatchingCore::CancelAll(InstrumentId instrument, Timestamp at) {
  std::vector<RestingOrder>& v = state_[instrument.value].resting;
  for (const RestingOrder& r : v) RespondCancel(r.request, at, r.remaining);
  v.clear();
}

// ---- Market data ----

// The market-data cases, out of line (a tail call from SimVenue::OnMarketData) so that its fast
// path pays for no register saves.
void MatchingCore::Dispatch(BookState& s, const Event& e) {
  switch (e.kind) {
    case EventKind::kTrade:
      OnTrade(s, e);
      break;
    case EventKind::kBar:
      MatchBar(s, e.exchange_time(), e.bar);
      break;
    case EventKind::kBookLevel:
      OnLevel(s, e);
      break;
    case EventKind::kQuote:
      OnQuote(s, e);
      break;
    default:
      break;
  }
}

void MatchingCore::OnTrade(BookState& s, const Event& e) {
  const Timestamp at = e.exchange_time();
  const Price px = e.trade.price;
  const Side hit = HitSide(e);  // the resting side the aggressor traded against
  TallyTrade(s, e);
  auto& v = s.resting;
  if (v.empty()) return;
  // Own orders at the trade's price share one queue in arrival order: the trade consumes market
  // size ahead of the first, then the first, then the size between it and the second, ...
  int64_t volume = e.trade.qty.raw;
  int64_t consumed_market = 0;
  for (RestingOrder& r : v) {
    const OrderRequest& q = r.request;
    if (q.type != OrderType::kLimit || q.side != hit || q.price != px || volume == 0) continue;
    const int64_t gap = std::max<int64_t>(r.ahead - consumed_market, 0);
    const int64_t skip = std::min(volume, gap);
    consumed_market += skip;
    volume -= skip;
    if (volume == 0) break;
    const int64_t f = std::min(volume, r.remaining.raw);
    volume -= f;
    r.remaining = Qty(r.remaining.raw - f);
    Fill(q, at, q.price, Qty(f), Liquidity::kMaker);
  }
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    RestingOrder r = v[i];
    const OrderRequest& q = r.request;
    if (q.type == OrderType::kMarket) {
      Fill(q, at, px, r.remaining, Liquidity::kTaker);
      continue;
    }
    if (q.side == hit && q.price == px) r.ahead = std::max<int64_t>(r.ahead - consumed_market, 0);
    if (r.remaining.raw > 0 && Through(q.side, q.price, px)) {
      Fill(q, at, q.price, r.remaining, Liquidity::kMaker);
      r.remaining = Qty(0);
    }
    if (r.remaining.raw > 0) v[kept++] = r;
  }
  v.resize(kept);
}

void MatchingCore::MatchBar(BookState& s, Timestamp at, const BarPayload& bar) {
  auto& v = s.resting;
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const RestingOrder& r = v[i];
    const OrderRequest& q = r.request;
    if (q.type == OrderType::kMarket) {
      Fill(q, at, bar.open, r.remaining, Liquidity::kTaker);
      continue;
    }
    if (q.side == Side::kBuy ? bar.low < q.price : bar.high > q.price) {
      Fill(q, at, q.price, r.remaining, Liquidity::kMaker);
      continue;
    }
    v[kept++] = r;
  }
  v.resize(kept);
}

void MatchingCore::MatchTouch(BookState& s, Timestamp at) {
  auto& v = s.resting;
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    RestingOrder r = v[i];
    const OrderRequest& q = r.request;
    const bool buy = q.side == Side::kBuy;
    const bool has_opposite = buy ? s.has_ask : s.has_bid;
    const Price opposite = buy ? s.ask : s.bid;
    if (has_opposite && q.type == OrderType::kMarket) {
      const int64_t f = Take(s, q, at, r.remaining.raw);
      r.remaining = Qty(r.remaining.raw - f);
      if (r.remaining.raw > 0) v[kept++] = r;
      continue;
    }
    if (has_opposite && Through(q.side, q.price, opposite)) {
      Fill(q, at, q.price, r.remaining, Liquidity::kMaker);
      continue;
    }
    v[kept++] = r;
  }
  v.resize(kept);
}

void MatchingCore::RefreshTouchFromBook(BookState& s) {
  const BookTop t = s.book.Top();
  s.bid = t.bid;
  s.bid_qty = t.bid_qty;
  s.ask = t.ask;
  s.ask_qty = t.ask_qty;
  s.has_bid = t.has_bid;
  s.has_ask = t.has_ask;
}

void MatchingCore::OnLevel(BookState& s, const Event& e) {
  const LevelPayload& l = e.level;
  if (s.resting.empty()) {
    // Fast path: no own order on this instrument, so no queue position to move (the level's
    // size before and after is not needed) and nothing for MatchTouch; the book, the trade
    // tally and the touch are kept exactly as below.
    const bool had_book = s.has_book;
    if (s.book.Apply(l) == BookResult::kNegativeQty) return;
    s.has_book = true;
    // Masks and bitwise operators rather than && and ?: on the level's side and price, which
    // are random in a feed: the compiler turns those into branches, and they mispredict.
    // The trade tally restarts at this level (its quantity is no longer ahead of anyone):
    const bool at_tally = (s.traded_side == l.side) & (s.traded_price == l.price);
    s.traded_qty &= static_cast<int64_t>(at_tally) - 1;  // mask 0 at the tally's level, else ~0
    // A level strictly behind the touch on its side changes neither best level nor its size
    // (and leaves the other side alone): the touch stays. A snapshot clears the book, and
    // before the first level the touch came from quotes: refresh then too.
    const bool buy = l.side == Side::kBuy;
    const bool behind =
        (buy & s.has_bid & (l.price < s.bid)) | (!buy & s.has_ask & (l.price > s.ask));
    if (!behind | !had_book | ((l.flags & kBookSnapshotBegin) != 0)) RefreshTouchFromBook(s);
    return;
  }
  const int64_t prev = s.book.QtyAt(l.side, l.price).raw;
  if (s.book.Apply(l) == BookResult::kNegativeQty) return;  // readers reject these earlier
  s.has_book = true;
  const int64_t now = s.book.QtyAt(l.side, l.price).raw;
  // A decrease already explained by trades at this level is not a cancellation ahead of us.
  int64_t dec_prev = prev;
  if (s.traded_qty > 0 && s.traded_side == l.side && s.traded_price == l.price) {
    dec_prev = std::max(prev - s.traded_qty, now);
    s.traded_qty = 0;
  }
  const int64_t lot = instruments_->at(e.instrument).lot_size.raw;
  int64_t floor_ahead = 0;  // own orders at one price keep their order
  for (RestingOrder& r : s.resting) {
    const OrderRequest& q = r.request;
    if (q.type != OrderType::kLimit || q.side != l.side || q.price != l.price) continue;
    r.ahead = QueueAheadAfterDepthChange(queue_, r.ahead, dec_prev, now, lot);
    r.ahead = std::max(r.ahead, floor_ahead);
    floor_ahead = r.ahead;
  }
  RefreshTouchFromBook(s);
  MatchTouch(s, e.exchange_time());
}

void MatchingCore::OnQuote(BookState& s, const Event& e) {
  if (s.has_book) return;  // the book is the better source of the touch
  for (RestingOrder& r : s.resting) {
    const OrderRequest& q = r.request;
    if (q.type != OrderType::kLimit) continue;
    const bool buy = q.side == Side::kBuy;
    const Price px = buy ? e.quote.bid : e.quote.ask;
    const int64_t qty = (buy ? e.quote.bid_qty : e.quote.ask_qty).raw;
    if (px == q.price) {
      const int64_t prev = LevelQty(s, q.side, q.price);
      r.ahead = QueueAheadAfterDepthChange(queue_, r.ahead, prev, qty,
                                           instruments_->at(e.instrument).lot_size.raw);
    }
  }
  s.bid = e.quote.bid;
  s.ask = e.quote.ask;
  s.bid_qty = e.quote.bid_qty;
  s.ask_qty = e.quote.ask_qty;
  s.has_bid = e.quote.bid_qty.raw > 0;
  s.has_ask = e.quote.ask_qty.raw > 0;
  MatchTouch(s, e.exchange_time());
}

}  // namespace tapedeck
