#include "core/decimal.h"

#include <algorithm>
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

enum class ParseError {
  kNone,
  kEmpty,
  kBadChar,
  kNoDigits,
  kTooManyDecimals,
  kOverflow,
  kScale,
  kExponent,  // well-formed exponent notation where only plain decimals are accepted
};

// Accumulates decimal digits into a NEGATIVE magnitude, so that INT64_MIN parses.
struct Accumulator {
  static constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t acc = 0;
  bool Push(int d) {
    if (acc < kMin / 10) return false;
    acc *= 10;
    if (acc < kMin + d) return false;
    acc -= d;
    return true;
  }
  // The signed value; false when a positive magnitude of 2^63 does not fit.
  bool Finish(bool negative, int64_t* out) const {
    if (!negative && acc == kMin) return false;
    *out = negative ? acc : -acc;
    return true;
  }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Exponent notation ("7.3e-7", "-1.5E+3"): mantissa digits D with f of them after the point and
// exponent x give D x 10^(x - f), so the raw value at `scale` is D x 10^(x - f + scale). Digits
// shifted below the scale must be zeros (exact or an error, as for plain text); the exponent
// is read with a clamp, since beyond 10^5 any non-zero mantissa overflows or loses digits.
ParseError ParseExponentForm(std::string_view s, int scale, int64_t* out) {
  size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) i = 1;
  const size_t int_begin = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  const size_t int_end = i;
  size_t frac_begin = i, frac_end = i;
  if (i < s.size() && s[i] == '.') {
    frac_begin = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    frac_end = i;
  }
  const size_t int_digits = int_end - int_begin, frac_digits = frac_end - frac_begin;
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return ParseError::kBadChar;
  if (int_digits + frac_digits == 0) return ParseError::kNoDigits;
  ++i;
  const bool exp_negative = i < s.size() && s[i] == '-';
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i >= s.size()) return ParseError::kBadChar;
  constexpr int64_t kExpClamp = 100'000;
  int64_t exp = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return ParseError::kBadChar;
    exp = std::min<int64_t>(exp * 10 + (s[i] - '0'), kExpClamp);
  }
  if (exp_negative) exp = -exp;
  // The mantissa's digits, integer part then fraction, without the point.
  const size_t n = int_digits + frac_digits;
  auto digit = [&](size_t k) { return k < int_digits ? s[int_begin + k] : s[frac_begin + k - int_digits]; };
  const int64_t shift = exp - static_cast<int64_t>(frac_digits) + scale;
  size_t keep = n;
  if (shift < 0) {
    const uint64_t drop = static_cast<uint64_t>(-shift);
    keep = drop >= n ? 0 : n - static_cast<size_t>(drop);
    for (size_t k = keep; k < n; ++k) {
      if (digit(k) != '0') return ParseError::kTooManyDecimals;
    }
  }
  Accumulator a;
  for (size_t k = 0; k < keep; ++k) {
    if (!a.Push(digit(k) - '0')) return ParseError::kOverflow;
  }
  // Zeros appended to a zero stay zero; otherwise more than 19 of them overflow any int64.
  if (shift > 0 && a.acc != 0) {
    if (shift > 19) return ParseError::kOverflow;
    for (int64_t k = 0; k < shift; ++k) {
      if (!a.Push(0)) return ParseError::kOverflow;
    }
  }
  if (!a.Finish(negative, out)) return ParseError::kOverflow;
  return ParseError::kNone;
}

// Where plain parsing met a character that is not a digit or the point: exponent notation is
// read when allowed, and named as such when not (so configs can say what to write instead).
ParseError NotPlain(std::string_view s, int scale, DecimalSyntax syntax, int64_t* out) {
  if (syntax == DecimalSyntax::kExponent) return ParseExponentForm(s, scale, out);
  int64_t ignored = 0;
  const ParseError e = ParseExponentForm(s, scale, &ignored);
  if (e == ParseError::kNone || e == ParseError::kTooManyDecimals || e == ParseError::kOverflow) {
    return ParseError::kExponent;
  }
  return e == ParseError::kNoDigits ? ParseError::kNoDigits : ParseError::kBadChar;
}

// The single implementation behind every decimal parse in the project. Plain text runs one loop
// over the characters; exponent notation leaves it at the 'e' (NotPlain).
ParseError ParseImpl(std::string_view s, int scale, DecimalSyntax syntax, int64_t* out) {
  if (scale < 0 || scale > kMaxDecimalScale) return ParseError::kScale;
  if (s.empty()) return ParseError::kEmpty;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    i = 1;
  }
  Accumulator a;
  int digits = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    const char c = s[i];
    if (!IsDigit(c)) return NotPlain(s, scale, syntax, out);
    if (!a.Push(c - '0')) return ParseError::kOverflow;
    ++digits;
  }
  int decimals = 0;
  if (i < s.size()) {  // s[i] == '.'
    for (++i; i < s.size(); ++i) {
      const char c = s[i];
      if (!IsDigit(c)) return NotPlain(s, scale, syntax, out);
      ++digits;
      if (decimals < scale) {
        if (!a.Push(c - '0')) return ParseError::kOverflow;
        ++decimals;
      } else if (c != '0') {
        // A non-zero digit past the scale, unless an exponent later moves the point.
        if (s.find_first_of("eE", i) != std::string_view::npos) return NotPlain(s, scale, syntax, out);
        return ParseError::kTooManyDecimals;
      }
    }
  }
  if (digits == 0) return ParseError::kNoDigits;
  for (; decimals < scale; ++decimals) {
    if (!a.Push(0)) return ParseError::kOverflow;
  }
  if (!a.Finish(negative, out)) return ParseError::kOverflow;
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
    case ParseError::kExponent: {
      const std::string plain = SpellWithoutExponent(text);
      return absl::InvalidArgumentError(absl::StrCat(
          "'", shown, "': exponent notation is not accepted here; write the number out",
          plain.empty() ? std::string() : absl::StrCat(" (", plain, ")")));
    }
  }
  return absl::InternalError("unreachable");
}

}  // namespace

absl::StatusOr<int64_t> ParseDecimal(std::string_view text, int scale, DecimalSyntax syntax) {
  int64_t v = 0;
  const ParseError e = ParseImpl(text, scale, syntax, &v);
  if (e != ParseError::kNone) return ToStatus(e, text, scale);
  return v;
}

bool TryParseDecimal(std::string_view text, int scale, int64_t* out, DecimalSyntax syntax) {
  return ParseImpl(text, scale, syntax, out) == ParseError::kNone;
}

absl::StatusOr<int64_t> ParseInt(std::string_view text) { return ParseDecimal(text, 0); }

bool TryParseInt(std::string_view text, int64_t* out) {
  // Integers have no decimal point at all: "12.0" is not a timestamp.
  if (text.find('.') != std::string_view::npos) return false;
  return ParseImpl(text, 0, DecimalSyntax::kPlain, out) == ParseError::kNone;
}

std::string SpellWithoutExponent(std::string_view text) {
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) i = 1;
  std::string digits;
  int64_t point = -1;  // digits before the point
  for (; i < text.size() && (IsDigit(text[i]) || (text[i] == '.' && point < 0)); ++i) {
    if (text[i] == '.') {
      point = static_cast<int64_t>(digits.size());
    } else {
      digits += text[i];
    }
  }
  if (point < 0) point = static_cast<int64_t>(digits.size());
  if (digits.empty() || i >= text.size() || (text[i] != 'e' && text[i] != 'E')) return "";
  ++i;
  const bool exp_negative = i < text.size() && text[i] == '-';
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  if (i >= text.size()) return "";
  int64_t exp = 0;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return "";
    exp = exp * 10 + (text[i] - '0');
    if (exp > 1000) return "";
  }
  point += exp_negative ? -exp : exp;
  const int64_t n = static_cast<int64_t>(digits.size());
  std::string whole, frac;
  if (point <= 0) {
    frac.assign(static_cast<size_t>(-point), '0');
    frac.append(digits);
  } else if (point >= n) {
    whole = digits;
    whole.append(static_cast<size_t>(point - n), '0');
  } else {
    whole = digits.substr(0, static_cast<size_t>(point));
    frac = digits.substr(static_cast<size_t>(point));
  }
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (whole.empty()) whole.push_back('0');
  const bool zero = whole == "0" && frac.empty();
  return absl::StrCat(negative && !zero ? "-" : "", whole, frac.empty() ? "" : ".", frac);
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
