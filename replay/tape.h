// The tape: tapedeck's own binary market-data file. Self-describing (it carries its instrument
// table), checksummed, and laid out so that a read-only memory mapping of it IS the event array:
// replay hands out spans of the mapping with no copy and no decoding.
//
// Layout (all integers little-endian; offsets in bytes):
//
//   0    char[8]  magic "TAPEDECK"
//   8    u32      format version (kTapeVersion)
//   12   u32      flags (0; readers reject bits they do not know)
//   16   u32      header_size: offset of the first record, a multiple of 64
//   20   u32      record_size: sizeof(Event) = 64
//   24   u32      instrument_count
//   28   u32      block_records: records per checksum block (kTapeBlockRecords)
//   32   u64      record_count
//   40   i64      first exchange_ts   (0 when empty)
//   48   i64      last exchange_ts
//   56   i64      min local_ts
//   64   i64      max local_ts
//   72   u64      records checksum: TapeHash of the block checksum table
//   80   u64      header checksum: TapeHash of bytes [0, header_size) with this field zeroed
//   88   ...      zero up to 128
//   128  instrument table: instrument_count entries, each
//          u16 id, u8 kind, u8 0, i32 price_scale, i32 qty_scale, i32 0,
//          i64 tick_size, i64 lot_size, i64 contract_multiplier_e8, i64 maker_fee, i64 taker_fee,
//          i64 expiry, then three strings (symbol, base, quote), each u16 length + bytes
//        zero padding up to header_size
//   header_size                      record_count records of 64 bytes: core::Event as in memory
//   header_size + 64 * record_count  the block checksum table: one u64 TapeHash per block of
//                                    block_records records (the last block may be shorter)
//   end of file, exactly.
//
// Checksums find corruption, not malice: TapeHash is a fast non-cryptographic 64-bit hash of
// our own (see tape.cc). Per-block checksums let a corruption be located to a 64 KiB range.
#ifndef TAPEDECK_REPLAY_TAPE_H_
#define TAPEDECK_REPLAY_TAPE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/event.h"
#include "core/huge_page.h"
#include "core/interrupt_cleanup.h"
#include "core/instrument.h"
#include "core/source.h"
#include "replay/source_factory.h"
#include "replay/tape_records.h"

namespace tapedeck::replay {

inline constexpr char kTapeMagic[8] = {'T', 'A', 'P', 'E', 'D', 'E', 'C', 'K'};
inline constexpr uint32_t kTapeVersion = 1;
inline constexpr size_t kTapeFixedHeaderSize = 128;
inline constexpr uint64_t kTapeBlockRecords = 1024;  // 64 KiB of records per checksum block

// The 64-bit hash used for every tape checksum; `size` must be a multiple of 8.
uint64_t TapeHash(const void* data, size_t size);

// True when `prefix` starts with the tape magic.
bool HasTapeMagic(std::string_view prefix);

struct TapeHeader {
  uint32_t version = kTapeVersion;
  uint32_t flags = 0;
  uint32_t header_size = 0;
  uint64_t record_count = 0;
  int64_t first_exchange_ts = 0;
  int64_t last_exchange_ts = 0;
  int64_t min_local_ts = 0;
  int64_t max_local_ts = 0;
  uint64_t records_checksum = 0;
  uint64_t header_checksum = 0;
  std::vector<Instrument> instruments;  // ids are their positions

  uint64_t file_size() const;
};

// Writes a tape, streaming: the header is a placeholder until Finish(), which fills in the count,
// time span and checksums and renames the temporary file to `path`. Dropping an unfinished writer
// removes the temporary file, so a crash or an error never leaves a half-written tape at `path`.
class TapeWriter {
 public:
  ~TapeWriter();
  TapeWriter(const TapeWriter&) = delete;
  TapeWriter& operator=(const TapeWriter&) = delete;

  // `instruments` become the tape's table; event instrument ids index it.
  static absl::StatusOr<std::unique_ptr<TapeWriter>> Create(const std::string& path,
                                                            std::vector<Instrument> instruments);

  // Appends events in order. Errors: an instrument id outside the table, an unknown kind, an
  // exchange_ts earlier than the previous record's, an I/O failure.
  absl::Status Append(std::span<const Event> events);
  absl::Status Append(const Event& e) { return Append(std::span<const Event>(&e, 1)); }

  // Writes the checksum table and the final header, syncs, renames into place.
  absl::Status Finish();

  uint64_t record_count() const { return header_.record_count; }
  // Bytes written so far (header included).
  uint64_t bytes_written() const;
  const std::string& path() const { return path_; }

 private:
  // Records go to the file in writes that end on 2 MiB offsets: the page cache then holds the
  // tape in 2 MiB folios, which replay maps with one fault each. Unaligned 1 MiB writes left it
  // in small folios that took a fault per 64 KiB and over twice the time to scan (bench/README.md).
  static constexpr uint64_t kWriteBlock = kHugePageSize;

  TapeWriter() = default;
  absl::Status FlushBuffer();
  absl::Status WriteAt(uint64_t offset, const void* data, size_t size);
  absl::Status Fail(absl::Status s);

  std::string path_;
  std::string temp_path_;
  InterruptCleanup temp_cleanup_;  // SIGINT/SIGTERM remove the temporary file
  int fd_ = -1;
  bool finished_ = false;
  TapeHeader header_;
  std::vector<unsigned char> header_bytes_;  // the encoded header, written again at Finish
  std::vector<Event> buffer_;                // records not yet written
  std::vector<uint64_t> block_sums_;
  uint64_t block_fill_ = 0;   // records hashed into the current block
  uint64_t lanes_[8] = {};    // TapeHash state of the current block
  uint64_t file_offset_ = 0;  // where the next buffered record goes
};

struct TapeOpenOptions {
  // Verify the record checksums on open: one sequential pass over the file, which also checks
  // every record's kind, instrument and fields (replay/tape_records.h) and the time order.
  // Benchmarks that measure replay alone turn it off: header and size checks always run, and
  // TapeSource then checks the records (not the checksums) batch by batch as it hands them out.
  bool verify = true;
};

// An open tape: a validated read-only mapping of the whole file.
class Tape {
 public:
  ~Tape();
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  // Errors name the path and the byte offset: a file too short for its header or its records, a
  // bad magic, an unknown version or flag, a wrong record size, a malformed instrument table, a
  // header or record checksum mismatch, trailing bytes.
  static absl::StatusOr<std::unique_ptr<Tape>> Open(const std::string& path,
                                                    TapeOpenOptions options = {});

  const TapeHeader& header() const { return header_; }
  const std::string& path() const { return path_; }
  // Opened with verify: every record passed the checks of replay/tape_records.h.
  bool verified() const { return verified_; }
  // The error for record `index`, which failed those checks: path, byte offset, what is wrong.
  absl::Status RecordError(uint64_t index) const;
  // Checks records [first, first + count) with `checker`, which has checked the records before
  // `first`: the error for the first bad one (its bounds, or exchange_ts going backwards).
  absl::Status CheckRecords(TapeRecordChecker& checker, uint64_t first, uint64_t count) const;
  // Every record, in place in the mapping.
  std::span<const Event> records() const { return records_; }
  // Gives back to the kernel the resident pages of records [0, end): they are read again from
  // the page cache (or the disk) if touched later. Keeps replay's resident memory flat.
  void ReleaseBefore(uint64_t end);

 private:
  Tape() = default;
  absl::Status VerifyRecords();

  std::string path_;
  TapeHeader header_;
  const unsigned char* map_ = nullptr;
  size_t map_size_ = 0;
  std::span<const Event> records_;
  uint64_t released_ = 0;  // byte offset in the file up to which pages were released
  bool verified_ = false;
};

// Reads and validates the header only (no record checksum pass).
absl::StatusOr<TapeHeader> ReadTapeHeader(const std::string& path);
// The tape's instrument table, for runs whose config names no instruments.
absl::StatusOr<std::vector<Instrument>> ReadTapeInstruments(const std::string& path);

// Maps the tape's instrument ids onto the run's table: by symbol, with equal price and qty
// scales; an error naming the symbol otherwise. An empty run table keeps the tape's ids.
// `map[tape_id] = run_id`.
absl::StatusOr<std::vector<uint16_t>> MapTapeInstruments(const std::string& path,
                                                         const std::vector<Instrument>& tape,
                                                         const InstrumentTable& run);

// The tape as an EventSource: NextBatch returns spans straight into the mapping (a copy only when
// the run numbers the instruments differently from the tape). Consumed pages are released as it
// goes, so resident memory stays flat however long the tape.
class TapeSource : public EventSource {
 public:
  static constexpr size_t kBatchRecords = 4096;  // 256 KiB per batch

  TapeSource(std::unique_ptr<Tape> tape, std::vector<uint16_t> instrument_map);

  absl::StatusOr<std::span<const Event>> NextBatch() override;
  std::string Describe() const override;
  int64_t SizeHint() const override;
  int64_t InputBytesRead() const override;

  const Tape& tape() const { return *tape_; }

 private:
  std::unique_ptr<Tape> tape_;
  std::vector<uint16_t> map_;  // empty: identity
  std::vector<Event> remapped_;
  uint64_t pos_ = 0;
  TapeRecordChecker checker_;  // of an unverified tape: the records up to pos_ passed it
};

// Opens a tape for a run. Options: {"verify": bool} (default true). When `spec.instrument` is
// set, the tape must carry that symbol.
absl::StatusOr<std::unique_ptr<EventSource>> OpenTapeSource(const SourceSpec& spec,
                                                            const InstrumentTable& instruments);

// For the format table: the first "line" of a tape starts with its magic (DetectFormat checks
// the raw bytes before reading lines; this keeps the table honest).
bool DetectTapeHead(const std::vector<std::string>& head);
// For the format table: the tape's instruments (ReadTapeInstruments of spec.path).
absl::StatusOr<std::vector<Instrument>> TapeSourceInstruments(const SourceSpec& spec);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_TAPE_H_
