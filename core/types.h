// Strong value types. Prices, quantities and money are fixed-point int64 values; time is int64
// nanoseconds since the Unix epoch. No double enters core.
#ifndef TAPEDECK_CORE_TYPES_H_
#define TAPEDECK_CORE_TYPES_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <utility>

namespace tapedeck {

// A span of simulated time in nanoseconds.
struct Duration {
  int64_t ns = 0;

  constexpr Duration() = default;
  constexpr explicit Duration(int64_t nanos) : ns(nanos) {}
  static constexpr Duration Nanos(int64_t n) { return Duration(n); }
  static constexpr Duration Micros(int64_t n) { return Duration(n * 1'000); }
  static constexpr Duration Millis(int64_t n) { return Duration(n * 1'000'000); }
  static constexpr Duration Seconds(int64_t n) { return Duration(n * 1'000'000'000); }
  static constexpr Duration Minutes(int64_t n) { return Seconds(n * 60); }
  static constexpr Duration Hours(int64_t n) { return Seconds(n * 3600); }
  static constexpr Duration Days(int64_t n) { return Seconds(n * 86400); }

  friend constexpr auto operator<=>(Duration, Duration) = default;
  friend constexpr Duration operator+(Duration a, Duration b) { return Duration(a.ns + b.ns); }
  friend constexpr Duration operator-(Duration a, Duration b) { return Duration(a.ns - b.ns); }
  friend constexpr Duration operator*(Duration a, int64_t k) { return Duration(a.ns * k); }
};

// A point in time: nanoseconds since 1970-01-01T00:00:00Z.
struct Timestamp {
  int64_t ns = 0;

  constexpr Timestamp() = default;
  constexpr explicit Timestamp(int64_t nanos) : ns(nanos) {}
  static constexpr Timestamp Max() { return Timestamp(std::numeric_limits<int64_t>::max()); }
  static constexpr Timestamp Min() { return Timestamp(std::numeric_limits<int64_t>::min()); }

  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
  friend constexpr Timestamp operator+(Timestamp t, Duration d) { return Timestamp(t.ns + d.ns); }
  friend constexpr Timestamp operator-(Timestamp t, Duration d) { return Timestamp(t.ns - d.ns); }
  friend constexpr Duration operator-(Timestamp a, Timestamp b) { return Duration(a.ns - b.ns); }
};

// A price as an integer count of 10^-price_scale quote units; the scale belongs to the instrument.
struct Price {
  int64_t raw = 0;

  constexpr Price() = default;
  constexpr explicit Price(int64_t r) : raw(r) {}
  friend constexpr auto operator<=>(Price, Price) = default;
};

// The difference of two prices at the same scale.
struct PriceDelta {
  int64_t raw = 0;

  constexpr PriceDelta() = default;
  constexpr explicit PriceDelta(int64_t r) : raw(r) {}
  friend constexpr auto operator<=>(PriceDelta, PriceDelta) = default;
};
constexpr PriceDelta operator-(Price a, Price b) { return PriceDelta(a.raw - b.raw); }
constexpr Price operator+(Price p, PriceDelta d) { return Price(p.raw + d.raw); }
constexpr Price operator-(Price p, PriceDelta d) { return Price(p.raw - d.raw); }

// A quantity as an integer count of 10^-qty_scale base units (or contracts); never negative in
// market data. Signed positions use `Qty` with a sign.
struct Qty {
  int64_t raw = 0;

  constexpr Qty() = default;
  constexpr explicit Qty(int64_t r) : raw(r) {}
  friend constexpr auto operator<=>(Qty, Qty) = default;
  friend constexpr Qty operator+(Qty a, Qty b) { return Qty(a.raw + b.raw); }
  friend constexpr Qty operator-(Qty a, Qty b) { return Qty(a.raw - b.raw); }
  friend constexpr Qty operator-(Qty a) { return Qty(-a.raw); }
  constexpr bool is_zero() const { return raw == 0; }
};

// Money in a quote currency, as an integer count of 10^-8 units (a satoshi of the quote asset).
struct Money {
  static constexpr int kScale = 8;
  static constexpr int64_t kOne = 100'000'000;
  int64_t raw = 0;

  constexpr Money() = default;
  constexpr explicit Money(int64_t r) : raw(r) {}
  friend constexpr auto operator<=>(Money, Money) = default;
  friend constexpr Money operator+(Money a, Money b) { return Money(a.raw + b.raw); }
  friend constexpr Money operator-(Money a, Money b) { return Money(a.raw - b.raw); }
  friend constexpr Money operator-(Money a) { return Money(-a.raw); }
  constexpr Money& operator+=(Money o) { raw += o.raw; return *this; }
  constexpr Money& operator-=(Money o) { raw -= o.raw; return *this; }
};

// A dimensionless rate (fee rate, funding rate) as an integer count of 10^-8.
// 2 bps = 0.0002 = Rate(20'000).
struct Rate {
  static constexpr int kScale = 8;
  int64_t raw = 0;

  constexpr Rate() = default;
  constexpr explicit Rate(int64_t r) : raw(r) {}
  friend constexpr auto operator<=>(Rate, Rate) = default;
};

// Identifies an instrument within one run: its index in the run's instrument table.
struct InstrumentId {
  uint16_t value = 0;

  constexpr InstrumentId() = default;
  constexpr explicit InstrumentId(uint16_t v) : value(v) {}
  friend constexpr auto operator<=>(InstrumentId, InstrumentId) = default;
};

// Identifies an order for the life of a run; assigned by the strategy's context, from 1.
struct OrderId {
  uint64_t value = 0;

  constexpr OrderId() = default;
  constexpr explicit OrderId(uint64_t v) : value(v) {}
  friend constexpr auto operator<=>(OrderId, OrderId) = default;
  constexpr bool valid() const { return value != 0; }
};

// Tags the orders whose fills make one trade, such as the two legs of a hedged pair: metrics
// and the report count the round trips of one group as one trade, its PnL the sum of its legs.
// A strategy picks the values (any non-zero number, e.g. a counter of its entries); 0 is none.
struct TradeGroup {
  uint32_t value = 0;

  constexpr TradeGroup() = default;
  constexpr explicit TradeGroup(uint32_t v) : value(v) {}
  friend constexpr auto operator<=>(TradeGroup, TradeGroup) = default;
  constexpr bool valid() const { return value != 0; }
};

template <typename H>
H AbslHashValue(H h, OrderId id) { return H::combine(std::move(h), id.value); }
template <typename H>
H AbslHashValue(H h, InstrumentId id) { return H::combine(std::move(h), id.value); }

enum class Side : uint8_t { kBuy = 0, kSell = 1 };

constexpr Side Opposite(Side s) { return s == Side::kBuy ? Side::kSell : Side::kBuy; }
constexpr int64_t SideSign(Side s) { return s == Side::kBuy ? 1 : -1; }
constexpr const char* SideName(Side s) { return s == Side::kBuy ? "buy" : "sell"; }

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_TYPES_H_
