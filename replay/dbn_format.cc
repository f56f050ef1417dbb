#include "replay/dbn_format.h"

#include <zstd.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tapedeck::replay::dbn {
namespace {

constexpr const char* kSchemaNames[] = {
    "mbo",      "mbp-1",    "mbp-10",     "tbbo",       "trades", "ohlcv-1s",  "ohlcv-1m",
    "ohlcv-1h", "ohlcv-1d", "definition", "statistics", "status", "imbalance", "ohlcv-eod",
    "cmbp-1",   "cbbo-1s",  "cbbo-1m",    "tcbbo",      "bbo-1s", "bbo-1m"};

constexpr uint32_t kZstdMagic = 0xFD2FB528;
constexpr uint32_t kSkippableMagicLow = 0x184D2A50;  // zstd skippable frames: ..50 to ..5F
constexpr size_t kMetadataFixedV1 = 100;  // bytes before schema_definition_length, v1 and v2+
constexpr size_t kReservedV1 = 47;
constexpr size_t kReservedV2 = 53;

uint32_t U32(std::string_view s, size_t at) {
  return Get<uint32_t>(reinterpret_cast<const uint8_t*>(s.data()), at);
}

// Reads the metadata's variable part with bounds checks; errors name the stream offset.
class MetadataCursor {
 public:
  MetadataCursor(std::string_view body, size_t pos) : body_(body), pos_(pos) {}

  absl::Status Need(size_t n, std::string_view what) const {
    if (pos_ + n <= body_.size()) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat("metadata: ", std::string(what), " at byte ", kPreludeSize + pos_,
                     " runs past the metadata's end (byte ", kPreludeSize + body_.size(), ")"));
  }
  absl::StatusOr<uint32_t> U32Field(std::string_view what) {
    if (absl::Status s = Need(4, what); !s.ok()) return s;
    const uint32_t v = U32(body_, pos_);
    pos_ += 4;
    return v;
  }
  absl::StatusOr<std::string> Text(size_t len, std::string_view what) {
    if (absl::Status s = Need(len, what); !s.ok()) return s;
    std::string out = GetText(reinterpret_cast<const uint8_t*>(body_.data()), pos_, len);
    pos_ += len;
    return out;
  }
  absl::StatusOr<std::vector<std::string>> Symbols(size_t len, std::string_view what) {
    absl::StatusOr<uint32_t> n = U32Field(what);
    if (!n.ok()) return n.status();
    if (absl::Status s = Need(static_cast<size_t>(*n) * len, what); !s.ok()) return s;
    std::vector<std::string> out;
    out.reserve(*n);
    for (uint32_t i = 0; i < *n; ++i) out.push_back(*Text(len, what));
    return out;
  }
  absl::StatusOr<uint32_t> Date(std::string_view what) {
    const size_t at = kPreludeSize + pos_;
    absl::StatusOr<uint32_t> d = U32Field(what);
    if (!d.ok()) return d;
    const uint32_t month = *d / 100 % 100, day = *d % 100;
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      return absl::InvalidArgumentError(absl::StrCat("metadata: ", std::string(what), " at byte ",
                                                     at, ": ", *d, " is not a date yyyymmdd"));
    }
    return d;
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view body_;
  size_t pos_;
};

absl::Status ParseMappings(MetadataCursor* c, size_t len, std::vector<SymbolMapping>* out) {
  absl::StatusOr<uint32_t> n = c->U32Field("symbol mapping count");
  if (!n.ok()) return n.status();
  for (uint32_t i = 0; i < *n; ++i) {
    SymbolMapping m;
    absl::StatusOr<std::string> raw = c->Text(len, "symbol mapping");
    if (!raw.ok()) return raw.status();
    m.raw_symbol = std::move(*raw);
    absl::StatusOr<uint32_t> k = c->U32Field("mapping interval count");
    if (!k.ok()) return k.status();
    if (absl::Status s = c->Need(static_cast<size_t>(*k) * (8 + len), "mapping intervals");
        !s.ok()) {
      return s;
    }
    for (uint32_t j = 0; j < *k; ++j) {
      MappingInterval iv;
      absl::StatusOr<uint32_t> start = c->Date("mapping interval start_date");
      if (!start.ok()) return start.status();
      absl::StatusOr<uint32_t> end = c->Date("mapping interval end_date");
      if (!end.ok()) return end.status();
      iv.start_date = *start;
      iv.end_date = *end;
      iv.symbol = *c->Text(len, "mapping interval symbol");
      m.intervals.push_back(std::move(iv));
    }
    out->push_back(std::move(m));
  }
  return absl::OkStatus();
}

// Whether `head` starts with a record header whose length is right for its rtype in some DBN
// version, with a plausible time (2000..2100), and so does the record after it when it fits.
bool LooksLikeRecords(std::string_view head) {
  size_t at = 0;
  int seen = 0;
  while (head.size() - at >= kHeaderSize && seen < 2) {
    const auto* p = reinterpret_cast<const uint8_t*>(head.data()) + at;
    const size_t len = size_t{p[0]} * 4;
    bool fits = false;
    for (int v = 1; v <= kMaxVersion; ++v) {
      const size_t size = RecordSize(p[1], v);
      fits |= size != 0 && (len == size || len == size + 8);
    }
    const uint64_t ts = Get<uint64_t>(p, off::kTsEvent);
    if (!fits || ts < uint64_t{946'684'800} * 1'000'000'000 ||
        ts > uint64_t{4'102'444'800} * 1'000'000'000) {
      return false;
    }
    at += len;
    ++seen;
  }
  return seen > 0;
}

}  // namespace

std::string SchemaName(uint16_t schema) {
  if (schema == kMixedSchema) return "mixed";
  if (schema < std::size(kSchemaNames)) return kSchemaNames[schema];
  return absl::StrCat("schema ", schema);
}

std::string RTypeName(uint8_t rtype) {
  switch (rtype) {
    case kRTypeMbp0: return "trades";
    case kRTypeMbp1: return "mbp-1";
    case kRTypeMbp10: return "mbp-10";
    case kRTypeOhlcvDeprecated: return "ohlcv";
    case kRTypeStatus: return "status";
    case kRTypeInstrumentDef: return "definition";
    case kRTypeImbalance: return "imbalance";
    case kRTypeError: return "error";
    case kRTypeSymbolMapping: return "symbol mapping";
    case kRTypeSystem: return "system";
    case kRTypeStatistics: return "statistics";
    case kRTypeOhlcv1S: return "ohlcv-1s";
    case kRTypeOhlcv1M: return "ohlcv-1m";
    case kRTypeOhlcv1H: return "ohlcv-1h";
    case kRTypeOhlcv1D: return "ohlcv-1d";
    case kRTypeOhlcvEod: return "ohlcv-eod";
    case kRTypeMbo: return "mbo";
    case kRTypeCmbp1: return "cmbp-1";
    case kRTypeCbbo1S: return "cbbo-1s";
    case kRTypeCbbo1M: return "cbbo-1m";
    case kRTypeTcbbo: return "tcbbo";
    case kRTypeBbo1S: return "bbo-1s";
    case kRTypeBbo1M: return "bbo-1m";
  }
  return absl::StrFormat("rtype 0x%02x", rtype);
}

size_t RecordSize(uint8_t rtype, int version) {
  switch (rtype) {
    case kRTypeMbp0: return 48;
    case kRTypeMbp1: return 80;
    case kRTypeMbp10: return 48 + 10 * off::kLevelSize;
    case kRTypeOhlcvDeprecated:
    case kRTypeOhlcv1S:
    case kRTypeOhlcv1M:
    case kRTypeOhlcv1H:
    case kRTypeOhlcv1D:
    case kRTypeOhlcvEod: return 56;
    case kRTypeStatus: return 40;
    case kRTypeInstrumentDef: return version == 1 ? 360 : version == 2 ? 400 : 520;
    case kRTypeImbalance: return 112;
    case kRTypeError:
    case kRTypeSystem: return version == 1 ? 80 : 320;
    case kRTypeSymbolMapping: return version == 1 ? 80 : 176;
    case kRTypeStatistics: return version <= 2 ? 64 : 80;
    case kRTypeMbo: return 56;
    case kRTypeCmbp1:
    case kRTypeCbbo1S:
    case kRTypeCbbo1M:
    case kRTypeTcbbo:
    case kRTypeBbo1S:
    case kRTypeBbo1M: return 80;
  }
  return 0;
}

int64_t OhlcvInterval(uint8_t rtype, uint16_t schema) {
  constexpr int64_t kSecond = 1'000'000'000;
  switch (rtype) {
    case kRTypeOhlcv1S: return kSecond;
    case kRTypeOhlcv1M: return 60 * kSecond;
    case kRTypeOhlcv1H: return 3600 * kSecond;
    case kRTypeOhlcv1D: return 86400 * kSecond;
    case kRTypeOhlcvDeprecated:
      switch (static_cast<Schema>(schema)) {
        case Schema::kOhlcv1S: return kSecond;
        case Schema::kOhlcv1M: return 60 * kSecond;
        case Schema::kOhlcv1H: return 3600 * kSecond;
        case Schema::kOhlcv1D: return 86400 * kSecond;
        default: return 0;
      }
    default: return 0;
  }
}

std::string GetText(const uint8_t* p, size_t off, size_t len) {
  const auto* s = reinterpret_cast<const char*>(p + off);
  size_t n = 0;
  while (n < len && s[n] != '\0') ++n;
  return std::string(s, n);
}

absl::StatusOr<Metadata> ParseMetadata(std::string_view body, int version) {
  Metadata m;
  m.version = version;
  if (body.size() < kMetadataFixedV1 + 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata: ", body.size(), " bytes, less than the fixed part's ", kMetadataFixedV1 + 4));
  }
  const auto* p = reinterpret_cast<const uint8_t*>(body.data());
  m.dataset = GetText(p, 0, 16);
  m.schema = Get<uint16_t>(p, 16);
  m.start = Get<uint64_t>(p, 18);
  m.end = Get<uint64_t>(p, 26);
  m.limit = Get<uint64_t>(p, 34);
  size_t pos = version == 1 ? 50 : 42;  // v1 has a record count (deprecated) after the limit
  m.stype_in = p[pos];
  m.stype_out = p[pos + 1];
  m.ts_out = p[pos + 2] != 0;
  pos += 3;
  if (version == 1) {
    m.symbol_cstr_len = 22;
    pos += kReservedV1;
  } else {
    m.symbol_cstr_len = Get<uint16_t>(p, pos);
    pos += 2 + kReservedV2;
  }
  if (m.symbol_cstr_len == 0 || m.symbol_cstr_len > 1024) {
    return absl::InvalidArgumentError(absl::StrCat("metadata: symbol length ", m.symbol_cstr_len,
                                                   " at byte ", kPreludeSize + 45,
                                                   " is not within 1..1024"));
  }
  const uint32_t schema_definition = Get<uint32_t>(p, pos);
  if (schema_definition != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata: a schema definition of ", schema_definition, " bytes at byte ",
        kPreludeSize + pos, " (DBN defines none; the file is not DBN or is corrupted)"));
  }
  MetadataCursor c(body, pos + 4);
  absl::StatusOr<std::vector<std::string>> symbols = c.Symbols(m.symbol_cstr_len, "symbols");
  if (!symbols.ok()) return symbols.status();
  m.symbols = std::move(*symbols);
  absl::StatusOr<std::vector<std::string>> partial = c.Symbols(m.symbol_cstr_len, "partial");
  if (!partial.ok()) return partial.status();
  m.partial = std::move(*partial);
  absl::StatusOr<std::vector<std::string>> not_found = c.Symbols(m.symbol_cstr_len, "not_found");
  if (!not_found.ok()) return not_found.status();
  m.not_found = std::move(*not_found);
  if (absl::Status s = ParseMappings(&c, m.symbol_cstr_len, &m.mappings); !s.ok()) return s;
  return m;
}

uint32_t UtcDate(int64_t ns) {
  const absl::CivilDay day = absl::ToCivilDay(absl::FromUnixNanos(ns), absl::UTCTimeZone());
  return static_cast<uint32_t>(day.year() * 10000 + day.month() * 100 + day.day());
}

std::string_view ContentName(Content c) {
  switch (c) {
    case Content::kNotDbn: return "not DBN";
    case Content::kDbn: return "DBN";
    case Content::kDbnZstd: return "zstd-compressed DBN";
    case Content::kDbz: return "legacy DBZ";
    case Content::kFragment: return "DBN fragment";
    case Content::kFragmentZstd: return "zstd-compressed DBN fragment";
  }
  return "?";
}

Content Classify(std::string_view head, bool decompressed) {
  if (head.size() >= 4 && head.substr(0, 3) == "DBN") {
    return decompressed ? Content::kDbnZstd : Content::kDbn;
  }
  if (!decompressed && head.size() >= 12 && (U32(head, 0) & ~0xFu) == kSkippableMagicLow &&
      head.substr(8, 3) == "DBZ") {
    return Content::kDbz;
  }
  if (LooksLikeRecords(head)) return decompressed ? Content::kFragmentZstd : Content::kFragment;
  return Content::kNotDbn;
}

Content ClassifyFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Content::kNotDbn;
  std::string raw(1 << 14, '\0');
  raw.resize(std::fread(raw.data(), 1, raw.size(), f));
  std::fclose(f);
  if (raw.size() < 4 || U32(raw, 0) != kZstdMagic) return Classify(raw, false);
  // The first decompressed bytes: enough for a prelude or two record headers.
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  std::string out(2 * kMaxRecordSize, '\0');
  ZSTD_inBuffer in{raw.data(), raw.size(), 0};
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  while (o.pos < o.size && in.pos < in.size) {
    const size_t ret = ZSTD_decompressStream(dctx.get(), &o, &in);
    if (ZSTD_isError(ret) || ret == 0) break;
  }
  out.resize(o.pos);
  return Classify(out, true);
}

}  // namespace tapedeck::replay::dbn
