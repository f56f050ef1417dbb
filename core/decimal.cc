#include "core/decimal.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tapedeck {
namespace {

constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1'000,
                              10'000,
                              100'000,
                              1'000'000,
                              10'000'000,
                              100'000'000,
                              1'000'000'000,
                              10'000'000'000,
                              100'000'000'000,
                              1'000'000'000'000,
                              10'000'000'000'000,
                              100'000'000'000'000,
                              1'000'000'000'000'000,
                              10'000'000'000'000'000,
                              100'000'000'000'000'000,
                              1'000'000'000'000'000'000};

enum class ParseError { kNone, kEmpty, kBadChar, kNoDigits, kTooManyDecimals, kOverflow, kScale };

// The single implementation behind every decimal parse in the project.
ParseError ParseImpl(std::string_view s, int scale, int64_t* out) {
  if (scale < 0 || scale > kMaxDecimalScale) return ParseError::kScale;
  if (s.empty()) return ParseError::kEmpty;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    i = 1;
  }
  // Accumulate the magnitude as a negative number so that INT64_MIN parses.
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t acc = 0;
  int digits = 0;
  auto push = [&](int d) -> bool {
    if (acc < kMin / 10) return false;
    acc *= 10;
    if (acc < kMin + d) return false;
    acc -= d;
    return true;
  };
  for (; i < s.size() && s[i] != '.'; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return ParseError::kBadChar;
    if (!push(c - '0')) return ParseError::kOverflow;
    ++digits;
  }
  int decimals = 0;
  if (i < s.size()) {  // s[i] == '.'
    for (++i; i < s.size(); ++i) {
      const char c = s[i];
      if (c < '0' || c > '9') return ParseError::kBadChar;
      ++digits;
      if (decimals < scale) {
        if (!push(c - '0')) return ParseError::kOverflow;
        ++decimals;
      } else if (c != '0') {
        return ParseError::kTooManyDecimals;
      }
    }
  }
  if (digits == 0) return ParseError::kNoDigits;
  for (; decimals < scale; ++decimals) {
    if (!push(0)) return ParseError::kOverflow;
  }
  if (!negative) {
    if (acc == kMin) return ParseError::kOverflow;
    acc = -acc;
  }
  *out = acc;
  return ParseError::kNone;
}

absl::Status ToStatus(ParseError e, std::string_view text, int scale) {
  std::string shown(text.substr(0, 40));
  if (text.size() > 40) shown += "...";
  switch (e) {
    case ParseError::kNone:
      return absl::OkStatus();
    case ParseError::kEmpty:
      return absl::InvalidArgumentError("empty number");
    case ParseError::kBadChar:
      return absl::InvalidArgumentError(absl::StrCat("not a decimal number: '", shown, "'"));
    case ParseError::kNoDigits:
      return absl::InvalidArgumentError(absl::StrCat("no digits in number: '", shown, "'"));
    case ParseError::kTooManyDecimals:
      return absl::InvalidArgumentError(absl::StrCat("'", shown, "' has more than ", scale,
                                                     " decimals, the instrument's scale"));
    case ParseError::kOverflow:
      return absl::OutOfRangeError(
          absl::StrCat("'", shown, "' overflows a 64-bit fixed-point value at scale ", scale));
    case ParseError::kScale:
      return absl::InvalidArgumentError(absl::StrCat("scale ", scale, " is outside 0..18"));
  }
  return absl::InternalError("unreachable");
}

}  // namespace

absl::StatusOr<int64_t> ParseDecimal(std::string_view text, int scale) {
  int64_t v = 0;
  const ParseError e = ParseImpl(text, scale, &v);
  if (e != ParseError::kNone) return ToStatus(e, text, scale);
  return v;
}

bool TryParseDecimal(std::string_view text, int scale, int64_t* out) {
  return ParseImpl(text, scale, out) == ParseError::kNone;
}

absl::StatusOr<int64_t> ParseInt(std::string_view text) { return ParseDecimal(text, 0); }

bool TryParseInt(std::string_view text, int64_t* out) {
  // Integers have no decimal point at all: "12.0" is not a timestamp.
  if (text.find('.') != std::string_view::npos) return false;
  return ParseImpl(text, 0, out) == ParseError::kNone;
}

std::string FormatDecimal(int64_t raw, int scale) {
  const bool negative = raw < 0;
  // Work in unsigned so that INT64_MIN formats.
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(raw) : static_cast<uint64_t>(raw);
  char buf[48];
  int pos = static_cast<int>(sizeof(buf));
  int written = 0;
  do {
    if (written == scale && scale > 0) buf[--pos] = '.';
    buf[--pos] = static_cast<char>('0' + mag % 10);
    mag /= 10;
    ++written;
  } while (mag != 0 || written <= scale);
  if (negative) buf[--pos] = '-';
  return std::string(buf + pos, sizeof(buf) - static_cast<size_t>(pos));
}

int64_t Pow10(int n) { return kPow10[n]; }

bool Rescale(Int128 value, int from_scale, int to_scale, int64_t* out) {
  if (to_scale >= from_scale) {
    Int128 m = 1;
    for (int i = from_scale; i < to_scale; ++i) m *= 10;
    value *= m;
  } else {
    Int128 d = 1;
    for (int i = to_scale; i < from_scale; ++i) d *= 10;
    const Int128 q = value / d;
    const Int128 r = value % d;
    value = q;
    if (2 * (r < 0 ? -r : r) >= d) value += (r < 0 ? -1 : 1);
  }
  if (value > std::numeric_limits<int64_t>::max() || value < std::numeric_limits<int64_t>::min()) {
    return false;
  }
  *out = static_cast<int64_t>(value);
  return true;
}

}  // namespace tapedeck
