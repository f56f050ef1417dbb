// Reader `lobster`: LOBSTER message files (order-level NASDAQ data), read together with the
// paired orderbook file, into kL3Order events (plus kTrade for executions).
//
// Message file: no header; time (seconds after midnight, exchange local time, up to 9 decimals),
// type, order id, size (shares), price (dollars x 10000), direction (1 buy, -1 sell: the side of
// the resting order). Types: 1 add → kL3Order add; 2 partial cancel → cancel; 3 delete → delete;
// 4 visible execution → kL3Order execute and a kTrade (aggressor: the other side); 5 hidden
// execution → kTrade only; 6 cross trade → kTrade; 7 trading halt → nothing (counted).
//
// Time: midnight of the trading date in US/Eastern (NASDAQ's clock, with the US daylight-saving
// rules) plus the message time, exactly; LOBSTER has one clock, so local_ts = exchange_ts.
// Options: "date" (YYYY-MM-DD; default: from the file name, TICKER_YYYY-MM-DD_...),
// "orderbook" (path of the paired book file; default: the message path with "_message_" replaced
// by "_orderbook_", used when it exists), "verify" (default true).
//
// Book state the messages cannot tell, taken from the orderbook file and said so:
// - The book before the first message (orders resting before the sample starts): the first book
//   row with the first message undone, emitted as inferred orders (kBookInferred, synthetic ids
//   from kInferredIdBase, record 0; the first carries kBookSnapshotBegin).
// - A level-N file carries only the messages that touch its top N levels: what happens deeper is
//   not in it. So after each row, each side is known down to that row's N-th level (the frontier)
//   and the next message can only change what is at or better than it. When a row shows a level
//   beyond the previous frontier (it entered the top N from deeper), the book takes it from the
//   file: size the messages never showed is added as an inferred order at the front of the
//   level's queue, a level whose orders were cancelled out of sight is replaced by one inferred
//   order (`levels_from_book_file`), and a level the row skips is removed with kL3Order deletes
//   flagged kBookInferred (`stale_levels_removed`). Levels deeper than the row's N-th are what the
//   messages last showed and may be stale.
// - A message about an order id the book does not hold (it rested before the sample, or arrived
//   while deeper than the file's levels) is taken from the inferred orders at its price
//   (`unknown_order_refs`).
// With "verify" (the default), every level at or better than the previous frontier must equal
// the book row after each message: the ground truth check, an error naming both files and lines.
#ifndef TAPEDECK_REPLAY_LOBSTER_H_
#define TAPEDECK_REPLAY_LOBSTER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/l3_book.h"
#include "core/source.h"
#include "replay/batch_source.h"
#include "replay/line_reader.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

struct LobsterOptions {
  std::string date;       // YYYY-MM-DD; empty: from the file name
  std::string orderbook;  // empty: derived from the message file name when that file exists
  bool verify = true;
};

struct LobsterStats {
  int64_t messages = 0;
  int64_t inferred_initial_levels = 0;  // levels of the book before the first message
  int64_t levels_from_book_file = 0;    // levels that entered the top N from deeper
  int64_t unknown_order_refs = 0;       // messages about orders the messages never showed
  int64_t stale_levels_removed = 0;     // levels that left the top N and vanished meanwhile
  int64_t levels_verified = 0;          // (row, level) pairs checked against the book file
  int64_t hidden_executions = 0;
  int64_t halts = 0;

  std::string Summary() const;
};

// Synthetic ids of inferred orders start here (LOBSTER ids are below 2^32).
inline constexpr uint64_t kInferredIdBase = uint64_t{1} << 62;

class LobsterReader : public BatchSource {
 public:
  // `symbol`: the instrument in `instruments`; empty: the ticker of the file name, or the only
  // instrument of the table.
  static absl::StatusOr<std::unique_ptr<LobsterReader>> Open(const std::string& path,
                                                             const std::string& symbol,
                                                             const InstrumentTable& instruments,
                                                             LobsterOptions options);

  std::string Describe() const override { return messages_->path(); }
  // The message file's: the paired orderbook file is read alongside and not counted.
  int64_t InputBytesRead() const override { return messages_->stored_bytes_read(); }
  const LobsterStats& stats() const { return stats_; }
  // The orderbook file in use ("" when none).
  const std::string& orderbook_path() const { return orderbook_path_; }

 protected:
  absl::Status ReadMore(std::vector<Event>* out) override;

 private:
  struct Message {
    int64_t ts = 0;
    int type = 0;
    uint64_t id = 0;
    int64_t size = 0;   // shares
    Price price;        // at the instrument's scale
    Side side = Side::kBuy;
  };
  struct Row {
    std::vector<BookLevel> levels[2];  // [kBuy, kSell], best first, real levels only
    bool full[2] = {false, false};     // all N columns of the side hold real levels
  };

  LobsterReader() = default;

  absl::Status ParseMessage(std::string_view line, Message* m) const;
  absl::Status ReadRow(Row* row);
  absl::Status Seed(const Message& first, const Row& row, std::vector<Event>* out);
  absl::Status ApplyMessage(const Message& m, std::vector<Event>* out);
  absl::Status Reconcile(const Row& row, int64_t ts, std::vector<Event>* out);
  // Emits an L3 event and applies it to the reader's own book.
  absl::Status EmitL3(int64_t ts, L3Action action, uint64_t id, Side side, Price price, Qty qty,
                      uint8_t flags, std::vector<Event>* out);
  uint64_t NextInferredId() { return kInferredIdBase + next_inferred_++; }
  std::vector<L3Order> OrdersAt(Side side, Price price) const;
  // Deletes every order at `price` (kBookInferred: the book file no longer shows them).
  absl::Status RemoveLevel(Side side, Price price, int64_t ts, std::vector<Event>* out);
  Qty Shares(int64_t n) const { return Qty(n * qty_unit_); }

  std::unique_ptr<LineReader> messages_;
  std::unique_ptr<LineReader> book_file_;
  std::string orderbook_path_;
  LobsterOptions options_;
  InstrumentId instrument_;
  int price_scale_ = 4;
  int64_t qty_unit_ = 1;      // raw qty units per share
  int64_t midnight_ns_ = 0;   // the trading date's midnight in US/Eastern, as ns since the epoch
  L3Book book_;
  uint64_t next_inferred_ = 0;
  // Frontier per side: prices at or better than it are known; nullopt: the whole side is known.
  std::optional<int64_t> frontier_[2];
  bool started_ = false;
  int64_t last_ts_ = INT64_MIN;
  LobsterStats stats_;
};

// Offset of US/Eastern from UTC on `date` (YYYY-MM-DD) in seconds (-14400 in summer time,
// -18000 otherwise), by the US rules of that year (1987-2006 and 2007 on).
absl::StatusOr<int64_t> UsEasternOffsetSeconds(const std::string& date);

bool DetectLobster(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenLobster(const SourceSpec& spec,
                                                         const InstrumentTable& instruments);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_LOBSTER_H_
