#include "core/sim_venue.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>

#include "core/decimal.h"  // Int128 (volatility tracker)

namespace tapedeck {
namespace {
constexpr uint16_t kVenueSource = 0xFFFE;

// A resting order of `side` at `limit` is beaten by an opposite price strictly beyond it.
bool Through(Side side, Price limit, Price opposite) {
  return side == Side::kBuy ? opposite < limit : opposite > limit;
}
}  // namespace

SimVenue::SimVenue(const InstrumentTable& instruments, SimVenueConfig config,
                   std::vector<Event>* out)
    : instruments_(&instruments), config_(config), out_(out),
      account_(instruments, config.initial_cash) {
  state_.reserve(instruments.size());
  for (const Instrument& in : instruments.all()) {
    InstrumentState s;
    s.book = OrderBook(in.tick_size.raw > 0 ? in.tick_size : Price(1));
    state_.push_back(std::move(s));
  }
  for (int i = 0; i < kVenueMessageCount; ++i) {
    const VenueMessage m = static_cast<VenueMessage>(i);
    const Duration fallback = IsEntry(m) ? config_.entry_latency : config_.response_latency;
    // One stream per message type, derived from the run seed.
    const uint64_t salt = uint64_t{0xD1B54A32D192ED03} * (static_cast<uint64_t>(i) + 1);
    SplitMix64 derive(config_.seed ^ salt);
    latency_[i] = LatencyModel(config_.latency[i], fallback, derive.Next(), IsEntry(m));
    TrackWhatScales(config_.latency[i].scaling);
  }
  if (config_.account_latency.has_value()) TrackWhatScales(config_.account_latency->scaling);
  InitAccount();
}

void SimVenue::TrackWhatScales(const LatencyScaling& spec) {
  if (spec.vol_k_milli != 0) track_vol_ = true;
  if (spec.feed_scale_pct != 0) track_feed_ = true;
}

void SimVenue::SetRunStart(Timestamp start) {
  for (LatencyModel& l : latency_) l.SetRunStart(start);
}

size_t SimVenue::resting_orders() const {
  size_t n = 0;
  for (const auto& s : state_) n += s.resting.size();
  return n;
}

int64_t SimVenue::QueueAhead(OrderId id, InstrumentId instrument) const {
  if (instrument.value >= state_.size()) return -1;
  for (const Resting& r : state_[instrument.value].resting) {
    if (r.request.id == id) return r.ahead;
  }
  return -1;
}

void SimVenue::Respond(EventKind kind, const OrderRequest& r, Timestamp at, Price price, Qty qty,
                       Money fee, Liquidity liq, RejectReason reason) {
  VenueMessage m = VenueMessage::kAck;
  if (kind == EventKind::kOrderFill) m = VenueMessage::kFill;
  if (kind == EventKind::kOrderCancel) m = VenueMessage::kCancelAck;
  if (kind == EventKind::kOrderReject) m = VenueMessage::kReject;
  const Duration lat = latency_[static_cast<int>(m)].Sample(at, feed_latency_, vol_mbp_);
  // One response channel: never overtake the previous response.
  const int64_t local = std::max((at + lat).ns, last_response_local_);
  last_response_local_ = local;
  Event e = MakeEvent(kind, r.instrument, at, Timestamp(local));
  e.source = kVenueSource;
  e.order.order_id = r.id;
  e.order.price = price;
  e.order.qty = qty;
  e.order.fee = fee;
  e.order.side = r.side;
  e.order.liquidity = liq;
  e.order.reason = reason;
  out_->push_back(e);
}

void SimVenue::Fill(const OrderRequest& r, Timestamp at, Price price, Qty qty, Liquidity liq) {
  const Instrument& in = instruments_->at(r.instrument);
  const Money fee = Instrument::Fee(in.Notional(price, qty),
                                    liq == Liquidity::kMaker ? in.maker_fee : in.taker_fee);
  InstrumentState& s = state_[r.instrument.value];
  UpdatePosition(s, r.side == Side::kBuy ? qty.raw : -qty.raw);
  account_.ApplyFill(r.instrument, r.side, price, qty, fee);
  s.last_price = price;
  s.has_last_price = true;
  Respond(EventKind::kOrderFill, r, at, price, qty, fee, liq, RejectReason::kNone);
}

int64_t SimVenue::LevelQty(const InstrumentState& s, Side side, Price price) const {
  if (s.has_book) return s.book.QtyAt(side, price).raw;
  if (side == Side::kBuy) return s.has_bid && s.bid == price ? s.bid_qty.raw : 0;
  return s.has_ask && s.ask == price ? s.ask_qty.raw : 0;
}

int64_t SimVenue::Available(const InstrumentState& s, const OrderRequest& r, int64_t cap) const {
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

int64_t SimVenue::Take(InstrumentState& s, const OrderRequest& r, Timestamp at, int64_t want) {
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

void SimVenue::OnOrderArrival(const OrderRequest& req, Timestamp at) {
  OrderRequest r = req;
  if (r.instrument.value >= instruments_->size()) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kUnknownInstrument);
    return;
  }
  const Instrument& in = instruments_->at(r.instrument);
  InstrumentState& s = state_[r.instrument.value];
  if (at.ns >= account_due_ns_) AccountDue(at);  // funding and expiries due by now
  if (s.expired || (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns != 0 &&
                    at >= in.expiry)) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kInstrumentExpired);
    return;
  }
  if (r.qty.raw <= 0 || r.qty.raw % in.lot_size.raw != 0) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kInvalidQty);
    return;
  }
  if (r.type == OrderType::kLimit && (r.price.raw <= 0 || r.price.raw % in.tick_size.raw != 0)) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kInvalidPrice);
    return;
  }
  const bool buy = r.side == Side::kBuy;
  if (r.reduce_only) {
    // Only a position on the other side can be reduced; the order is cut to it.
    const int64_t reducible = buy ? -s.position : s.position;
    if (reducible <= 0) {
      Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
              RejectReason::kInvalidQty);
      return;
    }
    r.qty = Qty(std::min(r.qty.raw, reducible));
  }
  const bool has_opposite = buy ? s.has_ask : s.has_bid;
  const Price opposite = buy ? s.ask : s.bid;
  const bool crosses = has_opposite && (r.type == OrderType::kMarket ||
                                        (buy ? r.price >= opposite : r.price <= opposite));
  if (r.post_only && crosses) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kWouldCross);
    return;
  }
  if (initial_margin_on_ && !MarginAllows(r)) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kInsufficientMargin);
    return;
  }
  Respond(EventKind::kOrderAck, r, at, r.price, r.qty, Money(), Liquidity::kNone,
          RejectReason::kNone);
  int64_t left = r.qty.raw;
  if (crosses) {
    if (r.tif == TimeInForce::kFok && Available(s, r, left) < left) {
      Respond(EventKind::kOrderCancel, r, at, r.price, r.qty, Money(), Liquidity::kNone,
              RejectReason::kNone);
      return;
    }
    left -= Take(s, r, at, left);
    if (left == 0) return;
  }
  if (r.tif != TimeInForce::kGtc) {
    Respond(EventKind::kOrderCancel, r, at, r.price, Qty(left), Money(), Liquidity::kNone,
            RejectReason::kNone);
    return;
  }
  Resting rest{r, Qty(left), 0};
  if (r.type == OrderType::kLimit) rest.ahead = LevelQty(s, r.side, r.price);
  s.resting.push_back(rest);
}

void SimVenue::OnCancelArrival(OrderId id, InstrumentId instrument, Timestamp at) {
  if (at.ns >= account_due_ns_) AccountDue(at);  // an expiry due by now cancels first
  if (instrument.value < state_.size()) {
    auto& v = state_[instrument.value].resting;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it->request.id == id) {
        const Resting r = *it;
        v.erase(it);
        Respond(EventKind::kOrderCancel, r.request, at, r.request.price, r.remaining, Money(),
                Liquidity::kNone, RejectReason::kNone);
        return;
      }
    }
  }
  OrderRequest unknown;
  unknown.id = id;
  unknown.instrument = instrument;
  Respond(EventKind::kOrderReject, unknown, at, Price(), Qty(), Money(), Liquidity::kNone,
          RejectReason::kUnknownOrder);
}

void SimVenue::OnModifyArrival(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                               Timestamp at) {
  if (at.ns >= account_due_ns_) AccountDue(at);  // funding and expiries due by now come first
  size_t index = SIZE_MAX;
  if (instrument.value < state_.size()) {
    const auto& v = state_[instrument.value].resting;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i].request.id == id) {
        index = i;
        break;
      }
    }
  }
  if (index == SIZE_MAX) {
    // Filled, cancelled or never known: like a late cancel.
    OrderRequest unknown;
    unknown.id = id;
    unknown.instrument = instrument;
    Respond(EventKind::kOrderReject, unknown, at, new_price, new_qty, Money(), Liquidity::kNone,
            RejectReason::kUnknownOrder);
    return;
  }
  InstrumentState& s = state_[instrument.value];
  const Instrument& in = instruments_->at(instrument);
  const OrderRequest old = s.resting[index].request;
  const Qty old_remaining = s.resting[index].remaining;
  const bool limit = old.type == OrderType::kLimit;
  auto reject = [&](RejectReason reason) {
    Respond(EventKind::kOrderReject, old, at, new_price, new_qty, Money(), Liquidity::kNone,
            reason);
  };
  if (new_qty.raw <= 0 || new_qty.raw % in.lot_size.raw != 0) return reject(RejectReason::kInvalidQty);
  if (limit && (new_price.raw <= 0 || new_price.raw % in.tick_size.raw != 0)) {
    return reject(RejectReason::kInvalidPrice);
  }
  const bool buy = old.side == Side::kBuy;
  const int64_t filled = old.qty.raw - old_remaining.raw;
  int64_t left = new_qty.raw - filled;
  if (old.reduce_only) left = std::min(left, std::max<int64_t>(buy ? -s.position : s.position, 0));
  if (left <= 0) {
    s.resting.erase(s.resting.begin() + static_cast<ptrdiff_t>(index));
    Respond(EventKind::kOrderCancel, old, at, old.price, old_remaining, Money(), Liquidity::kNone,
            RejectReason::kNone);
    return;
  }
  const Price price = limit ? new_price : old.price;  // a market order has no price to change
  const bool price_changed = price != old.price;
  const bool has_opposite = buy ? s.has_ask : s.has_bid;
  const Price opposite = buy ? s.ask : s.bid;
  const bool crosses = limit && price_changed && has_opposite &&
                       (buy ? price >= opposite : price <= opposite);
  if (old.post_only && crosses) return reject(RejectReason::kWouldCross);
  if (initial_margin_on_ && left > old_remaining.raw) {
    // A size increase must fit the initial margin as a new order of the difference would:
    // the requirement with the old order resting plus the increase is the one with the new.
    OrderRequest increase = old;
    increase.price = price;
    increase.qty = Qty(left - old_remaining.raw);
    if (!MarginAllows(increase)) return reject(RejectReason::kInsufficientMargin);
  }

  OrderRequest now = old;
  now.price = price;
  now.qty = Qty(filled + left);
  Respond(EventKind::kOrderReplaced, now, at, now.price, now.qty, Money(), Liquidity::kNone,
          RejectReason::kNone);
  if (!price_changed && now.qty <= old.qty) {
    // Same price, smaller (or equal) size: the order keeps its place in the queue.
    s.resting[index].request = now;
    s.resting[index].remaining = Qty(left);
    return;
  }
  // Priority lost: out of the queue, then like a new order at the new price.
  Resting moved = s.resting[index];
  s.resting.erase(s.resting.begin() + static_cast<ptrdiff_t>(index));
  moved.request = now;
  if (crosses) {
    left -= Take(s, now, at, left);
    if (left == 0) return;
  }
  moved.remaining = Qty(left);
  moved.ahead = limit ? LevelQty(s, now.side, now.price) : 0;
  moved.l3_priority = kUnplaced;  // L3 data: placed behind every real order at the next event
  s.resting.push_back(moved);
}

void SimVenue::OnTrade(InstrumentState& s, InstrumentId id, const Event& e) {
  (void)id;
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
  for (Resting& r : v) {
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
    Resting r = v[i];
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

void SimVenue::MatchBar(InstrumentState& s, Timestamp at, const BarPayload& bar) {
  auto& v = s.resting;
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const Resting& r = v[i];
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

void SimVenue::MatchTouch(InstrumentState& s, Timestamp at) {
  auto& v = s.resting;
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    Resting r = v[i];
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

void SimVenue::RefreshTouchFromBook(InstrumentState& s) {
  const BookTop t = s.book.Top();
  s.bid = t.bid;
  s.bid_qty = t.bid_qty;
  s.ask = t.ask;
  s.ask_qty = t.ask_qty;
  s.has_bid = t.has_bid;
  s.has_ask = t.has_ask;
}

void SimVenue::OnLevel(InstrumentState& s, const Event& e) {
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
    const bool behind = (buy & s.has_bid & (l.price < s.bid)) | (!buy & s.has_ask & (l.price > s.ask));
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
  if (!s.resting.empty()) {
    const int64_t lot = instruments_->at(e.instrument).lot_size.raw;
    int64_t floor_ahead = 0;  // own orders at one price keep their order
    for (Resting& r : s.resting) {
      const OrderRequest& q = r.request;
      if (q.type != OrderType::kLimit || q.side != l.side || q.price != l.price) continue;
      r.ahead = QueueAheadAfterDepthChange(config_.queue, r.ahead, dec_prev, now, lot);
      r.ahead = std::max(r.ahead, floor_ahead);
      floor_ahead = r.ahead;
    }
  }
  RefreshTouchFromBook(s);
  MatchTouch(s, e.exchange_time());
}

void SimVenue::TrackVolatility(InstrumentState& s, const Event& e) {
  int64_t* last = nullptr;
  int64_t p = 0;
  switch (e.kind) {
    case EventKind::kTrade:
      last = &s.vol_last_trade;
      p = e.trade.price.raw;
      break;
    case EventKind::kBar:
      last = &s.vol_last_trade;
      p = e.bar.close.raw;
      break;
    case EventKind::kQuote:
      if (e.quote.bid.raw <= 0 || e.quote.ask.raw <= 0) return;
      last = &s.vol_last_mid2;
      p = e.quote.bid.raw + e.quote.ask.raw;
      break;
    default:
      return;  // book levels: the trades on the same data carry the moves
  }
  if (p <= 0) return;
  const int64_t prev = *last;
  *last = p;
  int64_t x = 0;
  if (prev > 0) {
    // |p - prev| / prev in milli-basis-points (10^-7), truncated; 128 bits so that no price
    // scale overflows.
    const Int128 diff = p > prev ? p - prev : prev - p;
    const Int128 change = diff * 10'000'000 / prev;
    constexpr int64_t kMaxChange = int64_t{1'000'000'000'000};  // 10^9 bp: a bad print, capped
    x = change > kMaxChange ? kMaxChange : static_cast<int64_t>(change);
  }
  // Decay to this event's time, then add the change: vol is the sum of past absolute changes,
  // each weighted 2^(-age / half-life). Whole half-lives are a shift; the rest f of one is
  // 1 - f/2 (the chord of 2^-f, exact at 0 and 1). Integers only, so every build agrees.
  const int64_t t = e.exchange_ts;
  if (vol_mbp_ > 0 && t > vol_last_ts_) {
    const int64_t h = std::max<int64_t>(config_.vol_halflife.ns, 1);
    const int64_t dt = t - vol_last_ts_;
    const int64_t halves = dt / h;
    if (halves >= 62) {
      vol_mbp_ = 0;
    } else {
      vol_mbp_ >>= halves;
      vol_mbp_ -= static_cast<int64_t>(static_cast<Int128>(vol_mbp_) * (dt % h) / (2 * h));
    }
  }
  if (t > vol_last_ts_) vol_last_ts_ = t;
  constexpr int64_t kMaxVol = int64_t{1'000'000'000'000'000};  // keeps the scaling in 128 bits
  vol_mbp_ = std::min(vol_mbp_ + x, kMaxVol);
}

void SimVenue::OnMarketData(const Event& e) {
  if (e.instrument.value >= state_.size()) return;
  InstrumentState& s = state_[e.instrument.value];
  // Everything but plain book, quote and trade data, in one test that is nearly always false
  // (separate tests on the event's kind would each mispredict on a random mix of kinds): the
  // feed-latency and volatility trackers, the account (funding, mark and index prices and bars,
  // a funding time or expiry due, or every price while maintenance margin watches an open
  // position) and order-level data.
  constexpr uint32_t kWatchedKinds =
      1u << static_cast<int>(EventKind::kFundingRate) | 1u << static_cast<int>(EventKind::kMarkPrice) |
      1u << static_cast<int>(EventKind::kIndexPrice) | 1u << static_cast<int>(EventKind::kBar) |
      1u << static_cast<int>(EventKind::kL3Order);
  const bool watched = watch_every_event_ | (e.exchange_ts >= account_due_ns_) |
                       (((kWatchedKinds >> (static_cast<unsigned>(e.kind) & 31u)) & 1u) != 0) | (s.l3 != nullptr);
  if (watched && OnWatchedData(s, e)) [[unlikely]] return;
  if (e.kind == EventKind::kTrade) {
    // The last traded price: the venue's mark where the data has no mark price (funding,
    // settlement and margin value positions and orders at it).
    s.last_price = e.trade.price;
    s.has_last_price = true;
    if (s.resting.empty()) {
      // Fast path, most trades of a backtest: no own order to fill, so only OnTrade's tally of
      // the quantity traded at one level (for the next depth decrease there) is kept.
      TallyTrade(s, e);
      return;
    }
  }
  Dispatch(s, e);
}

void SimVenue::OnQuietTrades(std::span<const Event> trades) {
  if (trades.empty()) return;
  const Event& last = trades.back();
  InstrumentState& s = state_[last.instrument.value];
  // OnMarketData's trade fast path on each trade leaves the last price and the quantity of the
  // trailing trades at the last trade's side and price (a change of either starts the tally
  // again), plus the tally before them when they are all of the span and continue it.
  const Side hit = HitSide(last);
  const Price price = last.trade.price;
  int64_t qty = 0;
  size_t i = trades.size();
  while (i > 0 && HitSide(trades[i - 1]) == hit && trades[i - 1].trade.price == price) {
    qty += trades[--i].trade.qty.raw;
  }
  if (i == 0 && s.traded_side == hit && s.traded_price == price) qty += s.traded_qty;
  s.traded_side = hit;
  s.traded_price = price;
  s.traded_qty = qty;
  s.last_price = price;
  s.has_last_price = true;
}

bool SimVenue::OnWatchedData(InstrumentState& s, const Event& e) {
  // Feed latency: an exponential average (1/16) of local_ts - exchange_ts, ns.
  if (track_feed_) feed_latency_ += (e.local_ts - e.exchange_ts - feed_latency_) / 16;
  // The account and order-level data value at the last price, and the latter returns before
  // OnMarketData's own store.
  if (e.kind == EventKind::kTrade) {
    s.last_price = e.trade.price;
    s.has_last_price = true;
  }
  if (account_watch_ || e.exchange_ts >= account_due_ns_ ||
      static_cast<uint8_t>(static_cast<uint8_t>(e.kind) - 3) < 3 ||  // kFundingRate..kIndexPrice
      e.kind == EventKind::kBar) {
    OnAccountData(s, e);
  }
  if (track_vol_) TrackVolatility(s, e);
  if (s.l3 != nullptr || e.kind == EventKind::kL3Order) {  // order-level data: the FIFO queue
    OnL3Data(s, e);
    return true;
  }
  return false;
}

// OnMarketData's cases, out of line (a tail call there) so that its fast path pays for no
// register saves.
void SimVenue::Dispatch(InstrumentState& s, const Event& e) {
  const Timestamp at = e.exchange_time();
  switch (e.kind) {
    case EventKind::kTrade:
      OnTrade(s, e.instrument, e);
      break;
    case EventKind::kBar:
      MatchBar(s, at, e.bar);
      break;
    case EventKind::kBookLevel:
      OnLevel(s, e);
      break;
    case EventKind::kQuote: {
      if (s.has_book) break;  // the book is the better source of the touch
      for (Resting& r : s.resting) {
        const OrderRequest& q = r.request;
        if (q.type != OrderType::kLimit) continue;
        const bool buy = q.side == Side::kBuy;
        const Price px = buy ? e.quote.bid : e.quote.ask;
        const int64_t qty = (buy ? e.quote.bid_qty : e.quote.ask_qty).raw;
        if (px == q.price) {
          const int64_t prev = LevelQty(s, q.side, q.price);
          r.ahead = QueueAheadAfterDepthChange(config_.queue, r.ahead, prev, qty,
                                               instruments_->at(e.instrument).lot_size.raw);
        }
      }
      s.bid = e.quote.bid;
      s.ask = e.quote.ask;
      s.bid_qty = e.quote.bid_qty;
      s.ask_qty = e.quote.ask_qty;
      s.has_bid = e.quote.bid_qty.raw > 0;
      s.has_ask = e.quote.ask_qty.raw > 0;
      MatchTouch(s, at);
      break;
    }
    default:
      break;
  }
}

int64_t SimVenue::FillAheadOfExecution(InstrumentState& s, Side side, Price price,
                                       int64_t priority, int64_t qty, Timestamp at) {
  const bool buy = side == Side::kBuy;
  auto better = [buy](Price a, Price b) { return buy ? a > b : a < b; };
  int64_t left = qty;
  while (left > 0) {
    // The best-priced eligible own order; the first in arrival order among equal prices. Own
    // orders of one instrument are few, so a scan per fill is cheaper than sorting.
    Resting* next = nullptr;
    for (Resting& r : s.resting) {
      const OrderRequest& q = r.request;
      if (q.type != OrderType::kLimit || q.side != side || r.remaining.raw == 0) continue;
      const bool reached = better(q.price, price) ||
                           (q.price == price && !L3Queue::Ahead(priority, r.l3_priority));
      if (reached && (next == nullptr || better(q.price, next->request.price))) next = &r;
    }
    if (next == nullptr) break;
    const int64_t f = std::min(left, next->remaining.raw);
    next->remaining = Qty(next->remaining.raw - f);
    left -= f;
    Fill(next->request, at, next->request.price, Qty(f), Liquidity::kMaker);
  }
  if (left < qty) std::erase_if(s.resting, [](const Resting& r) { return r.remaining.raw == 0; });
  return qty - left;
}

void SimVenue::OnL3Data(InstrumentState& s, const Event& e) {
  if (s.l3 == nullptr) s.l3 = std::make_unique<L3Queue>();
  L3Queue& l3 = *s.l3;
  const Timestamp at = e.exchange_time();
  // Own orders that arrived since the previous event queue behind every real order added so far
  // (no real order was added in between).
  for (Resting& r : s.resting) {
    if (r.l3_priority == kUnplaced) r.l3_priority = l3.ArrivalPriority();
  }
  if (e.kind == EventKind::kTrade) {
    // Prints of visible executions were handled with their kL3Order execute. What is left traded
    // with a hidden order, which queues behind every displayed order at its price: the aggressor
    // would have reached own orders at that price or better first.
    const Side hit = HitSide(e);
    const int64_t hidden = l3.Unexplained(hit, e.trade.price, e.trade.qty.raw, at);
    if (hidden > 0) FillAheadOfExecution(s, hit, e.trade.price, INT64_MAX, hidden, at);
    return;
  }
  // Levels, quotes and bars of an instrument with order-level data are ignored: its book is the
  // order-level one.
  if (e.kind != EventKind::kL3Order) return;
  const L3Queue::Change c = l3.Apply(e.l3, at);
  if (!c.ok) return;  // readers reject inconsistent data; a stray event changes nothing here
  if (c.snapshot) {
    s.book.Clear();
    for (Resting& r : s.resting) r.ahead = 0;  // the snapshot's orders, queued in front, add to it
  }
  // The L2 book mirrors the level aggregates: the touch, and market or crossing orders walking
  // levels, read it as with level data.
  LevelPayload level{};
  level.price = c.price;
  level.qty = l3.book().QtyAt(c.side, c.price);
  level.side = c.side;
  s.book.Apply(level);
  s.has_book = true;
  RefreshTouchFromBook(s);
  if (c.action == L3Action::kAdd && !c.front) {
    // A real order that crosses own orders of the other side would have traded with them
    // (they are better than every real order of their side, or the data's book would be
    // crossed); own orders do not change the data, so it rests there in full.
    FillAheadOfExecution(s, Opposite(c.side), c.price, INT64_MAX, c.qty, at);
  } else {
    for (Resting& r : s.resting) {
      const OrderRequest& q = r.request;
      if (q.type != OrderType::kLimit || q.side != c.side || q.price != c.price) continue;
      if (c.action == L3Action::kAdd) {
        r.ahead += c.qty;  // an order inferred from a snapshot: in front of everything
      } else if (L3Queue::Ahead(c.priority, r.l3_priority)) {
        r.ahead = std::max<int64_t>(r.ahead - c.qty, 0);  // cancels behind us change nothing
      }
    }
    // An execution of a real order behind own orders (in time at its price, or at a worse
    // price): the aggressor would have reached them first. Each fills by up to the executed
    // quantity, at its own price (maker); the data's book is left as it is.
    if (c.action == L3Action::kExecute) {
      FillAheadOfExecution(s, c.side, c.price, c.priority, c.qty, at);
    }
  }
  // A market order that found no liquidity at arrival takes it as soon as there is some.
  for (size_t i = 0; i < s.resting.size();) {
    Resting& r = s.resting[i];
    const bool waiting = r.request.type == OrderType::kMarket &&
                         (r.request.side == Side::kBuy ? s.has_ask : s.has_bid);
    if (waiting) r.remaining = Qty(r.remaining.raw - Take(s, r.request, at, r.remaining.raw));
    if (waiting && r.remaining.raw == 0) {
      s.resting.erase(s.resting.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace tapedeck
