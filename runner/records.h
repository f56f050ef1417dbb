// The records of a run (orders, fills, account events, equity points) as a stream: a sink
// receives each record in the order the run made it, so that a table of any size can be
// written, hashed or summed without being held whole. The output writer is one sink
// (runner/output_writer.h), the metrics are computed from another (runner/summary.h), a caller
// of RunBacktest may add its own (runner/backtest.h).
//
// The four callbacks are those of the run sink that core/records.h is to provide (called by the
// strategy host as records happen); until the host calls sinks itself, SendRecords hands a
// finished run's records to one, in the same order.
#ifndef TAPEDECK_RUNNER_RECORDS_H_
#define TAPEDECK_RUNNER_RECORDS_H_

#include <vector>

#include "core/engine.h"
#include "core/strategy.h"

namespace tapedeck::runner {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void OnOrder(const OrderLogEntry&) {}
  virtual void OnFill(const FillLogEntry&) {}
  virtual void OnAccount(const AccountLogEntry&) {}
  virtual void OnEquity(const EquityPoint&) {}
};

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

// Keeps every record (RunOptions::keep_records).
class RecordKeeper final : public RecordSink {
 public:
  void OnOrder(const OrderLogEntry& r) override { orders.push_back(r); }
  void OnFill(const FillLogEntry& r) override { fills.push_back(r); }
  void OnAccount(const AccountLogEntry& r) override { account.push_back(r); }
  void OnEquity(const EquityPoint& r) override { equity.push_back(r); }

  std::vector<OrderLogEntry> orders;
  std::vector<FillLogEntry> fills;
  std::vector<AccountLogEntry> account;
  std::vector<EquityPoint> equity;
};

// Sends the records `ctx` logged, then `equity`, to `sink`: each table in the order the run made
// it (the tables are independent of one another).
void SendRecords(const Context& ctx, const std::vector<EquityPoint>& equity, RecordSink& sink);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_RECORDS_H_
