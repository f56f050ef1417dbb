#include "core/exchange_side.h"

#include <climits>

#include "core/decimal.h"  // Int128 (volatility tracker)

namespace tapedeck {
namespace {
// Seeds: stream i derives from the run seed ^ (salt x (i + 1)); the account's stream sits past
// the per-message streams (indices 0..7), so that those keep their seeds.
constexpr uint64_t kStreamSalt = uint64_t{0xD1B54A32D192ED03};
constexpr uint64_t kAccountSalt = kStreamSalt * 64;
}  // namespace

ExchangeSide::ExchangeSide(const SimVenueConfig& config, size_t instruments,
                           std::vector<Event>* out)
    : vol_halflife_(config.vol_halflife), out_(out), vol_(instruments) {
  for (int i = 0; i < kVenueMessageCount; ++i) {
    const VenueMessage m = static_cast<VenueMessage>(i);
    const Duration fallback = IsEntry(m) ? config.entry_latency : config.response_latency;
    // One stream per message type, derived from the run seed.
    SplitMix64 derive(config.seed ^ (kStreamSalt * (static_cast<uint64_t>(i) + 1)));
    latency_[i] = LatencyModel(config.latency[i], fallback, derive.Next(), IsEntry(m));
    TrackWhatScales(config.latency[i].scaling);
  }
  // Account news take their own latency model, else the ack's, on a stream of their own.
  SplitMix64 derive(config.seed ^ kAccountSalt);
  const LatencySpec& account =
      config.account_latency.has_value() ? *config.account_latency
                                         : config.latency[static_cast<int>(VenueMessage::kAck)];
  account_latency_ = LatencyModel(account, config.response_latency, derive.Next(),
                                  /*entry=*/false);
  if (config.account_latency.has_value()) TrackWhatScales(config.account_latency->scaling);
}

void ExchangeSide::TrackWhatScales(const LatencyScaling& s) {
  if (s.vol_k_milli != 0) track_vol_ = true;
  if (s.feed_scale_pct != 0) track_feed_ = true;
}

void ExchangeSide::SetRunStart(Timestamp start) {
  // The per-message models only: the account model keeps its origin at 0, as it always has (a
  // recorded account model aligned to the start reads from the file's end).
  for (LatencyModel& l : latency_) l.SetRunStart(start);
}

void ExchangeSide::Respond(EventKind kind, const OrderRequest& r, Timestamp at, Price price,
                           Qty qty, Money fee, Liquidity liq, RejectReason reason) {
  VenueMessage m = VenueMessage::kAck;  // kOrderAck and kOrderReplaced
  if (kind == EventKind::kOrderFill) m = VenueMessage::kFill;
  if (kind == EventKind::kOrderCancel) m = VenueMessage::kCancelAck;
  if (kind == EventKind::kOrderReject) m = VenueMessage::kReject;
  const Duration lat = latency_[static_cast<int>(m)].Sample(at, feed_latency_, vol_mbp_);
  Event e = MakeEvent(kind, r.instrument, at, Timestamp(StampResponse(at, lat)));
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

void ExchangeSide::RespondAccount(AccountAction a, InstrumentId id, Timestamp at, Money amount,
                                  Price price, Qty qty, Money fee) {
  const Duration lat = account_latency_.Sample(at, feed_latency_, vol_mbp_);
  Event e = MakeEvent(EventKind::kAccount, id, at, Timestamp(StampResponse(at, lat)));
  e.source = kVenueSource;
  e.account.amount = amount;
  e.account.price = price;
  e.account.qty = qty;
  e.account.fee = fee;
  e.account.action = a;
  out_->push_back(e);
}

void ExchangeSide::UpdateVolatility(const Event& e) {
  VolState& s = vol_[e.instrument.value];
  int64_t* last = nullptr;
  int64_t p = 0;
  switch (e.kind) {
    case EventKind::kTrade:
      last = &s.last_trade;
      p = e.trade.price.raw;
      break;
    case EventKind::kBar:
      last = &s.last_trade;
      p = e.bar.close.raw;
      break;
    case EventKind::kQuote:
      if (e.quote.bid.raw <= 0 || e.quote.ask.raw <= 0) return;
      last = &s.last_mid2;
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
    const int64_t h = std::max<int64_t>(vol_halflife_.ns, 1);
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

}  // namespace tapedeck
