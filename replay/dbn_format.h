// Databento Binary Encoding (DBN), versions 1 to 3: the constants, record layouts and metadata
// header of Databento's specification (github.com/databento/dbn), as facts for our own reader
// (replay/dbn_reader.h) and writer (replay/dbn_encoder.h).
//
// A DBN stream is an 8-byte prelude ("DBN", the version byte, a little-endian u32 length), the
// metadata of that length, then records. Every record starts with a 16-byte header: length in
// 4-byte words (u8), rtype (u8), publisher_id (u16), instrument_id (u32), ts_event (u64, ns since
// the epoch). All integers are little-endian; prices are int64 counts of 1e-9; INT64_MAX is an
// undefined price and UINT64_MAX an undefined time. Files are often zstd-compressed as a whole.
#ifndef TAPEDECK_REPLAY_DBN_FORMAT_H_
#define TAPEDECK_REPLAY_DBN_FORMAT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tapedeck::replay::dbn {

static_assert(std::endian::native == std::endian::little, "DBN is little-endian, read in place");

inline constexpr int kMaxVersion = 3;
inline constexpr int64_t kUndefPrice = INT64_MAX;
inline constexpr uint64_t kUndefTimestamp = UINT64_MAX;
inline constexpr size_t kPreludeSize = 8;         // "DBN", version, u32 metadata length
inline constexpr size_t kHeaderSize = 16;         // of every record
inline constexpr size_t kMaxRecordSize = 1020;    // the length byte counts 4-byte words: 255 x 4
inline constexpr uint16_t kMixedSchema = 0xFFFF;  // metadata schema of a file of several schemas
inline constexpr uint8_t kSTypeInstrumentId = 0;

// The record's `flags` byte.
inline constexpr uint8_t kFlagLast = 1 << 7;      // last record of an event for its instrument
inline constexpr uint8_t kFlagTob = 1 << 6;       // top-of-book message, not a book delta
inline constexpr uint8_t kFlagSnapshot = 1 << 5;  // from a snapshot (replay, recovery)
inline constexpr uint8_t kFlagMbp = 1 << 4;       // aggregated price level, not an order
inline constexpr uint8_t kFlagBadTsRecv = 1 << 3;

// Record types (the header's rtype).
enum RType : uint8_t {
  kRTypeMbp0 = 0x00,  // trades (an mbp record with no book level)
  kRTypeMbp1 = 0x01,  // mbp-1 and tbbo
  kRTypeMbp10 = 0x0A,
  kRTypeOhlcvDeprecated = 0x11,  // ohlcv of any interval, from early files: the schema tells
  kRTypeStatus = 0x12,
  kRTypeInstrumentDef = 0x13,
  kRTypeImbalance = 0x14,
  kRTypeError = 0x15,
  kRTypeSymbolMapping = 0x16,
  kRTypeSystem = 0x17,
  kRTypeStatistics = 0x18,
  kRTypeOhlcv1S = 0x20,
  kRTypeOhlcv1M = 0x21,
  kRTypeOhlcv1H = 0x22,
  kRTypeOhlcv1D = 0x23,
  kRTypeOhlcvEod = 0x24,
  kRTypeMbo = 0xA0,
  kRTypeCmbp1 = 0xB1,
  kRTypeCbbo1S = 0xC0,
  kRTypeCbbo1M = 0xC1,
  kRTypeTcbbo = 0xC2,
  kRTypeBbo1S = 0xC3,
  kRTypeBbo1M = 0xC4,
};

// Schema ids of the metadata.
enum class Schema : uint16_t {
  kMbo = 0,
  kMbp1 = 1,
  kMbp10 = 2,
  kTbbo = 3,
  kTrades = 4,
  kOhlcv1S = 5,
  kOhlcv1M = 6,
  kOhlcv1H = 7,
  kOhlcv1D = 8,
  kDefinition = 9,
  kStatistics = 10,
  kStatus = 11,
  kImbalance = 12,
  kOhlcvEod = 13,
  kCmbp1 = 14,
  kCbbo1S = 15,
  kCbbo1M = 16,
  kTcbbo = 17,
  kBbo1S = 18,
  kBbo1M = 19,
};

// "mbo", "ohlcv-1s", ...; "mixed" for kMixedSchema, "schema N" for ids it does not know.
std::string SchemaName(uint16_t schema);
// The kind of record for messages and counts ("mbo", "status", "rtype 0x42").
std::string RTypeName(uint8_t rtype);
// Bytes of a record of `rtype` in DBN `version` without ts_out; 0 when the rtype is unknown.
size_t RecordSize(uint8_t rtype, int version);
// Length in ns of the interval an ohlcv record covers (its ts_event is the interval's start);
// 0 when neither the rtype nor (for the deprecated rtype) the schema tells.
int64_t OhlcvInterval(uint8_t rtype, uint16_t schema);

// Reads a little-endian field at byte `off` of a record (records are 4-byte aligned at best).
template <typename T>
inline T Get(const uint8_t* p, size_t off) {
  T v;
  std::memcpy(&v, p + off, sizeof(T));
  return v;
}
// A NUL-padded text field of `len` bytes.
std::string GetText(const uint8_t* p, size_t off, size_t len);

// Field offsets (bytes from the record start) of the layouts tapedeck reads.
namespace off {
// Header.
inline constexpr size_t kRType = 1, kPublisher = 2, kInstrument = 4, kTsEvent = 8;
// mbo (56 bytes).
inline constexpr size_t kMboOrderId = 16, kMboPrice = 24, kMboSize = 32, kMboFlags = 36,
                        kMboChannel = 37, kMboAction = 38, kMboSide = 39, kMboTsRecv = 40,
                        kMboTsInDelta = 48, kMboSequence = 52;
// Trades, mbp-1, mbp-10, tbbo, cmbp-1 share their first 48 bytes: price, size, action, side,
// flags, depth, ts_recv, ts_in_delta, sequence; book levels (32 bytes each) follow at 48.
inline constexpr size_t kMbpPrice = 16, kMbpSize = 24, kMbpAction = 28, kMbpSide = 29,
                        kMbpFlags = 30, kMbpDepth = 31, kMbpTsRecv = 32, kMbpTsInDelta = 40,
                        kMbpSequence = 44, kMbpLevels = 48, kLevelSize = 32;
// A level: bid_px, ask_px (i64), bid_sz, ask_sz (u32), then order counts (mbp) or publishers
// (consolidated).
inline constexpr size_t kLevelBidPx = 0, kLevelAskPx = 8, kLevelBidSz = 16, kLevelAskSz = 20;
// bbo, cbbo, tcbbo: price, size, side at 29, flags at 30, ts_recv at 32; bbo's sequence at 44.
inline constexpr size_t kBboSide = 29, kBboFlags = 30, kBboTsRecv = 32, kBboSequence = 44;
// ohlcv (56 bytes).
inline constexpr size_t kOpen = 16, kHigh = 24, kLow = 32, kClose = 40, kVolume = 48;
// statistics: ts_recv, ts_ref, price, then quantity (i32 in v1-2, i64 in v3) and the rest.
inline constexpr size_t kStatTsRecv = 16, kStatPrice = 32, kStatQuantity = 40;
inline constexpr size_t kStatTypeV1 = 52, kStatActionV1 = 56, kStatTypeV3 = 56, kStatActionV3 = 60;
// symbol mapping: the raw (stype_out) symbol.
inline constexpr size_t kMappingOutSymbolV1 = 38, kMappingOutSymbolV2 = 89;
}  // namespace off

inline constexpr uint16_t kStatOpenInterest = 9;
inline constexpr uint8_t kStatActionNew = 1;

// One symbology interval: `symbol` for the dates [start_date, end_date), each yyyymmdd (UTC).
struct MappingInterval {
  uint32_t start_date = 0;
  uint32_t end_date = 0;
  std::string symbol;
};

struct SymbolMapping {
  std::string raw_symbol;  // the symbol as requested (stype_in)
  std::vector<MappingInterval> intervals;
};

struct Metadata {
  int version = 0;
  std::string dataset;
  uint16_t schema = kMixedSchema;
  uint64_t start = 0;  // ns since the epoch
  uint64_t end = 0;    // kUndefTimestamp when open-ended
  uint64_t limit = 0;  // 0: none
  uint8_t stype_in = 0xFF;
  uint8_t stype_out = 0;
  bool ts_out = false;  // every record carries 8 more bytes: the gateway's send time
  size_t symbol_cstr_len = 0;
  std::vector<std::string> symbols;
  std::vector<std::string> partial;
  std::vector<std::string> not_found;
  std::vector<SymbolMapping> mappings;
};

// Parses the metadata that follows the prelude of a version-`version` stream; `body` is all of
// it (the prelude's length). Errors name the byte offset in the stream.
absl::StatusOr<Metadata> ParseMetadata(std::string_view body, int version);

// yyyymmdd of the UTC day that holds `ns` (ns since the epoch).
uint32_t UtcDate(int64_t ns);

// What a file's first bytes say it is.
enum class Content : uint8_t {
  kNotDbn,
  kDbn,           // DBN with its metadata
  kDbnZstd,       // the same, zstd-compressed
  kDbz,           // legacy DBZ: metadata in a zstd skippable frame, records in a zstd frame
  kFragment,      // DBN records without the metadata header
  kFragmentZstd,  // the same, zstd-compressed
};
std::string_view ContentName(Content c);
// Classifies `head`, the first bytes of a file (or of its decompressed zstd stream when
// `decompressed`).
Content Classify(std::string_view head, bool decompressed);
// Reads the first bytes of `path` (decompressing a zstd frame) and classifies them; kNotDbn when
// the file cannot be read.
Content ClassifyFile(const std::string& path);

}  // namespace tapedeck::replay::dbn

#endif  // TAPEDECK_REPLAY_DBN_FORMAT_H_
