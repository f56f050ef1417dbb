#include "replay/dbn_encoder.h"

#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace tapedeck::replay {
namespace {

constexpr size_t kSymbolLen = 71;  // symbol_cstr_len of DBN v2 and v3
constexpr size_t kFlushBytes = 1 << 20;

template <typename T>
void Put(uint8_t* p, size_t off, T v) {
  std::memcpy(p + off, &v, sizeof(T));
}

void PutText(uint8_t* p, size_t off, size_t len, const std::string& s) {
  std::memcpy(p + off, s.data(), std::min(s.size(), len - 1));  // NUL-padded, NUL-terminated
}

template <typename T>
void Append(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void AppendText(std::string* out, const std::string& s, size_t len) {
  std::string field(len, '\0');
  field.replace(0, std::min(s.size(), len - 1), s.substr(0, len - 1));
  out->append(field);
}

template <size_t N>
void Header(std::array<uint8_t, N>* r, uint8_t rtype, uint16_t publisher, uint32_t instrument,
            uint64_t ts_event) {
  static_assert(N % 4 == 0 && N / 4 < 256, "a record's length counts 4-byte words in a byte");
  (*r)[0] = static_cast<uint8_t>(N / 4);
  (*r)[1] = rtype;
  Put(r->data(), dbn::off::kPublisher, publisher);
  Put(r->data(), dbn::off::kInstrument, instrument);
  Put(r->data(), dbn::off::kTsEvent, ts_event);
}

}  // namespace

std::string EncodeDbnMetadata(const DbnMetadataSpec& spec) {
  std::string m;
  AppendText(&m, spec.dataset, 16);
  Append(&m, spec.schema);
  Append(&m, spec.start);
  Append(&m, spec.end);
  Append(&m, uint64_t{0});  // limit: none
  Append(&m, spec.stype_in);
  Append(&m, dbn::kSTypeInstrumentId);  // stype_out
  Append(&m, uint8_t{0});               // ts_out
  Append(&m, static_cast<uint16_t>(kSymbolLen));
  m.append(53, '\0');       // reserved
  Append(&m, uint32_t{0});  // schema definition: none
  Append(&m, static_cast<uint32_t>(spec.symbols.size()));
  for (const auto& s : spec.symbols) AppendText(&m, s.raw_symbol, kSymbolLen);
  Append(&m, uint32_t{0});  // partial
  Append(&m, uint32_t{0});  // not_found
  Append(&m, static_cast<uint32_t>(spec.symbols.size()));
  for (const auto& s : spec.symbols) {
    AppendText(&m, s.raw_symbol, kSymbolLen);
    Append(&m, uint32_t{1});
    Append(&m, s.start_date);
    Append(&m, s.end_date);
    AppendText(&m, absl::StrCat(s.instrument_id), kSymbolLen);
  }
  if (spec.version >= 3) m.append((8 - (dbn::kPreludeSize + m.size()) % 8) % 8, '\0');
  std::string out = "DBN";
  out.push_back(static_cast<char>(spec.version));
  Append(&out, static_cast<uint32_t>(m.size()));
  return out + m;
}

std::array<uint8_t, 56> EncodeMbo(const DbnMbo& m) {
  std::array<uint8_t, 56> r{};
  Header(&r, dbn::kRTypeMbo, m.publisher_id, m.instrument_id, m.ts_event);
  namespace off = dbn::off;
  Put(r.data(), off::kMboOrderId, m.order_id);
  Put(r.data(), off::kMboPrice, m.price);
  Put(r.data(), off::kMboSize, m.size);
  r[off::kMboFlags] = m.flags;
  r[off::kMboAction] = static_cast<uint8_t>(m.action);
  r[off::kMboSide] = static_cast<uint8_t>(m.side);
  Put(r.data(), off::kMboTsRecv, m.ts_recv);
  Put(r.data(), off::kMboTsInDelta, m.ts_in_delta);
  Put(r.data(), off::kMboSequence, m.sequence);
  return r;
}

std::array<uint8_t, 48> EncodeTrade(const DbnTrade& t) {
  std::array<uint8_t, 48> r{};
  Header(&r, dbn::kRTypeMbp0, t.publisher_id, t.instrument_id, t.ts_event);
  namespace off = dbn::off;
  Put(r.data(), off::kMbpPrice, t.price);
  Put(r.data(), off::kMbpSize, t.size);
  r[off::kMbpAction] = 'T';
  r[off::kMbpSide] = static_cast<uint8_t>(t.side);
  r[off::kMbpFlags] = t.flags;
  Put(r.data(), off::kMbpTsRecv, t.ts_recv);
  Put(r.data(), off::kMbpSequence, t.sequence);
  return r;
}

std::array<uint8_t, 520> EncodeDefinitionV3(const DbnDefinitionSpec& d) {
  std::array<uint8_t, 520> r{};
  Header(&r, dbn::kRTypeInstrumentDef, 1, d.instrument_id, d.ts_event);
  Put(r.data(), 16, d.ts_event);                                                // ts_recv
  for (size_t at = 24; at < 112; at += 8) Put(r.data(), at, dbn::kUndefPrice);  // prices, times
  Put(r.data(), 24, d.min_price_increment);
  Put(r.data(), 40, d.expiration);
  Put(r.data(), 48, dbn::kUndefTimestamp);  // activation
  Put(r.data(), 80, d.unit_of_measure_qty);
  Put(r.data(), 104, dbn::kUndefPrice);           // strike_price
  Put(r.data(), 112, uint64_t{d.instrument_id});  // raw_instrument_id
  Put(r.data(), 176, INT32_MAX);                  // contract_multiplier: undefined
  PutText(r.data(), 224, 4, d.currency);
  PutText(r.data(), 238, kSymbolLen, d.raw_symbol);
  PutText(r.data(), 330, 5, d.exchange);
  PutText(r.data(), 335, 11, d.asset);
  r[487] = static_cast<uint8_t>(d.instrument_class);
  r[493] = 'A';  // security_update_action: add
  return r;
}

DbnWriter::~DbnWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(tmp_path_.c_str());
  }
  if (cctx_ != nullptr) ZSTD_freeCCtx(cctx_);
}

absl::StatusOr<std::unique_ptr<DbnWriter>> DbnWriter::Create(const std::string& path,
                                                             const DbnMetadataSpec& metadata,
                                                             int zstd_level) {
  std::unique_ptr<DbnWriter> w(new DbnWriter());
  w->path_ = path;
  w->tmp_path_ = path + ".tmp";
  w->file_ = std::fopen(w->tmp_path_.c_str(), "wb");
  if (w->file_ == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(w->tmp_path_, ": cannot create: ", std::strerror(errno)));
  }
  if (zstd_level != 0) {
    w->cctx_ = ZSTD_createCCtx();
    if (w->cctx_ == nullptr) return absl::ResourceExhaustedError("zstd: cannot allocate");
    ZSTD_CCtx_setParameter(w->cctx_, ZSTD_c_compressionLevel, zstd_level);
    w->out_.resize(ZSTD_CStreamOutSize());
  }
  const std::string head = EncodeDbnMetadata(metadata);
  w->pending_.assign(head.begin(), head.end());
  return w;
}

absl::Status DbnWriter::Append(std::span<const uint8_t> record) {
  pending_.insert(pending_.end(), record.begin(), record.end());
  return pending_.size() >= kFlushBytes ? Flush(false) : absl::OkStatus();
}

absl::Status DbnWriter::Flush(bool end) {
  auto write = [&](const void* p, size_t n) -> absl::Status {
    if (std::fwrite(p, 1, n, file_) != n) {
      return absl::DataLossError(absl::StrCat(tmp_path_, ": write failed: ", std::strerror(errno)));
    }
    file_bytes_ += n;
    return absl::OkStatus();
  };
  if (cctx_ == nullptr) {
    absl::Status s = write(pending_.data(), pending_.size());
    pending_.clear();
    return s;
  }
  ZSTD_inBuffer in{pending_.data(), pending_.size(), 0};
  const ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
  while (true) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const size_t left = ZSTD_compressStream2(cctx_, &out, &in, mode);
    if (ZSTD_isError(left)) {
      return absl::InternalError(absl::StrCat("zstd: ", ZSTD_getErrorName(left)));
    }
    if (absl::Status s = write(out_.data(), out.pos); !s.ok()) return s;
    if (end ? left == 0 : in.pos == in.size) break;
  }
  pending_.clear();
  return absl::OkStatus();
}

absl::Status DbnWriter::Finish() {
  if (absl::Status s = Flush(true); !s.ok()) return s;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed || std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_path_.c_str());
    return absl::DataLossError(absl::StrCat(path_, ": cannot finish: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace tapedeck::replay
