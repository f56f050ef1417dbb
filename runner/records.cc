#include "runner/records.h"

namespace tapedeck::runner {

void SendRecords(const Context& ctx, const std::vector<EquityPoint>& equity, RecordSink& sink) {
  for (const OrderLogEntry& o : ctx.order_log()) sink.OnOrder(o);
  for (const FillLogEntry& f : ctx.fill_log()) sink.OnFill(f);
  for (const AccountLogEntry& a : ctx.account_log()) sink.OnAccount(a);
  for (const EquityPoint& e : equity) sink.OnEquity(e);
}

}  // namespace tapedeck::runner
