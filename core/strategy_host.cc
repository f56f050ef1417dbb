#include "core/strategy_host.h"

namespace tapedeck {

void StrategyHost::DeliverStatus(Strategy& s, VenueStatus status, Timestamp at) {
  Event e = MakeEvent(EventKind::kVenueStatus, InstrumentId(), at, at);
  e.venue.status = status;
  context_.Deliver(s, e);
}

void StrategyHost::RecordEquity(Timestamp ts) {
  const Portfolio& p = context_.portfolio();
  Money unrealized;
  for (size_t i = 0; i < context_.instruments().size(); ++i) {
    unrealized += p.Unrealized(InstrumentId(static_cast<uint16_t>(i)));
  }
  context_.sink_->OnEquity(
      EquityPoint{ts, p.Equity(), p.cash(), p.TotalRealized(), unrealized, p.TotalFees()});
}

}  // namespace tapedeck
