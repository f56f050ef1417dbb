// The simulated venue driven on venue time from outside the Engine (fixsim,
// adapters/fix_sim.h): the same venue model as a backtest, with the same queue model and latency
// models, on the exchange side's channels.
//
// Venue time is the exchange time of the market data replayed so far (0 before the first
// event). A request sent now travels the request channel: it reaches the venue after its entry
// latency (never before a request sent earlier) and is applied when venue time reaches its
// arrival, after the market data of that same time (the Engine's rule). Its responses, and
// those market data and the account produce, are held until venue time reaches their local_ts
// (venue time + response latency, one FIFO channel), then handed out in order. With zero
// latencies a request is applied, and answered, at once.
//
// Every request carries a caller's tag, and the responses its arrival produces carry it back
// (0 for responses to market data and account news), so a caller can tell which request a
// response answers when several are on their way.
#ifndef TAPEDECK_CORE_VENUE_DRIVER_H_
#define TAPEDECK_CORE_VENUE_DRIVER_H_

#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/instrument.h"
#include "core/order.h"
#include "core/ring_queue.h"
#include "core/sim_venue.h"
#include "core/sim_venue_config.h"
#include "core/types.h"

namespace tapedeck {

class VenueDriver {
 public:
  VenueDriver(const InstrumentTable& instruments, SimVenueConfig config);

  // Sends a request at the current venue time (m: kSubmit with the order; kCancel with id and
  // instrument; kModify with also the new price and total qty).
  void Send(VenueMessage m, const OrderRequest& r, uint64_t tag);
  // Market data at venue time e.exchange_ts (non-decreasing): the requests that arrive before
  // it are applied first, then the venue sees it.
  void OnMarketData(const Event& e);
  // Applies the requests that arrive at or before t; venue time becomes t (if later).
  void AdvanceTo(int64_t t);
  // After the data: applies every request on its way, each at its arrival time (venue time
  // follows them); TakeResponses(INT64_MAX) then releases every response.
  void Flush();
  // Hands f(event, tag) every response due by t (local_ts <= t), in order.
  template <typename F>
  void TakeResponses(int64_t t, F&& f) {
    while (!pending_.empty() && pending_.front().event.local_ts <= t) {
      const Response r = pending_.front();
      pending_.pop_front();
      f(r.event, r.tag);
    }
  }

  int64_t now() const { return now_; }
  const SimVenue& venue() const { return venue_; }

 private:
  struct Response {
    Event event;
    uint64_t tag = 0;
  };

  // Moves what the venue has just produced to pending_, with `tag`.
  void Collect(uint64_t tag);
  void ArriveNext();

  std::vector<Event> out_;  // the venue's responses since the last Collect
  SimVenue venue_;
  RingQueue<uint64_t> tags_;      // the tags of the requests on their way, in channel order
  RingQueue<Response> pending_;   // responses not yet due, in local_ts order
  int64_t now_ = 0;
  bool started_ = false;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_VENUE_DRIVER_H_
