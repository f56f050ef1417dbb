#include "replay/csv_common.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace tapedeck::replay::csv {

absl::StatusOr<const Instrument*> RequireInstrument(const SourceSpec& spec,
                                                    const InstrumentTable& instruments,
                                                    std::string_view format) {
  if (spec.instrument.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.where, ".instrument: required for format ", std::string(format),
                     ", whose rows carry no symbol"));
  }
  absl::StatusOr<InstrumentId> id = instruments.Find(spec.instrument);
  if (!id.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.where, ".instrument: ", std::string(id.status().message())));
  }
  return &instruments.at(*id);
}

absl::StatusOr<ConfigObject> Options(const SourceSpec& spec) {
  return ConfigObject::Of(&spec.options, spec.where + ".options");
}

std::vector<std::string> SplitOwned(std::string_view line) {
  std::vector<std::string_view> views;
  SplitFields(line, ',', &views);
  return std::vector<std::string>(views.begin(), views.end());
}

bool IsUnsignedInt(std::string_view text) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsDecimal(std::string_view text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  bool digits = false;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits;
}

bool ParseBool(std::string_view text, bool* out) {
  auto equals = [text](std::string_view lower) {
    if (text.size() != lower.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != lower[i]) return false;
    }
    return true;
  };
  if (equals("true")) {
    *out = true;
    return true;
  }
  if (equals("false")) {
    *out = false;
    return true;
  }
  return false;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
  }
  return out;
}

bool SameColumnSet(const std::vector<std::string>& header,
                   const std::vector<std::string_view>& wanted) {
  if (header.size() != wanted.size()) return false;
  for (std::string_view w : wanted) {
    if (std::count(header.begin(), header.end(), w) != 1) return false;
  }
  return true;
}

bool SameColumns(const std::vector<std::string>& header,
                 const std::vector<std::string_view>& wanted) {
  if (header.size() != wanted.size()) return false;
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (header[i] != wanted[i]) return false;
  }
  return true;
}

absl::Status MapColumns(const LineReader& reader, const std::vector<std::string>& header,
                        const std::vector<std::string_view>& wanted, std::vector<size_t>* index) {
  index->assign(wanted.size(), 0);
  for (size_t i = 0; i < header.size(); ++i) {
    const auto it = std::find(wanted.begin(), wanted.end(), header[i]);
    if (it == wanted.end()) {
      return reader.Error("header", absl::StrCat("unknown column '", header[i], "' (expected ",
                                                 JoinNames(wanted), ")"));
    }
    if (std::count(header.begin(), header.begin() + static_cast<ptrdiff_t>(i), header[i]) > 0) {
      return reader.Error("header", absl::StrCat("column '", header[i], "' appears twice"));
    }
    (*index)[static_cast<size_t>(it - wanted.begin())] = i;
  }
  for (std::string_view w : wanted) {
    if (std::find(header.begin(), header.end(), w) == header.end()) {
      return reader.Error("header", absl::StrCat("missing column '", std::string(w),
                                                 "' (expected ", JoinNames(wanted), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<LineReader>> OpenWithFirstLine(const std::string& path,
                                                              std::string* first) {
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  std::string_view line;
  // Leading blank lines carry nothing; the first non-blank line decides header or data.
  while (reader->Next(&line)) {
    if (!line.empty()) {
      *first = std::string(line);
      return reader;
    }
  }
  TAPEDECK_RETURN_IF_ERROR(reader->status());
  return absl::InvalidArgumentError(absl::StrCat(path, ":1: empty file (no header and no rows)"));
}

absl::Status CsvSource::ReadMore(std::vector<Event>* out) {
  // Decode up to a few hundred events per call so that the virtual call amortises.
  const size_t target = out->size() + 256;
  std::string_view line;
  while (out->size() < target) {
    if (has_pending_) {
      has_pending_ = false;
      line = pending_;
    } else if (!reader_->Next(&line)) {
      TAPEDECK_RETURN_IF_ERROR(reader_->status());
      TAPEDECK_RETURN_IF_ERROR(AtEnd(out));
      Finish();
      return absl::OkStatus();
    }
    if (line.empty()) continue;
    SplitFields(line, ',', &fields_);
    if (fields_.size() != columns_.size()) {
      return Error("", absl::StrCat("expected ", columns_.size(), " fields (",
                                    JoinNames(columns_), "), got ", fields_.size()));
    }
    TAPEDECK_RETURN_IF_ERROR(ParseRow(out));
  }
  return absl::OkStatus();
}

absl::Status CsvSource::DecimalError(size_t i, int scale, bool allow_negative) const {
  absl::StatusOr<int64_t> v = ParseDecimal(fields_[i], scale, DecimalSyntax::kExponent);
  if (!v.ok()) return Error(column(i), v.status());
  if (!allow_negative && *v < 0) {
    return Error(column(i), absl::StrCat("negative value '", std::string(fields_[i]), "'"));
  }
  return absl::InternalError("unreachable: decimal parsed on the second try");
}

absl::Status CsvSource::IntError(size_t i) const {
  absl::StatusOr<int64_t> v = ParseInt(fields_[i]);
  if (!v.ok()) {
    if (fields_[i].find('.') != std::string_view::npos) {
      return Error(column(i),
                   absl::StrCat("not an integer: '", std::string(fields_[i].substr(0, 40)), "'"));
    }
    return Error(column(i), v.status());
  }
  if (*v < 0) {
    return Error(column(i), absl::StrCat("negative value '", std::string(fields_[i]), "'"));
  }
  return absl::InternalError("unreachable: integer parsed on the second try");
}

absl::Status CsvSource::Bool(size_t i, bool* out) const {
  if (ParseBool(fields_[i], out)) return absl::OkStatus();
  return Error(column(i), absl::StrCat("'", std::string(fields_[i].substr(0, 40)),
                                       "' is not true or false"));
}

absl::Status CsvSource::ScaleTime(size_t i, int64_t value, int64_t unit_ns, int64_t* ns) const {
  if (value > std::numeric_limits<int64_t>::max() / unit_ns) {
    return Error(column(i), absl::StrCat("time ", value, " overflows int64 nanoseconds"));
  }
  *ns = value * unit_ns;
  return absl::OkStatus();
}

absl::Status CsvSource::MillisOrMicros(size_t i, int64_t* ns) const {
  int64_t v = 0;
  TAPEDECK_RETURN_IF_ERROR(Integer(i, &v));
  return ScaleTime(i, v, v > 1'000'000'000'000'000 ? 1'000 : 1'000'000, ns);
}

absl::Status CsvSource::BackwardsError(std::string_view column_name, int64_t ts) const {
  return Error(column_name, absl::StrCat("timestamp goes backwards (",
                                         FormatTimestamp(Timestamp(ts)), " after ",
                                         FormatTimestamp(Timestamp(last_ts_)), ")"));
}

}  // namespace tapedeck::replay::csv
