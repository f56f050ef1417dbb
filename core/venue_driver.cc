#include "core/venue_driver.h"

#include <algorithm>
#include <utility>

namespace tapedeck {

VenueDriver::VenueDriver(const InstrumentTable& instruments, SimVenueConfig config)
    : venue_(instruments, std::move(config), &out_) {}

void VenueDriver::Send(VenueMessage m, const OrderRequest& r, uint64_t tag) {
  venue_.Send(m, r, Timestamp(now_));
  tags_.push_back(tag);
}

void VenueDriver::OnMarketData(const Event& e) {
  if (!started_) {
    // A recorded latency aligned to the start reads its file from here.
    venue_.SetRunStart(e.exchange_time());
    started_ = true;
  }
  AdvanceTo(e.exchange_ts - 1);
  now_ = std::max(now_, e.exchange_ts);
  venue_.OnMarketData(e);
  Collect(0);
}

void VenueDriver::ArriveNext() {
  const uint64_t tag = tags_.front();
  tags_.pop_front();
  venue_.ArriveNext();
  Collect(tag);
}

void VenueDriver::AdvanceTo(int64_t t) {
  while (venue_.next_arrival_ns() <= t) ArriveNext();
  now_ = std::max(now_, t);
}

void VenueDriver::Flush() {
  while (venue_.next_arrival_ns() != INT64_MAX) {
    now_ = std::max(now_, venue_.next_arrival_ns());
    ArriveNext();
  }
  Collect(0);
}

void VenueDriver::Collect(uint64_t tag) {
  for (const Event& e : out_) pending_.push_back(Response{e, tag});
  out_.clear();
}

}  // namespace tapedeck
