// Exact conversion between decimal text and fixed-point integers, and the fixed-point arithmetic
// that turns price x quantity into money. Text is converted once, at ingest; there is no double
// round trip anywhere.
#ifndef TAPEDECK_CORE_DECIMAL_H_
#define TAPEDECK_CORE_DECIMAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tapedeck {

inline constexpr int kMaxDecimalScale = 18;

// 128-bit intermediates for price x quantity x multiplier products.
__extension__ typedef __int128 Int128;

// How a decimal may be written. Configs take plain decimals only (README: "decimals are strings
// or JSON numbers without an exponent"); market-data files may carry exponent notation (Tardis
// writes small amounts as "7.3e-7"), which is read exactly from its digits, never through double.
enum class DecimalSyntax : uint8_t {
  kPlain,     // "-123.4500", "7", ".5", "+1."; an exponent is an error that says so
  kExponent,  // also "7.3e-7", "1E+3", "-2.5e2": mantissa as above, then e|E, sign, digits
};

// Parses decimal text ("-123.4500", "7", ".5", "+1.") into an integer count of 10^-scale units.
// Exact: trailing zeros past the scale are accepted, any other digit past the scale is an error
// (never a silent rounding), as are empty text, stray characters and int64 overflow; an exponent
// is an error unless `syntax` is kExponent (then "1.5e-3" is the decimal 0.0015, with the same
// scale and overflow rules). The error message says what is wrong but not where; callers prefix
// file:line and field.
absl::StatusOr<int64_t> ParseDecimal(std::string_view text, int scale,
                                     DecimalSyntax syntax = DecimalSyntax::kPlain);

// Fast path for readers: the same rules as ParseDecimal, but reports failure as false and leaves
// the reason to a later call of ParseDecimal (so the hot loop builds no Status). Exponents cost
// nothing on plain text: they are looked at only where plain parsing stops at an 'e' or 'E'.
bool TryParseDecimal(std::string_view text, int scale, int64_t* out,
                     DecimalSyntax syntax = DecimalSyntax::kPlain);

// "1000" for "1e3", "0.00000073" for "7.3e-7", "-2500" for "-2.5e2": the exact spelling without
// an exponent of a number in exponent notation, for messages that say what to write instead;
// empty when `text` is not one, or when its exponent is beyond +-1000.
std::string SpellWithoutExponent(std::string_view text);

// Parses a decimal integer (timestamps, ids). Same strictness as ParseDecimal with scale 0.
absl::StatusOr<int64_t> ParseInt(std::string_view text);
bool TryParseInt(std::string_view text, int64_t* out);

// Formats raw / 10^scale with exactly `scale` decimals ("-1.50" for raw=-150, scale=2).
std::string FormatDecimal(int64_t raw, int scale);

// Returns 10^n for 0 <= n <= 18.
int64_t Pow10(int n);

// Rescales `value` (at 10^-from_scale) to 10^-to_scale, rounding half away from zero when the
// target is coarser. Returns false on int64 overflow.
bool Rescale(Int128 value, int from_scale, int to_scale, int64_t* out);

// a * b / c (c != 0) rounded half away from zero, exact: the product is taken in 128 bits
// where it does not fit in 64. The quotient must fit in int64 (it does for a share of an
// amount: |b| <= |c|).
int64_t MulDivRound(int64_t a, int64_t b, int64_t c);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_DECIMAL_H_
