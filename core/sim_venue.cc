#include "core/sim_venue.h"

#include <algorithm>
#include <utility>

namespace tapedeck {

SimVenue::SimVenue(const InstrumentTable& instruments, SimVenueConfig config,
                   std::vector<Event>* out)
    : config_(std::move(config)),
      exchange_(config_, instruments.size(), out),
      account_(instruments, config_.initial_cash, &exchange_, exchange_.tracks()),
      matching_(instruments, config_.queue, &account_, &exchange_) {}

void SimVenue::OnMarketData(const Event& e) {
  if (e.instrument.value >= matching_.size()) return;
  BookState& s = matching_.state(e.instrument);
  // Everything but plain book, quote and trade data, in one test that is nearly always false
  // (separate tests on the event's kind would each mispredict on a random mix of kinds): the
  // feed-latency and volatility trackers, the account (funding, mark and index prices and bars,
  // a funding time or expiry due, or every price while maintenance margin watches an open
  // position) and order-level data.
  constexpr uint32_t kWatchedKinds =
      1u << static_cast<int>(EventKind::kFundingRate) |
      1u << static_cast<int>(EventKind::kMarkPrice) |
      1u << static_cast<int>(EventKind::kIndexPrice) | 1u << static_cast<int>(EventKind::kBar) |
      1u << static_cast<int>(EventKind::kL3Order);
  const bool watched = account_.watch_every_event() | (e.exchange_ts >= account_.due_ns()) |
                       (((kWatchedKinds >> (static_cast<unsigned>(e.kind) & 31u)) & 1u) != 0) |
                       (s.l3 != nullptr);
  if (watched && OnWatchedData(s, e)) [[unlikely]] return;
  if (e.kind == EventKind::kTrade) {
    // The last traded price: the venue's mark where the data has no mark price (funding,
    // settlement and margin value positions and orders at it).
    MatchingCore::SetLastPrice(s, e.trade.price);
    if (s.resting.empty()) {
      // Fast path, most trades of a backtest: no own order to fill, so only the tally of the
      // quantity traded at one level (for the next depth decrease there) is kept.
      MatchingCore::TallyTrade(s, e);
      return;
    }
  }
  matching_.Dispatch(s, e);
}

void SimVenue::OnQuietTrades(std::span<const Event> trades) {
  if (trades.empty()) return;
  const Event& last = trades.back();  // every trade is of last.instrument
  BookState& s = matching_.state(last.instrument);
  MatchingCore::TallyTrades(s, trades);
  MatchingCore::SetLastPrice(s, last.trade.price);
}

bool SimVenue::OnWatchedData(BookState& s, const Event& e) {
  // In this order: the feed latency first and the volatility after the account, so that the
  // account's news are sampled with the one but not yet the other.
  exchange_.TrackFeed(e);
  // The account and order-level data value at the last price, and the latter returns before
  // OnMarketData's own store.
  if (e.kind == EventKind::kTrade) MatchingCore::SetLastPrice(s, e.trade.price);
  if (account_.watching_positions() || e.exchange_ts >= account_.due_ns() ||
      static_cast<uint8_t>(static_cast<uint8_t>(e.kind) - 3) < 3 ||  // kFundingRate..kIndexPrice
      e.kind == EventKind::kBar) {
    account_.OnData(e, matching_);
  }
  exchange_.TrackVolatility(e);
  if (s.l3 != nullptr || e.kind == EventKind::kL3Order) {  // order-level data: the FIFO queue
    matching_.OnL3Data(s, e);
    return true;
  }
  return false;
}

void SimVenue::OnOrderArrival(const OrderRequest& req, Timestamp at) {
  OrderRequest r = req;
  if (r.instrument.value >= matching_.size()) {
    exchange_.Reject(r, at, RejectReason::kUnknownInstrument);
    return;
  }
  AccountDue(at);  // funding and expiries due by now
  if (account_.Expired(r.instrument, at)) {
    exchange_.Reject(r, at, RejectReason::kInstrumentExpired);
    return;
  }
  if (const RejectReason why = matching_.Validate(r); why != RejectReason::kNone) {
    exchange_.Reject(r, at, why);
    return;
  }
  if (r.reduce_only) {
    // Only a position on the other side can be reduced; the order is cut to it.
    const int64_t reducible = account_.Reducible(r.instrument, r.side);
    if (reducible <= 0) {
      exchange_.Reject(r, at, RejectReason::kInvalidQty);
      return;
    }
    r.qty = Qty(std::min(r.qty.raw, reducible));
  }
  BookState& s = matching_.state(r.instrument);
  const bool crosses = MatchingCore::Crosses(s, r.side, r.type, r.price);
  if (r.post_only && crosses) {
    exchange_.Reject(r, at, RejectReason::kWouldCross);
    return;
  }
  if (account_.initial_margin_on() && !account_.MarginAllows(r, matching_)) {
    exchange_.Reject(r, at, RejectReason::kInsufficientMargin);
    return;
  }
  exchange_.Respond(EventKind::kOrderAck, r, at, r.price, r.qty, Money(), Liquidity::kNone,
                    RejectReason::kNone);
  matching_.Execute(s, r, crosses, at);
}

void SimVenue::OnCancelArrival(OrderId id, InstrumentId instrument, Timestamp at) {
  AccountDue(at);  // an expiry due by now cancels first
  if (const RestingOrder* o = matching_.FindResting(instrument, id); o != nullptr) {
    const RestingOrder r = *o;
    matching_.Remove(instrument, o);
    exchange_.Respond(EventKind::kOrderCancel, r.request, at, r.request.price, r.remaining,
                      Money(), Liquidity::kNone, RejectReason::kNone);
    return;
  }
  OrderRequest unknown;
  unknown.id = id;
  unknown.instrument = instrument;
  exchange_.Respond(EventKind::kOrderReject, unknown, at, Price(), Qty(), Money(),
                    Liquidity::kNone, RejectReason::kUnknownOrder);
}

void SimVenue::OnModifyArrival(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                               Timestamp at) {
  AccountDue(at);  // funding and expiries due by now come first
  RestingOrder* o = matching_.FindResting(instrument, id);
  if (o == nullptr) {
    // Filled, cancelled or never known: like a late cancel.
    OrderRequest unknown;
    unknown.id = id;
    unknown.instrument = instrument;
    exchange_.Respond(EventKind::kOrderReject, unknown, at, new_price, new_qty, Money(),
                      Liquidity::kNone, RejectReason::kUnknownOrder);
    return;
  }
  const OrderRequest old = o->request;
  const Qty old_remaining = o->remaining;
  const bool limit = old.type == OrderType::kLimit;
  auto reject = [&](RejectReason reason) {
    exchange_.Respond(EventKind::kOrderReject, old, at, new_price, new_qty, Money(),
                      Liquidity::kNone, reason);
  };
  OrderRequest now = old;
  now.price = limit ? new_price : old.price;  // a market order has no price to change
  now.qty = new_qty;
  if (const RejectReason why = matching_.Validate(now); why != RejectReason::kNone) {
    return reject(why);
  }
  const int64_t filled = old.qty.raw - old_remaining.raw;
  int64_t left = new_qty.raw - filled;
  if (old.reduce_only) {
    left = std::min(left, std::max<int64_t>(account_.Reducible(instrument, old.side), 0));
  }
  if (left <= 0) {
    matching_.Remove(instrument, o);
    exchange_.Respond(EventKind::kOrderCancel, old, at, old.price, old_remaining, Money(),
                      Liquidity::kNone, RejectReason::kNone);
    return;
  }
  const bool crosses =
      limit && now.price != old.price &&
      MatchingCore::Crosses(matching_.state(instrument), old.side, old.type, now.price);
  if (old.post_only && crosses) return reject(RejectReason::kWouldCross);
  if (account_.initial_margin_on() && left > old_remaining.raw) {
    // A size increase must fit the initial margin as a new order of the difference would:
    // the requirement with the old order resting plus the increase is the one with the new.
    OrderRequest increase = now;
    increase.qty = Qty(left - old_remaining.raw);
    if (!account_.MarginAllows(increase, matching_)) {
      return reject(RejectReason::kInsufficientMargin);
    }
  }
  now.qty = Qty(filled + left);
  exchange_.Respond(EventKind::kOrderReplaced, now, at, now.price, now.qty, Money(),
                    Liquidity::kNone, RejectReason::kNone);
  matching_.Replace(o, now, left, crosses, at);
}

}  // namespace tapedeck
