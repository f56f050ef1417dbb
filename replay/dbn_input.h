// The bytes of a DBN file, plain or zstd-compressed (told by the content), through one window
// of fixed size: memory stays flat however long the file. Offsets are those of the DBN stream
// (the decompressed bytes), so that messages point at a record whatever the compression.
#ifndef TAPEDECK_REPLAY_DBN_INPUT_H_
#define TAPEDECK_REPLAY_DBN_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

typedef struct ZSTD_DCtx_s ZSTD_DCtx;

namespace tapedeck::replay {

class DbnInput {
 public:
  // Bytes of decompressed data kept. zstd (1.5) decodes faster into 1 MiB than into 128 KiB:
  // measured with bench_dbn_decode, both its figures.
  static constexpr size_t kWindow = size_t{1} << 20;

  ~DbnInput();
  DbnInput(const DbnInput&) = delete;
  DbnInput& operator=(const DbnInput&) = delete;

  // Opens `path`; a zstd frame magic at its start makes it decompress.
  static absl::StatusOr<std::unique_ptr<DbnInput>> Open(const std::string& path);

  // Whether at least `n` bytes are available at data(). False at the end of the input (fewer
  // remain: available() says how many) or on an error (status()).
  bool Ensure(size_t n) { return end_ - pos_ >= n || Refill(n); }
  const uint8_t* data() const { return buffer_.data() + pos_; }
  size_t available() const { return end_ - pos_; }
  void Skip(size_t n) { pos_ += n; }
  // Offset of data() in the DBN stream.
  uint64_t offset() const { return base_ + pos_; }

  bool zstd() const { return dctx_ != nullptr; }
  // Bytes of the file read so far (compressed bytes for zstd).
  uint64_t file_bytes_read() const { return file_read_; }
  const absl::Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  DbnInput() = default;
  bool Refill(size_t n);
  // Appends what the file gives to the window, up to its end; false at the end of the file.
  bool FillPlain();
  bool FillZstd();

  std::string path_;
  std::FILE* file_ = nullptr;
  ZSTD_DCtx* dctx_ = nullptr;
  std::vector<uint8_t> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t base_ = 0;  // stream offset of buffer_[0]
  std::vector<uint8_t> compressed_;
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  size_t frame_left_ = 0;  // ZSTD_decompressStream's last hint: 0 when a frame just ended
  bool file_eof_ = false;
  uint64_t file_read_ = 0;
  absl::Status status_;
};

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_INPUT_H_
