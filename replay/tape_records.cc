#include "replay/tape_records.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>

#include "absl/strings/str_cat.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TAPEDECK_TAPE_CHECK_AVX2 1
#endif

namespace tapedeck::replay {
namespace {

// The byte offset of `field` within the record `e`.
template <typename T>
uint32_t At(const Event& e, const T& field) {
  return static_cast<uint32_t>(reinterpret_cast<const char*>(&field) -
                               reinterpret_cast<const char*>(&e));
}

RecordFault Negative(const Event& e, const Qty& q, const char* name) {
  return {At(e, q), absl::StrCat(name, " ", q.raw, " is negative")};
}

RecordFault BadSide(const Event& e, const Side& s, const char* name) {
  return {At(e, s), absl::StrCat(name, " ", static_cast<int>(s), " is not a side (0 buy, 1 sell)")};
}

RecordFault BadFlags(const Event& e, const uint8_t& f) {
  return {At(e, f), absl::StrCat("book flags 0x", absl::Hex(f), " include unknown bits")};
}

RecordFault PayloadFault(const Event& e) {
  switch (e.kind) {
    case EventKind::kTrade:
    case EventKind::kLiquidation:
      if (e.trade.qty.raw < 0) return Negative(e, e.trade.qty, "quantity");
      return BadSide(e, e.trade.aggressor, "aggressor");
    case EventKind::kQuote:
      if (e.quote.bid_qty.raw < 0) return Negative(e, e.quote.bid_qty, "bid quantity");
      return Negative(e, e.quote.ask_qty, "ask quantity");
    case EventKind::kBookLevel:
      if (e.level.qty.raw < 0) return Negative(e, e.level.qty, "level quantity");
      if (!tape_internal::SideOk(e.level.side)) return BadSide(e, e.level.side, "side");
      return BadFlags(e, e.level.flags);
    case EventKind::kOpenInterest:
      return Negative(e, e.open_interest.qty, "open interest");
    case EventKind::kBar:
      return Negative(e, e.bar.volume, "bar volume");
    case EventKind::kL3Order:
      if (e.l3.qty.raw < 0) return Negative(e, e.l3.qty, "order quantity");
      if (!tape_internal::SideOk(e.l3.side)) return BadSide(e, e.l3.side, "side");
      if (static_cast<uint8_t>(e.l3.action) > static_cast<uint8_t>(L3Action::kExecute)) {
        return {At(e, e.l3.action),
                absl::StrCat("L3 action ", static_cast<int>(e.l3.action), " is not 0..3")};
      }
      return BadFlags(e, e.l3.flags);
    default:
      return {At(e, e.kind), "invariant: no fault found"};
  }
}

}  // namespace

RecordFault DescribeTapeRecordFault(const Event& e, size_t instruments) {
  const int kind = static_cast<int>(e.kind);
  if (kind >= kEventKindCount) {
    return {At(e, e.kind), absl::StrCat("unknown event kind ", kind)};
  }
  if (!IsMarketData(e.kind)) {
    return {At(e, e.kind),
            absl::StrCat("event kind ", kind, " (", std::string(EventKindName(e.kind)),
                         ") is not market data: a tape holds market data only")};
  }
  if (e.instrument.value >= instruments) {
    return {At(e, e.instrument),
            absl::StrCat("instrument id ", e.instrument.value, " is outside the tape's table of ",
                         instruments, " instrument", instruments == 1 ? "" : "s")};
  }
  return PayloadFault(e);
}


// --- TapeRecordChecker ------------------------------------------------------------------------

// The limits of each kind byte value: record bytes [0, 32) as 16 little-endian words, [32, 64) as
// bytes. A record is within bounds when no word or byte exceeds its limit (0xffff, 0xff: no
// limit). Two arrays, so that one offset (kind * 32) addresses both rows.
struct TapeRecordChecker::Limits {
  alignas(64) uint16_t head[256][16];
  alignas(64) uint8_t payload[256][32];
};

namespace {

static_assert(std::endian::native == std::endian::little, "limits address little-endian bytes");
static_assert(sizeof(Event) == 64 && alignof(Event) == 64);
static_assert((tape_internal::kAllBookFlags & (tape_internal::kAllBookFlags + 1)) == 0,
              "book flags are the low bits: 'no unknown bit' is a limit");

constexpr size_t kKindWord = offsetof(Event, kind) / 2;  // the kind and reserved0 bytes
constexpr size_t kInstrumentWord = offsetof(Event, instrument) / 2;
static_assert(offsetof(Event, kind) % 2 == 0 && offsetof(Event, instrument) % 2 == 0);
static_assert(offsetof(Event, instrument) + sizeof(InstrumentId) <= 32);

// One kind's rows of the table.
struct KindRow {
  uint16_t* head;
  uint8_t* payload;
};

// Limits the byte at `offset` to `max`. In the head a byte can only be limited as the high byte
// of its word (the low byte stays free): that is where a head field's sign byte is.
void LimitByte(KindRow k, size_t offset, uint8_t max) {
  if (offset >= 32) {
    k.payload[offset - 32] = max;
  } else {
    k.head[offset / 2] = static_cast<uint16_t>(offset % 2 == 1 ? max << 8 | 0xff : 0);
  }
}

// A signed 64-bit field at `offset` is >= 0: its top (sign) byte is <= 0x7f.
void NonNegative(KindRow k, size_t offset) { LimitByte(k, offset + 7, 0x7f); }

void SetKindLimits(KindRow k, EventKind kind, size_t instruments) {
  constexpr size_t kTrade = offsetof(Event, trade), kQuote = offsetof(Event, quote);
  constexpr size_t kLevel = offsetof(Event, level), kL3 = offsetof(Event, l3);
  std::memset(k.head, 0xff, 32);
  std::memset(k.payload, 0xff, 32);
  if (static_cast<int>(kind) >= kEventKindCount || !IsMarketData(kind)) {
    // Kind 0 (trade) is market data, so the kind byte of every other kind is > 0.
    k.head[kKindWord] = 0;
    return;
  }
  // instruments == 0 never gets here (Check walks): every id is out of bounds.
  k.head[kInstrumentWord] = static_cast<uint16_t>(std::min<size_t>(instruments - 1, 0xffff));
  const uint8_t side = 1, flags = tape_internal::kAllBookFlags;
  switch (kind) {
    case EventKind::kTrade:
    case EventKind::kLiquidation:
      NonNegative(k, kTrade + offsetof(TradePayload, qty));
      LimitByte(k, kTrade + offsetof(TradePayload, aggressor), side);
      break;
    case EventKind::kQuote:
      NonNegative(k, kQuote + offsetof(QuotePayload, bid_qty));
      NonNegative(k, kQuote + offsetof(QuotePayload, ask_qty));
      break;
    case EventKind::kBookLevel:
      NonNegative(k, kLevel + offsetof(LevelPayload, qty));
      LimitByte(k, kLevel + offsetof(LevelPayload, side), side);
      LimitByte(k, kLevel + offsetof(LevelPayload, flags), flags);
      break;
    case EventKind::kOpenInterest:
      NonNegative(k, offsetof(Event, open_interest) + offsetof(OpenInterestPayload, qty));
      break;
    case EventKind::kBar:
      NonNegative(k, offsetof(Event, bar) + offsetof(BarPayload, volume));
      break;
    case EventKind::kL3Order:
      NonNegative(k, kL3 + offsetof(L3OrderPayload, qty));
      LimitByte(k, kL3 + offsetof(L3OrderPayload, side), side);
      LimitByte(k, kL3 + offsetof(L3OrderPayload, action), static_cast<uint8_t>(L3Action::kExecute));
      LimitByte(k, kL3 + offsetof(L3OrderPayload, flags), flags);
      break;
    default:
      break;  // funding, mark and index prices: any value
  }
}

#if TAPEDECK_TAPE_CHECK_AVX2
// The bounds and time-order test of one record; `back` and `over` accumulate nonzero lanes.
__attribute__((target("avx2"), always_inline)) inline __m256i TestRecord(
    const Event& r, const TapeRecordChecker::Limits& t, __m256i prev, __m256i* over,
    __m256i* back) {
  const auto* p = reinterpret_cast<const __m256i*>(&r);
  const auto kind = static_cast<uint8_t>(r.kind);
  const __m256i head = _mm256_loadu_si256(p);
  const __m256i h =
      _mm256_subs_epu16(head, _mm256_load_si256(reinterpret_cast<const __m256i*>(t.head[kind])));
  const __m256i b = _mm256_subs_epu8(
      _mm256_loadu_si256(p + 1), _mm256_load_si256(reinterpret_cast<const __m256i*>(t.payload[kind])));
  *over = _mm256_or_si256(*over, _mm256_or_si256(h, b));
  *back = _mm256_or_si256(*back, _mm256_cmpgt_epi64(prev, head));
  return head;
}

// True when some record of `r[0, n)` exceeds a limit of its kind's rows, or has an exchange_ts
// before the previous record's (`last_ts` for the first). Branch-free but for the loop: words of
// the head and bytes of the payload are compared with saturating subtractions (nonzero: over the
// limit), exchange_ts with the previous record's (lane 0 of the head vector; the other lanes of
// that comparison mean nothing and are not read).
__attribute__((target("avx2"))) bool AnyOutOfBoundsAvx2(const Event* r, size_t n,
                                                         const TapeRecordChecker::Limits& t,
                                                         int64_t last_ts) {
  __m256i over = _mm256_setzero_si256();
  __m256i back = _mm256_setzero_si256();
  __m256i prev = _mm256_set1_epi64x(last_ts);
  size_t i = 0;
  // Four records a turn: the loop's counting and the copy of `prev` cost once, not four times.
  for (; i + 4 <= n; i += 4) {
    const __m256i h0 = TestRecord(r[i], t, prev, &over, &back);
    const __m256i h1 = TestRecord(r[i + 1], t, h0, &over, &back);
    const __m256i h2 = TestRecord(r[i + 2], t, h1, &over, &back);
    prev = TestRecord(r[i + 3], t, h2, &over, &back);
  }
  for (; i < n; ++i) prev = TestRecord(r[i], t, prev, &over, &back);
  return !_mm256_testz_si256(over, over) || _mm256_extract_epi64(back, 0) != 0;
}

bool CpuHasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#else
bool CpuHasAvx2() { return false; }
#endif

}  // namespace

TapeRecordChecker::TapeRecordChecker(size_t instruments, Path path)
    : instruments_(instruments),
      vectorized_(path == Path::kFastest && instruments > 0 && CpuHasAvx2()) {
  if (!vectorized_) return;
  limits_ = std::make_unique<Limits>();
  for (size_t kind = 0; kind < 256; ++kind) {
    SetKindLimits({limits_->head[kind], limits_->payload[kind]}, static_cast<EventKind>(kind),
                  instruments);
  }
}

TapeRecordChecker::~TapeRecordChecker() = default;
TapeRecordChecker::TapeRecordChecker(TapeRecordChecker&&) noexcept = default;
TapeRecordChecker& TapeRecordChecker::operator=(TapeRecordChecker&&) noexcept = default;

TapeCheckResult TapeRecordChecker::Check(std::span<const Event> records) {
#if TAPEDECK_TAPE_CHECK_AVX2
  if (vectorized_ && !records.empty() &&
      !AnyOutOfBoundsAvx2(records.data(), records.size(), *limits_, last_ts_)) {
    last_ts_ = records.back().exchange_ts;
    return {records.size(), TapeCheckFault::kNone};
  }
#endif
  return Walk(records);
}

TapeCheckResult TapeRecordChecker::Walk(std::span<const Event> records) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (!TapeRecordOk(records[i], instruments_)) return {i, TapeCheckFault::kBounds};
    if (records[i].exchange_ts < last_ts_) return {i, TapeCheckFault::kBackwards};
    last_ts_ = records[i].exchange_ts;
  }
  return {records.size(), TapeCheckFault::kNone};
}

}  // namespace tapedeck::replay
