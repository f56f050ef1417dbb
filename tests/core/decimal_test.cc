#include "core/decimal.h"

#include <cstdint>
#include <limits>
#include <string>

#include "core/latency_model.h"  // SplitMix64
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

TEST(DecimalTest, ParsesExactlyAtTheInstrumentScale) {
  EXPECT_EQ(*ParseDecimal("61737.63", 2), 6173763);
  EXPECT_EQ(*ParseDecimal("0.1", 8), 10'000'000);
  EXPECT_EQ(*ParseDecimal("-1.5", 3), -1500);
  EXPECT_EQ(*ParseDecimal("+7", 0), 7);
  EXPECT_EQ(*ParseDecimal(".5", 1), 5);
  EXPECT_EQ(*ParseDecimal("3.", 2), 300);
  // 0.1 + 0.2 style values that a double round trip gets wrong stay exact.
  EXPECT_EQ(*ParseDecimal("0.30000000000000004", 17), 30'000'000'000'000'004);
}

TEST(DecimalTest, TrailingZerosBeyondTheScaleAreExact) {
  // Binance spot prints 8 decimals; a 2-decimal instrument accepts them when they are zeros.
  EXPECT_EQ(*ParseDecimal("61737.63000000", 2), 6173763);
  EXPECT_EQ(*ParseDecimal("0.00000000", 2), 0);
}

TEST(DecimalTest, TooManyDecimalsIsAnErrorNotARounding) {
  EXPECT_THAT(ParseDecimal("1.005", 2),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 2 decimals")));
  EXPECT_THAT(ParseDecimal("0.000000001", 8), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("decimals")));
}

TEST(DecimalTest, RejectsMalformedText) {
  for (const char* bad : {"", "-", ".", "1e5", "1,5", "12a", " 1", "1 ", "--1", "1.2.3", "nan"}) {
    EXPECT_FALSE(ParseDecimal(bad, 2).ok()) << "'" << bad << "'";
  }
  EXPECT_THAT(ParseDecimal("", 2), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ParseDecimal("1e5x", 2), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a decimal")));
}

// Plain syntax (configs) names exponent notation for what it is and says what to write.
TEST(DecimalTest, PlainSyntaxRefusesExponentsSayingWhatToWrite) {
  EXPECT_THAT(ParseDecimal("1e3", 8),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'1e3': exponent notation is not accepted here; write the number "
                                 "out (1000)")));
  EXPECT_THAT(ParseDecimal("2.5E-4", 8), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("write the number out (0.00025)")));
  // Too fine for the scale: still named as an exponent, with no spelling to suggest.
  EXPECT_THAT(ParseDecimal("1e-9", 2), StatusIs(absl::StatusCode::kInvalidArgument,
                                                HasSubstr("exponent notation is not accepted")));
  int64_t v = 0;
  EXPECT_FALSE(TryParseDecimal("1e3", 2, &v));
  EXPECT_FALSE(TryParseInt("1e3", &v));
}

// Exponent syntax (market-data files) reads the digits exactly: D x 10^(x - f) at the scale.
TEST(DecimalTest, ExponentSyntaxIsExactFromTheDigits) {
  constexpr DecimalSyntax kExp = DecimalSyntax::kExponent;
  EXPECT_EQ(*ParseDecimal("7.3e-7", 8, kExp), 73);
  EXPECT_EQ(*ParseDecimal("1E+3", 0, kExp), 1000);
  EXPECT_EQ(*ParseDecimal("1e3", 2, kExp), 100000);
  EXPECT_EQ(*ParseDecimal("-2.5e2", 1, kExp), -2500);
  EXPECT_EQ(*ParseDecimal("+.5e1", 0, kExp), 5);
  EXPECT_EQ(*ParseDecimal("5.e0", 0, kExp), 5);
  EXPECT_EQ(*ParseDecimal("123.456e-3", 6, kExp), 123456);
  // Digits that a double would blur stay exact.
  EXPECT_EQ(*ParseDecimal("1234567890.12345678e-2", 10, kExp), 123456789012345678);
  // Trailing zeros moved below the scale are fine; anything else is too many decimals.
  EXPECT_EQ(*ParseDecimal("1.2300e-1", 3, kExp), 123);
  EXPECT_THAT(ParseDecimal("7.3e-7", 7, kExp),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 7 decimals")));
  // Zero with any exponent is zero; a huge exponent overflows any other value.
  EXPECT_EQ(*ParseDecimal("0.000e999999999999999999", 8, kExp), 0);
  EXPECT_EQ(*ParseDecimal("0e-999999", 8, kExp), 0);
  EXPECT_THAT(ParseDecimal("1e19", 0, kExp), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("overflows")));
  EXPECT_THAT(ParseDecimal("1e999999999999", 0, kExp), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("overflows")));
  EXPECT_THAT(ParseDecimal("1e-999999999999", 8, kExp),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("decimals")));
  EXPECT_EQ(*ParseDecimal("-9.223372036854775808e18", 0, kExp), std::numeric_limits<int64_t>::min());
  EXPECT_THAT(ParseDecimal("9.223372036854775808e18", 0, kExp), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("overflows")));
  // Plain text parses as before under either syntax.
  EXPECT_EQ(*ParseDecimal("61737.63", 2, kExp), 6173763);
  for (const char* bad : {"e5", "1e", "1e+", "1e5.0", "1ee5", ".e1", "1e5 ", "1.2.3e1", "1e--1"}) {
    EXPECT_FALSE(ParseDecimal(bad, 2, kExp).ok()) << "'" << bad << "'";
  }
  EXPECT_THAT(ParseDecimal(".e1", 2, kExp), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no digits")));
}

// Exponent syntax against the plain parse of the same value written out, for random values.
TEST(DecimalTest, ExponentSyntaxAgreesWithPlainSpelling) {
  SplitMix64 rng(7);
  for (int i = 0; i < 20'000; ++i) {
    const int64_t v = static_cast<int64_t>(rng.Next() >> (1 + rng.Next() % 63)) * (i % 2 ? 1 : -1);
    const int scale = static_cast<int>(rng.Next() % 9);
    const int exp = static_cast<int>(rng.Next() % 7) - 3;
    // v x 10^-scale written as mantissa x 10^exp: the mantissa is v at scale + exp decimals.
    const int m_scale = scale + exp;
    if (m_scale < 0 || m_scale > kMaxDecimalScale) continue;
    const std::string text = FormatDecimal(v, m_scale) + "e" + std::to_string(exp);
    absl::StatusOr<int64_t> got = ParseDecimal(text, scale, DecimalSyntax::kExponent);
    ASSERT_TRUE(got.ok()) << text << ": " << got.status();
    EXPECT_EQ(*got, v) << text;
  }
}

TEST(DecimalTest, DetectsOverflow) {
  EXPECT_EQ(*ParseDecimal("9223372036854775807", 0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*ParseDecimal("-9223372036854775808", 0), std::numeric_limits<int64_t>::min());
  EXPECT_THAT(ParseDecimal("9223372036854775808", 0), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("overflows")));
  // Fits as an integer but not once scaled: 10^11 at 8 decimals is 10^19.
  EXPECT_THAT(ParseDecimal("100000000000", 8), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("overflows")));
  EXPECT_THAT(ParseDecimal("1", 19), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("scale")));
}

TEST(DecimalTest, IntegersRejectDecimalPoints) {
  int64_t v = 0;
  EXPECT_TRUE(TryParseInt("1769904000000", &v));
  EXPECT_EQ(v, 1769904000000);
  EXPECT_FALSE(TryParseInt("12.0", &v));
}

TEST(DecimalTest, FormatsWithExactlyTheScale) {
  EXPECT_EQ(FormatDecimal(-150, 2), "-1.50");
  EXPECT_EQ(FormatDecimal(5, 2), "0.05");
  EXPECT_EQ(FormatDecimal(0, 0), "0");
  EXPECT_EQ(FormatDecimal(123, 0), "123");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<int64_t>::min(), 8), "-92233720368.54775808");
}

TEST(DecimalTest, FormatAndParseRoundTrip) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{123456789}, int64_t{-987654321012}}) {
    for (int scale : {0, 2, 8}) {
      EXPECT_EQ(*ParseDecimal(FormatDecimal(v, scale), scale), v);
    }
  }
}

TEST(DecimalTest, RescaleRoundsHalfAwayFromZero) {
  int64_t out = 0;
  ASSERT_TRUE(Rescale(125, 2, 1, &out));
  EXPECT_EQ(out, 13);
  ASSERT_TRUE(Rescale(-125, 2, 1, &out));
  EXPECT_EQ(out, -13);
  ASSERT_TRUE(Rescale(124, 2, 1, &out));
  EXPECT_EQ(out, 12);
  ASSERT_TRUE(Rescale(7, 0, 3, &out));
  EXPECT_EQ(out, 7000);
  EXPECT_FALSE(Rescale(static_cast<Int128>(1) << 70, 0, 0, &out));
}

// Values beyond 64 bits take the 128-bit division; both paths round the same way.
TEST(DecimalTest, RescaleOfWideValues) {
  int64_t out = 0;
  // 1.5e20 at scale 20 (1.5) to scale 0: rounds half away from zero to 2, -2.
  const Int128 one_and_a_half = static_cast<Int128>(15) * 10'000'000'000 * 1'000'000'000;
  ASSERT_TRUE(Rescale(one_and_a_half, 20, 0, &out));
  EXPECT_EQ(out, 2);
  ASSERT_TRUE(Rescale(-one_and_a_half, 20, 0, &out));
  EXPECT_EQ(out, -2);
  // 2^70 at scale 10 to scale 0: 1180591620717411303424 / 10^10 = 118059162071.74... -> ...72.
  ASSERT_TRUE(Rescale(static_cast<Int128>(1) << 70, 10, 0, &out));
  EXPECT_EQ(out, 118'059'162'072);
  // A divisor beyond every Int128 rounds to 0; a multiplier beyond int64 overflows.
  ASSERT_TRUE(Rescale(static_cast<Int128>(1) << 100, 50, 0, &out));
  EXPECT_EQ(out, 0);
  EXPECT_FALSE(Rescale(1, 0, 19, &out));
  ASSERT_TRUE(Rescale(0, 0, 40, &out));
  EXPECT_EQ(out, 0);
  ASSERT_TRUE(Rescale(9, 0, 18, &out));
  EXPECT_EQ(out, 9'000'000'000'000'000'000);
}

// MulDivRound takes a 64-bit path where the product fits and a 128-bit one where it does not;
// both must round half away from zero exactly like the plain 128-bit reference.
Int128 MulDivReference(int64_t a, int64_t b, int64_t c) {
  const Int128 n = static_cast<Int128>(a) * b;
  Int128 q = n / c;
  const Int128 r = n % c;
  const Int128 abs_c = c < 0 ? -static_cast<Int128>(c) : static_cast<Int128>(c);
  if (2 * (r < 0 ? -r : r) >= abs_c) q += ((r < 0) != (c < 0)) ? -1 : 1;
  return q;
}

TEST(DecimalTest, MulDivRoundMatchesTheWideReference) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  // Halves in both directions and every sign combination.
  EXPECT_EQ(MulDivRound(5, 1, 2), 3);
  EXPECT_EQ(MulDivRound(-5, 1, 2), -3);
  EXPECT_EQ(MulDivRound(5, 1, -2), -3);
  EXPECT_EQ(MulDivRound(-5, -1, -2), -3);
  EXPECT_EQ(MulDivRound(7, 1, 3), 2);
  EXPECT_EQ(MulDivRound(kMax, kMax, kMax), kMax);  // the product needs 128 bits
  EXPECT_EQ(MulDivRound(kMin, 1, -2), int64_t{1} << 62);
  EXPECT_EQ(MulDivRound(kMin, 1, 1), kMin);
  EXPECT_EQ(MulDivRound(kMax, 1, -1), -kMax);
  SplitMix64 rng(0x2545F4914F6CDD1Dull);
  auto next = [&rng] { return rng.Next(); };
  for (int i = 0; i < 200'000; ++i) {
    // Magnitudes from 0 to 2^63 - 1, so that both paths and the boundary between them are taken.
    auto value = [&] {
      const int64_t v = static_cast<int64_t>(next() >> (1 + next() % 63));
      return next() % 2 == 0 ? v : -v;
    };
    const int64_t a = value();
    const int64_t c = value();
    if (c == 0) continue;
    // |b| <= |c| keeps the quotient within int64.
    const int64_t b = static_cast<int64_t>(static_cast<Int128>(value()) % c);
    ASSERT_EQ(static_cast<Int128>(MulDivRound(a, b, c)), MulDivReference(a, b, c))
        << a << " * " << b << " / " << c;
  }
}

}  // namespace
}  // namespace tapedeck
