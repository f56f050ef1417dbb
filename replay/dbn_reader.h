// Reader `dbn`: Databento Binary Encoding files, DBN versions 1 to 3, plain or zstd-compressed
// (told by the content), streamed through a fixed window (replay/dbn_input.h).
//
// Records -> events (prices from 1e-9 to the instrument's scale exactly, sizes x 10^qty_scale):
//   mbo              kL3Order (see below); action T -> kTrade
//   mbp-10           kBookLevel: the levels of the record's ten a side that changed since the
//                    previous record (size 0: gone from the ten); the first record a snapshot
//                    (kBookSnapshotBegin); action T -> kTrade
//   mbp-1, cmbp-1    kQuote (levels[0]); action T -> kTrade, after a kQuote when the top differs
//   tbbo             kQuote (the top before the trade) and kTrade
//   bbo-1s/1m,       kQuote; tcbbo also kTrade
//   cbbo-1s/1m
//   trades           kTrade
//   ohlcv-1s/1m/1h/1d kBar, exchange_ts = the interval's end (DBN stamps its start)
//   statistics       open interest (new) -> kOpenInterest; other statistics skipped
//   definition       no event: instruments (replay/dbn_instruments.h), and the names of ids
//   symbol mapping   no event: names ids (live captures)
//   status, imbalance, error, system, ohlcv-eod and unknown rtypes: skipped
// Skipped records are counted by kind (stats()) and summed up on stderr when the data ends.
// Trade aggressor: side A(sk) is a sell aggressor, B(id) a buy; side N has none: skipped and
// counted (options.unknown_side "skip", the default) or an error ("error").
//
// MBO to the L3 book, as Databento documents it: A adds at the back of its level; C cancels
// `size` of the order (removed when nothing is left); M modifies price and size, keeping the
// order's priority when the price stays and the size does not grow (a kL3Order cancel of the
// difference) and losing it otherwise (kL3Order delete, then add); R clears the instrument's
// book (kL3Order deletes of every live order, by order id); T (the aggressor's trade) and F
// (a resting order filled) do not change the book: the C or M that follows a fill does, and
// the part of it that the fills of the same event explain becomes a kL3Order execute, so that
// the FIFO queue model (core/l3_queue.h) sees executions as on LOBSTER. An event ends at the
// record with F_LAST: its last book event carries kBookEndOfMessage. Cancels of orders the file
// never added (they rested before it began) pass through as cancels and are counted
// (`unknown_order_refs`); a modify of such an order adds it. Snapshot records (F_SNAPSHOT) are
// adds after a clear. Top-of-book MBO (F_TOB, IEX and NYSE National) is refused.
//
// Time: exchange_ts = ts_event, local_ts = ts_recv. DBN files are in ts_recv order, and an
// EventSource must be in exchange_ts order: a ts_event before an earlier record's is raised to
// it (counted, with the largest raise, in stats()). Sequence numbers (mbo, mbp, bbo) must not
// go back within an instrument, except at a clear or in snapshot records (options.check_sequence
// false turns the check off); gaps are normal in a file of some instruments.
//
// Instruments: the run's instrument of a record is the source's "instrument" when set (the file
// must then hold one instrument id); else the symbol of its instrument id, from definitions (in
// the file, or the file named by options.definitions), symbol mapping records, or the
// metadata's symbology (the requested symbol, by date); else the run's only instrument. Records
// of symbols outside the run are an error (options.other_instruments "skip" skips and counts
// them). One book per instrument: MBO and mbp-10 records of one run instrument must come from
// one instrument id and one publisher.
//
// Errors name the file and the byte offset of the record in the DBN stream (the decompressed
// bytes of a zstd file): a record length shorter than its header or other than its rtype's size,
// a record cut off by the end of the file, a truncated or corrupt zstd stream, a price that is
// not a whole number of the instrument's units, a sequence that goes back, an inconsistent
// order (added twice, cancelled beyond its size, on another side or price). Legacy DBZ files and
// DBN fragments (records without metadata) are refused naming what they are.
#ifndef TAPEDECK_REPLAY_DBN_READER_H_
#define TAPEDECK_REPLAY_DBN_READER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "replay/dbn_format.h"
#include "replay/dbn_input.h"
#include "replay/dbn_order_map.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

struct DbnOptions {
  std::string definitions;  // a DBN file of definition records naming the instrument ids
  bool check_sequence = true;
  bool skip_unknown_side = true;        // "unknown_side": "skip" (default) or "error"
  bool skip_other_instruments = false;  // "other_instruments": "error" (default) or "skip"
};

struct DbnStats {
  int64_t records = 0;
  int64_t events = 0;
  int64_t definitions = 0;
  int64_t skipped = 0;  // records with no tapedeck event, all kinds below
  std::array<int64_t, 256> skipped_by_rtype{};
  int64_t skipped_statistics = 0;  // statistics other than new open interest
  int64_t trades_without_side = 0;
  int64_t other_instruments = 0;   // records of instruments outside the run (skipped)
  int64_t unknown_order_refs = 0;  // MBO cancels and modifies of orders the file never added
  int64_t clears = 0;
  int64_t snapshot_records = 0;
  int64_t ts_event_raised = 0;  // records whose exchange_ts was raised to keep the order
  int64_t max_ts_raise_ns = 0;

  // "records=... events=... skipped: status 4, ..." for logs and tests.
  std::string Summary() const;
};

class DbnReader : public EventSource {
 public:
  // `symbol`: the run instrument of every record (empty: from the file, see above).
  static absl::StatusOr<std::unique_ptr<DbnReader>> Open(const std::string& path,
                                                         const std::string& symbol,
                                                         const InstrumentTable& instruments,
                                                         DbnOptions options);
  ~DbnReader() override;

  absl::StatusOr<std::span<const Event>> NextBatch() override;
  std::string Describe() const override { return input_->path(); }

  const dbn::Metadata& metadata() const { return metadata_; }
  const DbnStats& stats() const { return stats_; }

 private:
  using LiveOrder = DbnLiveOrder;
  struct Fill {
    uint64_t order_id;
    int64_t qty;  // raw, not yet matched with a cancel or modify
  };
  struct Level {
    int64_t price;
    int64_t qty;
  };
  // The state of one instrument id of the file.
  struct Slot {
    uint32_t dbn_id = 0;
    InstrumentId id;
    bool skip = false;  // outside the run (options.other_instruments "skip")
    std::string symbol;
    int price_shift = 0;   // 9 - price_scale: DBN prices / 10^shift (a negative shift multiplies)
    int64_t qty_unit = 1;  // raw qty of one contract or share: 10^qty_scale
    int book_publisher = -1;
    std::array<uint32_t, 3> sequence{};  // the last one of mbo, of trades and mbp, of bbo
    DbnOrderMap orders;                  // live orders (mbo)
    std::vector<Fill> fills;             // F records of the event in progress
    Level levels[2][10] = {};            // mbp-10's last ten a side: [0] bids, [1] asks, best first
    int depth[2] = {0, 0};
    bool has_levels = false;
    QuotePayload quote{};  // the last kQuote
    bool has_quote = false;
    uint64_t open_batch = 0;  // batch_ of a book event awaiting F_LAST (0: none)
    size_t open_event = 0;    // its index in events_
  };

  DbnReader() = default;
  // The path every record takes answers bool, not absl::Status: false when the record is
  // bad, with the reason in error_ (set by Fail, out of line).
  bool Record(const uint8_t* r);  // its length already checked
  // MBO records of the last record's instrument, while they follow one another in the window.
  bool MboRun();
  bool SlotOf(const uint8_t* r, Slot** s);  // *s nullptr: an instrument outside the run
  absl::StatusOr<Slot*> Resolve(uint32_t dbn_id, int64_t ts_event);
  std::string SymbolOf(uint32_t dbn_id, int64_t ts_event) const;
  bool ClaimBook(Slot& s, uint16_t publisher);
  void Finish();
  void Skip(uint8_t rtype);

  // Record handlers (dbn_mbo.cc, dbn_records.cc). The MBO ones are templates on the slot's
  // price shift (9 - price_scale), so that the common scales divide by a constant (a multiply);
  // kAnyShift reads the slot's at run time.
  static constexpr int kAnyShift = 100;
  bool OnMbo(const uint8_t* r, Slot& s);
  template <int kShift>
  bool OnMboT(const uint8_t* r, Slot& s);
  template <int kShift>
  bool MboRunT();
  // The checks of a record out of the usual (another publisher, a snapshot, time or sequence
  // going back, a clear); its exchange time is then last_exchange_ts_.
  bool MboUnusual(const uint8_t* r, Slot& s);
  template <int kShift>
  bool MboPrice(const Slot& s, int64_t dbn_price, int64_t* out);
  template <int kShift>
  bool MboAdd(const uint8_t* r, Slot& s, int64_t ex, int64_t local);
  template <int kShift>
  bool MboCancel(const uint8_t* r, Slot& s, int64_t ex, int64_t local);
  template <int kShift>
  bool MboModify(const uint8_t* r, Slot& s, int64_t ex, int64_t local);
  // Out of line: what is wrong with an MBO record (a and b: quantities for the message).
  enum class MboProblem : uint8_t { kAddSizeZero, kAddLive, kCancelTooMuch, kModifySide, kAction };
  bool MboError(MboProblem p, const uint8_t* r, int64_t a = 0, int64_t b = 0);
  bool MboBadSide(const char* what, uint64_t id, uint8_t side);
  void MboClear(Slot& s, int64_t ex, int64_t local);
  void MboReduce(Slot& s, uint64_t id, const LiveOrder& o, int64_t qty, int64_t ex, int64_t local);
  bool OnMbp(const uint8_t* r, Slot& s, uint8_t rtype);
  bool Mbp10Levels(const uint8_t* r, Slot& s, int64_t ex, int64_t local, uint32_t sequence);
  void PushLevel(Slot& s, Side side, const Level& l, uint32_t sequence, uint8_t flags, int64_t ex,
                 int64_t local);
  bool OnBbo(const uint8_t* r, Slot& s, uint8_t rtype);
  bool OnOhlcv(const uint8_t* r, Slot& s, int64_t interval);
  // Whether a statistics record is one tapedeck has an event for (new open interest).
  bool OpenInterest(const uint8_t* r) const;
  bool OnStatistics(const uint8_t* r, Slot& s);
  void OnSymbolMapping(const uint8_t* r);
  void OnDefinition(const uint8_t* r);

  // Conversions and event building (inline: replay/dbn_reader_inl.h).
  bool Times(uint64_t ts_event, uint64_t ts_recv, int64_t* ex, int64_t* local);
  bool ToPrice(const Slot& s, int64_t dbn_price, const char* field, int64_t* out);
  bool ToQty(const Slot& s, uint64_t size, const char* field, int64_t* out);
  bool Sequence(Slot& s, int family, uint32_t seq, uint8_t flags);
  bool PushTrade(Slot& s, int64_t price, int64_t qty, char side, int64_t ex, int64_t local);
  bool QuoteOf(const Slot& s, const uint8_t* level, QuotePayload* q);
  void PushQuote(Slot& s, const QuotePayload& q, int64_t ex, int64_t local);
  void PushL3(Slot& s, L3Action a, uint64_t id, Side side, int64_t price, int64_t qty, int64_t ex,
              int64_t local);
  Event& Push(EventKind kind, const Slot& s, int64_t ex, int64_t local);
  void OpenBook(Slot& s);
  void CloseBook(Slot& s);

  // The reasons (out of line, off the hot path).
  bool Fail(absl::Status s);
  bool FailTimes(uint64_t ts_event, uint64_t ts_recv);
  bool FailPrice(const Slot& s, int64_t dbn_price, const char* field);
  bool FailQty(const Slot& s, uint64_t size, const char* field);
  bool FailSequence(const Slot& s, uint32_t seq, uint32_t last);
  int64_t Raise(int64_t ts_event);  // counts a ts_event raised to the last one; returns it
  absl::Status Error(std::string_view what) const;

  std::unique_ptr<DbnInput> input_;
  dbn::Metadata metadata_;
  InstrumentTable instruments_;  // a copy: ids resolve lazily, after the caller's table may be gone
  std::string forced_symbol_;
  DbnOptions options_;
  std::array<uint16_t, 256> expected_len_{};  // bytes of each known rtype (ts_out included)

  // Instrument ids -> symbols, from the sources listed in the header.
  struct Named {
    uint32_t start_date;
    uint32_t end_date;
    std::string symbol;
  };
  absl::flat_hash_map<uint32_t, std::vector<Named>> metadata_symbols_;
  absl::flat_hash_map<uint32_t, std::string> defined_symbols_;
  absl::flat_hash_map<uint32_t, std::string> mapped_symbols_;

  absl::flat_hash_map<uint32_t, std::unique_ptr<Slot>> slots_;  // by instrument id; never iterated
  std::vector<uint32_t> slot_order_;  // instrument ids in order of first record
  uint32_t last_id_ = 0;
  Slot* last_slot_ = nullptr;
  std::vector<uint32_t> book_owner_;  // per run instrument: the instrument id of its book

  // The batch: events_[0, n_events_). Sized ahead (kBatchMax and some), grown only by a clear
  // of a book larger than that; appending writes in place, with no constructor to undo.
  std::vector<Event> events_;
  size_t n_events_ = 0;
  void GrowEvents();
  uint64_t batch_ = 0;  // number of the batch being filled
  int open_books_ = 0;  // instruments whose last book event in this batch awaits F_LAST
  uint64_t record_index_ = 0;
  int64_t last_exchange_ts_ = INT64_MIN;
  bool done_ = false;
  absl::Status error_;  // why the last handler answered false
  DbnStats stats_;
};

// Opens `path` as a DBN stream and reads its metadata, leaving the input at the first record.
// DBZ files, fragments and versions above 3 are refused naming what they are.
absl::StatusOr<std::unique_ptr<DbnInput>> OpenDbnStream(const std::string& path,
                                                        dbn::Metadata* metadata);

// The format table's row (replay/formats.cc).
bool DetectDbnFile(const std::string& path);
absl::StatusOr<std::unique_ptr<EventSource>> OpenDbn(const SourceSpec& spec,
                                                     const InstrumentTable& instruments);
// The options of a `dbn` source ("definitions", "check_sequence", "unknown_side",
// "other_instruments"); errors name the key path.
absl::StatusOr<DbnOptions> ParseDbnOptions(const SourceSpec& spec);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_READER_H_
