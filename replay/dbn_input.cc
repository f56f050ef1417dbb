#include "replay/dbn_input.h"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace tapedeck::replay {
namespace {
constexpr uint8_t kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
}  // namespace

DbnInput::~DbnInput() {
  if (file_ != nullptr) std::fclose(file_);
  if (dctx_ != nullptr) ZSTD_freeDCtx(dctx_);
}

absl::StatusOr<std::unique_ptr<DbnInput>> DbnInput::Open(const std::string& path) {
  std::unique_ptr<DbnInput> in(new DbnInput());
  in->path_ = path;
  in->file_ = std::fopen(path.c_str(), "rb");
  if (in->file_ == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  uint8_t magic[4] = {};
  const size_t n = std::fread(magic, 1, sizeof(magic), in->file_);
  std::rewind(in->file_);
  if (n == sizeof(magic) && std::memcmp(magic, kZstdMagic, sizeof(magic)) == 0) {
    in->dctx_ = ZSTD_createDCtx();
    if (in->dctx_ == nullptr) return absl::ResourceExhaustedError("zstd: cannot allocate");
    in->compressed_.resize(ZSTD_DStreamInSize());
  }
  in->buffer_.resize(kWindow);
  return in;
}

bool DbnInput::Refill(size_t n) {
  if (!status_.ok()) return false;
  if (pos_ > 0) {  // keep the unread bytes: slide them to the front
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    base_ += pos_;
    pos_ = 0;
  }
  while (end_ < n) {
    // A metadata header longer than the window: the buffer grows as its bytes arrive, never to
    // a length the file merely claims (a corrupt 4 GB length in a 1 KB file is an error saying
    // the file ends first, not a 4 GB allocation).
    if (end_ == buffer_.size()) buffer_.resize(std::min(n, 2 * buffer_.size()));
    const bool more = zstd() ? FillZstd() : FillPlain();
    if (!status_.ok()) return false;
    if (!more) break;
  }
  return end_ >= n;
}

bool DbnInput::FillPlain() {
  if (file_eof_) return false;
  const size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  file_read_ += got;
  end_ += got;
  if (got == 0) {
    if (std::ferror(file_) != 0) {
      status_ = absl::DataLossError(
          absl::StrCat(path_, ": read error after byte ", file_read_, ": ", std::strerror(errno)));
    }
    file_eof_ = true;
    return false;
  }
  return true;
}

bool DbnInput::FillZstd() {
  ZSTD_outBuffer out{buffer_.data(), buffer_.size(), end_};
  while (out.pos < out.size) {
    if (in_pos_ == in_end_) {
      if (file_eof_) break;
      const size_t got = std::fread(compressed_.data(), 1, compressed_.size(), file_);
      if (got == 0) {
        if (std::ferror(file_) != 0) {
          status_ = absl::DataLossError(absl::StrCat(path_, ": read error after byte ", file_read_,
                                                     ": ", std::strerror(errno)));
          return false;
        }
        file_eof_ = true;
        break;
      }
      in_pos_ = 0;
      in_end_ = got;
      file_read_ += got;
    }
    ZSTD_inBuffer in{compressed_.data(), in_end_, in_pos_};
    const size_t ret = ZSTD_decompressStream(dctx_, &out, &in);
    in_pos_ = in.pos;
    if (ZSTD_isError(ret)) {
      status_ = absl::DataLossError(absl::StrCat(
          path_, ": corrupt zstd stream near compressed byte ", file_read_ - (in_end_ - in_pos_),
          " (DBN stream byte ", base_ + out.pos, "): ", ZSTD_getErrorName(ret)));
      return false;
    }
    frame_left_ = ret;
  }
  const bool progressed = out.pos > end_;
  end_ = out.pos;
  if (!progressed && file_eof_ && in_pos_ == in_end_) {
    if (frame_left_ != 0) {
      status_ = absl::DataLossError(
          absl::StrCat(path_, ": truncated zstd stream: the file ends inside a frame, after ",
                       file_read_, " compressed bytes (DBN stream byte ", base_ + end_, ")"));
    }
    return false;
  }
  return true;
}

}  // namespace tapedeck::replay
