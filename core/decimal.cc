#include "core/decimal.h"

#include <array>
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

namespace {
// 10^0 .. 10^38: every power of ten an Int128 holds.
constexpr int kMaxPow10_128 = 38;
constexpr std::array<Int128, kMaxPow10_128 + 1> kPow10_128 = [] {
  std::array<Int128, kMaxPow10_128 + 1> t{};
  t[0] = 1;
  for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
  return t;
}();

bool FitsInt64(Int128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}
}  // namespace

int64_t MulDivRound(int64_t a, int64_t b, int64_t c) {
  int64_t n;
  if (!__builtin_mul_overflow(a, b, &n) && n != std::numeric_limits<int64_t>::min() &&
      c != -1) {
    int64_t q = n / c;
    const int64_t r = n - q * c;  // |r| < |c| <= 2^63, so 2|r| fits in uint64
    const uint64_t twice_r = 2 * (r < 0 ? 0 - static_cast<uint64_t>(r) : static_cast<uint64_t>(r));
    const uint64_t abs_c = c < 0 ? 0 - static_cast<uint64_t>(c) : static_cast<uint64_t>(c);
    if (twice_r >= abs_c) q += ((r < 0) != (c < 0)) ? -1 : 1;
    return q;
  }
  const Int128 wide = static_cast<Int128>(a) * b;
  Int128 q = wide / c;
  const Int128 r = wide % c;
  if (2 * (r < 0 ? -r : r) >= (c < 0 ? -static_cast<Int128>(c) : static_cast<Int128>(c))) {
    q += ((r < 0) != (c < 0)) ? -1 : 1;
  }
  return static_cast<int64_t>(q);
}

bool Rescale(Int128 value, int from_scale, int to_scale, int64_t* out) {
  if (to_scale >= from_scale) {
    const int n = to_scale - from_scale;
    if (value == 0) {
      *out = 0;
      return true;
    }
    // |value| >= 1, so 10^n beyond int64 overflows; below, the product fits in an Int128.
    if (n > 18 || !FitsInt64(value)) return false;
    value *= kPow10_128[static_cast<size_t>(n)];
  } else {
    const int n = from_scale - to_scale;
    // |value| < 2^127 < 10^39 / 2: a divisor of 10^39 or more rounds every value to 0.
    if (n > kMaxPow10_128) {
      *out = 0;
      return true;
    }
    // Fees and notionals of one fill nearly always fit in 64 bits: then all in 64 bits, several
    // times cheaper than the library's 128-bit division (this runs for every fill).
    if (n <= 18 && FitsInt64(value)) {
      *out = MulDivRound(static_cast<int64_t>(value), 1, kPow10[n]);
      return true;
    }
    const Int128 d = kPow10_128[static_cast<size_t>(n)];
    const Int128 q = value / d;
    const Int128 r = value - q * d;
    value = q;
    if (2 * (r < 0 ? -r : r) >= d) value += (r < 0 ? -1 : 1);
  }
  if (!FitsInt64(value)) return false;
  *out = static_cast<int64_t>(value);
  return true;
}

}  // namespace tapedeck
