// The paper-trading journal: every event the strategy thread processed, in order, so that a
// paper session replays bit for bit (`tapedeck run --journal FILE`).
//
// Layout (little-endian):
//   header  "TDJRNL01" (8 bytes), u32 meta_length, u32 0, meta (JSON text: format version,
//           instruments, strategy name and params, initial cash, start time), u64 FNV-1a of meta
//   records one per event: the 64-byte Event as it was delivered, then u64 FNV-1a of the record
//           index (u64) and the event bytes, 72 bytes in all. A record whose kind byte is
//           kStopKind marks the strategy's stop at its exchange_ts.
// Version 2 (meta "version") carries venue status as kVenueStatus records. Version 1 journals
// carried it as timers with id 0 (tag 1 disconnected, 2 connected), which no Context timer has;
// ReadJournal turns those into kVenueStatus events, so an old journal replays as a new session
// would.
// The writer buffers and flushes at an interval (and on close). A crash leaves at most a torn
// tail: a last record that is short or fails its checksum, which the reader reports in
// `torn_bytes` and otherwise ignores. A bad record followed by good ones is an error naming its
// byte offset.
#ifndef TAPEDECK_ADAPTERS_JOURNAL_H_
#define TAPEDECK_ADAPTERS_JOURNAL_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/event.h"
#include "core/instrument.h"
#include "core/source.h"
#include "core/strategy.h"
#include "core/strategy_host.h"
#include "nlohmann/json.hpp"

namespace tapedeck::adapters {

inline constexpr char kJournalMagic[8] = {'T', 'D', 'J', 'R', 'N', 'L', '0', '1'};
inline constexpr size_t kJournalRecordSize = 72;
inline constexpr uint8_t kStopKind = 0xFF;

class JournalWriter {
 public:
  // Creates (truncates) `path` and writes the header.
  static absl::StatusOr<std::unique_ptr<JournalWriter>> Create(const std::string& path,
                                                               const nlohmann::json& meta,
                                                               int64_t flush_interval_ns);
  ~JournalWriter();

  // Appends one record; flushes to the OS when the interval since the last flush has passed
  // (`now_ns` is the caller's clock, so the journal itself reads none).
  void Append(const Event& e, int64_t now_ns);
  void AppendStop(Timestamp at, int64_t now_ns);
  // Flushes and syncs; the first write error, if any.
  absl::Status Close();
  uint64_t records() const { return records_; }

 private:
  JournalWriter() = default;
  void Write(const unsigned char* record64);

  std::FILE* file_ = nullptr;
  std::string path_;
  uint64_t records_ = 0;
  int64_t flush_interval_ns_ = 0;
  int64_t last_flush_ns_ = 0;
  bool failed_ = false;
};

struct JournalContents {
  nlohmann::json meta;
  std::vector<Event> events;  // without the stop record
  bool stopped = false;       // a stop record was found
  Timestamp stop_ts;
  uint64_t torn_bytes = 0;    // ignored bytes at the end
};

absl::StatusOr<JournalContents> ReadJournal(const std::string& path);

// The journal's market data as an EventSource (order responses, timers and the stop record are
// left out: a backtest makes its own). Registered as input format "journal".
absl::StatusOr<std::unique_ptr<EventSource>> OpenJournalSource(const std::string& path);
bool LooksLikeJournal(const std::string& path);

// Replays `journal` through `strategy` with a Context that sends nothing: each event is
// delivered exactly as the paper session delivered it, so the order decisions (the order log)
// come out the same. A journal's checksums prove its bytes are those written, not that they make
// sense: Run refuses (naming the record) an event whose instrument is not in the table and a
// venue response to an order the replayed strategy did not send.
class JournalReplay final : public ContextDriver {
 public:
  JournalReplay(const InstrumentTable& instruments, Money initial_cash)
      : host_(instruments, this, initial_cash) {}
  absl::Status Run(const JournalContents& journal, Strategy& strategy,
                   const std::string& path = "journal");
  const Context& context() const { return host_.context(); }
  const StrategyHost& host() const { return host_; }
  const CollectingSink& records() const { return host_.records(); }

  void SendOrder(const OrderRequest&, Timestamp) override {}
  void SendCancel(OrderId, InstrumentId, Timestamp) override {}
  void SendModify(OrderId, InstrumentId, Price, Qty, Timestamp) override {}
  void ScheduleTimer(uint64_t, Timestamp, uint64_t) override {}

 private:
  StrategyHost host_;
};

// The order log as canonical text, one request per line, for byte-for-byte comparison:
// "ts,order|cancel|modify,id,instrument,side,type,tif,price,qty,post_only,reduce_only".
std::string OrderLogText(std::span<const OrderLogEntry> log);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_JOURNAL_H_
