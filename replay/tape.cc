#include "replay/tape.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/config.h"
#include "core/status.h"
#include "replay/tape_records.h"

namespace tapedeck::replay {

static_assert(std::endian::native == std::endian::little,
              "tapes are little-endian and mapped in place");
static_assert(sizeof(Event) == 64 && alignof(Event) == 64, "a record is one Event");

namespace {

// --- TapeHash -------------------------------------------------------------------------------
// Eight independent lanes, one per 8-byte word of a 64-byte record, so that the multiplies of a
// record run in parallel (about 8 cycles per record instead of 40 for one serial chain). Each
// step h -> rotl((h ^ w) * odd, 31) is a bijection of h for a given w, so changing any one word
// always changes its lane's final state; the lanes are folded and avalanched at the end.
constexpr uint64_t kMulA = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMulB = 0xC2B2AE3D27D4EB4Full;

inline uint64_t Step(uint64_t h, uint64_t w) {
  h ^= w;
  h *= kMulA;
  return std::rotl(h, 31);
}

inline uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline void Store64(unsigned char* p, uint64_t v) { std::memcpy(p, &v, 8); }
inline void Store32(unsigned char* p, uint32_t v) { std::memcpy(p, &v, 4); }
inline void Store16(unsigned char* p, uint16_t v) { std::memcpy(p, &v, 2); }
inline uint32_t Load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint16_t Load16(const unsigned char* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

void HashInit(uint64_t lanes[8]) {
  for (uint64_t i = 0; i < 8; ++i) lanes[i] = kMulB * (i + 1);
}

// Hashes whole 64-byte chunks into the lanes.
inline void HashChunks(uint64_t lanes[8], const unsigned char* p, size_t chunks) {
  uint64_t l0 = lanes[0], l1 = lanes[1], l2 = lanes[2], l3 = lanes[3];
  uint64_t l4 = lanes[4], l5 = lanes[5], l6 = lanes[6], l7 = lanes[7];
  for (size_t c = 0; c < chunks; ++c, p += 64) {
    l0 = Step(l0, Load64(p));
    l1 = Step(l1, Load64(p + 8));
    l2 = Step(l2, Load64(p + 16));
    l3 = Step(l3, Load64(p + 24));
    l4 = Step(l4, Load64(p + 32));
    l5 = Step(l5, Load64(p + 40));
    l6 = Step(l6, Load64(p + 48));
    l7 = Step(l7, Load64(p + 56));
  }
  lanes[0] = l0; lanes[1] = l1; lanes[2] = l2; lanes[3] = l3;
  lanes[4] = l4; lanes[5] = l5; lanes[6] = l6; lanes[7] = l7;
}

uint64_t HashFinal(const uint64_t lanes[8], uint64_t bytes) {
  uint64_t h = bytes * kMulB;
  for (int i = 0; i < 8; ++i) h = Step(h, lanes[i]);
  // splitmix64's finalizer: every input bit reaches every output bit.
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return h;
}

// --- header encoding ------------------------------------------------------------------------
constexpr size_t kOffVersion = 8;
constexpr size_t kOffFlags = 12;
constexpr size_t kOffHeaderSize = 16;
constexpr size_t kOffRecordSize = 20;
constexpr size_t kOffInstrumentCount = 24;
constexpr size_t kOffBlockRecords = 28;
constexpr size_t kOffRecordCount = 32;
constexpr size_t kOffFirstExchange = 40;
constexpr size_t kOffLastExchange = 48;
constexpr size_t kOffMinLocal = 56;
constexpr size_t kOffMaxLocal = 64;
constexpr size_t kOffRecordsChecksum = 72;
constexpr size_t kOffHeaderChecksum = 80;
constexpr size_t kInstrumentFixedSize = 64;  // before the three strings

uint64_t BlockCount(uint64_t records) {
  return (records + kTapeBlockRecords - 1) / kTapeBlockRecords;
}

void AppendString(std::vector<unsigned char>* out, const std::string& s) {
  const size_t at = out->size();
  out->resize(at + 2 + s.size());
  Store16(out->data() + at, static_cast<uint16_t>(s.size()));
  std::memcpy(out->data() + at + 2, s.data(), s.size());
}

// Encodes the header with the header checksum filled in.
std::vector<unsigned char> EncodeHeader(const TapeHeader& h) {
  std::vector<unsigned char> out(kTapeFixedHeaderSize, 0);
  for (const Instrument& in : h.instruments) {
    const size_t at = out.size();
    out.resize(at + kInstrumentFixedSize, 0);
    unsigned char* p = out.data() + at;
    Store16(p, in.id.value);
    p[2] = static_cast<unsigned char>(in.kind);
    Store32(p + 4, static_cast<uint32_t>(in.price_scale));
    Store32(p + 8, static_cast<uint32_t>(in.qty_scale));
    Store64(p + 16, static_cast<uint64_t>(in.tick_size.raw));
    Store64(p + 24, static_cast<uint64_t>(in.lot_size.raw));
    Store64(p + 32, static_cast<uint64_t>(in.contract_multiplier_e8));
    Store64(p + 40, static_cast<uint64_t>(in.maker_fee.raw));
    Store64(p + 48, static_cast<uint64_t>(in.taker_fee.raw));
    Store64(p + 56, static_cast<uint64_t>(in.expiry.ns));
    AppendString(&out, in.symbol);
    AppendString(&out, in.base);
    AppendString(&out, in.quote);
  }
  out.resize((out.size() + 63) / 64 * 64, 0);
  unsigned char* p = out.data();
  std::memcpy(p, kTapeMagic, 8);
  Store32(p + kOffVersion, h.version);
  Store32(p + kOffFlags, h.flags);
  Store32(p + kOffHeaderSize, static_cast<uint32_t>(out.size()));
  Store32(p + kOffRecordSize, sizeof(Event));
  Store32(p + kOffInstrumentCount, static_cast<uint32_t>(h.instruments.size()));
  Store32(p + kOffBlockRecords, static_cast<uint32_t>(kTapeBlockRecords));
  Store64(p + kOffRecordCount, h.record_count);
  Store64(p + kOffFirstExchange, static_cast<uint64_t>(h.first_exchange_ts));
  Store64(p + kOffLastExchange, static_cast<uint64_t>(h.last_exchange_ts));
  Store64(p + kOffMinLocal, static_cast<uint64_t>(h.min_local_ts));
  Store64(p + kOffMaxLocal, static_cast<uint64_t>(h.max_local_ts));
  Store64(p + kOffRecordsChecksum, h.records_checksum);
  Store64(p + kOffHeaderChecksum, 0);
  Store64(p + kOffHeaderChecksum, TapeHash(out.data(), out.size()));
  return out;
}

absl::Status OffsetError(const std::string& path, uint64_t offset, std::string_view what) {
  return absl::DataLossError(absl::StrCat(path, ": byte offset ", offset, ": ", std::string(what)));
}

// Checks the fixed-size fields of a header whose first `size` bytes are at `p` (`size` >=
// kTapeFixedHeaderSize, and covers header_size when the file does) and the header checksum, then
// fills every fixed field of *h; the instrument table is left to DecodeInstrumentTable.
absl::Status DecodeFixedHeader(const std::string& path, const unsigned char* p, size_t size,
                               uint64_t file_size, TapeHeader* h) {
  h->version = Load32(p + kOffVersion);
  if (h->version != kTapeVersion) {
    return OffsetError(path, kOffVersion,
                       absl::StrCat("unknown tape version ", h->version,
                                    " (this build reads version ", kTapeVersion, ")"));
  }
  h->flags = Load32(p + kOffFlags);
  if (h->flags != 0) {
    return OffsetError(path, kOffFlags, absl::StrFormat("unknown tape flags 0x%x", h->flags));
  }
  const uint32_t record_size = Load32(p + kOffRecordSize);
  if (record_size != sizeof(Event)) {
    return OffsetError(path, kOffRecordSize,
                       absl::StrCat("record size ", record_size, ", expected ", sizeof(Event)));
  }
  const uint32_t block_records = Load32(p + kOffBlockRecords);
  if (block_records != kTapeBlockRecords) {
    return OffsetError(path, kOffBlockRecords,
                       absl::StrCat("checksum block of ", block_records, " records, expected ",
                                    kTapeBlockRecords));
  }
  h->header_size = Load32(p + kOffHeaderSize);
  if (h->header_size < kTapeFixedHeaderSize || h->header_size % 64 != 0) {
    return OffsetError(path, kOffHeaderSize,
                       absl::StrCat("header size ", h->header_size,
                                    " is not a multiple of 64 of at least ", kTapeFixedHeaderSize));
  }
  if (h->header_size > file_size) {
    return OffsetError(path, file_size,
                       absl::StrCat("truncated tape: the file ends inside its ", h->header_size,
                                    "-byte header"));
  }
  if (h->header_size > size) return absl::InternalError("Invariant: header not fully read");
  // The header checksum covers the whole header with its own field zeroed.
  std::vector<unsigned char> copy(p, p + h->header_size);
  h->header_checksum = Load64(p + kOffHeaderChecksum);
  Store64(copy.data() + kOffHeaderChecksum, 0);
  const uint64_t computed = TapeHash(copy.data(), copy.size());
  if (computed != h->header_checksum) {
    return OffsetError(path, kOffHeaderChecksum,
                       absl::StrFormat("header checksum mismatch (stored %016x, computed %016x): "
                                       "the header is corrupted",
                                       h->header_checksum, computed));
  }
  h->record_count = Load64(p + kOffRecordCount);
  h->first_exchange_ts = static_cast<int64_t>(Load64(p + kOffFirstExchange));
  h->last_exchange_ts = static_cast<int64_t>(Load64(p + kOffLastExchange));
  h->min_local_ts = static_cast<int64_t>(Load64(p + kOffMinLocal));
  h->max_local_ts = static_cast<int64_t>(Load64(p + kOffMaxLocal));
  h->records_checksum = Load64(p + kOffRecordsChecksum);
  return absl::OkStatus();
}

// Decodes instrument entry `i`, which starts at byte *at of the header at `p` (`header_size`
// bytes, already read and checksummed), into *in and advances *at past its names. The entry is
// not yet checked against the others: that is InstrumentTable::Add's job.
absl::Status DecodeInstrumentEntry(const std::string& path, const unsigned char* p,
                                   uint32_t header_size, uint32_t i, size_t* at, Instrument* in) {
  const size_t entry = *at;
  if (entry + kInstrumentFixedSize > header_size) {
    return OffsetError(path, entry, absl::StrCat("instrument ", i, " runs past the header"));
  }
  const unsigned char* e = p + entry;
  if (Load16(e) != i) {
    return OffsetError(path, entry, absl::StrCat("instrument ", i, " has id ", Load16(e)));
  }
  if (e[2] > static_cast<unsigned char>(InstrumentKind::kDatedFuture)) {
    return OffsetError(path, entry + 2, absl::StrCat("instrument ", i, ": unknown kind ", e[2]));
  }
  in->kind = static_cast<InstrumentKind>(e[2]);
  in->price_scale = static_cast<int32_t>(Load32(e + 4));
  in->qty_scale = static_cast<int32_t>(Load32(e + 8));
  in->tick_size = Price(static_cast<int64_t>(Load64(e + 16)));
  in->lot_size = Qty(static_cast<int64_t>(Load64(e + 24)));
  in->contract_multiplier_e8 = static_cast<int64_t>(Load64(e + 32));
  in->maker_fee = Rate(static_cast<int64_t>(Load64(e + 40)));
  in->taker_fee = Rate(static_cast<int64_t>(Load64(e + 48)));
  in->expiry = Timestamp(static_cast<int64_t>(Load64(e + 56)));
  *at += kInstrumentFixedSize;
  std::string* strings[3] = {&in->symbol, &in->base, &in->quote};
  for (std::string* s : strings) {
    if (*at + 2 > header_size || *at + 2 + Load16(p + *at) > header_size) {
      return OffsetError(path, *at,
                         absl::StrCat("instrument ", i, ": a name runs past the header"));
    }
    const uint16_t len = Load16(p + *at);
    s->assign(reinterpret_cast<const char*>(p + *at + 2), len);
    *at += 2u + len;
  }
  return absl::OkStatus();
}

// Decodes the instrument table that follows the fixed header into h->instruments, validating
// each entry as a run would, and checks that the padding up to header_size is zero.
absl::Status DecodeInstrumentTable(const std::string& path, const unsigned char* p,
                                   TapeHeader* h) {
  const uint32_t count = Load32(p + kOffInstrumentCount);
  size_t at = kTapeFixedHeaderSize;
  InstrumentTable check;  // validates scales, sizes and unique symbols as a run would
  for (uint32_t i = 0; i < count; ++i) {
    const size_t entry = at;
    Instrument in;
    TAPEDECK_RETURN_IF_ERROR(DecodeInstrumentEntry(path, p, h->header_size, i, &at, &in));
    if (absl::Status s = check.Add(in); !s.ok()) {
      return OffsetError(path, entry, absl::StrCat("instrument ", i, ": ", s.message()));
    }
  }
  h->instruments = check.all();
  for (size_t i = at; i < h->header_size; ++i) {
    if (p[i] != 0) return OffsetError(path, i, "non-zero padding after the instrument table");
  }
  return absl::OkStatus();
}

// Checks that the file is exactly as long as the header says (header, records, checksum table)
// and that the header's exchange-time range is ordered.
absl::Status CheckTapeExtent(const std::string& path, const TapeHeader& h, uint64_t file_size) {
  // The size the header implies, checked without overflow.
  const uint64_t max_records = (file_size - h.header_size) / sizeof(Event);
  if (h.record_count > max_records || h.file_size() > file_size) {
    const uint64_t records_end =
        h.record_count > max_records ? UINT64_MAX : h.header_size + h.record_count * sizeof(Event);
    return OffsetError(
        path, file_size,
        absl::StrCat("truncated tape: the header says ", h.record_count, " records (",
                     records_end == UINT64_MAX ? std::string("more than the file holds")
                                               : absl::StrCat("ending at byte ", records_end),
                     ", then ", BlockCount(h.record_count) * 8,
                     " bytes of checksums) but the file has ", file_size, " bytes"));
  }
  if (h.file_size() < file_size) {
    return OffsetError(path, h.file_size(),
                       absl::StrCat(file_size - h.file_size(),
                                    " unexpected bytes after the checksum table (the header says ",
                                    h.record_count, " records)"));
  }
  if (h.record_count > 0 && h.first_exchange_ts > h.last_exchange_ts) {
    return OffsetError(path, kOffFirstExchange, "first exchange_ts is after the last");
  }
  return absl::OkStatus();
}

// Decodes and validates the header from the first `size` bytes of a file of `file_size` bytes
// (`size` >= kTapeFixedHeaderSize, and covers header_size when the file does).
absl::StatusOr<TapeHeader> DecodeHeader(const std::string& path, const unsigned char* p,
                                        size_t size, uint64_t file_size) {
  TapeHeader h;
  TAPEDECK_RETURN_IF_ERROR(DecodeFixedHeader(path, p, size, file_size, &h));
  TAPEDECK_RETURN_IF_ERROR(DecodeInstrumentTable(path, p, &h));
  TAPEDECK_RETURN_IF_ERROR(CheckTapeExtent(path, h, file_size));
  return h;
}

absl::Status ErrnoError(const std::string& path, std::string_view what) {
  return absl::InternalError(
      absl::StrCat(path, ": ", std::string(what), ": ", std::strerror(errno)));
}

// Opens `path`, checks the magic and reads the whole header into *bytes.
absl::Status ReadHeaderBytes(const std::string& path, int fd, uint64_t file_size,
                             std::vector<unsigned char>* bytes) {
  unsigned char fixed[kTapeFixedHeaderSize] = {};
  const ssize_t got = ::pread(fd, fixed, sizeof(fixed), 0);
  if (got < 0) return ErrnoError(path, "cannot read");
  const size_t n = static_cast<size_t>(got);
  if (n == 0) return OffsetError(path, 0, "empty file: not a tapedeck tape");
  if (std::memcmp(fixed, kTapeMagic, std::min<size_t>(n, 8)) != 0) {
    return OffsetError(path, 0, "bad magic: not a tapedeck tape (expected \"TAPEDECK\")");
  }
  if (n < kTapeFixedHeaderSize) {
    return OffsetError(path, file_size,
                       absl::StrCat("truncated tape: the file ends inside the ",
                                    kTapeFixedHeaderSize, "-byte fixed header"));
  }
  const uint32_t header_size = Load32(fixed + kOffHeaderSize);
  bytes->assign(fixed, fixed + sizeof(fixed));
  if (header_size > kTapeFixedHeaderSize && header_size <= file_size && header_size % 64 == 0 &&
      Load32(fixed + kOffVersion) == kTapeVersion) {
    bytes->resize(header_size);
    const ssize_t more = ::pread(fd, bytes->data() + kTapeFixedHeaderSize,
                                 header_size - kTapeFixedHeaderSize, kTapeFixedHeaderSize);
    if (more < 0) return ErrnoError(path, "cannot read");
    if (static_cast<size_t>(more) != header_size - kTapeFixedHeaderSize) {
      return OffsetError(path, kTapeFixedHeaderSize + static_cast<uint64_t>(more),
                         "truncated tape: short read of the header");
    }
  }
  return absl::OkStatus();
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

absl::StatusOr<TapeHeader> OpenAndReadHeader(const std::string& path, int fd, uint64_t* file_size) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError(path, "cannot stat");
  *file_size = static_cast<uint64_t>(st.st_size);
  std::vector<unsigned char> bytes;
  TAPEDECK_RETURN_IF_ERROR(ReadHeaderBytes(path, fd, *file_size, &bytes));
  return DecodeHeader(path, bytes.data(), bytes.size(), *file_size);
}

}  // namespace

uint64_t TapeHash(const void* data, size_t size) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t lanes[8];
  HashInit(lanes);
  const size_t chunks = size / 64;
  HashChunks(lanes, p, chunks);
  size_t at = chunks * 64;
  for (size_t lane = 0; at + 8 <= size; at += 8, ++lane) lanes[lane] = Step(lanes[lane], Load64(p + at));
  return HashFinal(lanes, size);
}

bool HasTapeMagic(std::string_view prefix) {
  return prefix.size() >= 8 && std::memcmp(prefix.data(), kTapeMagic, 8) == 0;
}

uint64_t TapeHeader::file_size() const {
  return header_size + record_count * sizeof(Event) + BlockCount(record_count) * 8;
}

// --- TapeWriter -------------------------------------------------------------------------------

TapeWriter::~TapeWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!finished_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

absl::StatusOr<std::unique_ptr<TapeWriter>> TapeWriter::Create(const std::string& path,
                                                               std::vector<Instrument> instruments) {
  std::unique_ptr<TapeWriter> w(new TapeWriter());
  w->path_ = path;
  InstrumentTable check;
  for (Instrument& in : instruments) {
    if (absl::Status s = check.Add(std::move(in)); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
    }
    if (check.all().back().symbol.size() > 65535 || check.all().back().base.size() > 65535 ||
        check.all().back().quote.size() > 65535) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": instrument name too long"));
    }
  }
  w->header_.instruments = check.all();
  w->header_bytes_ = EncodeHeader(w->header_);
  w->header_.header_size = static_cast<uint32_t>(w->header_bytes_.size());
  // A temporary name beside the target, so that the final rename is atomic.
  std::string templ = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) return ErrnoError(path, "cannot create a temporary file beside it");
  w->fd_ = fd;
  w->temp_path_ = templ;
  w->temp_cleanup_ = InterruptCleanup(templ);
  ::fchmod(fd, 0644);
  TAPEDECK_RETURN_IF_ERROR(w->WriteAt(0, w->header_bytes_.data(), w->header_bytes_.size()));
  w->file_offset_ = w->header_bytes_.size();
  w->buffer_.reserve(kWriteBlock / sizeof(Event));
  HashInit(w->lanes_);
  return w;
}

uint64_t TapeWriter::bytes_written() const { return file_offset_ + buffer_.size() * sizeof(Event); }

absl::Status TapeWriter::Fail(absl::Status s) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
  return s;
}

absl::Status TapeWriter::WriteAt(uint64_t offset, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::pwrite(fd_, p, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrnoError(temp_path_, "write failed"));
    }
    p += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return absl::OkStatus();
}

absl::Status TapeWriter::FlushBuffer() {
  if (buffer_.empty()) return absl::OkStatus();
  TAPEDECK_RETURN_IF_ERROR(WriteAt(file_offset_, buffer_.data(), buffer_.size() * sizeof(Event)));
  file_offset_ += buffer_.size() * sizeof(Event);
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status TapeWriter::Append(std::span<const Event> events) {
  if (finished_ || fd_ < 0) {
    return absl::FailedPreconditionError(absl::StrCat(path_, ": append after finish or failure"));
  }
  const size_t instruments = header_.instruments.size();
  for (const Event& e : events) {
    const uint64_t index = header_.record_count;
    if (!TapeRecordOk(e, instruments)) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          path_, ": record ", index, ": ", DescribeTapeRecordFault(e, instruments).what)));
    }
    if (index == 0) {
      header_.first_exchange_ts = e.exchange_ts;
      header_.min_local_ts = e.local_ts;
      header_.max_local_ts = e.local_ts;
    } else {
      if (e.exchange_ts < header_.last_exchange_ts) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            path_, ": record ", index, ": exchange_ts ", e.exchange_ts,
            " is before the previous record's ", header_.last_exchange_ts,
            " (a tape holds one stream in exchange time order)")));
      }
      header_.min_local_ts = std::min(header_.min_local_ts, e.local_ts);
      header_.max_local_ts = std::max(header_.max_local_ts, e.local_ts);
    }
    header_.last_exchange_ts = e.exchange_ts;
    HashChunks(lanes_, reinterpret_cast<const unsigned char*>(&e), 1);
    if (++block_fill_ == kTapeBlockRecords) {
      block_sums_.push_back(HashFinal(lanes_, block_fill_ * sizeof(Event)));
      HashInit(lanes_);
      block_fill_ = 0;
    }
    ++header_.record_count;
    buffer_.push_back(e);
    // Records are 64 bytes from a multiple of 64, so one ends at each 2 MiB boundary.
    if (bytes_written() % kWriteBlock == 0) TAPEDECK_RETURN_IF_ERROR(FlushBuffer());
  }
  return absl::OkStatus();
}

absl::Status TapeWriter::Finish() {
  if (finished_ || fd_ < 0) {
    return absl::FailedPreconditionError(absl::StrCat(path_, ": finish after finish or failure"));
  }
  TAPEDECK_RETURN_IF_ERROR(FlushBuffer());
  if (block_fill_ > 0) {
    block_sums_.push_back(HashFinal(lanes_, block_fill_ * sizeof(Event)));
    block_fill_ = 0;
  }
  TAPEDECK_RETURN_IF_ERROR(WriteAt(file_offset_, block_sums_.data(), block_sums_.size() * 8));
  header_.records_checksum = TapeHash(block_sums_.data(), block_sums_.size() * 8);
  std::vector<unsigned char> bytes = EncodeHeader(header_);
  if (bytes.size() != header_bytes_.size()) {
    return Fail(absl::InternalError("Invariant: the header changed size"));
  }
  TAPEDECK_RETURN_IF_ERROR(WriteAt(0, bytes.data(), bytes.size()));
  header_.header_checksum = Load64(bytes.data() + kOffHeaderChecksum);
  if (::fsync(fd_) != 0) return Fail(ErrnoError(temp_path_, "fsync failed"));
  if (::close(fd_) != 0) {
    fd_ = -1;
    return Fail(ErrnoError(temp_path_, "close failed"));
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return Fail(ErrnoError(path_, "cannot rename the finished tape into place"));
  }
  finished_ = true;
  temp_cleanup_.Release();
  return absl::OkStatus();
}

// --- Tape -------------------------------------------------------------------------------------

Tape::~Tape() {
  if (map_ != nullptr) ::munmap(const_cast<unsigned char*>(map_), map_size_);
}

absl::StatusOr<std::unique_ptr<Tape>> Tape::Open(const std::string& path, TapeOpenOptions options) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  uint64_t file_size = 0;
  TAPEDECK_ASSIGN_OR_RETURN(TapeHeader header, OpenAndReadHeader(path, fd.get(), &file_size));
  std::unique_ptr<Tape> t(new Tape());
  t->path_ = path;
  t->header_ = std::move(header);
  void* m = ::mmap(nullptr, file_size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (m == MAP_FAILED) return ErrnoError(path, "cannot map");
  t->map_ = static_cast<const unsigned char*>(m);
  t->map_size_ = file_size;
  ::madvise(m, file_size, MADV_SEQUENTIAL);
  // Pages read from disk come into the page cache in 2 MiB folios, which replay maps with one
  // fault each instead of one per 64 KiB (see TapeWriter for tapes written here).
  ::madvise(m, file_size, MADV_HUGEPAGE);
  // The header size is a multiple of 64 and the mapping is page aligned: records are aligned
  // Events in place.
  t->records_ = std::span<const Event>(
      reinterpret_cast<const Event*>(t->map_ + t->header_.header_size), t->header_.record_count);
  if (options.verify) {
    TAPEDECK_RETURN_IF_ERROR(t->VerifyRecords());
    t->verified_ = true;
  }
  return t;
}

absl::Status Tape::VerifyRecords() {
  const uint64_t n = header_.record_count;
  const uint64_t blocks = BlockCount(n);
  const uint64_t table_offset = header_.header_size + n * sizeof(Event);
  const unsigned char* table = map_ + table_offset;
  if (TapeHash(table, blocks * 8) != header_.records_checksum) {
    return OffsetError(path_, table_offset,
                       "the checksum table does not match the header's records checksum: the "
                       "tape is corrupted");
  }
  TapeRecordChecker checker(header_.instruments.size());
  for (uint64_t b = 0; b < blocks; ++b) {
    const uint64_t first = b * kTapeBlockRecords;
    const uint64_t count = std::min<uint64_t>(kTapeBlockRecords, n - first);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(records_.data() + first);
    uint64_t lanes[8];
    HashInit(lanes);
    HashChunks(lanes, p, count);
    const uint64_t begin = header_.header_size + first * sizeof(Event);
    if (HashFinal(lanes, count * sizeof(Event)) != Load64(table + b * 8)) {
      return OffsetError(
          path_, begin,
          absl::StrCat("record checksum mismatch in records ", first, "..", first + count - 1,
                       " (bytes ", begin, "..", begin + count * sizeof(Event) - 1,
                       "): the tape is corrupted"));
    }
    // A checksum proves the bytes are those written, not that a writer wrote sense: every record
    // is checked as the writer checks it (replay/tape_records.h).
    TAPEDECK_RETURN_IF_ERROR(CheckRecords(checker, first, count));
    ReleaseBefore(first + count);
  }
  // Drop what the pass touched and start the replay's own release from the beginning.
  ::madvise(const_cast<unsigned char*>(map_), map_size_, MADV_DONTNEED);
  released_ = 0;
  return absl::OkStatus();
}

absl::Status Tape::RecordError(uint64_t index) const {
  const RecordFault f = DescribeTapeRecordFault(records_[index], header_.instruments.size());
  return OffsetError(path_, header_.header_size + index * sizeof(Event) + f.offset,
                     absl::StrCat("record ", index, ": ", f.what));
}

absl::Status Tape::CheckRecords(TapeRecordChecker& checker, uint64_t first,
                                uint64_t count) const {
  const TapeCheckResult r = checker.Check(records_.subspan(first, count));
  switch (r.fault) {
    case TapeCheckFault::kNone:
      return absl::OkStatus();
    case TapeCheckFault::kBounds:
      return RecordError(first + r.index);
    case TapeCheckFault::kBackwards:
      break;
  }
  const uint64_t index = first + r.index;
  return OffsetError(path_, header_.header_size + index * sizeof(Event),
                     absl::StrCat("record ", index, ": exchange_ts goes backwards"));
}

void Tape::ReleaseBefore(uint64_t end) {
  // Release in chunks of 32 MiB: one madvise per 512 K records costs nothing measurable.
  constexpr uint64_t kChunk = 32ull << 20;
  const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t byte_end = (header_.header_size + end * sizeof(Event)) / page * page;
  if (byte_end < released_ + kChunk && !(end == header_.record_count && byte_end > released_)) {
    return;
  }
  ::madvise(const_cast<unsigned char*>(map_) + released_, byte_end - released_, MADV_DONTNEED);
  released_ = byte_end;
}

absl::StatusOr<TapeHeader> ReadTapeHeader(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  uint64_t file_size = 0;
  return OpenAndReadHeader(path, fd.get(), &file_size);
}

absl::StatusOr<std::vector<Instrument>> ReadTapeInstruments(const std::string& path) {
  TAPEDECK_ASSIGN_OR_RETURN(TapeHeader h, ReadTapeHeader(path));
  return std::move(h.instruments);
}

}  // namespace tapedeck::replay
