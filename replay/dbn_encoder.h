// A DBN writer (versions 2 and 3 metadata; mbo, trades and definition records), plain or zstd:
// what tests and benchmarks generate DBN data with. The layouts are those of dbn_format.h.
#ifndef TAPEDECK_REPLAY_DBN_ENCODER_H_
#define TAPEDECK_REPLAY_DBN_ENCODER_H_

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "replay/dbn_format.h"

typedef struct ZSTD_CCtx_s ZSTD_CCtx;

namespace tapedeck::replay {

struct DbnMetadataSpec {
  int version = 3;  // 2 or 3
  std::string dataset = "GLBX.MDP3";
  uint16_t schema = static_cast<uint16_t>(dbn::Schema::kMbo);
  uint64_t start = 0;  // ns since the epoch
  uint64_t end = dbn::kUndefTimestamp;
  uint8_t stype_in = 1;  // raw_symbol
  struct Symbol {
    std::string raw_symbol;
    uint32_t instrument_id = 0;
    uint32_t start_date = 0;  // yyyymmdd
    uint32_t end_date = 0;    // exclusive
  };
  std::vector<Symbol> symbols;  // the symbology: one interval each
};

// The prelude and metadata of a DBN stream (v3 pads the metadata to 8 bytes, as Databento's).
std::string EncodeDbnMetadata(const DbnMetadataSpec& spec);

struct DbnMbo {
  uint32_t instrument_id = 0;
  uint16_t publisher_id = 1;
  uint64_t ts_event = 0;
  uint64_t ts_recv = 0;
  uint64_t order_id = 0;
  int64_t price = 0;  // 1e-9
  uint32_t size = 0;
  uint8_t flags = dbn::kFlagLast;
  char action = 'A';
  char side = 'B';
  int32_t ts_in_delta = 0;
  uint32_t sequence = 0;
};
std::array<uint8_t, 56> EncodeMbo(const DbnMbo& m);

struct DbnTrade {
  uint32_t instrument_id = 0;
  uint16_t publisher_id = 1;
  uint64_t ts_event = 0;
  uint64_t ts_recv = 0;
  int64_t price = 0;
  uint32_t size = 0;
  char side = 'A';
  uint8_t flags = dbn::kFlagLast;
  uint32_t sequence = 0;
};
std::array<uint8_t, 48> EncodeTrade(const DbnTrade& t);

struct DbnDefinitionSpec {
  uint32_t instrument_id = 0;
  uint64_t ts_event = 0;
  std::string raw_symbol;
  char instrument_class = 'F';
  int64_t min_price_increment = dbn::kUndefPrice;
  uint64_t expiration = dbn::kUndefTimestamp;
  int64_t unit_of_measure_qty = dbn::kUndefPrice;
  std::string currency;
  std::string asset;
  std::string exchange;
};
// A v3 definition record; the fields not given are undefined.
std::array<uint8_t, 520> EncodeDefinitionV3(const DbnDefinitionSpec& d);

// Writes a DBN file under a temporary name, renamed into place by Finish().
class DbnWriter {
 public:
  ~DbnWriter();
  DbnWriter(const DbnWriter&) = delete;
  DbnWriter& operator=(const DbnWriter&) = delete;

  // zstd_level 0: plain DBN; otherwise one zstd frame at that level.
  static absl::StatusOr<std::unique_ptr<DbnWriter>> Create(const std::string& path,
                                                           const DbnMetadataSpec& metadata,
                                                           int zstd_level);
  absl::Status Append(std::span<const uint8_t> record);
  absl::Status Finish();
  // Bytes written to the file so far (compressed for zstd).
  uint64_t file_bytes() const { return file_bytes_; }

 private:
  DbnWriter() = default;
  absl::Status Flush(bool end);

  std::string path_;
  std::string tmp_path_;
  std::FILE* file_ = nullptr;
  ZSTD_CCtx* cctx_ = nullptr;
  std::vector<uint8_t> pending_;
  std::vector<uint8_t> out_;
  uint64_t file_bytes_ = 0;
};

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_ENCODER_H_
