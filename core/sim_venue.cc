#include "core/sim_venue.h"

#include <algorithm>

namespace tapedeck {
namespace {
constexpr uint16_t kVenueSource = 0xFFFE;
}  // namespace

SimVenue::SimVenue(const InstrumentTable& instruments, SimVenueConfig config,
                   std::vector<Event>* out)
    : instruments_(&instruments),
      config_(config),
      out_(out),
      touch_(instruments.size()),
      resting_(instruments.size()) {}

size_t SimVenue::resting_orders() const {
  size_t n = 0;
  for (const auto& v : resting_) n += v.size();
  return n;
}

void SimVenue::Respond(EventKind kind, const OrderRequest& r, Timestamp at, Price price, Qty qty,
                       Money fee, Liquidity liq, RejectReason reason) {
  Event e = MakeEvent(kind, r.instrument, at, at + config_.response_latency);
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
  const Money fee =
      Instrument::Fee(in.Notional(price, qty), liq == Liquidity::kMaker ? in.maker_fee : in.taker_fee);
  Respond(EventKind::kOrderFill, r, at, price, qty, fee, liq, RejectReason::kNone);
}

void SimVenue::OnOrderArrival(const OrderRequest& r, Timestamp at) {
  if (r.instrument.value >= instruments_->size()) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kUnknownInstrument);
    return;
  }
  const Instrument& in = instruments_->at(r.instrument);
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
  const Touch& t = touch_[r.instrument.value];
  const bool buy = r.side == Side::kBuy;
  const bool has_opposite = buy ? t.has_ask : t.has_bid;
  const Price opposite = buy ? t.ask : t.bid;
  const bool crosses =
      has_opposite && (r.type == OrderType::kMarket || (buy ? r.price >= opposite : r.price <= opposite));

  if (r.post_only && crosses) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kWouldCross);
    return;
  }
  Respond(EventKind::kOrderAck, r, at, r.price, r.qty, Money(), Liquidity::kNone,
          RejectReason::kNone);
  if (crosses) {
    Fill(r, at, opposite, r.qty, Liquidity::kTaker);
    return;
  }
  if (r.tif != TimeInForce::kGtc) {
    Respond(EventKind::kOrderCancel, r, at, r.price, r.qty, Money(), Liquidity::kNone,
            RejectReason::kNone);
    return;
  }
  resting_[r.instrument.value].push_back(Resting{r, r.qty});
}

void SimVenue::OnCancelArrival(OrderId id, InstrumentId instrument, Timestamp at) {
  if (instrument.value < resting_.size()) {
    auto& v = resting_[instrument.value];
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

void SimVenue::MatchResting(InstrumentId id, Timestamp at, Price market_price, Price low,
                            Price high) {
  auto& v = resting_[id.value];
  if (v.empty()) return;
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const Resting& r = v[i];
    const OrderRequest& q = r.request;
    if (q.type == OrderType::kMarket) {
      Fill(q, at, market_price, r.remaining, Liquidity::kTaker);
      continue;
    }
    const bool through = q.side == Side::kBuy ? low < q.price : high > q.price;
    if (through) {
      Fill(q, at, q.price, r.remaining, Liquidity::kMaker);
      continue;
    }
    v[kept++] = r;
  }
  v.resize(kept);
}

void SimVenue::MatchTouch(InstrumentId id, Timestamp at) {
  auto& v = resting_[id.value];
  if (v.empty()) return;
  const Touch& t = touch_[id.value];
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const Resting& r = v[i];
    const OrderRequest& q = r.request;
    const bool buy = q.side == Side::kBuy;
    const bool has_opposite = buy ? t.has_ask : t.has_bid;
    const Price opposite = buy ? t.ask : t.bid;
    if (has_opposite && q.type == OrderType::kMarket) {
      Fill(q, at, opposite, r.remaining, Liquidity::kTaker);
      continue;
    }
    if (has_opposite && (buy ? opposite < q.price : opposite > q.price)) {
      Fill(q, at, q.price, r.remaining, Liquidity::kMaker);
      continue;
    }
    v[kept++] = r;
  }
  v.resize(kept);
}

void SimVenue::OnMarketData(const Event& e) {
  const Timestamp at = e.exchange_time();
  switch (e.kind) {
    case EventKind::kTrade:
      MatchResting(e.instrument, at, e.trade.price, e.trade.price, e.trade.price);
      break;
    case EventKind::kBar:
      MatchResting(e.instrument, at, e.bar.open, e.bar.low, e.bar.high);
      break;
    case EventKind::kQuote: {
      Touch& t = touch_[e.instrument.value];
      t.bid = e.quote.bid;
      t.ask = e.quote.ask;
      t.has_bid = e.quote.bid_qty.raw > 0;
      t.has_ask = e.quote.ask_qty.raw > 0;
      MatchTouch(e.instrument, at);
      break;
    }
    default:
      break;
  }
}

}  // namespace tapedeck
