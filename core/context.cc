#include <cstddef>
#include <cstring>

#include "core/check.h"
#include "core/context.h"
#include "core/records.h"
#include "core/strategy.h"
#include "core/strategy_host.h"

namespace tapedeck {

Context::Context(const InstrumentTable& instruments, ContextDriver* driver, Money initial_cash,
                 RunSink* sink, CollectingSink* collect)
    : instruments_(&instruments),
      driver_(driver),
      sink_(sink),
      collect_(collect),
      portfolio_(instruments, initial_cash),
      market_(instruments.size()) {}

OrderId Context::Submit(OrderRequest request) {
  Sync();
  request.id = OrderId(next_order_id_++);
  OrderState state;
  state.request = request;
  state.sent_at = now_;
  if (stopped_) {
    // Nothing runs after the stop; the order stays pending forever and is not logged as sent.
    state.status = OrderStatus::kRejected;
    orders_.push_back(state);
    return request.id;
  }
  orders_.push_back(state);
  Record(OrderLogEntry{now_, RequestAction::kNew, request});
  EndRun();
  driver_->SendOrder(request, now_);
  return request.id;
}

OrderId Context::BuyMarket(InstrumentId id, Qty qty) {
  return Submit(OrderRequest::Market(id, Side::kBuy, qty));
}
OrderId Context::SellMarket(InstrumentId id, Qty qty) {
  return Submit(OrderRequest::Market(id, Side::kSell, qty));
}
OrderId Context::BuyLimit(InstrumentId id, Price price, Qty qty) {
  return Submit(OrderRequest::Limit(id, Side::kBuy, price, qty));
}
OrderId Context::SellLimit(InstrumentId id, Price price, Qty qty) {
  return Submit(OrderRequest::Limit(id, Side::kSell, price, qty));
}

bool Context::Cancel(OrderId id) {
  Sync();
  if (stopped_ || !id.valid() || id.value > orders_.size()) return false;
  OrderState& s = orders_[id.value - 1];
  if (IsTerminal(s.status) || s.cancel_requested) return false;
  s.cancel_requested = true;
  Record(OrderLogEntry{now_, RequestAction::kCancel, s.request});
  EndRun();
  driver_->SendCancel(id, s.request.instrument, now_);
  return true;
}

bool Context::Modify(OrderId id, Price new_price, Qty new_qty) {
  Sync();
  if (stopped_ || !id.valid() || id.value > orders_.size()) return false;
  OrderState& s = orders_[id.value - 1];
  if (IsTerminal(s.status) || s.cancel_requested) return false;
  ++s.modifies_pending;
  OrderRequest r = s.request;
  r.price = new_price;
  r.qty = new_qty;
  Record(OrderLogEntry{now_, RequestAction::kModify, r});
  EndRun();
  driver_->SendModify(id, r.instrument, new_price, new_qty, now_);
  return true;
}

const OrderState* Context::order(OrderId id) const {
  if (!id.valid() || id.value > orders_.size()) return nullptr;
  return &orders_[id.value - 1];
}

std::vector<OrderId> Context::OpenOrders(InstrumentId id) const {
  std::vector<OrderId> out;
  for (const OrderState& s : orders_) {
    if (s.request.instrument == id && !IsTerminal(s.status)) out.push_back(s.request.id);
  }
  return out;
}

uint64_t Context::SetTimer(Timestamp at, uint64_t tag) {
  const uint64_t id = next_timer_id_++;
  if (stopped_) return id;
  EndRun();  // catches up the clock first
  driver_->ScheduleTimer(id, at < now_ ? now_ : at, tag);
  return id;
}

// now(), not now_: inside a run of trades the clock catches up only when asked.
uint64_t Context::SetTimerAfter(Duration d, uint64_t tag) { return SetTimer(now() + d, tag); }

void Context::Start(Strategy& s, Timestamp at) {
  now_ = at;
  s.OnStart(*this);
}

void Context::Stop(Strategy& s, Timestamp at) {
  if (at > now_) now_ = at;
  s.OnStop(*this);
  stopped_ = true;
}

void Context::UpdateMarket(const Event& e) {
  MarketView& m = market_[e.instrument.value];
  switch (e.kind) {
    case EventKind::kTrade:
      MarkTrade(e);
      break;
    case EventKind::kQuote:
      m.bid_qty = e.quote.bid_qty;
      m.ask_qty = e.quote.ask_qty;
      // emplace/reset: a store of the value and of the flag, no test of the old state.
      if (e.quote.bid_qty.raw > 0) {
        m.bid.emplace(e.quote.bid);
      } else {
        m.bid.reset();
      }
      if (e.quote.ask_qty.raw > 0) {
        m.ask.emplace(e.quote.ask);
      } else {
        m.ask.reset();
      }
      break;
    case EventKind::kBar:
      m.last_bar = e.bar;
      m.last_trade = e.bar.close;
      portfolio_.Mark(e.instrument, e.bar.close);
      break;
    case EventKind::kMarkPrice:
      m.mark = e.price.price;
      break;
    case EventKind::kIndexPrice:
      m.index = e.price.price;
      break;
    case EventKind::kFundingRate:
      m.funding = e.funding;
      break;
    case EventKind::kOpenInterest:
      m.open_interest = e.open_interest.qty;
      break;
    default:
      break;
  }
}

void Context::UpdateOrder(const Event& e) {
  const OrderId id = e.order.order_id;
  TAPEDECK_CHECK(id.valid() && id.value <= orders_.size(),
                 "Invariant: a venue response names an order this context sent");
  OrderState& s = orders_[id.value - 1];
  switch (e.kind) {
    case EventKind::kOrderAck:
      if (s.status == OrderStatus::kPendingNew) s.status = OrderStatus::kOpen;
      break;
    case EventKind::kOrderFill:
      s.filled = s.filled + e.order.qty;
      s.fees += e.order.fee;
      s.status = s.filled >= s.request.qty ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled;
      portfolio_.ApplyFill(e.instrument, e.order.side, e.order.price, e.order.qty, e.order.fee);
      Record(FillLogEntry{e.local_time(), e.exchange_time(), id, e.instrument,
                                 e.order.side, e.order.price, e.order.qty, e.order.fee,
                                 e.order.liquidity, s.request.group});
      break;
    case EventKind::kOrderCancel:
      if (!IsTerminal(s.status)) s.status = OrderStatus::kCancelled;
      break;
    case EventKind::kOrderReplaced:
      // A modify took effect: the venue's new price and total quantity.
      s.request.price = e.order.price;
      s.request.qty = e.order.qty;
      if (s.modifies_pending > 0) --s.modifies_pending;
      if (s.status == OrderStatus::kPendingNew) s.status = OrderStatus::kOpen;
      break;
    case EventKind::kOrderReject:
      // A rejected cancel or modify leaves the order as it is; a rejected order is finished.
      // Responses never overtake each other, so a reject that arrives after the order was
      // acknowledged (or filled) while a modify is pending answers the modify.
      if (e.order.reason == RejectReason::kUnknownOrder) {
        if (s.cancel_requested) {
          s.cancel_requested = false;
        } else if (s.modifies_pending > 0) {
          --s.modifies_pending;
        }
      } else if (s.modifies_pending > 0 && s.status != OrderStatus::kPendingNew) {
        --s.modifies_pending;
      } else if (!IsTerminal(s.status)) {
        s.status = OrderStatus::kRejected;
      }
      break;
    default:
      break;
  }
}

void Context::UpdateAccount(const Event& e) {
  const AccountPayload& a = e.account;
  switch (a.action) {
    case AccountAction::kFunding:
      portfolio_.ApplyFunding(e.instrument, a.amount);
      break;
    case AccountAction::kSettlement:
    case AccountAction::kLiquidation:
      // Responses never overtake each other, so the position here is the venue's when it acted:
      // closing `qty` makes it flat.
      portfolio_.ClosePosition(e.instrument, a.qty, a.price, a.fee);
      break;
  }
  Record(AccountLogEntry{e.local_time(), e.exchange_time(), e.instrument, a.action,
                                   a.qty, a.price, a.amount, a.fee});
}

void Strategy::OnTrades(Context& ctx, TradeRun& run) {
  while (const Event* e = run.Next()) OnTrade(ctx, *e);
}

namespace {
// The 8 header bytes after the two time stamps (kind, instrument, source and padding), as one
// word (TradeRun compares a run's trades with it).
uint64_t HeaderWord(const Event& e) {
  uint64_t w;
  std::memcpy(&w, &e.kind, sizeof w);
  return w;
}
static_assert(offsetof(Event, reserved1) + sizeof(Event::reserved1) - offsetof(Event, kind) ==
              sizeof(uint64_t));
}  // namespace

TradeRun::TradeRun(std::span<const Event> events, uint16_t source, int64_t before)
    : begin_(events.data()),
      next_(begin_),
      checked_(begin_),
      synced_(begin_),
      end_(begin_ + events.size()),
      before_(before) {
  // Built from events, so byte order does not matter.
  Event want;
  want.kind = EventKind::kTrade;
  want.instrument = events.empty() ? InstrumentId() : events.front().instrument;
  want.source = source;
  Event mask;
  std::memset(static_cast<void*>(&mask), 0, sizeof mask);
  std::memset(static_cast<void*>(&mask.kind), 0xFF, sizeof mask.kind);
  std::memset(static_cast<void*>(&mask.instrument), 0xFF, sizeof mask.instrument);
  std::memset(static_cast<void*>(&mask.source), 0xFF, sizeof mask.source);
  header_mask_ = HeaderWord(mask);
  header_want_ = HeaderWord(want) & header_mask_;
}

bool TradeRun::Check() {
  // Up to kChunk trades ahead, few enough to be in L1 when Next() returns them. Exchange times
  // never decrease along a run (the merger's order), so when the chunk's last trade is before
  // the bound, all of it is; then the header and local_ts = exchange_ts of every trade fold into
  // one word without a branch per trade. Anything else, and the first trade that fails, is
  // found by the exact loop below.
  constexpr ptrdiff_t kChunk = 32;
  const Event* const stop = end_ - checked_ > kChunk ? checked_ + kChunk : end_;
  const uint64_t want = header_want_;
  const uint64_t mask = header_mask_;
  const int64_t before = before_;
  auto misfit = [want, mask](const Event& e) {
    return ((HeaderWord(e) & mask) ^ want) | static_cast<uint64_t>(e.local_ts ^ e.exchange_ts);
  };
  const Event* e = checked_;
  if (e != stop && stop[-1].exchange_ts < before) {
    uint64_t bad = 0;
    for (const Event* p = e; p != stop; ++p) bad |= misfit(*p);
    if (bad == 0) e = stop;
  }
  while (e != stop && misfit(*e) == 0 && e->exchange_ts < before) ++e;
  if (e != stop) end_ = e;  // the run ends at the first trade that does not belong to it
  checked_ = e;
  return next_ != checked_;
}

void Context::CatchUp() {
  const Event& last = run_->next_[-1];
  run_->synced_ = run_->next_;
  // Due at once, in time order, after everything delivered before: the clock moves to it.
  now_ = Timestamp(last.local_ts);
  MarkTrade(last);
}

size_t Context::DeliverTrades(Strategy& s, std::span<const Event> events, uint16_t source,
                              int64_t before) {
  TradeRun run(events, source, before);
  run_ = &run;
  s.OnTrades(*this, run);
  Sync();
  run_ = nullptr;
  return run.taken();
}

void Context::Deliver(Strategy& s, const Event& e) {
  if (e.local_ts > now_.ns) now_ = Timestamp(e.local_ts);
  switch (e.kind) {
    case EventKind::kTrade:
      // MarkTrade directly, not through UpdateMarket: one switch per event on the hottest path.
      MarkTrade(e);
      s.OnTrade(*this, e);
      break;
    case EventKind::kQuote:
      UpdateMarket(e);
      s.OnQuote(*this, e);
      break;
    case EventKind::kBookLevel:
    case EventKind::kL3Order:
      // The Context keeps no book (UpdateMarket has nothing to do for these).
      s.OnBookLevel(*this, e);
      break;
    case EventKind::kBar:
      UpdateMarket(e);
      s.OnBar(*this, e);
      break;
    case EventKind::kFundingRate:
    case EventKind::kMarkPrice:
    case EventKind::kIndexPrice:
    case EventKind::kOpenInterest:
    case EventKind::kLiquidation:
      UpdateMarket(e);
      s.OnReference(*this, e);
      break;
    case EventKind::kOrderAck:
    case EventKind::kOrderFill:
    case EventKind::kOrderCancel:
    case EventKind::kOrderReject:
    case EventKind::kOrderReplaced:
      UpdateOrder(e);
      s.OnOrderUpdate(*this, e);
      break;
    case EventKind::kAccount:
      UpdateAccount(e);
      s.OnAccount(*this, e);
      break;
    case EventKind::kTimer:
      s.OnTimer(*this, e.timer.timer_id, e.timer.tag);
      break;
    case EventKind::kVenueStatus:
      s.OnVenueStatus(*this, e.venue.status);
      break;
  }
}

}  // namespace tapedeck
