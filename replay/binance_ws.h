// Reader `binance_ws_capture`: Binance websocket captures, one message a line as
// `<local_receive_ns> <raw websocket JSON>` (plain or gzip), from the combined-stream endpoint
// (`{"stream": ..., "data": ...}`) of spot, USD-M and COIN-M, plus the REST depth snapshot line
// (`{"lastUpdateId": ..., "bids": ..., "asks": ...}`) that the collector writes once.
//
// Records → events (prices and sizes parsed exactly from the JSON strings at the instrument's
// scales; JSON parsed with simdjson):
//   snapshot line         kBookLevel per level; kBookSnapshotBegin on the first, kBookEndOfMessage
//                         on the last; update_id = lastUpdateId
//   depthUpdate           kBookLevel per level, update_id = u, kBookEndOfMessage on the last
//   bookTicker            kQuote, update_id = u
//   trade, aggTrade       kTrade (aggressor = sell when the buyer is the maker, `m`)
//   markPriceUpdate       kMarkPrice (p), kIndexPrice (i), kFundingRate (r, paid at T)
//   forceOrder            kLiquidation (average price, filled size, side of the forced order)
//
// Time: exchange_ts is `E` (`T`, the trade time, for trades); local_ts is the line's first field
// (the collector's clock, which in the 2024-08-08 capture runs ~1.27 s behind `E`: it is kept as
// the receive time, not corrected). Spot bookTicker and the spot snapshot carry no exchange time:
// they get the latest exchange time seen so far in the file, a lower bound, since a combined
// stream is one connection whose messages arrive in the order they were sent (the snapshot is
// further capped at the `E` of the first diff applied after it, so that the book is rebuilt in
// order). Counted as `inferred_ts`.
//
// Order: the streams of one capture interleave with exchange times up to ~0.2 s out of order
// (trade `T` against depth `E`), though each stream alone is in order. Events are therefore
// sorted by exchange_ts within a window (option `reorder_window`, default 1s): an event is
// released once the file has shown an exchange time more than the window after it. Equal times
// keep file order, and book levels never pass each other, so the book is rebuilt in update-id
// order. An event later than the window (or a book level behind an earlier one) has its
// exchange_ts raised to keep the output non-decreasing; counted as `clamped` (0 on the six
// shipped captures).
//
// Sequence (Binance's rules): a diff chains to the previous one by `pu == previous u` (futures)
// or `U == previous u + 1` (spot). The snapshot line may come after the diff that bridges it
// (the collector asks for it after subscribing), so diffs are held until the snapshot arrives;
// then those with u < lastUpdateId are dropped and the first kept one must have
// U <= lastUpdateId + 1. Option `gaps`: "fail" (default) makes a gap an error at its line;
// "resync" drops diffs from the gap until the next snapshot line (and its bridge). Both count
// gaps and remember the first.
//
// Errors, each `path:line: ...`: malformed JSON, unknown stream or event type, a record for
// another symbol, a bad or negative price or size, a crossed book after a complete depth
// message, a sequence gap (under "fail"), a truncated gzip stream, no snapshot line for the diffs.
#ifndef TAPEDECK_REPLAY_BINANCE_WS_H_
#define TAPEDECK_REPLAY_BINANCE_WS_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/order_book.h"
#include "core/source.h"
#include "replay/batch_source.h"
#include "replay/line_reader.h"
#include "replay/source_factory.h"

namespace simdjson::dom {
class parser;
class element;
}  // namespace simdjson::dom

namespace tapedeck::replay {

struct BinanceWsOptions {
  enum class Gaps : uint8_t { kFail, kResync };
  Gaps gaps = Gaps::kFail;
  Duration reorder_window = Duration::Seconds(1);
};

struct BinanceWsStats {
  int64_t lines = 0;
  int64_t snapshots = 0;          // snapshot lines applied
  int64_t snapshots_skipped = 0;  // snapshot lines older than the live book
  int64_t depth_messages = 0;     // diffs applied
  int64_t depth_dropped = 0;      // diffs dropped: before the snapshot, or while resyncing
  int64_t levels = 0;             // kBookLevel events
  int64_t quotes = 0;
  int64_t trades = 0;
  int64_t reference = 0;          // mark, index, funding events
  int64_t liquidations = 0;
  int64_t gaps = 0;
  std::string first_gap;          // "path:line: ..." of the first gap, empty when none
  int64_t inferred_ts = 0;        // records without an exchange time (see the header comment)
  int64_t clamped = 0;            // events whose exchange_ts was raised to keep the order
  int64_t max_clamp_ns = 0;

  std::string Summary() const;
};

class BinanceWsReader : public BatchSource {
 public:
  // `symbol` names the instrument in `instruments`; empty: the symbol of the streams (upper
  // case), or the only instrument of the table.
  static absl::StatusOr<std::unique_ptr<BinanceWsReader>> Open(const std::string& path,
                                                               const std::string& symbol,
                                                               const InstrumentTable& instruments,
                                                               BinanceWsOptions options);
  ~BinanceWsReader() override;

  std::string Describe() const override { return lines_->path(); }
  int64_t InputBytesRead() const override { return lines_->stored_bytes_read(); }
  const BinanceWsStats& stats() const { return stats_; }

 protected:
  absl::Status ReadMore(std::vector<Event>* out) override;

 private:
  struct Diff {
    uint64_t first = 0;  // U
    uint64_t last = 0;   // u
    uint64_t prev = 0;   // pu (futures)
    bool futures = false;
    int64_t line = 0;
    int64_t exchange_ts = 0;
    size_t begin = 0;  // its level events in held_events_
    size_t end = 0;
  };

  BinanceWsReader() = default;

  absl::Status ProcessLine(std::string_view line);
  absl::Status ResolveInstrument(std::string_view symbol);
  absl::Status OnSnapshot(const simdjson::dom::element& doc, int64_t local_ts);
  absl::Status OnDepth(const simdjson::dom::element& data, int64_t local_ts);
  absl::Status OnBookTicker(const simdjson::dom::element& data, int64_t local_ts);
  absl::Status OnTrade(const simdjson::dom::element& data, int64_t local_ts, bool agg);
  absl::Status OnMarkPrice(const simdjson::dom::element& data, int64_t local_ts);
  absl::Status OnForceOrder(const simdjson::dom::element& data, int64_t local_ts);
  // Applies a diff to the live book or reports a gap; `events` are its levels.
  absl::Status ApplyDiff(const Diff& d, const Event* events, size_t n);
  absl::Status Gap(int64_t line, const std::string& what);
  absl::Status Finalize();

  // Parses "[[price, size], ...]" of `side` into level events appended to *out.
  absl::Status ParseLevels(const simdjson::dom::element& array, const char* field, Side side,
                           int64_t exchange_ts, int64_t local_ts, uint64_t update_id,
                           std::vector<Event>* out);
  absl::Status ParsePrice(std::string_view text, const char* field, Price* out) const;
  absl::Status ParseQty(std::string_view text, const char* field, Qty* out) const;
  int64_t SeenTs(int64_t exchange_ts);  // records an exchange time seen in the file
  int64_t InferTs();                    // the exchange time of a record that carries none

  // Output window sorted by exchange_ts.
  void Emit(const Event& e);
  void Release(std::vector<Event>* out, bool all);

  std::unique_ptr<LineReader> lines_;
  std::unique_ptr<simdjson::dom::parser> parser_;
  std::vector<char> padded_;
  const InstrumentTable* instruments_ = nullptr;
  BinanceWsOptions options_;
  std::string symbol_;        // as configured
  std::string file_symbol_;   // lower-case symbol of the first stream
  std::optional<InstrumentId> instrument_;
  int price_scale_ = 0;
  int qty_scale_ = 0;
  std::optional<OrderBook> book_;  // validates crossing after each message

  // Sequence state.
  bool synced_ = false;
  bool awaiting_bridge_ = false;
  uint64_t snapshot_id_ = 0;
  uint64_t last_u_ = 0;
  std::vector<Diff> held_;           // diffs waiting for a snapshot
  std::vector<Event> held_events_;
  std::vector<Event> scratch_;

  int64_t max_seen_ts_ = INT64_MIN;  // latest exchange time in the file so far
  std::vector<Event> untimed_;       // records seen before any exchange time
  std::deque<Event> window_;
  int64_t last_released_ts_ = INT64_MIN;
  int64_t window_ns_ = 0;
  bool finished_ = false;
  BinanceWsStats stats_;
};

bool DetectBinanceWs(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceWs(const SourceSpec& spec,
                                                           const InstrumentTable& instruments);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_BINANCE_WS_H_
