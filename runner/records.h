// The records of a run (orders, fills, account events, equity points) as a stream: a sink
// (core/records.h RunSink) receives each record in the order the run made it, so that a table of
// any size can be written, hashed or summed without being held whole. The output writer is one
// sink (runner/output_writer.h), the metrics are computed from another (runner/summary.h), a
// caller of RunBacktest may add its own (runner/backtest.h). A backtest's engine calls them as
// the records happen; a finished session's collected records are sent with SendRecords.
#ifndef TAPEDECK_RUNNER_RECORDS_H_
#define TAPEDECK_RUNNER_RECORDS_H_

#include <vector>

#include "core/records.h"

namespace tapedeck::runner {

using RecordSink = RunSink;

// Passes every record on to each sink, in the order they were added.
class RecordFanOut final : public RecordSink {
 public:
  void Add(RecordSink* sink) {
    if (sink != nullptr) sinks_.push_back(sink);
  }
  void OnOrder(const OrderLogEntry& r) override {
    for (RecordSink* s : sinks_) s->OnOrder(r);
  }
  void OnFill(const FillLogEntry& r) override {
    for (RecordSink* s : sinks_) s->OnFill(r);
  }
  void OnAccount(const AccountLogEntry& r) override {
    for (RecordSink* s : sinks_) s->OnAccount(r);
  }
  void OnEquity(const EquityPoint& r) override {
    for (RecordSink* s : sinks_) s->OnEquity(r);
  }

 private:
  std::vector<RecordSink*> sinks_;
};

// Sends the records `records` collected to `sink`: each table in the order the run made it (the
// tables are independent of one another).
void SendRecords(const CollectingSink& records, RecordSink& sink);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_RECORDS_H_
