// Shared machinery of the text/CSV market-data readers (generic CSV, Binance Vision, Tardis):
// the row loop over a LineReader, exact field parsing with `path:line: column: reason` errors,
// timestamp-order checks, header matching and the instrument and option lookups of a SourceSpec.
#ifndef TAPEDECK_REPLAY_CSV_COMMON_H_
#define TAPEDECK_REPLAY_CSV_COMMON_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/instrument.h"
#include "replay/batch_source.h"
#include "replay/line_reader.h"
#include "replay/source_factory.h"

namespace tapedeck::replay::csv {

// The instrument named by spec.instrument; an error naming `<where>.instrument` when it is
// missing or not in the table.
absl::StatusOr<const Instrument*> RequireInstrument(const SourceSpec& spec,
                                                    const InstrumentTable& instruments,
                                                    std::string_view format);

// The spec's options as a ConfigObject at `<where>.options` (an error unless an object). The
// caller reads its keys and then calls Finish() so that unknown keys are errors.
absl::StatusOr<ConfigObject> Options(const SourceSpec& spec);

// Splits a header or data line at commas into owned strings (for detection and headers).
std::vector<std::string> SplitOwned(std::string_view line);

// True when `text` is an unsigned decimal integer (no sign, no point), for shape detection.
bool IsUnsignedInt(std::string_view text);
// True when `text` is a plain decimal number ("12", "-0.5", "3.").
bool IsDecimal(std::string_view text);
// "true"/"false" in any letter case (futures files say true, spot files say True).
bool ParseBool(std::string_view text, bool* out);

// Joins names with commas for messages: "ts,price,qty,side".
std::string JoinNames(const std::vector<std::string_view>& names);

// True when `header` holds exactly the names in `wanted`, in any order.
bool SameColumnSet(const std::vector<std::string>& header,
                   const std::vector<std::string_view>& wanted);
// True when `header` is exactly `wanted`, in order.
bool SameColumns(const std::vector<std::string>& header,
                 const std::vector<std::string_view>& wanted);

// Finds each of `wanted` in `header` (*index[k] = position of wanted[k]); a missing, unknown or
// repeated column is an error "path:line: header: ..." (the reader is on the header line).
absl::Status MapColumns(const LineReader& reader, const std::vector<std::string>& header,
                        const std::vector<std::string_view>& wanted, std::vector<size_t>* index);

// Opens `path` and reads its first non-blank line into *first; "path: empty file" when there is
// none.
absl::StatusOr<std::unique_ptr<LineReader>> OpenWithFirstLine(const std::string& path,
                                                              std::string* first);

// Base of the CSV readers. The derived class reads the header in its open function (through
// reader()), then implements ParseRow for one data row split into fields().
class CsvSource : public BatchSource {
 public:
  std::string Describe() const override { return reader_->path(); }
  int64_t InputBytesRead() const override { return reader_->stored_bytes_read(); }

 protected:
  explicit CsvSource(std::unique_ptr<LineReader> reader) : reader_(std::move(reader)) {}

  // Makes `line` (the first line, already read, that was not a header) the first data row.
  void PushBackFirstRow(std::string line) {
    pending_ = std::move(line);
    has_pending_ = true;
  }

  // Column names of the data rows, for messages and the field-count check.
  void SetColumns(std::vector<std::string_view> names) { columns_ = std::move(names); }

  // Decodes the row in fields() (already checked to have columns().size() fields) into *out.
  virtual absl::Status ParseRow(std::vector<Event>* out) = 0;
  // Called once at the end of the input (after the last row): flush held-back events.
  virtual absl::Status AtEnd(std::vector<Event>* out) {
    (void)out;
    return absl::OkStatus();
  }

  const LineReader& reader() const { return *reader_; }
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::string_view column(size_t i) const { return columns_[i]; }

  absl::Status Error(std::string_view field, std::string_view what) const {
    return reader_->Error(field, what);
  }
  // The message of `cause` (from ParseDecimal and friends), placed at this line and field.
  absl::Status Error(std::string_view field, const absl::Status& cause) const {
    return reader_->Error(field, std::string(cause.message()));
  }

  // Exact decimal of column i at `scale`; negative values are errors. Data files may write
  // decimals in exponent notation ("7.3e-7"), read exactly (core/decimal.h).
  absl::Status NonNegative(size_t i, int scale, int64_t* out) const {
    if (TryParseDecimal(fields_[i], scale, out, DecimalSyntax::kExponent) && *out >= 0) {
      return absl::OkStatus();
    }
    return DecimalError(i, scale, /*allow_negative=*/false);
  }
  // Exact decimal of column i at `scale`, of either sign (funding rates).
  absl::Status Signed(size_t i, int scale, int64_t* out) const {
    if (TryParseDecimal(fields_[i], scale, out, DecimalSyntax::kExponent)) return absl::OkStatus();
    return DecimalError(i, scale, /*allow_negative=*/true);
  }
  // A non-negative integer of column i (ids, epoch counts).
  absl::Status Integer(size_t i, int64_t* out) const {
    if (TryParseInt(fields_[i], out) && *out >= 0) return absl::OkStatus();
    return IntError(i);
  }
  absl::Status Bool(size_t i, bool* out) const;

  // Epoch count in `unit_ns` nanoseconds per unit → ns, with an overflow check.
  absl::Status ScaleTime(size_t i, int64_t value, int64_t unit_ns, int64_t* ns) const;
  // Binance epoch count of column i: milliseconds, or microseconds when above 1e15 (Binance
  // writes µs in spot files from 2025 on) → ns.
  absl::Status MillisOrMicros(size_t i, int64_t* ns) const;

  // Timestamps never go backwards within a file: `ts` (of column i) must be >= the previous one.
  absl::Status CheckOrder(size_t i, int64_t ts) {
    if (ts >= last_ts_) {
      last_ts_ = ts;
      return absl::OkStatus();
    }
    return BackwardsError(column(i), ts);
  }
  absl::Status BackwardsError(std::string_view column_name, int64_t ts) const;

 private:
  absl::Status ReadMore(std::vector<Event>* out) final;
  absl::Status DecimalError(size_t i, int scale, bool allow_negative) const;
  absl::Status IntError(size_t i) const;

  std::unique_ptr<LineReader> reader_;
  std::vector<std::string_view> columns_;
  std::vector<std::string_view> fields_;
  std::string pending_;
  bool has_pending_ = false;
  int64_t last_ts_ = INT64_MIN;
};

}  // namespace tapedeck::replay::csv

#endif  // TAPEDECK_REPLAY_CSV_COMMON_H_
