#include "runner/records.h"

namespace tapedeck::runner {

void SendRecords(const CollectingSink& records, RecordSink& sink) {
  for (const OrderLogEntry& o : records.order_log()) sink.OnOrder(o);
  for (const FillLogEntry& f : records.fill_log()) sink.OnFill(f);
  for (const AccountLogEntry& a : records.account_log()) sink.OnAccount(a);
  for (const EquityPoint& e : records.equity()) sink.OnEquity(e);
}

}  // namespace tapedeck::runner
