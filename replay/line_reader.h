// Reads a text file line by line, plain or gzip (detected from the content), counting lines
// for error messages. Streams: memory does not grow with the file.
#ifndef TAPEDECK_REPLAY_LINE_READER_H_
#define TAPEDECK_REPLAY_LINE_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tapedeck::replay {

class LineReader {
 public:
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Opens `path`; a missing or unreadable file is an error naming it.
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path);

  // Sets *line to the next line without its '\n' (and without a trailing '\r'); returns false at
  // the end of the file or on error (check status()). The view is valid until the next call.
  bool Next(std::string_view* line);

  const absl::Status& status() const { return status_; }
  const std::string& path() const { return path_; }
  // 1-based number of the line last returned by Next.
  int64_t line_number() const { return line_number_; }
  // Bytes of (uncompressed) text consumed so far.
  int64_t bytes_read() const { return bytes_read_; }
  // Bytes of the file as stored (compressed for gzip) read so far, for progress against its size.
  int64_t stored_bytes_read() const;
  bool gzip() const { return gzip_; }

  // "path:line: " for messages about the current line.
  std::string Where() const;
  // An InvalidArgument status "path:line: field: what".
  absl::Status Error(std::string_view field, std::string_view what) const;

 private:
  LineReader() = default;
  bool Fill();

  std::string path_;
  void* file_ = nullptr;  // gzFile; zlib reads plain files through the same calls
  bool gzip_ = false;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // start of unread data in buffer_
  size_t end_ = 0;    // end of valid data in buffer_
  bool eof_ = false;
  int64_t line_number_ = 0;
  int64_t bytes_read_ = 0;
  absl::Status status_;
};

// Splits `line` at `sep` into `fields` (views into the line); returns the count.
size_t SplitFields(std::string_view line, char sep, std::vector<std::string_view>* fields);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_LINE_READER_H_
