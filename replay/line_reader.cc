#include "replay/line_reader.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace tapedeck::replay {
namespace {
constexpr size_t kChunk = 1 << 18;
}  // namespace

LineReader::~LineReader() {
  if (file_ != nullptr) gzclose(static_cast<gzFile>(file_));
}

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (probe == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  unsigned char magic[2] = {0, 0};
  const size_t n = std::fread(magic, 1, 2, probe);
  std::fclose(probe);
  std::unique_ptr<LineReader> r(new LineReader());
  r->path_ = path;
  r->gzip_ = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  gzbuffer(f, 1 << 17);
  r->file_ = f;
  r->buffer_.resize(kChunk);
  return r;
}

int64_t LineReader::stored_bytes_read() const {
  const z_off_t off = gzoffset(static_cast<gzFile>(file_));
  return off < 0 ? -1 : static_cast<int64_t>(off);
}

std::string LineReader::Where() const { return absl::StrCat(path_, ":", line_number_, ": "); }

absl::Status LineReader::Error(std::string_view field, std::string_view what) const {
  if (field.empty()) return absl::InvalidArgumentError(absl::StrCat(Where(), std::string(what)));
  return absl::InvalidArgumentError(
      absl::StrCat(Where(), std::string(field), ": ", std::string(what)));
}

bool LineReader::Fill() {
  // Move the unread tail to the front, grow if a single line fills the buffer, then read.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const int got = gzread(static_cast<gzFile>(file_), buffer_.data() + end_,
                         static_cast<unsigned>(buffer_.size() - end_));
  if (got < 0) {
    int err = 0;
    const char* msg = gzerror(static_cast<gzFile>(file_), &err);
    status_ = absl::DataLossError(absl::StrCat(path_, ": after line ", line_number_,
                                               ": corrupt or truncated input: ", msg));
    return false;
  }
  if (got == 0) {
    eof_ = true;
    // zlib reports a truncated gzip stream at the end as Z_BUF_ERROR, not as a read error.
    int err = 0;
    const char* msg = gzerror(static_cast<gzFile>(file_), &err);
    if (err != Z_OK && err != Z_STREAM_END) {
      status_ = absl::DataLossError(absl::StrCat(path_, ": after line ", line_number_,
                                                 ": truncated gzip stream (", msg, ")"));
      return false;
    }
    return false;
  }
  end_ += static_cast<size_t>(got);
  return true;
}

bool LineReader::Next(std::string_view* line) {
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl != nullptr) {
      const size_t len = static_cast<size_t>(static_cast<const char*>(nl) - start);
      *line = std::string_view(start, len);
      begin_ += len + 1;
      bytes_read_ += static_cast<int64_t>(len + 1);
      ++line_number_;
      if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
      return true;
    }
    if (eof_) {
      if (end_ > begin_) {  // a last line without '\n'
        *line = std::string_view(start, end_ - begin_);
        bytes_read_ += static_cast<int64_t>(end_ - begin_);
        begin_ = end_;
        ++line_number_;
        if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
        return true;
      }
      return false;
    }
    if (!Fill() && !status_.ok()) return false;  // else: more data, or eof_ is now set
  }
}

size_t SplitFields(std::string_view line, char sep, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    const size_t pos = line.find(sep, start);
    if (pos == std::string_view::npos) {
      fields->push_back(line.substr(start));
      break;
    }
    fields->push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
  return fields->size();
}

}  // namespace tapedeck::replay
