// The simulated venue's exchange side (core/sim_venue.h): when messages cross between the
// strategy and the venue, not what the venue does with them.
//
// - Requests (submit, cancel, modify) go through one FIFO channel (RequestChannel): each
//   arrives at the venue after its own entry latency, but never before the request sent before
//   it. The Engine and fixsim (through core/venue_driver.h) both send through it.
// - Responses (ack, fill, cancel, reject, replaced, and the account's news) form one channel
//   too: exchange_ts = venue time, local_ts = max(venue time + latency, the last response's
//   local_ts), so they never overtake each other. A kOrderReplaced uses the ack's model; account
//   news use the account model, else the ack's, on a seeded stream of their own.
// - Each message type draws from its own LatencyModel (core/latency_model.h), seeded from the
//   run seed and the message type.
// - The trackers that latency models scale with, run only when some model asks for them:
//   feed latency, an exponential average (1/16) of local_ts - exchange_ts over market events,
//   ns; and volatility: on every trade, quote and bar, the absolute change from the
//   instrument's previous trade price (or bar close), or previous mid, in milli-bp =
//   |p - p_prev| x 10^7 / p_prev, is added to vol after vol decays by 2^(-elapsed /
//   vol_halflife) (integer: a shift per whole half-life, linear within one). So vol is the
//   recent absolute movement, venue-wide: it grows with the size of the moves and with their
//   rate, as in a crash, and fades in calm.
#ifndef TAPEDECK_CORE_EXCHANGE_SIDE_H_
#define TAPEDECK_CORE_EXCHANGE_SIDE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/latency_model.h"
#include "core/order.h"
#include "core/ring_queue.h"
#include "core/sim_venue_config.h"
#include "core/types.h"

namespace tapedeck {

// The source index of every venue response.
inline constexpr uint16_t kVenueSource = 0xFFFE;

// A request on its way to the venue. kind: kSubmit, kCancel or kModify. For a cancel, order
// holds the id and the instrument; for a modify also the new price and the new total qty.
struct VenueRequest {
  Timestamp arrival;
  VenueMessage kind = VenueMessage::kSubmit;
  OrderRequest order;
};

// The FIFO channel of requests to a venue (any venue model may use it).
class RequestChannel {
 public:
  // Queues `r` sent at `now` with entry latency `latency`; returns its arrival time:
  // now + latency, or the previous request's arrival if that is later (no overtaking).
  Timestamp Push(VenueMessage kind, const OrderRequest& r, Timestamp now, Duration latency) {
    const Timestamp arrival = std::max(now + latency, last_arrival_);
    last_arrival_ = arrival;
    queue_.push_back(VenueRequest{arrival, kind, r});
    return arrival;
  }
  bool empty() const { return queue_.empty(); }
  // INT64_MAX when empty.
  int64_t next_arrival_ns() const {
    return queue_.empty() ? INT64_MAX : queue_.front().arrival.ns;
  }
  const VenueRequest& front() const { return queue_.front(); }
  void pop_front() { queue_.pop_front(); }

 private:
  RingQueue<VenueRequest> queue_;
  Timestamp last_arrival_ = Timestamp::Min();
};

class ExchangeSide {
 public:
  // Responses are appended to *out (see the header comment).
  ExchangeSide(const SimVenueConfig& config, size_t instruments, std::vector<Event>* out);

  // ---- Requests ----
  // Sends a request (m: kSubmit, kCancel or kModify) at strategy-side time `now`; returns its
  // arrival at the venue.
  Timestamp Send(VenueMessage m, const OrderRequest& r, Timestamp now) {
    return requests_.Push(m, r, now, RequestLatency(m, now));
  }
  const RequestChannel& requests() const { return requests_; }
  RequestChannel& requests() { return requests_; }
  // Latency of a request sent now (kSubmit, kCancel or kModify), from its model.
  // `now` is the strategy-side time the request is sent (a recorded model looks it up).
  Duration RequestLatency(VenueMessage m, Timestamp now) {
    return latency_[static_cast<int>(m)].Sample(now, feed_latency_, vol_mbp_);
  }

  // ---- Responses, at venue time `at` ----
  // kOrderAck, kOrderReplaced, kOrderFill, kOrderCancel or kOrderReject about order `r`.
  void Respond(EventKind kind, const OrderRequest& r, Timestamp at, Price price, Qty qty,
               Money fee, Liquidity liq, RejectReason reason);
  // A reject (price and qty as asked, nothing filled).
  void Reject(const OrderRequest& r, Timestamp at, RejectReason reason) {
    Respond(EventKind::kOrderReject, r, at, r.price, r.qty, Money(), Liquidity::kNone, reason);
  }
  // The account's news (kAccount).
  void RespondAccount(AccountAction a, InstrumentId id, Timestamp at, Money amount, Price price,
                      Qty qty, Money fee);

  // ---- Trackers (see the header comment) ----
  // Some latency model scales with the feed latency or the volatility: every market event must
  // come through TrackFeed and TrackVolatility.
  bool tracks() const { return track_feed_ || track_vol_; }
  void TrackFeed(const Event& e) {
    if (track_feed_) feed_latency_ += (e.local_ts - e.exchange_ts - feed_latency_) / 16;
  }
  void TrackVolatility(const Event& e) {
    if (track_vol_) UpdateVolatility(e);
  }
  // The recent absolute price movement that scales latency (milli-basis-points, as of the last
  // price event); tracked only when some latency model has vol_k_milli != 0, else 0.
  int64_t volatility_mbp() const { return vol_mbp_; }

  // The run's start (first market event's exchange_ts): the origin of recorded latency files
  // aligned to the start.
  void SetRunStart(Timestamp start);

 private:
  // Last prices seen by the volatility tracker per instrument (0: none yet): trade (or bar
  // close), and bid + ask (twice the mid, to stay in integers).
  struct VolState {
    int64_t last_trade = 0;
    int64_t last_mid2 = 0;
  };

  void TrackWhatScales(const LatencyScaling& s);
  void UpdateVolatility(const Event& e);
  // The local_ts of a response at `at` with latency `lat` on the one response channel.
  int64_t StampResponse(Timestamp at, Duration lat) {
    const int64_t local = std::max((at + lat).ns, last_response_local_);
    last_response_local_ = local;
    return local;
  }

  Duration vol_halflife_;
  std::vector<Event>* out_;
  LatencyModel latency_[kVenueMessageCount];
  LatencyModel account_latency_;
  RequestChannel requests_;
  int64_t last_response_local_ = INT64_MIN;
  int64_t feed_latency_ = 0;  // moving average of local_ts - exchange_ts, ns
  // Volatility for latency scaling: decayed sum of absolute price changes in milli-bp,
  // venue-wide, as of vol_last_ts_; updated only when track_vol_.
  int64_t vol_mbp_ = 0;
  int64_t vol_last_ts_ = INT64_MIN;
  std::vector<VolState> vol_;
  bool track_vol_ = false;
  bool track_feed_ = false;  // feed_latency_ is kept: a latency model has feed_scale_pct
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_EXCHANGE_SIDE_H_
